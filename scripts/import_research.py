"""One-off import of the researched price tables (../shared/pricing-research) into pricing_data/.

Kept in the repository so the provenance of every bundled row can be re-traced: each output row carries
the research row's own source text, plus a `basis` (published | derived | estimate), the date of the
underlying source and a confidence grade taken from PRICING_SOURCES.md.

Run from the repository root:  python scripts/import_research.py ../shared/pricing-research
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

# Dates and confidence per source key, as stated in PRICING_SOURCES.md. Undated sources get the date the
# research read them (2026-10-02, the newest read date in that file) and say so in `date_kind`.
SOURCE_DATES: dict[str, tuple[str, str, str]] = {
    # key: (date, date_kind, confidence)
    "S1": ("2026-10-02", "read", "high"),
    "S2": ("2026-07-18", "published", "high"),
    "S3": ("2022-02-13", "published", "medium"),
    "S4": ("2026-10-02", "read", "medium-high"),
    "S5": ("2024-07-01", "published", "high"),
    "S6": ("2025-06-24", "published", "high"),
    "S7": ("2025-05-27", "published", "medium"),
    "S8": ("2026-09-20", "published", "medium"),
    "S9": ("2026-10-02", "read", "medium"),
    "S13": ("2026-10-02", "read", "medium"),
    "S16": ("2026-07-23", "published", "medium"),
}
READ_DATE = "2026-10-02"


def source_key(text: str) -> str | None:
    match = re.search(r"\bS(\d+)\b", text)
    return f"S{match.group(1)}" if match else None


def basis_of(text: str) -> str:
    if "NOT read from a source" in text:
        return "estimate"
    return "derived" if text.startswith("derived") else "published"


def dated(text: str, default_confidence: str = "medium") -> tuple[str, str]:
    key = source_key(text)
    if key and key in SOURCE_DATES:
        date, _kind, confidence = SOURCE_DATES[key]
        return date, confidence
    return READ_DATE, default_confidence


def write_csv(path: Path, header: list[str], rows: list[dict[str, str]], sort_keys: list[str]) -> None:
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in sort_keys))
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def import_node_types(src: Path, out: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "node_types.csv").open()):
        generation = "previous" if r["generation"].startswith("previous") else "current"
        note = ""
        if "T2" in r["generation"] or r["family"] == "t2":
            note = "AWS is moving T2 to previous generation: no new T2 clusters or reserved nodes"
        rows.append({
            "node_type": r["node_type"], "family": r["family"], "generation": generation,
            "vcpu": r["vcpu"], "memory_gib": r["memory_gib"],
            "network_gbps_baseline": r["network_gbps_baseline"], "network_gbps_burst": r["network_gbps_burst"],
            "data_tiering_ssd_gib": r["data_tiering_ssd_gib"], "note": note, "source": r["source"],
        })
    header = ["node_type", "family", "generation", "vcpu", "memory_gib", "network_gbps_baseline",
              "network_gbps_burst", "data_tiering_ssd_gib", "note", "source"]
    write_csv(out / "node_types.csv", header, rows, ["family", "node_type"])


def import_on_demand(src: Path, out: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "ondemand_prices.csv").open()):
        date, confidence = dated(r["source"])
        rows.append({
            "region": r["region"], "node_type": r["node_type"], "engine": r["engine"],
            "usd_per_hour": r["usd_per_hour"], "basis": basis_of(r["source"]), "source_date": date,
            "confidence": confidence, "source": r["source"],
        })
    header = ["region", "node_type", "engine", "usd_per_hour", "basis", "source_date", "confidence", "source"]
    write_csv(out / "on_demand.csv", header, rows, ["region", "engine", "node_type"])


def import_reserved(src: Path, out: Path) -> None:
    rows = []
    for r in csv.DictReader((src / "reserved.csv").open()):
        if not r["effective_usd_per_hour"] and not r["upfront_usd"]:
            continue  # no figure at all for this option: the estimate rule covers it at run time
        date, confidence = dated(r["source"])
        rows.append({
            "region": r["region"], "node_type": r["node_type"], "engine": r["engine"],
            "term_years": r["term_years"], "payment_option": r["payment_option"],
            "upfront_usd": r["upfront_usd"], "usd_per_hour": r["usd_per_hour"],
            "effective_usd_per_hour": r["effective_usd_per_hour"], "basis": basis_of(r["source"]),
            "source_date": date, "confidence": confidence, "source": r["source"],
        })
    header = ["region", "node_type", "engine", "term_years", "payment_option", "upfront_usd", "usd_per_hour",
              "effective_usd_per_hour", "basis", "source_date", "confidence", "source"]
    write_csv(out / "reserved.csv", header, rows, ["region", "engine", "node_type", "term_years", "payment_option"])


SERVERLESS_MIN_GB = {"redis": "1", "memcached": "1", "valkey": "0.1"}
SERVERLESS_MIN_SOURCE = (
    "minimum metered storage: AWS pricing page (aws.eu/it/elasticache/pricing) and cur.vantage.sh CUR reference: "
    "1 GB Redis OSS and Memcached, 100 MB Valkey"
)


def import_serverless_and_other(src: Path, out: Path) -> None:
    serverless: dict[tuple[str, str], dict[str, str]] = {}
    other = []
    for r in csv.DictReader((src / "serverless_and_other.csv").open()):
        item, engine, region = r["item"], r["engine"], r["region"]
        if item in ("serverless_data_storage", "serverless_ecpu"):
            key = (region, engine)
            row = serverless.setdefault(key, {
                "region": region, "engine": engine, "storage_usd_per_gb_hour": "", "ecpu_usd_per_million": "",
                "min_storage_gb": SERVERLESS_MIN_GB[engine], "basis": "published", "source_date": "",
                "confidence": "", "source": "",
            })
            column = "storage_usd_per_gb_hour" if item == "serverless_data_storage" else "ecpu_usd_per_million"
            row[column] = r["usd"]
            date, confidence = serverless_date(r["source"])
            row["source_date"] = max(row["source_date"], date)
            row["confidence"] = confidence
            row["source"] = (row["source"] + " | " if row["source"] else "") + f"{column}: {r['source']}"
        elif item.startswith(("backup_storage", "global_datastore", "extended_support", "valkey_sync")):
            date, confidence = dated(r["source"])
            node_match = re.search(r"\((cache\.[a-z0-9.]+)\)", item)
            # The Global Datastore rate is quoted for eu-west-1 (and generically for other pairs): keep the
            # Region it was read for, never a vague label, so lookups stay exact.
            quoted = list(dict.fromkeys(re.findall(r"[a-z]{2}-[a-z]+-\d", region)))
            regions = quoted if item.startswith("global") else [region]
            for one_region in regions:
                other.append({
                    "item": item.split(" ")[0], "node_type": node_match.group(1) if node_match else "",
                    "region": one_region, "engine": engine, "unit": r["unit"], "usd": r["usd"],
                    "basis": "published", "source_date": date, "confidence": confidence, "source": r["source"],
                })
    for row in serverless.values():
        row["source"] += " | " + SERVERLESS_MIN_SOURCE
    header = ["region", "engine", "storage_usd_per_gb_hour", "ecpu_usd_per_million", "min_storage_gb", "basis",
              "source_date", "confidence", "source"]
    write_csv(out / "serverless.csv", header, list(serverless.values()), ["region", "engine"])
    header = ["item", "node_type", "region", "engine", "unit", "usd", "basis", "source_date", "confidence",
              "source"]
    write_csv(out / "other_rates.csv", header, other, ["item", "region", "engine", "node_type"])


def serverless_date(text: str) -> tuple[str, str]:
    if text.startswith("S7"):
        return SOURCE_DATES["S7"][0], "medium"
    if "sodkiewiczm" in text:
        return "2023-12-06", "medium-low"
    return "2026-06-30", "high"  # usage.ai page "June 2026" plus the 2024 Momento post and bill line items


def main(src_dir: str) -> None:
    src, out = Path(src_dir), Path("pricing_data")
    import_node_types(src, out)
    import_on_demand(src, out)
    import_reserved(src, out)
    import_serverless_and_other(src, out)
    print(json.dumps({"imported_from": str(src)}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/pricing-research")

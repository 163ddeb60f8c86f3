"""Import the researched price tables (../shared/pricing-research) into pricing_data/.

Kept in the repository so the provenance of every bundled row can be re-traced and the import rerun: each
output row carries the research row's own source text, plus a `basis` (published | derived | estimate), the
date of the underlying source and a confidence grade. Output is sorted, so a rerun on the same input writes
byte-identical files.

Two layers, the second on top of the first:
1. the first research round (`node_types.csv`, `ondemand_prices.csv`, `reserved.csv`,
   `serverless_and_other.csv`), which still supplies node specifications, the newest node families (r8g, m8g,
   c8gn: us-east-1 only) and the add-on rates;
2. `all-regions/`: AWS's own pricing-page data for every commercial Region (read by
   advisor/pricing/research_format.py, the same reader `pricing refresh --research-dir` uses). It replaces
   every first-round row it covers; a first-round on-demand row survives only for a node family the
   all-Region data does not list at all (newer than its sources). GovCloud and Local Zone files are left out.

Run from the repository root:  python scripts/import_research.py ../shared/pricing-research
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from the repository root

from advisor.pricing.research_format import (
    EXCLUDED_FILES,
    SERVERLESS_MIN_GB,
    SERVERLESS_MIN_SOURCE,
    ResearchTables,
    newest_source_date_per_region,
    read_research_dir,
)

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


ON_DEMAND_HEADER = ["region", "node_type", "engine", "usd_per_hour", "basis", "source_date", "confidence", "source"]
ON_DEMAND_KEY = ["region", "engine", "node_type"]
RESERVED_HEADER = ["region", "node_type", "engine", "term_years", "payment_option", "upfront_usd", "usd_per_hour",
                   "effective_usd_per_hour", "basis", "source_date", "confidence", "source"]
RESERVED_KEY = ["region", "engine", "node_type", "term_years", "payment_option"]
SERVERLESS_HEADER = ["region", "engine", "storage_usd_per_gb_hour", "ecpu_usd_per_million", "min_storage_gb", "basis",
                     "source_date", "confidence", "source"]
OTHER_HEADER = ["item", "node_type", "region", "engine", "unit", "usd", "basis", "source_date", "confidence",
                "source"]


def first_round_on_demand(src: Path) -> list[dict[str, str]]:
    rows = []
    for r in csv.DictReader((src / "ondemand_prices.csv").open()):
        date, confidence = dated(r["source"])
        rows.append({
            "region": r["region"], "node_type": r["node_type"], "engine": r["engine"],
            "usd_per_hour": r["usd_per_hour"], "basis": basis_of(r["source"]), "source_date": date,
            "confidence": confidence, "source": r["source"],
        })
    return rows


def first_round_reserved(src: Path) -> list[dict[str, str]]:
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
    return rows


def first_round_serverless_and_other(src: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
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
    return list(serverless.values()), other


def serverless_date(text: str) -> tuple[str, str]:
    if text.startswith("S7"):
        return SOURCE_DATES["S7"][0], "medium"
    if "sodkiewiczm" in text:
        return "2023-12-06", "medium-low"
    return "2026-06-30", "high"  # usage.ai page "June 2026" plus the 2024 Momento post and bill line items


def family(node_type: str) -> str:
    return node_type.split(".")[1]


def keyed(rows: list[dict[str, str]], key: list[str]) -> dict[tuple[str, ...], dict[str, str]]:
    return {tuple(row[k] for k in key): row for row in rows}


def merge_on_demand(first: list[dict[str, str]], regional: ResearchTables) -> list[dict[str, str]]:
    """All-Region rows win; a first-round row stays only for a family the all-Region data never lists."""
    listed_families = {family(row["node_type"]) for row in regional.on_demand}
    kept = [row for row in first if family(row["node_type"]) not in listed_families]
    return list({**keyed(kept, ON_DEMAND_KEY), **keyed(regional.on_demand, ON_DEMAND_KEY)}.values())


def merge_reserved(first: list[dict[str, str]], regional: ResearchTables,
                   on_demand: list[dict[str, str]]) -> list[dict[str, str]]:
    """All-Region rows win. The pricing pages list one engine-less reservation per node type, term and payment
    option (under a Redis OSS or a Memcached SKU), so a first-round Redis OSS or Memcached row for an offer the
    all-Region data covers is dropped whatever its engine (the other engine is derived at lookup). First-round
    Valkey rows stay: no all-Region source publishes Valkey reservations."""
    covered = {(row["region"], row["node_type"], row["term_years"], row["payment_option"])
               for row in regional.reserved}
    kept = [row for row in first if row["engine"] == "valkey"
            or (row["region"], row["node_type"], row["term_years"], row["payment_option"]) not in covered]
    merged = {**keyed(kept, RESERVED_KEY), **keyed(regional.reserved, RESERVED_KEY)}
    priced = set(keyed(on_demand, ON_DEMAND_KEY))
    # A reservation needs an on-demand price to be compared with (the loader insists on it).
    return [row for row in merged.values() if (row["region"], row["engine"], row["node_type"]) in priced]


def merge_serverless(first: list[dict[str, str]], regional: ResearchTables) -> list[dict[str, str]]:
    return list({**keyed(first, ["region", "engine"]), **keyed(regional.serverless, ["region", "engine"])}.values())


def merge_other(first: list[dict[str, str]], regional: ResearchTables) -> list[dict[str, str]]:
    """The one AWS backup rate for every Region and engine replaces the single us-east-1 Redis OSS row."""
    return [row for row in first if row["item"] != "backup_storage"] + regional.backup


EXCLUDED_REGIONS = {
    "us-gov-east-1": "AWS GovCloud (US): not a commercial Region; its prices are kept apart in the research "
                     f"({', '.join(EXCLUDED_FILES)}) and not bundled",
    "us-gov-west-1": "AWS GovCloud (US): not a commercial Region; not bundled",
    "cn-north-1": "China (Beijing): a separate partition priced in CNY by its operator; not in the sources",
    "cn-northwest-1": "China (Ningxia): a separate partition priced in CNY by its operator; not in the sources",
    "ap-southeast-6": "Asia Pacific (New Zealand): not in the sources (newer than them)",
}


def update_manifest(out: Path, dates: dict[str, str]) -> None:
    path = out / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["as_of"] = max(dates.values())
    manifest["region_as_of"] = dates
    manifest["excluded_regions"] = EXCLUDED_REGIONS
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def main(src_dir: str) -> None:
    src, out = Path(src_dir), Path("pricing_data")
    regional = read_research_dir(src / "all-regions")
    import_node_types(src, out)
    on_demand = merge_on_demand(first_round_on_demand(src), regional)
    reserved = merge_reserved(first_round_reserved(src), regional, on_demand)
    first_serverless, first_other = first_round_serverless_and_other(src)
    serverless = merge_serverless(first_serverless, regional)
    other = merge_other(first_other, regional)
    write_csv(out / "on_demand.csv", ON_DEMAND_HEADER, on_demand, ON_DEMAND_KEY)
    write_csv(out / "reserved.csv", RESERVED_HEADER, reserved, RESERVED_KEY)
    write_csv(out / "serverless.csv", SERVERLESS_HEADER, serverless, ["region", "engine"])
    write_csv(out / "other_rates.csv", OTHER_HEADER, other, ["item", "region", "engine", "node_type"])
    update_manifest(out, newest_source_date_per_region(on_demand, reserved, serverless))
    print(json.dumps({"imported_from": str(src), "regions": len(regional.regions), "on_demand": len(on_demand),
                      "reserved": len(reserved), "serverless": len(serverless)}))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/pricing-research")

"""`python -m advisor pricing refresh`: argument parsing and user-facing messages for the price refresh."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError
from advisor.pricing.loader import DEFAULT_PRICING_DIR, load_price_book
from advisor.pricing.refresh import (
    PRICING_API_REGION,
    check_regions,
    refresh_from_api,
    refresh_from_offer_file,
    refresh_from_research_dir,
)


def add_pricing_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add `pricing refresh` to the advisor's top-level sub-commands."""
    pricing = subparsers.add_parser("pricing", help="Manage the bundled ElastiCache price tables")
    commands = pricing.add_subparsers(dest="pricing_command", metavar="{refresh}")
    refresh = commands.add_parser(
        "refresh",
        help="Refresh pricing_data from the AWS Price List API or a downloaded offer file",
        description=(
            "Read current ElastiCache prices from the AWS Price List API (any AWS credentials will do) or from "
            "the public bulk offer file, show what changes, and write the tables only if they pass every check."
        ),
    )
    scope = refresh.add_mutually_exclusive_group()
    scope.add_argument(
        "--regions", nargs="+", metavar="REGION",
        help="Region codes to refresh (space or comma separated). Default: the Regions already bundled.",
    )
    scope.add_argument("--all-regions", action="store_true", help="Refresh every Region AWS prices")
    refresh.add_argument("--dry-run", action="store_true", help="Print the differences; change no file")
    source = refresh.add_mutually_exclusive_group()
    source.add_argument(
        "--offer-file", type=Path, metavar="PATH",
        help="Use a downloaded AmazonElastiCache bulk offer file (JSON) instead of the API; no credentials needed",
    )
    source.add_argument(
        "--research-dir", type=Path, metavar="DIR",
        help="Use a directory in the all-Region research CSV format (ondemand_all_regions.csv, "
             "serverless_all_regions.csv, reserved_all_regions.csv) instead of the API; no credentials needed",
    )
    refresh.add_argument(
        "--pricing-dir", type=Path, default=DEFAULT_PRICING_DIR, metavar="DIR",
        help="Directory of the price tables to refresh (default: the bundled pricing_data)",
    )


def _regions(args: argparse.Namespace, directory: Path) -> tuple[list[str] | None, bool]:
    """(regions to refresh or None for all, whether each one must come back priced)."""
    if getattr(args, "all_regions", False):
        return None, False
    if args.regions:
        return check_regions([r for chunk in args.regions for r in chunk.split(",") if r]), True
    return load_price_book(directory).regions, False


def run_pricing(args: argparse.Namespace, *, client: Any = None, today: dt.date | None = None) -> int:
    """Run a `pricing` sub-command; print the outcome; return the process exit code.

    `client` (a boto3 pricing client) and `today` are for tests; the CLI leaves them out.
    """
    if getattr(args, "pricing_command", None) != "refresh":
        print("usage: python -m advisor pricing refresh [--regions ...|--all-regions] [--dry-run] "
              "[--offer-file PATH | --research-dir DIR] [--pricing-dir DIR]", file=sys.stderr)
        return 2
    directory = Path(args.pricing_dir)
    today = today or dt.date.today()
    try:
        regions, explicit = _regions(args, directory)
        if getattr(args, "research_dir", None) is not None:
            result = refresh_from_research_dir(
                args.research_dir, directory=directory, regions=regions, today=today, dry_run=args.dry_run,
                require_each_region=explicit,
            )
        elif args.offer_file is not None:
            result = refresh_from_offer_file(
                args.offer_file, directory=directory, regions=regions, today=today, dry_run=args.dry_run,
                require_each_region=explicit,
            )
        else:
            if client is None:
                import boto3  # only the networked path needs it; keeps `--offer-file` usable without AWS setup

                client = boto3.client("pricing", region_name=PRICING_API_REGION)
            # Bundled Regions must each come back priced too: a silent gap would look like a discontinued Region.
            result = refresh_from_api(client, directory=directory, regions=regions, today=today, dry_run=args.dry_run)
    except AdvisorError as exc:
        print(f"Price refresh failed: {exc}", file=sys.stderr)
        print(f"The price tables in {directory} were not changed.", file=sys.stderr)
        return 1
    print(result.render())
    return 0

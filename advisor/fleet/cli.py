"""`python -m advisor fleet review`: review every cluster of an account, or the seeded example fleet.

    python -m advisor fleet review --example                 # no AWS account needed
    python -m advisor fleet review --region eu-west-1 -f html -o review.html
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from advisor.errors import AdvisorError
from advisor.fleet.account import ExampleAccount, account_clients
from advisor.fleet.export import render_html, render_json, render_pdf, render_text
from advisor.fleet.review import DEFAULT_DAYS, FleetReview, review_fleet
from advisor.live.aws_session import AwsSettings

FORMATS = ("text", "json", "html", "pdf")


class ReviewInputError(AdvisorError, ValueError):
    """A fleet-review option the review cannot run with."""


def add_fleet_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    fleet = sub.add_parser("fleet", help="fleet-wide review of live clusters (CloudWatch + configuration)")
    actions = fleet.add_subparsers(dest="fleet_command", required=True)
    review = actions.add_parser("review", help="classify, check and price every cluster of a Region")
    source = review.add_mutually_exclusive_group()
    source.add_argument("--example", action="store_true", help="the seeded example fleet (no AWS account)")
    source.add_argument("--region", help="AWS Region of a real account (standard credential chain)")
    review.add_argument("--profile", help="AWS profile (default chain when omitted)")
    review.add_argument("--endpoint-url", help="a VPC endpoint or local emulator")
    review.add_argument("--days", type=int, default=DEFAULT_DAYS, help="window in days, 1-30 (default 14)")
    review.add_argument("-f", "--format", choices=FORMATS, default="text")
    review.add_argument("-o", "--output", help="write to this file (required for pdf)")
    review.set_defaults(run=run_fleet)


def _review(args: argparse.Namespace) -> FleetReview:
    if not 1 <= args.days <= 30:
        raise ReviewInputError(f"--days must be between 1 and 30 days, not {args.days}")
    if args.example:
        with ExampleAccount() as account:
            return review_fleet(account.clients(), days=args.days)
    if not args.region:
        raise ReviewInputError("choose --example (no AWS account needed) or --region REGION for a real account")
    settings = AwsSettings(region=args.region, profile=args.profile, endpoint_url=args.endpoint_url)
    return review_fleet(account_clients(settings), days=args.days)


def run_fleet(args: argparse.Namespace) -> int:
    if args.format == "pdf" and not args.output:
        raise ReviewInputError("-f pdf needs -o FILE (a PDF is binary and is not printed to the terminal)")
    if args.output and Path(args.output).is_dir():
        raise ReviewInputError(f"-o {args.output} is a directory; give a file name")
    review = _review(args)
    renderers: dict[str, Any] = {"text": render_text, "json": render_json, "html": render_html, "pdf": render_pdf}
    body = renderers[args.format](review)
    if args.output:
        mode = "wb" if isinstance(body, bytes) else "w"
        with open(args.output, mode) as handle:
            handle.write(body)
        print(f"wrote {args.output} ({args.format})", file=sys.stderr)
    else:
        print(body, end="" if body.endswith("\n") else "\n")
    return 0

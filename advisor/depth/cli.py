"""`python -m advisor plan WORKLOAD.yaml [--format text|json] [--traffic-growth PCT]`: decision depth alone.

`python -m advisor recommend --format json` carries the same data under "decision_depth".
"""

from __future__ import annotations

import argparse
import json
import math
from decimal import Decimal


def add_plan_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "plan", help="what would change the answer, when the design stops fitting, headroom for failure",
        description="Decision depth for a workload file: flip thresholds, month-by-month fit with the steps "
                    "growth forces, and headroom for a lost node, a rebalance and a snapshot.")
    parser.add_argument("workload", help="workload YAML or JSON file")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--traffic-growth", type=float, default=None, metavar="PCT",
                        help="traffic growth per month in %% (default: the workload's data growth)")
    parser.add_argument("--migration-cost", type=float, default=0.0, metavar="USD",
                        help="one-off cost of moving a Redis OSS design to Valkey (your testing effort), for the "
                             "stay-or-upgrade payback")
    parser.set_defaults(run=run_plan)
    return parser


def run_plan(args: argparse.Namespace) -> int:
    from advisor.depth.plan import decision_depth, depth_to_dict, render_depth_text
    from advisor.errors import FieldProblem, InvalidWorkload
    from advisor.pricing import load_price_book
    from advisor.recommend import recommend
    from advisor.workload import load_workload

    growth = args.traffic_growth
    if growth is not None and (not math.isfinite(growth) or not 0 <= growth <= 100):
        raise InvalidWorkload([FieldProblem("--traffic-growth", "traffic growth must be 0 to 100 % per month")])
    cost = args.migration_cost
    if not math.isfinite(cost) or not 0 <= cost <= 10**9:
        raise InvalidWorkload([FieldProblem("--migration-cost", "a one-off cost in USD from 0 to 1,000,000,000")])
    book = load_price_book()
    rec = recommend(load_workload(args.workload), book)
    depth = decision_depth(rec, book, growth, migration_cost=Decimal(str(cost)))
    if args.format == "json":
        print(json.dumps({"headline": rec.headline, **depth_to_dict(depth)}, indent=2))
    else:
        print(rec.headline)
        print()
        print(render_depth_text(depth), end="")
    return 0 if rec.feasible else 3

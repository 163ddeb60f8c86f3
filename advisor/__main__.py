"""Command line: `python -m advisor recommend|commands WORKLOAD.yaml`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from advisor.commands import generate_commands
from advisor.errors import AdvisorError, FieldProblem, InvalidWorkload
from advisor.pricing import load_price_book
from advisor.pricing.book import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.render.text import EXIT_CODES, outcome_lines, render_markdown, render_text
from advisor.serialize import recommendation_to_dict
from advisor.workload import load_workload, parse_settings


def recommendation_for(args: argparse.Namespace, book: PriceBook) -> Recommendation:
    """The recommendation for the workload file with any --set changes, or for the --way-out it names."""
    rec = recommend(load_workload(args.workload, parse_settings(getattr(args, "set", []))), book)
    chosen = getattr(args, "way_out", None)
    if not chosen:
        return rec
    way = next((w for w in rec.ways_out if w.id == chosen), None)
    if way is None:
        offered = ", ".join(w.id for w in rec.ways_out) or "none (the workload has a design)"
        raise InvalidWorkload([FieldProblem("--way-out", f"'{chosen}' is not a way out of this workload; "
                                                         f"offered: {offered}")])
    return recommend(way.workload, book)


def _recommend(args: argparse.Namespace) -> int:
    book = load_price_book()
    rec = recommendation_for(args, book)
    if args.format == "json":
        from advisor.depth.plan import decision_depth, depth_to_dict

        data = recommendation_to_dict(rec)
        data["decision_depth"] = depth_to_dict(decision_depth(rec, book))
        print(json.dumps(data, indent=2))
    elif args.format == "markdown":
        print(render_markdown(rec), end="")
    else:
        print(render_text(rec, args.workload), end="")
    return EXIT_CODES[rec.status]


def _commands(args: argparse.Namespace) -> int:
    rec = recommendation_for(args, load_price_book())
    if rec.status != "design":
        # Nothing on standard output: a script piping the commands must not build half an answer.
        print(f"No commands: the answer is {rec.status}, not a design.", file=sys.stderr)
        print("\n".join(outcome_lines(rec, args.workload)), file=sys.stderr)
        return EXIT_CODES[rec.status]
    commands = generate_commands(rec)
    for command in commands:
        print(f"# {command.purpose}")
        print(command.render())
        print()
    return 0


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--way-out", metavar="ID", default=None,
        help="adopt one of the ways out a conflict offers (its id, as printed), e.g. --way-out serverless_memcached")
    parser.add_argument(
        "--set", action="append", default=[], metavar="FIELD=VALUE",
        help="change one workload field over the file (repeatable), e.g. --set constraints.shards=3 "
             "--set preferences.deployment=serverless --set availability=none")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m advisor", description="Amazon ElastiCache decision and cost "
                                     "advisor")
    sub = parser.add_subparsers(dest="command", required=True)
    rec = sub.add_parser("recommend", help="recommend engine, deployment, topology and costs for a workload")
    rec.add_argument("workload", help="workload YAML or JSON file")
    rec.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    add_set_argument(rec)
    rec.set_defaults(run=_recommend)
    cmd = sub.add_parser("commands", help="print the AWS CLI commands that build the recommendation")
    cmd.add_argument("workload", help="workload YAML or JSON file")
    add_set_argument(cmd)
    cmd.set_defaults(run=_commands)
    _add_optional_commands(sub)
    return parser


def _add_optional_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Sub-commands that live in their own modules register here."""
    from advisor.fleet.cli import add_fleet_parser
    from advisor.pricing.cli import add_pricing_parser, run_pricing
    from advisor.report.cli import add_report_parser

    add_pricing_parser(sub)
    sub.choices["pricing"].set_defaults(run=run_pricing)
    add_report_parser(sub)
    from advisor.depth.cli import add_plan_parser

    add_plan_parser(sub)
    add_fleet_parser(sub)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail a second time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.run(args))
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not as a traceback at exit
        return code
    except AdvisorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 2
    except OSError as exc:
        if exc.filename is not None:
            raise
        _silence_stdout()
        print(f"error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

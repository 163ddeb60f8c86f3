"""`python -m advisor report WORKLOAD.yaml --format md|html|pdf|json -o FILE`.

Wire it into advisor/__main__.py with `add_report_parser(subparsers)`; the parser sets `run=run_report`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.errors import AdvisorError
from advisor.report.model import Report

FORMATS = {"md": ".md", "html": ".html", "pdf": ".pdf", "json": ".json"}


def render(report: Report, fmt: str) -> bytes:
    """The report in one format, as bytes ready to write or download."""
    if fmt == "md":
        from advisor.report.markdown import render_markdown
        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        from advisor.report.html import render_html
        return render_html(report).encode("utf-8")
    if fmt == "json":
        from advisor.report.json_export import render_json
        return render_json(report).encode("utf-8")
    if fmt == "pdf":
        from advisor.report.pdf import render_pdf  # reportlab is imported only when a PDF is asked for
        return render_pdf(report)
    raise ValueError(f"unknown report format '{fmt}'; choose one of {', '.join(FORMATS)}")


def add_report_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "report", help="export the recommendation as a Markdown, HTML, PDF or JSON report",
        description="Export the full recommendation (findings, costs, charts, commands, Terraform and "
                    "CloudFormation) for a workload file.")
    parser.add_argument("workload", help="workload YAML or JSON file")
    parser.add_argument("--format", "-f", choices=list(FORMATS), default=None,
                        help="report format (default: from the output file's extension, else md)")
    parser.add_argument("-o", "--output", help="file to write (default: standard output; required for pdf)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite the output file if it exists (never the workload file itself)")
    from advisor.__main__ import add_set_argument

    add_set_argument(parser)
    parser.set_defaults(run=run_report)
    return parser


def _format_for(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        suffix = Path(args.output).suffix.lower()
        for fmt, ext in FORMATS.items():
            if suffix == ext or (fmt == "md" and suffix == ".markdown"):
                return fmt
    return "md"


def output_refusal(out: Path, workload: Path, force: bool) -> str | None:
    """Why the report must not be written to `out`, or None. The input is never overwritten; any other
    existing file only with --force."""
    if not out.parent.exists():
        return f"cannot write {out}: folder {out.parent} does not exist"
    if out.is_dir():
        return f"cannot write {out}: it is a folder"
    if not out.exists():
        return None
    try:
        same = out.samefile(workload)
    except OSError:
        same = False
    if same:
        return f"{out} is the workload file itself: choose another output file"
    if not force:
        return f"{out} already exists: add --force to overwrite it, or choose another output file"
    return None


def run_report(args: argparse.Namespace) -> int:
    """0 on success, 2 on bad input (named on stderr), 3 when the workload has no feasible configuration
    (the report is still written: it explains the conflicts)."""
    from advisor.__main__ import recommendation_for
    from advisor.pricing import load_price_book
    from advisor.report.model import build_report

    fmt = _format_for(args)
    if fmt == "pdf" and not args.output:
        print("error: a PDF is binary: give an output file with -o report.pdf", file=sys.stderr)
        return 2
    out = Path(args.output) if args.output else None
    if out is not None:
        refusal = output_refusal(out, Path(args.workload), force=args.force)
        if refusal:
            print(f"error: {refusal}", file=sys.stderr)
            return 2
    try:
        book = load_price_book()
        rec = recommendation_for(args, book)
        data = render(build_report(rec, book), fmt)
    except AdvisorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        try:
            out.write_bytes(data)
        except OSError as exc:
            print(f"error: cannot write {out}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"wrote {out} ({fmt}, {len(data):,} bytes)", file=sys.stderr)
    return 0 if rec.feasible else 3

"""Pieces every page shows: the pricing provenance in the sidebar, and the notice when inputs are invalid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from advisor.errors import FieldProblem
from advisor.pricing import PriceBook
from advisor.pricing.freshness import staleness_warning
from advisor.wording import count_noun
from ui import state
from ui.forms import LABELS, base_field, group_of
from ui.state import View
from ui.text import field_label, plain


def sidebar_facts(view: View) -> tuple[str | None, str | None, int]:
    """What the sidebar shows that the inputs can change: the Region, the workload's name, the problem count."""
    workload = view.workload
    return (workload.region if workload else None, workload.name if workload else None, len(view.problems))


def pricing_sidebar(book: PriceBook, view: View, today: dt.date | None = None) -> None:
    """As-of date of the workload Region's prices (its newest source), Region and, when old, the warning."""
    state.remember_sidebar(sidebar_facts(view))
    with st.sidebar:
        region = view.workload.region if view.workload else None
        as_of = book.region_as_of(region) if region else book.manifest.as_of
        st.caption(f"Pricing as of **{as_of.isoformat()}** ({book.manifest.currency}) · "
                   f"Region **{region or '—'}**")
        warning = staleness_warning(as_of, today or dt.date.today())
        if warning:
            st.warning(warning, icon=":material/schedule:")
        if view.workload is not None:
            st.caption(f"Workload: **{plain(view.workload.name)}**")
        if view.problems:
            st.error(f"{count_noun(len(view.problems), 'invalid input')}: the figures shown are for the last valid "
                     "inputs.",
                     icon=":material/error:")


def describe_problem(problem: FieldProblem) -> str:
    """A problem as one line of Markdown: the field and the reason come from input, so both are escaped."""
    field = base_field(problem.field)
    if field in LABELS:
        return f"**{LABELS[field]} ({group_of(field)})** — {field_label(problem.field)}: {plain(problem.reason)}"
    return f"{field_label(problem.field)}: {plain(problem.reason)}"


def problems_notice(problems: Sequence[FieldProblem], stale: bool) -> None:
    """Every invalid input by field; and, when a recommendation is still on screen, which inputs it is for."""
    if not problems:
        return
    lines = "\n".join(f"- {describe_problem(p)}" for p in problems)
    tail = "\n\nShowing the recommendation for the last valid inputs." if stale else ""
    st.error(f"The workload has {count_noun(len(problems), 'invalid input')}:\n{lines}{tail}", icon=":material/error:")


def require_recommendation(view: View) -> bool:
    """Page guard: explain why there is nothing to show yet instead of rendering empty widgets."""
    problems_notice(view.problems, stale=view.recommendation is not None)
    if view.recommendation is None:
        st.info("No recommendation yet: fix the inputs on the Workload page.", icon=":material/info:")
        return False
    return True

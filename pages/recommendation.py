"""Recommendation: the headline decision, every finding with its reason, evidence and documentation, and the
ranked alternatives."""

from __future__ import annotations

import streamlit as st

from advisor.design_picture import design_pictures
from advisor.findings import Finding, Severity
from advisor.render.design_svg import design_svg, display_widths
from advisor.wording import ENGINE_LABELS
from ui import state
from ui.layout import require_recommendation
from ui.outcome import render_outcome
from ui.router import hand_over_to_router
from ui.tables import (
    ALTERNATIVES_COLUMNS,
    DECIDING_COLUMNS,
    ESTIMATE,
    alternatives_frame,
    deciding_frame,
    monthly_label,
    node_type,
    shape,
)
from ui.text import plain

hand_over_to_router("pages/recommendation.py")

SEVERITY_ICONS = {
    Severity.CONFLICT: ":material/block:", Severity.WARNING: ":material/warning:",
    Severity.DECISION: ":material/check_circle:", Severity.ADVICE: ":material/lightbulb:",
}
LABEL_CHARS = 150  # an expander label is one line; the full decision is repeated inside


def show_finding(finding: Finding) -> None:
    """Decision, why, the numbers and the AWS docs, in one expander (open for conflicts and warnings)."""
    loud = finding.severity in (Severity.CONFLICT, Severity.WARNING)
    label = f"{finding.severity.value.upper()} · {finding.title} — {finding.decision}"
    with st.expander(label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…", expanded=loud,
                     icon=SEVERITY_ICONS[finding.severity]):
        st.markdown(f"**Decision:** {finding.decision}")
        st.markdown(f"**Why:** {finding.rationale}")
        if finding.monthly_saving_usd:
            st.markdown(f"**Saves:** about ${finding.monthly_saving_usd:,.2f} per month")
        if finding.evidence:
            st.markdown("**Evidence**\n" + "\n".join(f"- {k}: {v}" for k, v in finding.evidence.items()))
        if finding.docs:
            st.markdown("**Documentation:** " + " · ".join(f"[{link.rsplit('/', 1)[-1] or link}]({link})"
                                                           for link in finding.docs))
        st.caption(f"id `{finding.id}`")


view = state.get_view()
st.title("Recommendation")
if require_recommendation(view):
    rec = view.recommendation
    assert rec is not None
    st.subheader(rec.headline)
    st.caption(f"Pricing as of {rec.pricing_as_of}; Region {rec.workload.region}. {rec.deployment_reason}.")

    render_outcome(rec)
    for finding in rec.conflicts:
        st.error(f"**Conflict — {finding.title}:** {finding.decision} {finding.rationale}", icon=":material/block:")
    for finding in rec.warnings:
        st.warning(f"**{finding.title}:** {finding.decision}", icon=":material/warning:")

    # Two rows of three: a node type such as cache.r6gd.16xlarge needs the width of a third of the page.
    engine, deployment, node = st.columns(3)
    engine.metric("Engine", ENGINE_LABELS[rec.engine])
    deployment.metric("Deployment", "Serverless" if rec.deployment == "serverless" else
                      "Provisioned" if rec.deployment else "none feasible")
    node.metric("Node type", node_type(rec), help=shape(rec))
    if rec.costs is not None:
        suffix = ESTIMATE if rec.costs.is_estimate else ""
        monthly, one_year, three_year = st.columns(3)
        monthly.metric("Monthly cost", monthly_label(rec), help=rec.costs.chosen.display_label)
        one_year.metric("1-year cost", f"${rec.costs.total_over(12):,.2f}{suffix}",
                        help="12 months of the monthly cost plus any upfront payment")
        three_year.metric("3-year cost", f"${rec.costs.total_over(36):,.2f}{suffix}",
                          help="36 months of the monthly cost plus any upfront payment")
    st.markdown(f"**Topology:** {shape(rec)}")

    pictures = [picture for picture in design_pictures(rec) if picture is not None]
    if pictures:
        st.header("Design")
        # A given design (pinned or discovered) on the left, the recommended one beside it.
        for index, (column, picture) in enumerate(zip(st.columns(len(pictures)), pictures, strict=True)):
            with column:
                st.markdown(f"**{plain(picture.title)}**")
                # As an image: st.html sanitises inline SVG away; an SVG image keeps every shape and label.
                # It fills its column, between its drawn size and 1.5 times that; on a narrow screen it keeps its
                # drawn size and scrolls sideways, rather than shrinking its labels out of reading size.
                narrowest, widest = display_widths(picture)
                box = f"design-picture-{index}"
                st.html(f"<style>.st-key-{box} {{overflow-x: auto}} .st-key-{box} img {{"
                        f"min-width: {narrowest:.0f}px !important; max-width: {widest:.0f}px !important}}</style>")
                with st.container(key=box):
                    st.image(design_svg(picture), alt=picture.title, width="stretch")
                st.caption(picture.caption)

    st.header("Findings")
    for finding in rec.findings:
        show_finding(finding)

    st.header("Alternatives")
    if rec.search.ranked:
        st.caption(f"Cheapest topology per node type, on-demand; {rec.search.evaluated:,} candidates evaluated. "
                   "Click a column header to sort.")
        counts = "nodes" if rec.engine == "memcached" else "shards"  # Memcached has no shards
        if st.toggle(f"Show every column ({counts}, reserved prices, each utilisation)", key="alternatives.all"):
            st.caption("Reserved figures marked (estimate) use the typical discount for their term.")
            st.dataframe(alternatives_frame(rec.search.ranked, rec.engine), hide_index=True,
                         column_config=ALTERNATIVES_COLUMNS)
        else:
            st.dataframe(deciding_frame(rec.search.ranked, rec.engine), hide_index=True,
                         column_config=DECIDING_COLUMNS)
    else:
        st.info("No node-based configuration fits this workload.")
    if rec.search.exclusions:
        with st.expander(f"Node types ruled out ({len(rec.search.exclusions)})"):
            st.dataframe([{"Node type": e.node_type, "Why": e.reason} for e in rec.search.exclusions],
                         hide_index=True)

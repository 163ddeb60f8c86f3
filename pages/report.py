"""Report: download the recommendation as Markdown, HTML, PDF or JSON (findings, costs, charts, commands, IaC).

Reads the workload on screen (st.session_state["workload"]) or, when the page runs on its own, an example.
Every format is built from one cached report model; each file is rendered only when its button is clicked.
"""

from __future__ import annotations

import streamlit as st

from advisor.commands import CommandSettings
from advisor.report.cli import FORMATS, render
from advisor.report.model import Report, build_report
from advisor.wording import count_noun
from advisor.workload import Workload, load_workload
from ui import cached, state
from ui.cached import EXAMPLES_DIR
from ui.router import hand_over_to_router
from ui.text import plain as md  # Streamlit also reads $...$ as LaTeX: escape all

hand_over_to_router("pages/report.py")

DEFAULT_EXAMPLE = EXAMPLES_DIR / "api_response_cache.yaml"
MIME = {"md": "text/markdown", "html": "text/html", "pdf": "application/pdf", "json": "application/json"}
LABELS = {"md": "Markdown", "html": "HTML (interactive charts, works offline)", "pdf": "PDF", "json": "JSON"}


@st.cache_data(show_spinner=False, max_entries=16)
def _report(workload_key: str, settings_key: str, _settings: CommandSettings) -> Report:
    """The report model, keyed by the workload's JSON and the settings' repr (`_settings` is not hashed)."""
    return build_report(cached.recommendation(workload_key), cached.price_book(), settings=_settings)


def _workload() -> tuple[Workload, bool]:
    shown = st.session_state.get(state.SHARED_WORKLOAD)
    if isinstance(shown, Workload):
        return shown, True
    return load_workload(DEFAULT_EXAMPLE), False


def _file_name(workload: Workload, fmt: str) -> str:
    from advisor.commands.aws_cli import cluster_id_from_name

    return f"{cluster_id_from_name(workload.name)}-report{FORMATS[fmt]}"


workload, from_session = _workload()
st.title("Report")
if not from_session:
    st.info(f"No workload on screen yet: showing the example “{md(workload.name)}”. Describe yours on the "
            "Workload page and come back.")
key = cached.workload_key(workload)
settings = state.get_command_settings()
report = _report(key, repr(settings), settings)

# Titles and captions are Markdown in Streamlit: escape them so a name like "<b>$x$</b>" shows as typed.
st.subheader(md(report.title))
st.markdown(f"**{md(report.headline)}**")
st.caption(md(f"Pricing as of {report.pricing_as_of} · region {report.region} · {len(report.findings)} findings · "
           f"{len(report.alternatives)} alternatives · AWS CLI, Terraform and CloudFormation included"))
if report.conflicts:
    st.warning(f"{count_noun(len(report.conflicts), 'conflict')}: the report explains what cannot be met.")

columns = st.columns(len(FORMATS))
for column, fmt in zip(columns, FORMATS, strict=True):
    # A callable renders the file only when clicked (PDF and HTML are the slow ones); render() is plain Python
    # over the already-built model, so it is safe on the download thread.
    column.download_button(
        LABELS[fmt].split(" (")[0], data=lambda fmt=fmt: render(report, fmt),
        file_name=_file_name(workload, fmt), mime=MIME[fmt], key=f"report.download.{fmt}", help=LABELS[fmt],
        on_click="ignore", icon=":material/download:", width="stretch",
    )

with st.expander("Preview (Markdown)"):
    st.code(render(report, "md").decode("utf-8"), language="markdown")

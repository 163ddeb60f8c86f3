"""Session-state keys and typed accessors: the only place that reads or writes st.session_state by name.

The form's inputs live in a plain dict (the draft) under DRAFT, not only in widget keys: Streamlit drops a
widget's state when its page is not shown, and an architect's inputs must survive a visit to another page.
Widgets write into the draft through `on_field_change`; every run re-validates the draft, and the last
workload that produced a recommendation stays on screen while the current inputs are being fixed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
import yaml

from advisor.commands import CommandSettings
from advisor.errors import AdvisorError, FieldProblem, InvalidWorkload
from advisor.recommendation import Recommendation, WayOut
from advisor.safe_input import parse_bytes
from advisor.secrets_scan import without_secrets
from advisor.workload import Workload, dumps_workload, parse_workload
from advisor.workload_link import decode_workload_link, encode_workload_link
from ui import cached
from ui.forms import WIDGET_PREFIX, data_from_draft, draft_from_data

DRAFT = "workload.draft"  # dict[str, Any]: every field's current input, in JSON form
INITIALISED = "app.initialised"  # bool: the draft has been seeded (from a shared link or the default preset)
LAST_GOOD = "workload.last_good"  # str: JSON of the last workload that produced a recommendation
LOAD_PROBLEMS = "workload.load_problems"  # list[FieldProblem]: what the last preset/file/link could not fill
LOAD_SOURCE = "workload.load_source"  # str: where the current inputs came from, for the page caption
VIEW = "workload.view"  # View: this run's validated inputs and the recommendation on screen
EVALUATED = "workload.evaluated"  # str: the draft (as JSON) that VIEW was computed from
SHARED_WORKLOAD = "workload"  # Workload on screen, read by other pages; Live clusters writes an observed one here
PUBLISHED = "workload.published"  # str: JSON of the Workload this module last put under SHARED_WORKLOAD
SCENARIOS = "compare.scenarios"  # dict[str, str]: scenario name -> workload JSON
COMMAND_SETTINGS = "commands.settings"  # CommandSettings: ids the generated commands assume
PRESET_WIDGET = "workload.preset"  # selectbox key
UPLOAD_WIDGET = "workload.upload"  # file uploader key
IMPORT_POPOVER = "workload.import"  # the "Import YAML" popover (its uploader is drawn only while open)
SHOWN_GROUP = "workload.shown_group"  # str: the group of the form on screen (kept while the page is not shown)
GROUP_WIDGET = "workload.group"  # the group picker's key
SHARE_EXPANDER = "workload.share"  # the "Share these inputs" expander (its link is drawn only while open)
SHARED_LINK_SHOWN = "workload.shared_link_shown"  # str | None: the link token the open expander shows
SIDEBAR_SHOWN = "app.sidebar_shown"  # tuple: what the sidebar showed in the last full run
LINK_PARAM = "w"  # query parameter holding the encoded workload

DEFAULT_PRESET = "Game leaderboard"


@dataclass(frozen=True)
class View:
    """What every page shows: the recommendation for `workload`, and the problems of the current inputs."""

    workload: Workload | None
    recommendation: Recommendation | None
    problems: tuple[FieldProblem, ...] = ()
    load_problems: tuple[FieldProblem, ...] = field(default_factory=tuple)

    @property
    def is_current(self) -> bool:
        """True when the recommendation on screen is for the inputs as they stand."""
        return not self.problems and self.recommendation is not None


# Draft ----------------------------------------------------------------------------------------------------


def get_draft() -> dict[str, Any]:
    return st.session_state[DRAFT]


def set_draft(data: dict[str, Any], source: str) -> None:
    """Replace every input (a preset, a file, a link, a saved scenario) and re-seed the widgets from it."""
    draft, problems = draft_from_data(data)
    st.session_state[DRAFT] = draft
    st.session_state[LOAD_PROBLEMS] = problems
    st.session_state[LOAD_SOURCE] = source
    for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIX)]:
        del st.session_state[key]  # widgets re-read the draft on their next render


def on_field_change(name: str) -> None:
    """Widget callback: copy the widget's value into the draft before the rerun validates it."""
    st.session_state[DRAFT][name] = st.session_state[WIDGET_PREFIX + name]


def shown_group(default: str) -> str:
    """The form group on screen; seeds the picker from the plain key (a widget's own state is dropped while
    its page is not shown)."""
    shown = st.session_state.setdefault(SHOWN_GROUP, default)
    st.session_state.setdefault(GROUP_WIDGET, shown)
    return str(shown)


def on_group_change() -> None:
    st.session_state[SHOWN_GROUP] = st.session_state[GROUP_WIDGET]


def sidebar_is_current(facts: tuple[Any, ...]) -> bool:
    """True when the sidebar on screen shows `facts`; remembered by `remember_sidebar` on each full run."""
    return st.session_state.get(SIDEBAR_SHOWN) == facts


def remember_sidebar(facts: tuple[Any, ...]) -> None:
    st.session_state[SIDEBAR_SHOWN] = facts


def remember_shared_link(token: str | None) -> None:
    """The token the share expander shows (None while it is closed); the form's fragment compares it."""
    st.session_state[SHARED_LINK_SHOWN] = token


def shared_link_is_stale() -> bool:
    """True when the open share expander shows a link for other inputs than the current ones."""
    shown = st.session_state.get(SHARED_LINK_SHOWN)
    return shown is not None and shown != share_token()


def load_problems() -> list[FieldProblem]:
    return st.session_state.get(LOAD_PROBLEMS, [])


def load_source() -> str:
    return st.session_state.get(LOAD_SOURCE, "")


def init_once(link_token: str | None) -> None:
    """Seed the draft on a session's first run: from a shared link if there is one, else the default preset."""
    if st.session_state.get(INITIALISED):
        return
    st.session_state[INITIALISED] = True
    st.session_state.setdefault(SCENARIOS, {})
    presets = cached.presets()
    default = presets.get(DEFAULT_PRESET) or next(iter(presets.values()), {})
    if link_token:
        try:
            set_draft(decode_workload_link(link_token), "shared link")
            return
        except InvalidWorkload as exc:
            set_draft(default, f"preset {DEFAULT_PRESET}")
            st.session_state[LOAD_PROBLEMS] = list(exc.problems)
            return
    set_draft(default, f"preset {DEFAULT_PRESET}")


def share_token() -> str:
    """The link token for the current inputs; an input holding a secret is left out (the model refuses it)."""
    return encode_workload_link(without_secrets(data_from_draft(get_draft())))


def export_yaml(view: View, draft: dict[str, Any]) -> tuple[str, str]:
    """(YAML, what it is): the validated workload when the inputs are valid; otherwise the inputs as typed,
    so work in progress can be saved too (importing it names the bad fields again)."""
    if view.is_current and view.workload is not None:
        return dumps_workload(view.workload), export_note(view)
    typed = {k: v for k, v in without_secrets(data_from_draft(draft)).items() if v is not None}
    for section in [k for k, v in typed.items() if isinstance(v, dict)]:
        typed[section] = {k: v for k, v in typed[section].items() if v is not None}
        if not typed[section]:
            del typed[section]
    return yaml.safe_dump(typed, sort_keys=False), export_note(view)


def export_note(view: View) -> str:
    """What the export holds, without writing it."""
    if view.is_current and view.workload is not None:
        return "The validated workload"
    return "The inputs as typed (some are invalid)"


def load_preset_from_widget() -> None:
    name = st.session_state.get(PRESET_WIDGET)
    presets = cached.presets()
    if name in presets:
        set_draft(presets[name], f"preset {name}")


def load_upload_from_widget() -> None:
    """File-uploader callback: YAML into the draft; a file that is not a mapping leaves the inputs alone."""
    upload = st.session_state.get(UPLOAD_WIDGET)
    if upload is None:
        return
    try:
        data = parse_bytes(upload.getvalue(), upload.name, "file")
    except InvalidWorkload as exc:
        st.session_state[LOAD_PROBLEMS] = list(exc.problems)
        st.session_state[LOAD_SOURCE] = f"file {upload.name} (not loaded)"
        return
    set_draft(data, f"file {upload.name}")


# Validation and the recommendation on screen ----------------------------------------------------------------


def adopt_way_out(way: WayOut) -> None:
    """Button callback: a conflict's way out becomes the inputs (every change shows on the Workload page)."""
    set_draft(way.workload.model_dump(mode="json", exclude_none=True), f"way out '{way.title}'")


def adopt_shared_workload() -> None:
    """Another page (Live clusters' "apply") may put a Workload under the shared key: make it the inputs."""
    shared = st.session_state.get(SHARED_WORKLOAD)
    if isinstance(shared, Workload) and cached.workload_key(shared) != st.session_state.get(PUBLISHED):
        set_draft(shared.model_dump(mode="json", exclude_none=True), f"another page ({shared.name})")


def _draft_text() -> str:
    return json.dumps(get_draft(), sort_keys=True, default=str)


def evaluate() -> View:
    """Validate the draft; recommend when valid; otherwise keep the last good recommendation. Never raises."""
    adopt_shared_workload()
    st.session_state[EVALUATED] = _draft_text()
    problems: list[FieldProblem] = []
    current: tuple[str, Workload, Recommendation] | None = None
    try:
        workload = parse_workload(data_from_draft(get_draft()))
        key = cached.workload_key(workload)
        # RegionNotPriced and friends surface here, as a problem on a field
        current = key, workload, cached.recommendation(key, workload)
        st.session_state[LAST_GOOD] = key
    except InvalidWorkload as exc:
        problems = list(exc.problems)
    except AdvisorError as exc:
        problems = [FieldProblem("region", str(exc))]
    good = st.session_state.get(LAST_GOOD)
    if current is not None and current[0] == good:
        shown: tuple[Workload | None, Recommendation | None] = current[1], current[2]  # no second parse
    else:
        shown = (cached.workload_from_key(good), cached.recommendation(good)) if good else (None, None)
    view = View(
        workload=shown[0],
        recommendation=shown[1],
        problems=tuple(problems),
        load_problems=tuple(load_problems()),
    )
    st.session_state[VIEW] = view
    if view.workload is not None:
        st.session_state[SHARED_WORKLOAD] = view.workload
        st.session_state[PUBLISHED] = good
    return view


def get_view() -> View:
    """The view of the draft as it stands: this run's, or evaluated again when a widget changed the draft since
    (a fragment rerun skips app.py) or the page runs on its own (AppTest.from_file on a page)."""
    view = st.session_state.get(VIEW)
    if isinstance(view, View) and st.session_state.get(EVALUATED) == _draft_text():
        return view
    return evaluate()


def keep_link_in_url() -> None:
    """The address bar always holds the current inputs, so copying it shares the workload."""
    token = share_token()
    if st.query_params.get(LINK_PARAM) != token:
        st.query_params[LINK_PARAM] = token


# Compare ----------------------------------------------------------------------------------------------------


def get_scenarios() -> dict[str, str]:
    return st.session_state.setdefault(SCENARIOS, {})


def save_scenario(name: str, workload: Workload) -> None:
    get_scenarios()[name] = cached.workload_key(workload)


def delete_scenario(name: str) -> None:
    get_scenarios().pop(name, None)


def scenario_workload(name: str) -> Workload:
    return cached.workload_from_key(get_scenarios()[name])


# Commands ---------------------------------------------------------------------------------------------------


def get_command_settings() -> CommandSettings:
    settings = st.session_state.get(COMMAND_SETTINGS)
    return settings if isinstance(settings, CommandSettings) else CommandSettings()


def set_command_settings(settings: CommandSettings) -> None:
    st.session_state[COMMAND_SETTINGS] = settings

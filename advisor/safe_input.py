"""The one door for untrusted documents: workload files, uploads and shared links become plain data here.

Every budget is enforced before the expensive step it protects: the size before decoding, the nesting depth
before building objects, anchors and aliases before anything is expanded (a few hundred bytes of nested
aliases can otherwise expand into gigabytes). A refusal is an `InvalidWorkload` naming the file or link, with
a reason in plain words and a bounded length, never a traceback.
"""

from __future__ import annotations

import json
import math
import stat
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from advisor.errors import FieldProblem, InvalidWorkload

Format = Literal["yaml", "json"]

# A full workload is about 1-2 KB; a few hundred KB leaves room for comments and still parses in milliseconds.
MAX_INPUT_BYTES = 256 * 1024
# A workload nests three or four levels deep (workload -> constraints -> list); 32 is generous and far below
# Python's recursion limit, which the YAML composer and the JSON decoder would otherwise hit.
MAX_DEPTH = 32
# Longest piece of input quoted back in a message: enough to recognise it, too short to flood a screen.
MAX_QUOTE_CHARS = 60
MAX_REASON_CHARS = 300

# Tags a workload file may carry: YAML's plain data types. Everything else (!!binary, !!timestamp, !!set,
# !!python/*, custom tags) is refused by name instead of silently decoded.
_PLAIN_TAGS = frozenset({
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
})
_UTF16_32_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32", b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16",
}
_UTF8_BOM = b"\xef\xbb\xbf"


def quote(value: object, limit: int = MAX_QUOTE_CHARS) -> str:
    """A short, single-line rendering of untrusted input for a message: repr, cut at `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bounded(reason: str, limit: int = MAX_REASON_CHARS) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


class _Refused(Exception):
    """Raised inside the loader; turned into a FieldProblem naming the source."""


def _refuse(source: str, reason: str) -> InvalidWorkload:
    return InvalidWorkload([FieldProblem(source, bounded(reason))])


# Bytes -> text ---------------------------------------------------------------------------------------------


def decode_text(data: bytes, source: str, what: str) -> str:
    """UTF-8 text (a UTF-8 BOM is dropped), or a refusal saying what the bytes are instead."""
    if len(data) > MAX_INPUT_BYTES:
        raise _refuse(source, f"{what} is larger than {MAX_INPUT_BYTES // 1024} KB; a workload is a few KB")
    for bom, name in _UTF16_32_BOMS.items():
        if data.startswith(bom):
            raise _refuse(source, f"{what} is {name} text; save it as UTF-8")
    data = data.removeprefix(_UTF8_BOM)
    if b"\x00" in data:
        raise _refuse(source, f"{what} is a binary file (it holds NUL bytes), not YAML or JSON text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(source, f"{what} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                              f"{exc.start:,}); save it as UTF-8") from None


def read_capped(path: Path) -> bytes:
    """At most MAX_INPUT_BYTES + 1 bytes of a regular file; refusals name the path."""
    source = "file"
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _refuse(source, f"{path} does not exist") from None
    except OSError as exc:
        raise _refuse(source, f"cannot read {path}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise _refuse(source, f"{path} is a folder, not a workload file")
    if not stat.S_ISREG(mode) and not stat.S_ISCHR(mode):
        raise _refuse(source, f"{path} is not a regular file")
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_INPUT_BYTES + 1)  # a device such as /dev/zero never ends: read only the budget
    except OSError as exc:
        raise _refuse(source, f"cannot read {path}: {exc.strerror}") from None


# Text -> data ----------------------------------------------------------------------------------------------


def _json_depth_ok(text: str) -> bool:
    """True when brackets nest at most MAX_DEPTH deep (strings skipped), checked before json.loads recurses."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif char in "]}":
            depth -= 1
    return True


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"the key {quote(key)} appears twice; keep one")
        result[key] = value
    return result


def _parse_json(text: str) -> Any:
    if not _json_depth_ok(text):
        raise _Refused(f"nests deeper than {MAX_DEPTH} levels; a workload nests three or four")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _Refused(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, anchors or non-plain tags, with a depth budget and duplicate-key checks."""

    # An unquoted date (a name such as 2026-01-01) stays text instead of becoming a datetime.
    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(f"uses a YAML alias (*{bounded(str(event.anchor), MAX_QUOTE_CHARS)}, line "
                           f"{event.start_mark.line + 1}); anchors and aliases are not accepted in a workload: "
                           "write the values out")
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            raise _Refused(f"uses a YAML anchor (&{bounded(str(event.anchor), MAX_QUOTE_CHARS)}, line "
                           f"{event.start_mark.line + 1}); anchors and aliases are not accepted in a workload: "
                           "write the values out")
        nested = isinstance(event, CollectionStartEvent)
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(f"nests deeper than {MAX_DEPTH} levels (line {event.start_mark.line + 1}); "
                               "a workload nests three or four")
        node = super().compose_node(parent, index)
        if nested:
            self._depth -= 1
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(f"uses the YAML tag {bounded(tag, MAX_QUOTE_CHARS)} (line "
                           f"{node.start_mark.line + 1}); only plain text, numbers, true/false, lists and "
                           "mappings are accepted")
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(f"uses a YAML merge key '<<' (line {key_node.start_mark.line + 1}); not accepted")
            if isinstance(key_node, ScalarNode):
                key = self.construct_object(key_node)
                if not isinstance(key, str | int | float | bool | type(None)):
                    continue
                if key in seen:
                    raise _Refused(f"the key {quote(key)} appears twice (line {key_node.start_mark.line + 1}); "
                                   "keep one")
                seen.add(key)
            elif isinstance(key_node, MappingNode | SequenceNode):
                raise _Refused(f"uses a list or mapping as a key (line {key_node.start_mark.line + 1})")
        return super().construct_mapping(node, deep=deep)


def _parse_yaml(text: str) -> Any:
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    except (ComposerError, ConstructorError) as exc:
        raise _Refused(f"not valid YAML: {bounded(str(exc.problem or exc), 120)}") from None
    except yaml.MarkedYAMLError as exc:
        where = f" (line {exc.problem_mark.line + 1}, column {exc.problem_mark.column + 1})" if exc.problem_mark else ""
        raise _Refused(f"not valid YAML: {bounded(str(exc.problem), 120)}{where}") from None
    except yaml.YAMLError as exc:
        raise _Refused(f"not valid YAML: {bounded(str(exc), 120)}") from None
    finally:
        loader.dispose()


def parse_document(text: str, fmt: Format, source: str = "file", what: str = "the file") -> dict[str, Any]:
    """A YAML or JSON document as a mapping (empty document: {}), or InvalidWorkload naming `source`."""
    if len(text) > MAX_INPUT_BYTES:
        raise _refuse(source, f"{what} is larger than {MAX_INPUT_BYTES // 1024} KB; a workload is a few KB")
    text = text.removeprefix("\ufeff")
    try:
        data = _parse_json(text) if fmt == "json" else _parse_yaml(text)
    except _Refused as exc:
        raise _refuse(source, f"{what}: {exc}") from None
    except RecursionError:  # belt and braces: the depth budgets above should make this unreachable
        raise _refuse(source, f"{what} nests too deeply") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _refuse(source, f"{what} must be a mapping of field names to values, not {type(data).__name__}")
    return data


def format_for(name: str) -> Format:
    return "json" if name.lower().endswith(".json") else "yaml"


def parse_bytes(data: bytes, name: str, source: str = "file") -> dict[str, Any]:
    """An upload or a file's bytes as a mapping; refusals name the file."""
    what = bounded(str(name), 120)
    return parse_document(decode_text(data, source, what), format_for(name), source, what)


def read_document(path: Path | str) -> dict[str, Any]:
    """A workload file's field data: size, encoding, depth, aliases and duplicate keys checked first."""
    path = Path(path)
    return parse_bytes(read_capped(path), str(path), "file")


def is_finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and (
        isinstance(value, int) or math.isfinite(value))

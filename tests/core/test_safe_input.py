"""The one safe parser: size, encoding, depth, alias and duplicate-key budgets, each refused by name."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from advisor.errors import InvalidWorkload
from advisor.safe_input import MAX_DEPTH, MAX_INPUT_BYTES, parse_bytes, parse_document, read_document


def refusal(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidWorkload) as caught:
        call(*args)
    (problem,) = caught.value.problems
    return f"{problem.field}: {problem.reason}"


# Under 400 bytes: eight anchored lists, each holding nine aliases of the one before; `features` expands to
# 9^9 = 387 million items (the issue's 361-byte file has the same shape).
ALIAS_BOMB = "".join(
    [f"a0: &a0 [{','.join(['x'] * 9)}]\n"]
    + [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 8)]
    + [f"features: [{','.join(['*a7'] * 9)}]\n"]
)


def test_the_alias_bomb_fails_fast_and_small() -> None:
    assert 300 < len(ALIAS_BOMB) < 400
    tracemalloc.start()
    message = refusal(parse_document, ALIAS_BOMB, "yaml")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "anchor" in message and "a0" in message
    assert peak < 5 * 2**20  # bytes: the expansion (hundreds of millions of items) never starts


def test_a_single_alias_is_refused_too() -> None:
    assert "alias" in refusal(parse_document, "name: *x\n", "yaml") or "anchor" in refusal(
        parse_document, "name: *x\n", "yaml")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_nesting_deeper_than_the_budget_is_refused(fmt: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = f"features: {deep}\n" if fmt == "yaml" else f'{{"features": {deep}}}'
    assert f"deeper than {MAX_DEPTH} levels" in refusal(parse_document, text, fmt)
    ok = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    parse_document(f'{{"features": {ok}}}', "json")  # within budget: parsed (the model then judges it)


@pytest.mark.parametrize(("fmt", "text"), [("yaml", "dataset_gb: 5\ndataset_gb: 6\n"),
                                           ("json", '{"dataset_gb": 5, "dataset_gb": 6}')])
def test_duplicate_keys_are_an_error_naming_the_key(fmt: str, text: str) -> None:
    message = refusal(parse_document, text, fmt)
    assert "'dataset_gb' appears twice" in message


def test_a_nested_duplicate_key_is_named_too() -> None:
    assert "'a' appears twice" in refusal(parse_document, '{"x": {"a": 1, "a": 2}}', "json")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_utf8_bom_is_accepted_in_both(fmt: str) -> None:
    body = "dataset_gb: 5\n" if fmt == "yaml" else '{"dataset_gb": 5}'
    assert parse_bytes(b"\xef\xbb\xbf" + body.encode(), f"w.{fmt}") == {"dataset_gb": 5}
    assert parse_document("\ufeff" + body, fmt) == {"dataset_gb": 5}


@pytest.mark.parametrize(("data", "words"), [
    ("dataset_gb: 5\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
    ("dataset_gb: 5\n".encode("utf-32"), "UTF-32 text"),
    ("name: café\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 9)"),
    (bytes(range(256)), "binary file"),
    (b"x" * (MAX_INPUT_BYTES + 1), "larger than 256 KB"),
])
def test_bytes_that_are_not_a_workload_are_named(data: bytes, words: str) -> None:
    message = refusal(parse_bytes, data, "upload.yaml")
    assert message.startswith("file: upload.yaml") and words in message


@pytest.mark.parametrize(("text", "tag"), [("name: !!binary aGVsbG8=\n", "!!binary"),
                                           ("name: !!python/object:os.system x\n", "!!python/object:os.system"),
                                           ("a: !!set {x}\n", "!!set"), ("name: !custom x\n", "!custom")])
def test_tags_beyond_plain_data_are_refused_by_name(text: str, tag: str) -> None:
    assert f"uses the YAML tag {tag}" in refusal(parse_document, text, "yaml")


def test_an_unquoted_date_stays_text() -> None:
    assert parse_document("name: 2026-01-01\n", "yaml") == {"name": "2026-01-01"}


def test_merge_keys_are_refused() -> None:
    assert "!!merge" in refusal(parse_document, "<<: {a: 1}\n", "yaml")


def test_a_document_that_is_not_a_mapping() -> None:
    assert "must be a mapping" in refusal(parse_document, "- a\n- b\n", "yaml")
    assert parse_document("", "yaml") == {}


def test_error_messages_are_bounded() -> None:
    message = refusal(parse_document, "name: [" + "x, " * 50_000, "yaml")
    assert len(message) < 400


def test_paths_that_are_not_files(tmp_path: Path) -> None:
    assert "is a folder" in refusal(read_document, tmp_path)
    assert "does not exist" in refusal(read_document, tmp_path / "nope.yaml")
    assert "larger than 256 KB" in refusal(read_document, "/dev/zero")

"""Every hostile file through the CLI: exit 2, a message naming the field or file, no traceback, and the
parse stays within a few MB and well under a second of CPU whatever the file claims to expand to."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from advisor.__main__ import main
from advisor.errors import InvalidWorkload
from advisor.workload import load_workload
from tests.hostile.corpus import CASES, EVIL, Case

PEAK_BYTES = 30 * 2**20  # "a few tens of MB" at most for reading and judging any one file
CPU_SECONDS = 1.0


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_cli_names_the_field_and_exits_2(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / case.filename
    path.write_bytes(case.data)
    assert main(["recommend", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"- {case.field}:" in captured.err and case.words in captured.err, captured.err
    assert "Traceback" not in captured.err and len(captured.err) < 2_000
    assert "hunter2" not in captured.err and "AKIAIOSFODNN7EXAMPLE" not in captured.err


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_parsing_is_cheap_whatever_the_file(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.filename
    path.write_bytes(case.data)
    tracemalloc.start()
    cpu_before = time.process_time()
    with pytest.raises(InvalidWorkload):
        load_workload(path)
    cpu = time.process_time() - cpu_before
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{case.id}: {peak / 2**20:.1f} MB"
    assert cpu < CPU_SECONDS * 5, f"{case.id}: {cpu:.2f} s of CPU"  # generous: tracemalloc slows Python ~3x


def _limited() -> None:
    # The CLI must refuse these long before it could use 2 GB or a minute of CPU.
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


@pytest.mark.parametrize(("target", "words"), [("/dev/zero", "larger than 256 KB"), (".", "is a folder"),
                                               ("/no/such/file.yaml", "does not exist")])
def test_special_paths_in_a_real_process(target: str, words: str) -> None:
    result = subprocess.run([sys.executable, "-m", "advisor", "recommend", target], capture_output=True, text=True,
                            timeout=120, preexec_fn=_limited)
    assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr


def test_no_host_from_the_input_reaches_the_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Messages may name the bad value, but as data: the CLI prints plain text, never a link to follow.
    markdown_case = next(c for c in CASES if c.id == "markdown-everywhere")
    path = tmp_path / "w.json"
    path.write_bytes(markdown_case.data)
    assert main(["recommend", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown field" in err and "region" in err and "traffic_shape" in err
    assert all(len(line) < 400 for line in err.splitlines())
    assert EVIL in err  # quoted as the refused value, in a terminal (no renderer)

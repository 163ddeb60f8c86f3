"""The command line: a clear message and a non-zero exit on bad input, parseable output otherwise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.__main__ import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "advisor", *args], capture_output=True, text=True, timeout=60)


def test_recommend_text() -> None:
    result = run("recommend", "examples/session_store.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Valkey in us-east-1")
    assert "Traceback" not in result.stderr


def test_recommend_json_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "examples/leaderboard.yaml", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["engine"] == "valkey" and data["deployment"] == "provisioned"
    assert data["candidates_evaluated"] > 100_000
    assert main(["recommend", "examples/leaderboard.yaml", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("# ElastiCache recommendation")


def test_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["commands", "examples/multi_region_catalog.yaml"]) == 0
    out = capsys.readouterr().out
    assert "create-replication-group" in out and "create-global-replication-group" in out


def test_bad_input_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("dataset_gb: -3\nregion: atlantis-1\n")
    result = run("recommend", str(bad))
    assert result.returncode == 2
    assert "dataset_gb" in result.stderr and "region" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file() -> None:
    result = run("commands", "no/such/file.yaml")
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_unpriced_region(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("dataset_gb: 5\nregion: ap-southeast-6\n")
    result = run("recommend", str(path))
    assert result.returncode == 2 and "No bundled ElastiCache prices for ap-southeast-6" in result.stderr


def test_infeasible_workload_exits_non_zero(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("dataset_gb: 900000\n")
    result = run("recommend", str(path))
    assert result.returncode == 3 and "CONFLICT" in result.stdout


def test_stdout_on_a_full_disk_is_a_message_not_a_traceback() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "advisor", "recommend", "examples/leaderboard.yaml"],
                                stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 2
    assert "cannot write the output: No space left on device" in result.stderr and "Traceback" not in result.stderr


def test_report_never_overwrites_the_workload_and_asks_for_force(tmp_path: Path) -> None:
    workload = tmp_path / "w.yaml"
    workload.write_text(Path("examples/session_store.yaml").read_text())
    before = workload.read_text()
    assert main(["report", str(workload), "-o", str(workload), "--force"]) == 2
    assert workload.read_text() == before
    out = tmp_path / "r.md"
    out.write_text("keep me")
    assert main(["report", str(workload), "-o", str(out)]) == 2
    assert out.read_text() == "keep me"
    assert main(["report", str(workload), "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("# ElastiCache recommendation")
    assert main(["report", str(workload), "-o", str(tmp_path)]) == 2  # a folder

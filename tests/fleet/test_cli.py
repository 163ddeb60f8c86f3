"""`python -m advisor fleet review`: bad options exit 2 with a message naming the option, before any work."""

from __future__ import annotations

import pytest

from advisor.__main__ import main


@pytest.mark.parametrize(("argv", "message"), [
    (["fleet", "review", "--example", "--days", "0"], "--days must be between 1 and 30"),
    (["fleet", "review", "--example", "--days", "31"], "--days must be between 1 and 30"),
    (["fleet", "review", "--example", "-f", "pdf"], "-f pdf needs -o FILE"),
    (["fleet", "review"], "choose --example"),
])
def test_bad_options_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_output_to_a_directory_is_refused(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fleet", "review", "--example", "-o", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err

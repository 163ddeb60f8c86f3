"""The new workload fields travel through YAML, share links and the CLI's --set unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.__main__ import main
from advisor.workload import dumps_workload, loads_workload, parse_workload
from advisor.workload_link import decode_workload_link, encode_workload_link

TRAITS = {
    "dataset_gb": 4, "features": ["hashes", "vector_search"], "short_lived_clients": True, "hot_key_count": 7,
    "hot_key_read_percent": 35.0, "commitment_years": 3, "vcpu_multiple": 3.0, "items_per_read": 5,
    "command_mix": "GET 70% 1x, SORT 30% 3x 2048B",
}


def _traits(data: dict[str, object]) -> dict[str, object]:
    w = parse_workload(data)
    return {"features": [f.value for f in w.features], "short": w.short_lived_clients, "hot": (
        w.hot_key_count, w.hot_key_read_percent), "years": w.commitment_years, "multiple": w.vcpu_multiple,
        "items": w.items_per_read, "mix": [(k.name, k.share_percent, k.vcpu_multiple, k.bytes_per_request)
                                           for k in w.command_mix]}


def test_yaml_and_link_round_trip() -> None:
    w = parse_workload(TRAITS)
    again = loads_workload(dumps_workload(w))
    assert again == w
    assert _traits(decode_workload_link(encode_workload_link(TRAITS))) == _traits(TRAITS)
    assert _traits(TRAITS)["mix"] == [("GET", 70.0, 1.0, None), ("SORT", 30.0, 3.0, 2048)]


def test_cli_set_reaches_the_new_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("dataset_gb: 4\n")
    code = main(["recommend", str(path), "--set", "hot_key_count=2", "--set", "hot_key_read_percent=50",
                 "--set", "short_lived_clients=true", "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    assert '"clients.hot_keys"' in out and '"clients.short_lived"' in out

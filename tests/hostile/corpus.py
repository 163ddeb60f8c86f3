"""The hostile-input corpus: files, uploads and link payloads an attacker or a careless tool could hand the
advisor. Each case says which field (or the file/link) the refusal must name and words the reason must hold.

The same cases run through the CLI, the Workload page's upload and the shared link (AppTest), and the worst
through a real browser.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass

# Under 400 bytes; expands to 9^9 = 387 million list items if aliases were followed.
ALIAS_BOMB = "".join(
    ["a0: &a0 [" + ",".join(["x"] * 9) + "]\n"]
    + [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 8)]
    + ["features: [" + ",".join(["*a7"] * 9) + "]\n"]
).encode()

EVIL = "evil.example"


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    data: bytes
    field: str  # the field (or "file") the message must name
    words: str  # plain words the reason must hold
    in_link: bool = False  # JSON that can also travel in a shared link


def _json(text: str) -> bytes:
    return text.encode()


CASES: tuple[Case, ...] = (
    Case("alias-bomb", "bomb.yaml", ALIAS_BOMB, "file", "anchors and aliases are not accepted"),
    Case("binary", "w.yaml", bytes(range(256)) * 4, "file", "binary file"),
    Case("latin-1", "w.yaml", "name: café\ndataset_gb: 5\n".encode("latin-1"), "file", "not UTF-8 text"),
    Case("utf-16", "w.yaml", "dataset_gb: 5\n".encode("utf-16"), "file", "UTF-16 text; save it as UTF-8"),
    Case("too-large", "w.yaml", b"# " + b"x" * 300_000 + b"\ndataset_gb: 5\n", "file", "larger than 256 KB"),
    Case("deep-yaml", "w.yaml", b"features: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "file", "nests deeper"),
    Case("deep-json", "w.json", _json('{"features": ' + "[" * 50_000 + "]" * 50_000 + "}"), "file",
         "nests deeper", in_link=True),
    Case("dup-yaml", "w.yaml", b"dataset_gb: 5\ndataset_gb: 6\n", "file", "'dataset_gb' appears twice"),
    Case("dup-json", "w.json", _json('{"dataset_gb": 5, "dataset_gb": 6}'), "file", "'dataset_gb' appears twice",
         in_link=True),
    Case("binary-tag", "w.yaml", b"name: !!binary aGVsbG8=\ndataset_gb: 5\n", "file", "!!binary"),
    Case("python-tag", "w.yaml", b"name: !!python/object/apply:os.system [id]\n", "file", "!!python/object/apply"),
    Case("true-as-gb", "w.yaml", b"dataset_gb: true\n", "dataset_gb", "must be a number (GB), not true"),
    Case("true-as-months", "w.json", _json('{"dataset_gb": 5, "horizon_months": true}'), "horizon_months",
         "not true", in_link=True),
    Case("nan", "w.yaml", b"dataset_gb: .nan\n", "dataset_gb", "must be a finite number"),
    Case("infinity-json", "w.json", _json('{"dataset_gb": Infinity}'), "dataset_gb", "must be a finite number",
         in_link=True),
    Case("400-digits", "w.json", _json('{"dataset_gb": 5, "item_count": ' + "9" * 400 + "}"), "item_count",
         "400-digit", in_link=True),
    Case("blank-name", "w.yaml", b"name: '   '\ndataset_gb: 5\n", "name", "must contain a letter or a digit"),
    Case("aws-key-name", "w.json", _json('{"dataset_gb": 5, "name": "prod AKIAIOSFODNN7EXAMPLE"}'), "name",
         "looks like it holds a secret", in_link=True),
    Case("password-name", "w.yaml", b"dataset_gb: 5\nname: 'cache password=hunter2'\n", "name",
         "looks like it holds a secret"),
    Case("not-a-mapping", "w.yaml", b"- a\n- b\n", "file", "must be a mapping"),
    Case("markdown-everywhere", "w.json", _json(json.dumps({
        "dataset_gb": 5,
        f"![k](https://{EVIL}/key.png)": 1,
        "region": f"![r](https://{EVIL}/region.png)",
        "traffic_shape": f"[click](https://{EVIL}/shape) <img src=https://{EVIL}/img.png>",
    })), "region", "is not an ElastiCache Region code", in_link=True),
)

LINK_CASES = tuple(case for case in CASES if case.in_link)


def link_token(case: Case) -> str:
    """The case's JSON exactly as a crafted `w` link would carry it (deflated, base64url, no padding)."""
    return base64.urlsafe_b64encode(zlib.compress(case.data, 9)).rstrip(b"=").decode("ascii")

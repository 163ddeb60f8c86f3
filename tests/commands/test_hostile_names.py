"""Hostile workload names produce commands, Terraform and CloudFormation that every consumer accepts: tags and
descriptions follow AWS's rules, no control or bidi character, no interpolation, no file:// parameter."""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path

import hcl2
import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from advisor.commands import generate_commands
from advisor.commands.cloudformation import cloudformation_for
from advisor.commands.safe_names import resource_description, tag_value
from advisor.commands.terraform import terraform_for
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import load_workload
from tests.core.test_aws_cli_commands import ENV
from tests.hostile.names import HOSTILE_NAMES
from tests.support.aws_cli_dry_run import dry_run

# Provisioned (Valkey), Global Datastore, Serverless (strictest tag schema) and node-based Memcached.
EXAMPLES = ("session_store.yaml", "multi_region_catalog.yaml", "dev_test.yaml", "memcached_page_cache.yaml")
# cfn-lint and the AWS CLI take about a second per template or command: the Serverless template (strictest
# tag schema) and the Global Datastore one (Fn::Sub in the secondary's description) cover every tag and
# description path; the CLI runs over the replication-group and global commands.
LINTED = ("multi_region_catalog.yaml", "dev_test.yaml")
DRY_RUN = ("multi_region_catalog.yaml",)
# The tag characters CloudFormation allows on every ElastiCache resource (ServerlessCache's schema).
TAG_VALUE = re.compile(r"[a-zA-Z0-9 _./=+:\-@]{1,256}")


def unprintable(text: str) -> list[str]:
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"]


def _rec(book: PriceBook, example: str, name: str) -> Recommendation:
    return recommend(load_workload(Path("examples") / example).with_changes(name=name), book)


@pytest.mark.parametrize("example", LINTED)
def test_cloudformation_passes_cfn_lint_for_every_hostile_name(book: PriceBook, example: str) -> None:
    # The Global Datastore template differs from the Serverless one only in its Fn::Sub description.
    names = HOSTILE_NAMES if example == "dev_test.yaml" else [n for n in HOSTILE_NAMES if unprintable(n) or "{" in n]
    for name in names:
        rec = _rec(book, example, name)
        text = cloudformation_for(rec)
        errors = [f"{m.rule.id} {m.message}" for m in lint(text, config=ManualArgs(
            regions=[rec.workload.region, *rec.workload.secondary_regions])) if m.rule.id.startswith("E")]
        assert errors == [], (name, errors)
        assert unprintable(text) == [], name
        for resource in yaml.safe_load(text)["Resources"].values():
            for tag in resource["Properties"].get("Tags", []):
                if isinstance(tag["Value"], str):
                    assert TAG_VALUE.fullmatch(tag["Value"]), (name, tag)


@pytest.mark.parametrize("example", DRY_RUN)
def test_aws_cli_dry_run_accepts_every_hostile_name(book: PriceBook, example: str) -> None:
    for name in HOSTILE_NAMES:
        for command in generate_commands(_rec(book, example, name)):
            argv = command.resolved(ENV)
            if not any(flag.endswith("description") for flag in argv):
                continue  # the name reaches only descriptions (and the cluster id, checked by the examples)
            assert unprintable(" ".join(argv)) == [], (name, command.render())
            for flag, value in itertools.pairwise(argv):
                if flag.endswith("description"):
                    assert not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", value), (name, value)  # no file:// loading
                    assert len(value) <= 255
            result = dry_run(argv)
            assert result.exit_code == 0, (name, command.render(), result.stderr)


@pytest.mark.parametrize("example", EXAMPLES)
def test_terraform_parses_with_safe_tags_for_every_hostile_name(book: PriceBook, example: str) -> None:
    for name in HOSTILE_NAMES:
        text = terraform_for(_rec(book, example, name))
        assert unprintable(text) == [], name
        parsed = hcl2.loads(text)
        for resource in parsed.get("resource", []):
            for body in next(iter(resource.values())).values():
                workload_tag = body.get("tags", {}).get("Workload")
                if workload_tag is not None:
                    assert TAG_VALUE.fullmatch(workload_tag.strip('"')), (name, workload_tag)


def test_tag_values_by_hand() -> None:
    assert tag_value("Café déjà vu", "fallback") == "Cafe deja vu"
    assert tag_value("a${AWS::Region}b", "fallback") == "a-AWS::Region-b"
    assert tag_value("中文", "cache-1") == "cache-1"  # nothing allowed is left: the cluster id stands in
    assert tag_value("nul\x00x \u202e", "f") == "nulx"
    assert len(tag_value("a" * 400, "f")) == 256


def test_descriptions_by_hand() -> None:
    assert resource_description("file:///etc/passwd (ElastiCache advisor)") == \
        "workload file:///etc/passwd (ElastiCache advisor)"
    assert resource_description("a${AWS::Region} %{x}") == "a$ {AWS::Region} % {x}"
    assert resource_description("rtl\u202e\x00x\ny") == "rtlx y"
    assert len(resource_description("é" * 300)) == 255

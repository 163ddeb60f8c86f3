"""The CloudFormation template passes cfn-lint with zero errors, matches the recommendation, keeps secrets out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint

from advisor.commands.cloudformation import cloudformation_for
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.recommendation import Recommendation
from advisor.workload import load_workload
from tests.commands.test_terraform import CANARIES, EXAMPLES, VARIANTS, SettingsWithSecrets


def _rec(book: PriceBook, example: str, **changes: Any) -> Recommendation:
    workload = load_workload(Path("examples") / example)
    return recommend(workload.with_changes(**changes) if changes else workload, book)


def _lint(text: str, regions: list[str]) -> tuple[list[str], list[str]]:
    matches = lint(text, config=ManualArgs(regions=regions))
    errors = [f"{m.rule.id} {m.message}" for m in matches if m.rule.id.startswith("E")]
    others = [m.rule.id for m in matches if not m.rule.id.startswith("E")]
    return errors, others


@pytest.mark.parametrize(("example", "changes"), VARIANTS, ids=[f"{e}-{c}" for e, c in VARIANTS])
def test_cfn_lint_finds_no_errors(book: PriceBook, example: str, changes: dict[str, Any]) -> None:
    rec = _rec(book, example, **changes)
    text = cloudformation_for(rec)
    errors, others = _lint(text, [rec.workload.region, *rec.workload.secondary_regions])
    assert errors == []
    # W1011 suggests a dynamic reference for the AUTH token; the NoEcho parameter is the chosen design.
    assert set(others) <= {"W1011"}


def test_resource_types_per_deployment(book: PriceBook) -> None:
    def types(example: str) -> set[str]:
        template = yaml.safe_load(cloudformation_for(_rec(book, example)))
        return {r["Type"] for r in template["Resources"].values()}

    # RBAC examples also create the users and the user group the cache attaches.
    rbac = {"AWS::ElastiCache::User", "AWS::ElastiCache::UserGroup"}
    assert types("large_2tb.yaml") - rbac == {"AWS::ElastiCache::ReplicationGroup"}
    assert types("dev_test.yaml") - rbac == {"AWS::ElastiCache::ServerlessCache"}
    assert types("memcached_page_cache.yaml") == {"AWS::ElastiCache::CacheCluster"}
    assert types("multi_region_catalog.yaml") - rbac == {"AWS::ElastiCache::ReplicationGroup",
                                                         "AWS::ElastiCache::GlobalReplicationGroup"}


@pytest.mark.parametrize("auth", ["rbac", "iam"])
def test_rbac_users_and_group_are_resources_the_cluster_refers_to(book: PriceBook, auth: str) -> None:
    template = yaml.safe_load(cloudformation_for(_rec(book, "session_store.yaml", auth=auth)))
    resources = template["Resources"]
    default, app, group = resources["DefaultUser"], resources["AppUser"], resources["UserGroup"]
    assert default["Properties"]["UserName"] == "default" and default["Properties"]["NoPasswordRequired"] is True
    assert group["Properties"]["UserIds"] == [{"Ref": "DefaultUser"}, {"Ref": "AppUser"}]
    assert resources["ReplicationGroup"]["Properties"]["UserGroupIds"] == [{"Ref": "UserGroup"}]
    if auth == "rbac":  # the password is a NoEcho parameter, never in the template
        assert app["Properties"]["Passwords"] == [{"Ref": "AppPassword"}]
        assert template["Parameters"]["AppPassword"]["NoEcho"] is True
    else:
        assert app["Properties"]["AuthenticationMode"] == {"Type": "iam"} and "AppPassword" not in template[
            "Parameters"]


def test_replication_group_matches_the_recommendation(book: PriceBook) -> None:
    rec = _rec(book, "large_2tb.yaml")
    topo = rec.topology
    assert topo is not None
    props = yaml.safe_load(cloudformation_for(rec))["Resources"]["ReplicationGroup"]["Properties"]
    assert props["CacheNodeType"] == topo.node_type
    assert (props["NumNodeGroups"], props["ReplicasPerNodeGroup"]) == (topo.shards, topo.replicas_per_shard)
    assert props["DataTieringEnabled"] is True
    assert props["CacheSubnetGroupName"] == {"Ref": "CacheSubnetGroupName"}


def test_global_template_splits_primary_and_secondary_by_region(book: PriceBook) -> None:
    template = yaml.safe_load(cloudformation_for(_rec(book, "multi_region_catalog.yaml")))
    assert template["Conditions"]["IsPrimaryRegion"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
    resources = template["Resources"]
    assert resources["ReplicationGroup"]["Condition"] == "IsPrimaryRegion"
    assert resources["GlobalDatastore"]["Condition"] == "IsPrimaryRegion"
    secondary = resources["SecondaryReplicationGroup"]
    assert secondary["Condition"] == "IsSecondaryRegion"
    assert secondary["Properties"]["GlobalReplicationGroupId"] == {"Ref": "GlobalReplicationGroupId"}
    assert "NumNodeGroups" not in secondary["Properties"]


def test_auth_token_is_noecho_without_default_and_no_secret_leaks(book: PriceBook,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    rec = _rec(book, "session_store.yaml", auth="auth_token")
    text = cloudformation_for(rec, SettingsWithSecrets())
    template = yaml.safe_load(text)
    param = template["Parameters"]["AuthToken"]
    assert param["NoEcho"] is True and "Default" not in param
    assert template["Resources"]["ReplicationGroup"]["Properties"]["AuthToken"] == {"Ref": "AuthToken"}
    for value in CANARIES.values():
        assert value not in text


def test_user_text_is_yaml_data_not_structure(book: PriceBook) -> None:
    name = "evil\nResources: {}\n<script>alert(1)</script> !Ref x &anchor *alias"
    rec = _rec(book, "session_store.yaml", name=name)
    template = yaml.safe_load(cloudformation_for(rec))
    props = template["Resources"]["ReplicationGroup"]["Properties"]
    tags = {t["Key"]: t["Value"] for t in props["Tags"]}
    # Tag values keep AWS's tag characters only (each run of others becomes '-'); the description keeps the
    # whole name as data, on one line.
    assert tags["Workload"] == "evil Resources: - -script-alert-1-/script- -Ref x -anchor -alias"
    assert props["ReplicationGroupDescription"] == (
        "evil Resources: {} <script>alert(1)</script> !Ref x &anchor *alias (ElastiCache advisor)")
    assert _lint(cloudformation_for(rec), ["us-east-1"])[0] == []


@pytest.mark.parametrize("example", [p.name for p in EXAMPLES])
def test_no_yaml_aliases(book: PriceBook, example: str) -> None:
    text = cloudformation_for(_rec(book, example))
    assert "&id" not in text and "*id" not in text


def test_small_burstable_node_gets_a_parameter_group_with_its_reserved_memory(book: PriceBook) -> None:
    # t4g.small: AWS advises 30% reserved memory; the default group keeps 25%, so the template makes its own.
    rec = _rec(book, "dev_test.yaml", forced_deployment="provisioned")
    resources = yaml.safe_load(cloudformation_for(rec))["Resources"]
    assert resources["ParameterGroup"]["Properties"]["Properties"] == {"reserved-memory-percent": "30"}
    assert resources["ReplicationGroup"]["Properties"]["CacheParameterGroupName"] == {"Ref": "ParameterGroup"}

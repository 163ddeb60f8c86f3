"""Generated AWS CLI commands' operations and flags, spelled as the AWS CLI reference spells them (aws elasticache
create-cache-cluster / create-serverless-cache / create-cache-parameter-group / create-user). The dry runs in
test_aws_cli_commands.py are the full oracle; these run in-process, fast enough for mutation testing."""

from __future__ import annotations

import yaml

from advisor.commands import CommandSettings, generate_commands
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import parse_workload


def _example(name: str, **changes: object) -> dict:
    with open(f"examples/{name}.yaml") as handle:
        return {**yaml.safe_load(handle), **changes}


def _by_operation(workload: dict, book: PriceBook) -> dict[str, tuple[str, ...]]:
    rec = recommend(parse_workload(workload), book)
    return {str(c.argv[2]): tuple(str(a) for a in c.argv) for c in generate_commands(rec, CommandSettings())}


def test_memcached_cluster_spreads_nodes_across_azs(book: PriceBook) -> None:
    rec = recommend(parse_workload(_example("memcached_page_cache")), book)
    assert rec.topology is not None and rec.topology.shards > 1
    argv = _by_operation(_example("memcached_page_cache"), book)["create-cache-cluster"]
    assert argv[:3] == ("aws", "elasticache", "create-cache-cluster")
    flags = argv[3::2][:6]
    assert flags == ("--cache-cluster-id", "--engine", "--engine-version", "--cache-node-type", "--num-cache-nodes",
                     "--az-mode")
    assert argv[argv.index("--az-mode") + 1] == "cross-az"
    assert argv[argv.index("--num-cache-nodes") + 1] == str(rec.topology.shards)
    tail = argv[argv.index("--cache-subnet-group-name"):]
    assert tail == ("--cache-subnet-group-name", "my-cache-subnet-group", "--security-group-ids",
                    "sg-0123456789abcdef0", "--region", rec.workload.region)


def test_serverless_cache_command(book: PriceBook) -> None:
    argv = _by_operation(_example("dev_test"), book)["create-serverless-cache"]
    assert argv[:5] == ("aws", "elasticache", "create-serverless-cache", "--serverless-cache-name", argv[4])
    assert {"--description", "--engine", "--major-engine-version", "--cache-usage-limits"} <= set(argv)


def test_small_node_parameter_group_and_rbac_user_commands(book: PriceBook) -> None:
    ops = _by_operation(_example("dev_test", forced_deployment="provisioned", auth="rbac"), book)
    assert ops["create-cache-parameter-group"][:3] == ("aws", "elasticache", "create-cache-parameter-group")
    user = ops["create-user"]
    assert user[3:5] == ("--user-id", user[4]) and "--user-name" in user
    group = ops["create-replication-group"]
    assert group[group.index("--user-group-ids") + 1] == ops["create-user-group"][4]

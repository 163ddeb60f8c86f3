"""The Commands page: copyable AWS CLI commands, editable assumptions, never a secret."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import choose_preset, open_page, show_fields, shown

MakeApp = Callable[[], AppTest]


def test_commands_build_the_recommended_cluster(router_app: MakeApp) -> None:
    at = open_page(router_app, "commands")
    assert not at.exception
    create = next(c.value for c in at.code if c.value.startswith("aws elasticache create-replication-group"))
    assert create.startswith("aws elasticache create-replication-group")
    assert "--cache-node-type cache.r8g.2xlarge" in create
    assert "--cluster-mode disabled" in create and "--num-cache-clusters 2" in create  # 1 primary + 1 replica
    assert "--replication-group-id game-leaderboard" in create
    assert "--security-group-ids sg-0123456789abcdef0" in create


def test_edited_assumptions_flow_into_the_commands(router_app: MakeApp) -> None:
    at = open_page(router_app, "commands")
    at.text_input[0].set_value("scores-prod")  # cluster id
    at.text_input[1].set_value("prod-cache-subnets")
    at.text_input[2].set_value("sg-aaa, sg-bbb")
    at.button[0].click().run()
    assert not at.exception
    create = next(c.value for c in at.code if c.value.startswith("aws elasticache create-replication-group"))
    assert "--replication-group-id scores-prod" in create
    assert "--cache-subnet-group-name prod-cache-subnets" in create
    assert "--security-group-ids sg-aaa sg-bbb" in create


def test_a_bad_id_is_flagged_before_aws_refuses_it(router_app: MakeApp) -> None:
    at = open_page(router_app, "commands")
    at.text_input[0].set_value("1-bad--id")
    at.button[0].click().run()
    assert any("replication group id '1-bad--id'" in shown(w.value) for w in at.warning)


def test_auth_token_is_an_environment_reference_never_a_secret(router_app: MakeApp) -> None:
    at = open_page(router_app)
    show_fields(at, "auth").selectbox(key="wl.auth").set_value("auth_token").run()
    at.switch_page("pages/commands.py").run()
    create = next(c.value for c in at.code if c.value.startswith("aws elasticache create-replication-group"))
    assert '--auth-token "${ELASTICACHE_AUTH_TOKEN}"' in create
    assert not at.exception


def test_terraform_and_cloudformation_use_the_edited_ids(router_app: MakeApp) -> None:
    at = open_page(router_app, "commands")
    at.text_input[0].set_value("scores-prod")
    at.text_input[1].set_value("prod-cache-subnets")
    at.button[0].click().run()
    assert not at.exception
    blocks = [c.value for c in at.code]
    terraform = next(b for b in blocks if 'resource "aws_elasticache_replication_group"' in b)
    cloudformation = next(b for b in blocks if "AWS::ElastiCache::ReplicationGroup" in b)
    assert "scores-prod" in terraform and "prod-cache-subnets" in terraform
    assert "scores-prod" in cloudformation and "prod-cache-subnets" in cloudformation
    # the recommended topology, as on the CLI tab: one shard of cache.r8g.2xlarge
    assert "cache.r8g.2xlarge" in terraform and "cache.r8g.2xlarge" in cloudformation


def test_a_global_datastore_secondary_gets_its_own_network_ids(router_app: MakeApp) -> None:
    at = choose_preset(open_page(router_app), "Product catalog")
    at.switch_page("pages/commands.py").run()
    assert not at.exception
    at.text_input(key="commands.subnet.eu-west-1").set_value("eu-private")
    at.text_input(key="commands.sg.eu-west-1").set_value("sg-0eu1, sg-0eu2")
    at.button[0].click().run()
    secondary = next(c.value for c in at.code if "--global-replication-group-id \"" in c.value)
    assert "--cache-subnet-group-name eu-private" in secondary and "--security-group-ids sg-0eu1 sg-0eu2" in secondary
    assert "sg-0123456789abcdef0" not in secondary  # the primary Region's group never reaches eu-west-1

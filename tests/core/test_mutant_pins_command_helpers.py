"""The helpers every generator shares, pinned by hand where mutation testing (scripts/mutation.sh) found the
fast oracles silent: parameter group families and the custom group (advisor/commands/parameter_group.py), tag
values and descriptions from user text (advisor/commands/safe_names.py).

Families are AWS's (CreateCacheParameterGroup's CacheParameterGroupFamily: valkey7, valkey8, redis7, redis6.x,
redis5.0, redis4.0, ...; Valkey 9 has valkey9). Reserved memory: AWS advises 50% on micro and 30% on small
burstable nodes, where its default groups keep 25% (facts 2.1). Tag values: the characters CloudFormation's
AWS::ElastiCache::ServerlessCache tag schema allows, `^[a-zA-Z0-9 _.\\/=+:\\-@]*$`, at most 256 of them.
"""

from __future__ import annotations

import pytest

from advisor.commands.parameter_group import custom_parameter_group, parameter_group_family
from advisor.commands.safe_names import resource_description, tag_value
from advisor.recommendation import Topology


def _topology(node_type: str, engine: str = "valkey", cluster_mode: bool = False) -> Topology:
    return Topology(engine=engine, node_type=node_type, shards=2 if cluster_mode else 1,  # type: ignore[arg-type]
                    replicas_per_shard=1, cluster_mode_enabled=cluster_mode, data_tiering=False, multi_az=True,
                    automatic_failover=True)


@pytest.mark.parametrize(("engine", "version", "family"), [
    ("valkey", "7.2", "valkey7"), ("valkey", "8.2", "valkey8"), ("valkey", "9.0", "valkey9"),
    ("redis", "7.1", "redis7"), ("redis", "7.0", "redis7"),
    ("redis", "6.2", "redis6.x"), ("redis", "6.0", "redis6.x"),  # one family for every Redis OSS 6
    ("redis", "5.0.6", "redis5.0"), ("redis", "4.0.10", "redis4.0"), ("redis", "5", "redis5.0"),
])
def test_parameter_group_families(engine: str, version: str, family: str) -> None:
    assert parameter_group_family(engine, version) == family


@pytest.mark.parametrize(("node_type", "percent"), [("cache.t4g.micro", "50"), ("cache.t4g.small", "30"),
                                                    ("cache.t3.micro", "50"), ("cache.t3.small", "30")])
def test_burstable_nodes_get_a_group_with_their_reserved_memory(node_type: str, percent: str) -> None:
    group = custom_parameter_group(_topology(node_type), "8.2", "orders")
    assert group is not None
    assert group.name == "orders-params" and group.family == "valkey8"
    assert group.parameters == (("reserved-memory-percent", percent),)
    assert group.description == f"reserved-memory-percent {percent} for {node_type} (ElastiCache advisor)"


def test_cluster_mode_adds_cluster_enabled_after_the_reserve() -> None:
    group = custom_parameter_group(_topology("cache.t4g.small", engine="redis", cluster_mode=True), "7.1", "c")
    assert group is not None and group.family == "redis7"
    assert group.parameters == (("reserved-memory-percent", "30"), ("cluster-enabled", "yes"))


@pytest.mark.parametrize(("node_type", "engine"), [("cache.t4g.medium", "valkey"), ("cache.m6g.large", "valkey"),
                                                   ("cache.r7g.large", "redis"), ("cache.t4g.micro", "memcached")])
def test_no_group_when_the_default_already_matches(node_type: str, engine: str) -> None:
    # Medium and larger nodes keep AWS's 25%; Memcached has no reserved-memory-percent at all.
    assert custom_parameter_group(_topology(node_type, engine=engine), "7.1", "c") is None


def test_group_name_fits_255_characters() -> None:
    group = custom_parameter_group(_topology("cache.t4g.micro"), "8.0", "n" * 300)
    assert group is not None and group.name == "n" * 255


@pytest.mark.parametrize(("text", "expected"), [
    ("  --Orders--  ", "Orders"),  # leading/trailing spaces and hyphens go
    ("a!!b??c", "a-b-c"),  # a run of disallowed characters is one hyphen
    ("a_b.c/d=e+f:g-h@i j", "a_b.c/d=e+f:g-h@i j"),  # every allowed character kept
    ("tab\there\nnewline", "tab here newline"),
    ("zero\u200bwidth", "zerowidth"),  # a format character (Cf) goes, no hyphen left behind
    ("Ωmega ﬁle", "mega file"),  # no ASCII form: dropped; a ligature keeps its letters
    ("a  \x00  b", "a b"),  # spaces folded again after the control character goes
    ("X-ray Xerox X", "X-ray Xerox X"),  # only spaces and hyphens are trimmed from the ends
])
def test_tag_values_by_hand(text: str, expected: str) -> None:
    assert tag_value(text, "fallback") == expected


@pytest.mark.parametrize("text", ["---", "", "   ", "!!!", "\u202e\u202e"])
def test_tag_value_falls_back_when_nothing_alphanumeric_is_left(text: str) -> None:
    assert tag_value(text, "cache-1") == "cache-1"


def test_tag_value_is_cut_to_256_then_trimmed() -> None:
    assert tag_value("a" * 255 + " b", "f") == "a" * 255  # cut at 256 leaves a trailing space, trimmed
    assert tag_value("b" * 300, "f") == "b" * 256


@pytest.mark.parametrize(("text", "expected"), [
    ("Orders ${AWS::Region} and %{if}", "Orders $ {AWS::Region} and % {if}"),
    ("https://example.com/x", "workload https://example.com/x"),  # the AWS CLI would fetch a URL parameter
    ("s3+x.y-z://b", "workload s3+x.y-z://b"),  # any URI scheme
    ("1http://x", "1http://x"),  # a scheme starts with a letter: not one
    ("a b://c", "a b://c"),  # a space ends the scheme: not one
    ("x https://y", "x https://y"),  # only at the start
    ("a \t\n b", "a b"),
    ("rtl\u202eoverride\u200b end", "rtloverride end"),  # format characters (Cf): bidi override, zero width
    ("priv\ue000ate unassigned\u0378 end", "private unassigned end"),  # private-use (Co), unassigned (Cn)
    ("lone\ud800surrogate", "lonesurrogate"),  # a lone surrogate (Cs) cannot even be encoded as UTF-8
])
def test_descriptions_by_hand(text: str, expected: str) -> None:
    assert resource_description(text) == expected


def test_descriptions_are_cut_then_trimmed() -> None:
    assert resource_description("abc def", limit=4) == "abc"
    assert resource_description("d" * 300) == "d" * 255
    assert len(resource_description("https://" + "e" * 300)) == 255

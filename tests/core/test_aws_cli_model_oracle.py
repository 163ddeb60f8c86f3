"""Every generated `aws elasticache ...` command checked in-process against botocore's own ElastiCache model.

The AWS CLI dry runs (test_aws_cli_commands.py) are the full oracle but too slow for mutation testing, where each
mutant reruns the tests; this one judges the same commands in a few seconds. Everything expected comes from the
service model botocore ships (operation and member names, required members, types, enums), never from the code
under test: the sub-command must be an operation (kebab-case of its name, as the AWS CLI spells it), each --flag an
input member (kebab-case; booleans as --flag / --no-flag with no value), every required member present, integers
and enum values valid, string values among those the member's own documentation lists (the engine names,
reserved-node durations and offering types, which the model gives as text rather than enums), structures and
lists parsed by the AWS CLI's own shorthand parser, and the whole parameter dict accepted by botocore's parameter
validator. The CloudFormation templates for the same designs are checked
against cfn-lint's bundled resource schemas in-process (types, property names, required ones, literal types and
enums); Terraform's arguments are checked against the provider docs in tests/commands/test_terraform.py.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import botocore.session
import pytest
import yaml
from awscli.shorthand import ShorthandParser
from botocore import xform_name
from botocore.model import OperationModel, ServiceModel, Shape
from botocore.validate import ParamValidator
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER, ResourceNotFoundError

from advisor.commands import Command, CommandSettings, EnvRef, generate_commands
from advisor.commands.cloudformation import cloudformation_for
from advisor.pricing import PriceBook
from advisor.recommend import recommend
from advisor.workload import load_workload, parse_workload

EXAMPLES = sorted(Path("examples").glob("*.yaml"))
CONFLICTS = sorted(Path("examples/conflicts").glob("*.yaml"))
GLOBAL_OPTIONS = {"--region"}  # the AWS CLI's own options, not the operation's
# Stand-ins for the values the shell supplies at run time (the secrets and ids never in the text).
ENV_VALUES = {"ELASTICACHE_AUTH_TOKEN": "DryRunToken-0123456789",
              "ELASTICACHE_APP_PASSWORD": "DryRunPassword-0123456789",
              "GLOBAL_DATASTORE_ID": "ldgnf-prod-cache", "RESERVED_OFFERING_ID": "438012d3-4052-4cc7-b2e3-8d3372e0e706"}


# Members whose text in the model lists fewer values than ElastiCache now accepts: the family list stops at
# valkey8, while Valkey 9 has its own family (valkey9); families are checked by advisor/commands/server_rules.py.
STALE_DOCUMENTED_VALUES = {"CacheParameterGroupFamily"}
# Members whose model text names no values, with the values AWS documents elsewhere: CreateServerlessCache's
# Engine is one of the three engines Serverless runs (ElastiCache user guide, "Choosing an engine"), in lower case
# as every other operation spells it.
DOCUMENTED_ELSEWHERE = {("CreateServerlessCache", "Engine"): frozenset({"valkey", "redis", "memcached"})}
_CODE = re.compile(r"<code>(.*?)</code>")


def documented_values(operation: str, member: str, shape: Shape) -> frozenset[str] | None:
    """The values a string member's documentation in botocore's model allows ("Valid values: <code>a</code> |
    <code>b</code>", "must be set to <code>a</code> or <code>b</code>", "The options are a, b or c"), or None."""
    if (operation, member) in DOCUMENTED_ELSEWHERE:
        return DOCUMENTED_ELSEWHERE[(operation, member)]
    if shape.type_name != "string" or shape.enum or member in STALE_DOCUMENTED_VALUES:
        return None
    doc = " ".join((shape.documentation or "").split())
    if found := re.search(r"Valid values(?: for this parameter)?(?: are)?: (.*?)</p>", doc, re.IGNORECASE):
        values = {v.strip().strip('"') for code in _CODE.findall(found.group(1)) for v in code.split("|")}
        return frozenset(values) or None
    if found := re.search(r"must be set to (.*?)\.", doc):
        return frozenset(_CODE.findall(found.group(1))) or None
    if found := re.search(r"The options are ([a-z, ]+?) or ([a-z]+)\.", doc):
        return frozenset([*(v.strip() for v in found.group(1).split(",")), found.group(2)])
    return None


@cache
def _model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("elasticache")


@cache
def _operations() -> dict[str, OperationModel]:
    model = _model()
    return {xform_name(name, "-"): model.operation_model(name) for name in model.operation_names}


def _flags(operation: OperationModel) -> dict[str, tuple[str, Shape]]:
    return {f"--{xform_name(name, '-')}": (name, shape) for name, shape in operation.input_shape.members.items()}


def _split(argv: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(flag, values) pairs in order; a value never starts with "--" in these commands."""
    pairs: list[tuple[str, list[str]]] = []
    for arg in argv:
        if arg.startswith("--"):
            pairs.append((arg, []))
        else:
            assert pairs, f"value {arg!r} before any flag"
            pairs[-1][1].append(arg)
    return pairs


def _scalar(shape: Shape, text: Any, where: str) -> Any:
    """Converts shorthand/CLI text to the shape's type, failing on what the AWS CLI would reject."""
    if shape.type_name == "structure":
        assert isinstance(text, dict), f"{where}: a structure needs Key=Value pairs, got {text!r}"
        unknown = set(text) - set(shape.members)
        assert not unknown, f"{where}: {sorted(unknown)} not in {sorted(shape.members)}"
        return {key: _scalar(shape.members[key], value, f"{where}.{key}") for key, value in text.items()}
    if shape.type_name == "list":
        items = text if isinstance(text, list) else [text]
        return [_scalar(shape.member, item, f"{where}[]") for item in items]
    assert isinstance(text, str), f"{where}: expected a single {shape.type_name}, got {text!r}"
    if shape.type_name in ("integer", "long"):
        assert text.lstrip("-").isdigit(), f"{where}: {text!r} is not an integer"
        return int(text)
    if shape.type_name == "double":
        return float(text)
    if shape.type_name == "boolean":
        assert text in ("true", "false"), f"{where}: {text!r} is not a boolean"
        return text == "true"
    if shape.enum:
        assert text in shape.enum, f"{where}: {text!r} not one of {shape.enum}"
    return text


def _parse_value(shape: Shape, values: list[str], where: str) -> Any:
    if shape.type_name == "list":
        member = shape.member
        parsed = [ShorthandParser().parse(v) if member.type_name == "structure" and "=" in v else v for v in values]
        return _scalar(shape, parsed, where)
    assert len(values) == 1, f"{where}: one value expected, got {values}"
    value = ShorthandParser().parse(values[0]) if shape.type_name == "structure" else values[0]
    return _scalar(shape, value, where)


def model_problems(command: Command) -> list[str]:
    """Empty when botocore's ElastiCache model accepts the command; else what is wrong, in plain words."""
    argv = tuple(ENV_VALUES[a.name] if isinstance(a, EnvRef) else a for a in command.argv)
    if argv[:2] != ("aws", "elasticache"):
        return [f"not an ElastiCache command: {argv[:2]}"]
    operation = _operations().get(argv[2])
    if operation is None:
        return [f"{argv[2]!r} is not an ElastiCache operation"]
    flags = _flags(operation)
    params: dict[str, Any] = {}
    problems: list[str] = []
    for flag, values in _split(argv[3:]):
        if flag in GLOBAL_OPTIONS:
            if len(values) != 1:
                problems.append(f"{flag} takes one value, got {values}")
            continue
        negated = flag.startswith("--no-") and f"--{flag[5:]}" in flags
        name, shape = flags.get(f"--{flag[5:]}" if negated else flag, (None, None))
        if name is None or shape is None:
            problems.append(f"{argv[2]}: {flag} is not a member of {operation.name}")
            continue
        if name in params:
            problems.append(f"{flag} given twice")
        if shape.type_name == "boolean":
            if values:
                problems.append(f"{flag} is a boolean switch and takes no value, got {values}")
            params[name] = not negated
            continue
        if negated:
            problems.append(f"{flag}: only a boolean has a --no- form")
            continue
        try:
            params[name] = _parse_value(shape, values, flag)
        except (AssertionError, ValueError) as error:  # ShorthandParseError is a ValueError
            problems.append(str(error))
            continue
        allowed = documented_values(operation.name, name, shape)
        if allowed is not None and params[name] not in allowed:
            problems.append(f"{flag} {params[name]!r} is not a documented value ({' | '.join(sorted(allowed))})")
    missing = set(operation.input_shape.required_members) - set(params)
    problems += [f"{argv[2]}: required --{xform_name(m, '-')} missing" for m in sorted(missing)]
    if not problems:
        report = ParamValidator().validate(params, operation.input_shape)
        if report.has_errors():
            problems.append(report.generate_report())
    return problems


def _workloads() -> list[tuple[str, Any]]:
    cases = [(p.stem, load_workload(p)) for p in EXAMPLES]
    cases += [(f"conflict-{p.stem}", load_workload(p)) for p in CONFLICTS]
    variants: dict[str, dict[str, object]] = {
        "rbac": {"auth": "rbac"}, "iam": {"auth": "iam", "customer_managed_kms_key": True},
        "auth-token": {"auth": "auth_token"}, "serverless-rbac": {"forced_deployment": "serverless", "auth": "rbac"},
        "serverless-redis-iam": {"forced_engine": "redis", "forced_deployment": "serverless", "auth": "iam"},
        "serverless-memcached": {"forced_engine": "memcached", "forced_deployment": "serverless",
                                 "availability": "none", "auth": "none", "snapshot_retention_days": 3,
                                 "features": ["simple_get_set"]},
        "memcached": {"forced_engine": "memcached", "availability": "none", "auth": "none",
                      "snapshot_retention_days": 0, "features": ["simple_get_set"], "encryption_in_transit": False},
        "data-tiering": {"hot_set_percent": 10, "dataset_gb": 3000, "avg_value_bytes": 8000},
        "not-cluster-aware": {"client_cluster_aware": False, "dataset_gb": 50},
        "single-node": {"availability": "none", "traffic_shape": "steady"},
        "small-burstable": {"dataset_gb": 0.5, "avg_reads_per_sec": 20, "avg_writes_per_sec": 5,
                            "traffic_shape": "dev_test", "availability": "none",
                            "forced_deployment": "provisioned", "auth": "none"},
    }
    cases += [(name, parse_workload({"dataset_gb": 20, "avg_reads_per_sec": 5000, **spec}))
              for name, spec in variants.items()]
    return cases


def _recommendations(book: PriceBook) -> dict[str, Any]:
    recs: dict[str, Any] = {}
    for name, workload in _workloads():
        rec = recs[name] = recommend(workload, book)
        for way in rec.ways_out:  # a conflict's ways out are designs the user can adopt and build
            recs[f"{name}/{way.id}"] = recommend(way.workload, book)
    return recs


def _all_commands(book: PriceBook) -> dict[str, list[Command]]:
    # Not cached: under mutmut each mutant runs in a child forked after the clean run, and a cached result of
    # the clean code would answer for the mutant.
    out: dict[str, list[Command]] = {}
    settings = CommandSettings(secondary_subnet_groups={"eu-west-1": "eu-private"},
                               secondary_security_groups={"eu-west-1": ("sg-0eu1",)})
    for name, rec in _recommendations(book).items():
        out[name] = generate_commands(rec) + ([] if "/" in name else generate_commands(rec, settings))
    return out


def test_every_generated_command_fits_botocores_elasticache_model(book: PriceBook) -> None:
    commands = _all_commands(book)
    assert all(commands[p.stem] for p in EXAMPLES)  # every example is a design with commands
    problems = [f"{case}: {p}" for case, cmds in commands.items() for c in cmds for p in model_problems(c)]
    assert problems == []


def test_the_cases_reach_every_kind_of_command(book: PriceBook) -> None:
    commands = _all_commands(book)
    operations = {str(c.argv[2]) for cmds in commands.values() for c in cmds}
    # Every generator in advisor/commands/aws_cli.py is exercised, so none of its flags go unchecked.
    assert {"create-replication-group", "create-cache-cluster", "create-serverless-cache", "create-user",
            "create-user-group", "create-cache-parameter-group", "modify-cache-parameter-group",
            "create-global-replication-group", "purchase-reserved-cache-nodes-offering"} <= operations
    assert sum(1 for case in commands if "/" in case) > 0  # some conflict ways out were built


@pytest.mark.parametrize(("argv", "problem"), [
    (("create-replication-group", "--replication-group-id", "a", "--replication-group-description", "d",
      "--shards", "3"), "--shards is not a member"),
    (("create-replication-groups", "--replication-group-id", "a"), "not an ElastiCache operation"),
    (("create-replication-group", "--replication-group-id", "a"), "required --replication-group-description"),
    (("create-replication-group", "--replication-group-id", "a", "--replication-group-description", "d",
      "--num-node-groups", "three"), "not an integer"),
    (("create-replication-group", "--replication-group-id", "a", "--replication-group-description", "d",
      "--cluster-mode", "on"), "not one of"),
    (("create-replication-group", "--replication-group-id", "a", "--replication-group-description", "d",
      "--multi-az-enabled", "true"), "takes no value"),
    (("create-serverless-cache", "--serverless-cache-name", "a", "--engine", "valkey",
      "--cache-usage-limits", "DataStorage={Maximum=5,Unit=TB}"), "not one of"),
    (("create-serverless-cache", "--serverless-cache-name", "a", "--engine", "valkey",
      "--cache-usage-limits", "DataStorag={Maximum=5,Unit=GB}"), "not in"),
    (("create-cache-cluster", "--cache-cluster-id", "a", "--engine", "MEMCACHED"), "not a documented value"),
    (("create-replication-group", "--replication-group-id", "a", "--replication-group-description", "d",
      "--engine", "memcached"), "not a documented value (redis | valkey)"),
    (("create-user", "--user-id", "a", "--user-name", "a", "--engine", "Valkey", "--access-string", "on"),
     "not a documented value"),
    (("create-serverless-cache", "--serverless-cache-name", "a", "--engine", "Redis"), "not a documented value"),
    (("describe-reserved-cache-nodes-offerings", "--duration", "2"), "not a documented value"),
    (("describe-reserved-cache-nodes-offerings", "--offering-type", "all upfront"), "not a documented value"),
])
def test_the_oracle_rejects_what_the_model_rejects(argv: tuple[str, ...], problem: str) -> None:
    problems = model_problems(Command("test", ("aws", "elasticache", *argv)))
    assert any(problem in p for p in problems), problems


CFN_TYPES = {"boolean": bool, "integer": int, "string": str, "array": list, "object": dict}


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("Ref", "Fn::GetAtt", "Fn::If",
                                                                              "Fn::Sub", "Fn::Join", "Fn::Select")


def cloudformation_problems(template: dict[str, Any], region: str) -> list[str]:
    """Resource types, property names, required properties, literal types and enums against cfn-lint's bundled
    CloudFormation resource schemas (AWS's own registry schemas), loaded in-process."""
    problems: list[str] = []
    for logical, resource in template.get("Resources", {}).items():
        try:
            schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource["Type"]).schema
        except ResourceNotFoundError:
            problems.append(f"{logical}: {resource['Type']!r} is not a CloudFormation resource type")
            continue
        props = resource.get("Properties", {})
        known = schema["properties"]
        problems += [f"{logical}: {name} is not a property of {resource['Type']}"
                     for name in props if name not in known]
        problems += [f"{logical}: required {name} missing" for name in schema.get("required", []) if name not in props]
        for name, value in props.items():
            spec = known.get(name, {})
            expected = CFN_TYPES.get(spec.get("type")) if isinstance(spec.get("type"), str) else None
            if _is_intrinsic(value) or expected is None:
                continue
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                problems.append(f"{logical}.{name}: {value!r} is not a {spec['type']}")
            elif "enum" in spec and value not in spec["enum"]:
                problems.append(f"{logical}.{name}: {value!r} not one of {spec['enum']}")
    return problems


def test_every_cloudformation_template_fits_the_resource_schemas(book: PriceBook) -> None:
    problems: list[str] = []
    designs = 0
    for case, rec in _recommendations(book).items():
        if not rec.feasible:
            continue
        designs += 1
        template = yaml.safe_load(cloudformation_for(rec))
        assert template["Resources"], case
        problems += [f"{case}: {p}" for p in cloudformation_problems(template, rec.workload.region)]
    assert designs >= len(EXAMPLES) and problems == []


def test_the_cloudformation_check_rejects_what_the_schemas_reject() -> None:
    template = {"Resources": {
        "A": {"Type": "AWS::ElastiCache::ReplicationGroups", "Properties": {}},
        "B": {"Type": "AWS::ElastiCache::ReplicationGroup",
              "Properties": {"NumShards": 3, "TransitEncryptionMode": "on", "MultiAZEnabled": "yes"}},
    }}
    problems = "\n".join(cloudformation_problems(template, "us-east-1"))
    for expected in ("not a CloudFormation resource type", "NumShards is not a property",
                     "required ReplicationGroupDescription missing", "not one of", "'yes' is not a boolean"):
        assert expected in problems, problems

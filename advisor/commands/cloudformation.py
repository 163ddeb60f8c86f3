"""The recommendation as a CloudFormation template (YAML), validated by cfn-lint in the tests.

Ids the user must supply are parameters; an AUTH token is a NoEcho parameter with no default, so the
template never holds a secret. Intrinsic functions use the long form ({"Ref": ...}) so the template is
plain YAML that `yaml.safe_dump` writes (and escapes) and any YAML reader can load.

A Global Datastore spans Regions but a stack lives in one, so the same template is deployed once per Region
(or as a StackSet): in the primary Region it creates the primary replication group and the global group;
in a secondary Region it creates the member that joins the global group named by a parameter.
"""

from __future__ import annotations

from typing import Any

import yaml

from advisor.commands.aws_cli import (
    APP_ACCESS_STRING,
    DEFAULT_OFF_ACCESS_STRING,
    SERVERLESS_MAJOR_VERSIONS,
    CommandSettings,
    cluster_id_from_name,
    rbac_user_ids,
)
from advisor.commands.parameter_group import CustomParameterGroup, custom_parameter_group
from advisor.commands.safe_names import tag_value
from advisor.commands.terraform import (
    MANAGED_BY,
    engine_version,
    needs_auth_token,
    needs_kms_key,
    needs_user_group,
    parameter_group,
    resolve_settings,
    serverless_limits,
    user_supplied,
)
from advisor.recommendation import Recommendation, Topology
from advisor.workload import AuthMode

TEMPLATE_VERSION = "2010-09-09"


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a value used twice in full instead of a YAML anchor, which some CloudFormation tooling rejects."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def workload_tag(rec: Recommendation, name: Any) -> str:
    """The workload name as a tag value; the cluster id stands in when `name` is a reference, not text."""
    return tag_value(rec.workload.name, name if isinstance(name, str) else cluster_id_from_name(rec.workload.name))


def _tags(rec: Recommendation, name: Any) -> list[dict[str, Any]]:
    return [{"Key": "Name", "Value": name}, {"Key": "Workload", "Value": workload_tag(rec, name)},
            {"Key": "ManagedBy", "Value": MANAGED_BY}]


def _parameters(rec: Recommendation, s: CommandSettings) -> dict[str, dict[str, Any]]:
    """One parameter per id to supply; a Default only where the caller gave a real value."""
    params: dict[str, dict[str, Any]] = {}

    def add(name: str, type_: str, description: str, field: str | None = None, value: Any = None) -> None:
        param: dict[str, Any] = {"Type": type_, "Description": description}
        if field is not None and user_supplied(s, field):
            param["Default"] = ",".join(value) if isinstance(value, tuple) else value
        params[name] = param

    if rec.deployment == "serverless":
        add("SubnetIds", "List<AWS::EC2::Subnet::Id>", "Subnets for the Serverless cache's VPC endpoint (one VPC)",
            "subnet_ids", s.subnet_ids)
    else:
        add("CacheSubnetGroupName", "String", "Existing ElastiCache subnet group in this stack's Region",
            "subnet_group", s.subnet_group)
    add("SecurityGroupIds", "List<AWS::EC2::SecurityGroup::Id>",
        "VPC security groups that allow the cache port from your clients", "security_group_ids", s.security_group_ids)
    if needs_kms_key(rec):
        add("KmsKeyId", "String", "ARN of the customer managed KMS key for encryption at rest (in this Region)",
            "kms_key_id", s.kms_key_id)
    if needs_user_group(rec) and rec.workload.auth == AuthMode.RBAC:
        params["AppPassword"] = {"Type": "String", "NoEcho": True, "MinLength": 16, "MaxLength": 128,
                                 "Description": "Password of the RBAC application user (16-128 characters); never "
                                                "stored in the template"}
    if needs_auth_token(rec):
        params["AuthToken"] = {"Type": "String", "NoEcho": True, "MinLength": 16, "MaxLength": 128,
                               "Description": "AUTH token (16-128 printable characters); never stored in the "
                                              "template"}
    if _is_global(rec):
        params["GlobalReplicationGroupId"] = {
            "Type": "String", "Default": "",
            "Description": "Secondary Regions only: the full GlobalReplicationGroupId output by the primary "
                           "Region's stack (AWS prefixes the suffix)",
        }
    return params


def _is_global(rec: Recommendation) -> bool:
    return rec.deployment == "provisioned" and rec.engine != "memcached" and bool(rec.workload.secondary_regions)


def _replication_group(rec: Recommendation, topo: Topology, s: CommandSettings) -> dict[str, Any]:
    w = rec.workload
    version = engine_version(rec, topo, s)
    props: dict[str, Any] = {
        "ReplicationGroupId": s.cluster_id,
        "ReplicationGroupDescription": s.description,
        "Engine": topo.engine,
        "EngineVersion": version,
        "CacheNodeType": topo.node_type,
    }
    if topo.cluster_mode_enabled:
        props.update(ClusterMode="enabled", NumNodeGroups=topo.shards, ReplicasPerNodeGroup=topo.replicas_per_shard)
    else:
        props.update(ClusterMode="disabled", NumCacheClusters=1 + topo.replicas_per_shard)
    group: Any = parameter_group(topo, version)
    if custom_parameter_group(topo, version, s.cluster_id) is not None:
        group = _ref("ParameterGroup")
    if group:
        props["CacheParameterGroupName"] = group
    props.update(AutomaticFailoverEnabled=topo.automatic_failover, MultiAZEnabled=topo.multi_az)
    if topo.data_tiering:
        props["DataTieringEnabled"] = True
    props.update(TransitEncryptionEnabled=w.encryption_in_transit, AtRestEncryptionEnabled=w.encryption_at_rest)
    if needs_kms_key(rec):
        props["KmsKeyId"] = _ref("KmsKeyId")
    if needs_auth_token(rec):
        props["AuthToken"] = _ref("AuthToken")
    if needs_user_group(rec):
        props["UserGroupIds"] = [_ref("UserGroup")]
    props.update(CacheSubnetGroupName=_ref("CacheSubnetGroupName"), SecurityGroupIds=_ref("SecurityGroupIds"),
                 SnapshotRetentionLimit=w.snapshot_retention_days, Tags=_tags(rec, s.cluster_id))
    resource: dict[str, Any] = {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": props}
    if _is_global(rec):
        resource["Condition"] = "IsPrimaryRegion"
    return resource


def _parameter_group(group: CustomParameterGroup) -> dict[str, Any]:
    # CloudFormation names the group itself; the Ref above resolves to that name.
    return {"Type": "AWS::ElastiCache::ParameterGroup",
            "Properties": {"CacheParameterGroupFamily": group.family, "Description": group.description,
                           "Properties": dict(group.parameters)}}


def _global_resources(rec: Recommendation, s: CommandSettings) -> dict[str, Any]:
    secondary_name = {"Fn::Join": ["-", [s.cluster_id[:25].rstrip("-"), _ref("AWS::Region")]]}
    return {
        "GlobalDatastore": {
            "Type": "AWS::ElastiCache::GlobalReplicationGroup",
            "Condition": "IsPrimaryRegion",
            "Properties": {
                "GlobalReplicationGroupIdSuffix": s.cluster_id,
                "GlobalReplicationGroupDescription": f"{s.description} (global)"[:255],
                "Members": [{"ReplicationGroupId": _ref("ReplicationGroup"),
                             "ReplicationGroupRegion": _ref("AWS::Region"), "Role": "PRIMARY"}],
            },
        },
        # A member inherits engine, version, node type, shards and encryption from the global group.
        "SecondaryReplicationGroup": {
            "Type": "AWS::ElastiCache::ReplicationGroup",
            "Condition": "IsSecondaryRegion",
            "Properties": {
                "ReplicationGroupId": secondary_name,
                "ReplicationGroupDescription": {"Fn::Sub": [
                    "${Description} secondary in ${AWS::Region}", {"Description": s.description[:200]}]},
                "GlobalReplicationGroupId": _ref("GlobalReplicationGroupId"),
                "CacheSubnetGroupName": _ref("CacheSubnetGroupName"),
                "SecurityGroupIds": _ref("SecurityGroupIds"),
                "Tags": _tags(rec, secondary_name),
            },
        },
    }


def _memcached(rec: Recommendation, topo: Topology, s: CommandSettings) -> dict[str, Any]:
    props: dict[str, Any] = {
        "ClusterName": s.cluster_id[:40],
        "Engine": "memcached",
        "EngineVersion": engine_version(rec, topo, s),
        "CacheNodeType": topo.node_type,
        "NumCacheNodes": topo.shards,
    }
    if topo.shards > 1:
        props["AZMode"] = "cross-az"
    if rec.workload.encryption_in_transit:
        props["TransitEncryptionEnabled"] = True
    props.update(CacheSubnetGroupName=_ref("CacheSubnetGroupName"), VpcSecurityGroupIds=_ref("SecurityGroupIds"),
                 Tags=_tags(rec, s.cluster_id))
    return {"Type": "AWS::ElastiCache::CacheCluster", "Properties": props}


def _serverless(rec: Recommendation, s: CommandSettings) -> dict[str, Any]:
    max_gb, max_ecpu = serverless_limits(rec)
    props: dict[str, Any] = {
        "ServerlessCacheName": s.cluster_id,
        "Description": s.description,
        "Engine": rec.engine,
        "MajorEngineVersion": SERVERLESS_MAJOR_VERSIONS[rec.engine],
        "CacheUsageLimits": {"DataStorage": {"Maximum": max_gb, "Unit": "GB"},
                             "ECPUPerSecond": {"Maximum": max_ecpu}},
    }
    if needs_kms_key(rec):
        props["KmsKeyId"] = _ref("KmsKeyId")
    props.update(SecurityGroupIds=_ref("SecurityGroupIds"), SubnetIds=_ref("SubnetIds"))
    if needs_user_group(rec):
        props["UserGroupId"] = _ref("UserGroup")
    if rec.engine != "memcached" and rec.workload.snapshot_retention_days:
        props["SnapshotRetentionLimit"] = rec.workload.snapshot_retention_days
    props["Tags"] = _tags(rec, s.cluster_id)
    return {"Type": "AWS::ElastiCache::ServerlessCache", "Properties": props}


def _rbac_resources(rec: Recommendation, s: CommandSettings) -> dict[str, Any]:
    """The users and user group the cache attaches (Ref of each gives its id): a switched-off 'default' user,
    which every group needs, and the application user with its password from a NoEcho parameter."""
    engine = "valkey" if rec.engine == "valkey" else "redis"
    default_id, app_id = rbac_user_ids(s)
    app: dict[str, Any] = {"UserId": app_id, "UserName": app_id, "Engine": engine, "AccessString": APP_ACCESS_STRING}
    if rec.workload.auth == AuthMode.IAM:
        app["AuthenticationMode"] = {"Type": "iam"}
    else:
        app["Passwords"] = [_ref("AppPassword")]
    return {
        "DefaultUser": {"Type": "AWS::ElastiCache::User", "Properties": {
            "UserId": default_id, "UserName": "default", "Engine": engine,
            "AccessString": DEFAULT_OFF_ACCESS_STRING, "NoPasswordRequired": True}},
        "AppUser": {"Type": "AWS::ElastiCache::User", "Properties": app},
        "UserGroup": {"Type": "AWS::ElastiCache::UserGroup", "Properties": {
            "UserGroupId": s.user_group_id, "Engine": engine, "UserIds": [_ref("DefaultUser"), _ref("AppUser")]}},
    }


def _outputs(rec: Recommendation) -> dict[str, Any]:
    if rec.deployment == "serverless":
        return {"Endpoint": {"Description": "Endpoint your clients connect to",
                             "Value": {"Fn::GetAtt": ["ServerlessCache", "Endpoint.Address"]}}}
    if rec.engine == "memcached":
        return {"Endpoint": {"Description": "Configuration endpoint for auto discovery",
                             "Value": {"Fn::GetAtt": ["MemcachedCluster", "ConfigurationEndpoint.Address"]}}}
    topo = rec.topology
    assert topo is not None
    attribute = "ConfigurationEndPoint.Address" if topo.cluster_mode_enabled else "PrimaryEndPoint.Address"
    outputs: dict[str, Any] = {"Endpoint": {"Description": "Endpoint your clients connect to",
                                            "Value": {"Fn::GetAtt": ["ReplicationGroup", attribute]}}}
    if _is_global(rec):
        outputs["Endpoint"]["Condition"] = "IsPrimaryRegion"
        outputs["GlobalReplicationGroupId"] = {
            "Condition": "IsPrimaryRegion",
            "Description": "Pass this to the stacks in the secondary Regions",
            "Value": {"Fn::GetAtt": ["GlobalDatastore", "GlobalReplicationGroupId"]},
        }
    return outputs


def cloudformation_template(rec: Recommendation, settings: CommandSettings | None = None) -> dict[str, Any] | None:
    """The template as data (None when nothing is feasible), for callers that post-process it."""
    if not rec.feasible:  # a conflict or infeasible: nothing to build
        return None
    w = rec.workload
    s = resolve_settings(w, settings)
    regions = ", ".join([w.region, *w.secondary_regions]) if _is_global(rec) else w.region
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Description": (f"ElastiCache advisor: {' '.join(rec.headline.split())}. Pricing as of "
                        f"{rec.pricing_as_of}. Deploy in {regions}.")[:1024],
        "Parameters": _parameters(rec, s),
    }
    resources: dict[str, Any]
    if rec.deployment == "serverless":
        resources = {"ServerlessCache": _serverless(rec, s)}
    else:
        topo = rec.topology
        assert topo is not None
        if topo.engine == "memcached":
            resources = {"MemcachedCluster": _memcached(rec, topo, s)}
        else:
            custom = custom_parameter_group(topo, engine_version(rec, topo, s), s.cluster_id)
            resources = {"ParameterGroup": _parameter_group(custom)} if custom else {}
            resources["ReplicationGroup"] = _replication_group(rec, topo, s)
            if _is_global(rec):
                template["Conditions"] = {
                    "IsPrimaryRegion": {"Fn::Equals": [_ref("AWS::Region"), w.region]},
                    "IsSecondaryRegion": {"Fn::Not": [{"Condition": "IsPrimaryRegion"}]},
                }
                resources.update(_global_resources(rec, s))
    if needs_user_group(rec):
        rbac = _rbac_resources(rec, s)
        if _is_global(rec):  # the users serve the primary Region's cluster
            rbac = {name: {**resource, "Condition": "IsPrimaryRegion"} for name, resource in rbac.items()}
        resources = {**rbac, **resources}
    template["Resources"] = resources
    template["Outputs"] = _outputs(rec)
    return template


def cloudformation_for(rec: Recommendation, settings: CommandSettings | None = None) -> str:
    """The template as YAML text; an explanatory comment when nothing is feasible."""
    template = cloudformation_template(rec, settings)
    if template is None:
        return "# No feasible configuration for this workload: nothing to build. See the conflicts.\n"
    header = "# Generated by the ElastiCache advisor. Review every value before creating the stack.\n"
    # width: keep long descriptions on one line; allow_unicode: names stay readable, still safely quoted.
    return header + yaml.dump(template, Dumper=_NoAliasDumper, sort_keys=False, width=1000,
                              allow_unicode=True)

"""Commands: the AWS CLI commands, Terraform and CloudFormation that build the recommendation, with the ids
they assume editable."""

from __future__ import annotations

import streamlit as st

from advisor.commands import CommandSettings, generate_commands, server_side_problems
from advisor.commands.aws_cli import APP_PASSWORD_ENV, AUTH_TOKEN_ENV, cluster_id_from_name
from advisor.commands.cloudformation import cloudformation_for
from advisor.commands.terraform import terraform_for
from ui import state
from ui.layout import require_recommendation
from ui.router import hand_over_to_router
from ui.text import plain

hand_over_to_router("pages/commands.py")


def _ids(text: str) -> tuple[str, ...]:
    """Comma- or space-separated ids as typed; blanks dropped."""
    return tuple(part for part in text.replace(",", " ").split() if part)


view = state.get_view()
st.title("Commands and infrastructure as code")
if require_recommendation(view):
    rec = view.recommendation
    assert rec is not None
    settings = state.get_command_settings()
    derived_id = cluster_id_from_name(rec.workload.name)

    with st.form("command-settings"):
        st.markdown("**Assumptions** — replace the placeholders with your own ids; the commands update on apply.")
        left, right = st.columns(2)
        cluster_id = left.text_input("Cluster / cache id", settings.cluster_id, placeholder=derived_id,
                                     help="Empty: derived from the workload name")
        subnet_group = left.text_input("Cache subnet group", settings.subnet_group,
                                       help="Node-based clusters launch into this subnet group")
        security_groups = left.text_input("Security group ids", " ".join(settings.security_group_ids),
                                          help="Comma- or space-separated")
        subnet_ids = right.text_input("Subnet ids (Serverless)", " ".join(settings.subnet_ids),
                                      help="Comma- or space-separated; Serverless takes subnets directly")
        kms_key = right.text_input("KMS key id or alias", settings.kms_key_id,
                                   help="Used only with a customer managed key")
        user_group = right.text_input("RBAC user group id", settings.user_group_id,
                                      help="Used with RBAC or IAM authentication")
        engine_version = left.text_input("Engine version", settings.engine_version or "",
                                         placeholder="generator default",
                                         help="Empty: the generator's current default for the engine")
        # Security groups and subnet groups belong to one Region: each secondary needs its own.
        secondary_inputs: dict[str, tuple[str, str]] = {}
        for region in rec.workload.secondary_regions if rec.deployment == "provisioned" else ():
            st.markdown(f"**Secondary Region {region}** (Global Datastore): its own network ids")
            first, second = st.columns(2)
            secondary_inputs[region] = (
                first.text_input(f"Cache subnet group in {region}", settings.secondary_subnet_groups.get(region, ""),
                                 placeholder=settings.subnet_group, key=f"commands.subnet.{region}",
                                 help="Empty: the same subnet group name, created in this Region"),
                second.text_input(f"Security group ids in {region}",
                                  " ".join(settings.secondary_security_groups.get(region, ())),
                                  placeholder=f"sg-id-in-{region}", key=f"commands.sg.{region}",
                                  help="Security groups are per Region: the primary's ids do not exist here"),
            )
        if st.form_submit_button("Apply", icon=":material/check:"):
            settings = CommandSettings(
                cluster_id=cluster_id.strip(), subnet_group=subnet_group.strip(),
                security_group_ids=_ids(security_groups), subnet_ids=_ids(subnet_ids),
                kms_key_id=kms_key.strip(), user_group_id=user_group.strip(),
                engine_version=engine_version.strip() or None,
                secondary_subnet_groups={r: v[0].strip() for r, v in secondary_inputs.items() if v[0].strip()},
                secondary_security_groups={r: _ids(v[1]) for r, v in secondary_inputs.items() if _ids(v[1])},
            )
            state.set_command_settings(settings)

    commands = generate_commands(rec, settings)
    cli_tab, terraform_tab, cloudformation_tab = st.tabs(["AWS CLI", "Terraform", "CloudFormation"])
    with cli_tab:
        st.caption(f"For: {rec.headline}. Secrets are never shown: an AUTH token is read from "
                   f"`${AUTH_TOKEN_ENV}` and an RBAC user's password from `${APP_PASSWORD_ENV}` in your shell; "
                   "ids printed by one command are passed to the next through environment variables.")
        if not commands:
            st.info("Nothing to build: the recommendation has no feasible configuration.")
        for number, command in enumerate(commands, start=1):
            st.markdown(f"**{number}. {command.purpose}**")
            st.code(command.render(), language="bash")
            for problem in server_side_problems(command):
                st.warning(f"ElastiCache would refuse this command: {plain(problem)}", icon=":material/warning:")
    with terraform_tab:
        st.caption("One main.tf for the AWS provider. Ids you have not set above are variables without a default; "
                   "an AUTH token is a sensitive variable.")
        terraform = terraform_for(rec, settings)
        st.code(terraform, language="hcl")
        st.download_button("Download main.tf", terraform, file_name="main.tf", mime="text/plain",
                           icon=":material/download:")
    with cloudformation_tab:
        st.caption("A CloudFormation template (validated with cfn-lint in the tests). Ids are parameters; an AUTH "
                   "token is a NoEcho parameter with no default.")
        template = cloudformation_for(rec, settings)
        st.code(template, language="yaml")
        st.download_button("Download template.yaml", template, file_name="elasticache.yaml",
                           mime="application/x-yaml", icon=":material/download:")

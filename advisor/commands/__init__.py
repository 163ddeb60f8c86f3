"""Generators: AWS CLI commands (argv tuples) for a recommendation, and the service-side rules they obey."""

from advisor.commands.aws_cli import Command, CommandSettings, EnvRef, generate_commands
from advisor.commands.server_rules import server_side_problems

__all__ = ["Command", "CommandSettings", "EnvRef", "generate_commands", "server_side_problems"]

"""The command line: the click commands, their shared options and output."""

from crmflags.cli.main import cli, main

__all__ = ["cli", "main"]

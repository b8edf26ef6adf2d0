"""The rulesets shipped with crmflags, registered through the same hook a plugin uses."""

from pathlib import Path

from crmflags import hookimpl


@hookimpl
def register_rulesets(register):
    """Register this folder of YAML rulesets."""
    register(Path(__file__).parent)

"""Rulesets: the YAML format, its conditions and its message templates."""

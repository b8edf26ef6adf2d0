"""Hostile YAML: an alias bomb or deep nesting is a file:line error (exit 2), fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.errors import InputError
from crmflags.yamlfile import MAX_ALIASED_VALUES, MAX_DEPTH, load_yaml

#: The classic "billion laughs", indented under a section: 9**9 strings once expanded.
BOMB = "\n".join(
    ['  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"  {name}: &{name} [{','.join(['*' + prev] * 9)}]"
        for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def deep(levels: int, key: str = "params") -> str:
    """A mapping whose ``key`` holds a list nested ``levels`` deep, in flow style."""
    return f"{key}: " + "[" * levels + "1" + "]" * levels + "\n"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_billion_laughs_in_crmflags_yaml_is_a_placed_error_in_well_under_a_second(tmp_path):
    config = tmp_path / "crmflags.yaml"
    config.write_text("connector: csv\ncsv:\n" + BOMB + "\n")
    started = time.process_time()
    result = run("--config", str(config), "evaluate", "--source", str(tmp_path))
    assert time.process_time() - started < 5  # it cost 142 s of CPU before the limit
    assert result.exit_code == 2
    # Placed at the alias that takes the copies past the limit: line 8, the list of *e.
    assert f"{config}:8: " in result.stderr
    assert "aliases" in result.stderr and "Traceback" not in result.output


def test_a_billion_laughs_in_a_ruleset_is_a_placed_error_not_a_memory_error(tmp_path):
    ruleset = tmp_path / "bomb.yaml"
    ruleset.write_text("name: bomb\nparams:\n" + BOMB + "\nrules: []\n")
    result = run("rules", "lint", str(ruleset))
    assert result.exit_code == 2
    assert f"{ruleset}:8: " in result.stderr and "aliases" in result.stderr
    assert "MemoryError" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("style", ["flow", "block"])
def test_ten_thousand_levels_of_nesting_are_a_placed_error_not_a_recursion_error(tmp_path, style):
    config = tmp_path / "crmflags.yaml"
    if style == "flow":
        config.write_text("connector: csv\n" + deep(10_000))
    else:
        config.write_text(
            "connector: csv\nparams:\n" + "".join(" " * (i + 1) + "- \n" for i in range(10_000))
        )
    result = run("--config", str(config), "evaluate", "--source", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "RecursionError" not in result.output and "Traceback" not in result.output
    assert f"nested more than {MAX_DEPTH} levels deep" in result.stderr
    # Placed at the value that goes one level too deep.
    line = 2 if style == "flow" else 2 + MAX_DEPTH
    assert f"{config}:{line}: " in result.stderr


def test_anchors_and_merge_keys_of_ordinary_files_still_load(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(
        "defaults: &defaults {weight: 2, tag: late_payer}\n"
        "rules:\n"
        + "".join(f"  - <<: *defaults\n    id: rule-{n}\n" for n in range(50))
        # The file's mapping, 98 lists and the number: exactly MAX_DEPTH levels.
        + "nested: "
        + "[" * (MAX_DEPTH - 2)
        + "1"
        + "]" * (MAX_DEPTH - 2)
        + "\n"
    )
    data = load_yaml(path)
    assert len(data["rules"]) == 50 and data["rules"][49] == {
        "weight": 2,
        "tag": "late_payer",
        "id": "rule-49",
    }
    assert data["rules"][3].line_of("id") == 10


def test_the_value_limit_counts_what_aliases_expand_to(tmp_path):
    path = tmp_path / "wide.yaml"
    size = 400  # 400 aliases of a 400-item list: 160,000 values once expanded
    items = ",".join(["1"] * size)
    aliases = ",".join(["*x"] * size)
    path.write_text(f"base: &x [{items}]\ncopies: [{aliases}]\n")
    assert size * size > MAX_ALIASED_VALUES
    with pytest.raises(InputError, match=r"wide\.yaml:2: .*aliases"):
        load_yaml(path)


def test_a_recursive_alias_is_a_placed_error(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("name: loop\nparams: &p\n  again: *p\n")
    with pytest.raises(InputError, match=r"loop\.yaml:3: the alias \*p is inside its own anchor"):
        load_yaml(path)


def _with_lines(value):
    """A loaded value with the line of every mapping key and list item, to compare loaders."""
    if isinstance(value, dict):
        return (
            "map",
            value.line,
            [(k, value.line_of(k), _with_lines(v)) for k, v in value.items()],
        )
    if isinstance(value, list):
        return (
            "list",
            value.line,
            [(value.line_of(i), _with_lines(v)) for i, v in enumerate(value)],
        )
    return (type(value).__name__, value)


SHIPPED_YAML = sorted(
    path
    for folder in ("rulesets", "connectors", "crmflags", "examples", "bench")
    for path in (Path(__file__).resolve().parent.parent / folder).rglob("*.y*ml")
)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML has no libyaml here")
@pytest.mark.parametrize("path", SHIPPED_YAML, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_and_the_python_loader_read_every_shipped_file_alike(path, monkeypatch):
    fast = _with_lines(load_yaml(path))
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert _with_lines(load_yaml(path)) == fast


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML has no libyaml here")
@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, 2]\nb: *x\nc:\n  <<: {k: 1}\n  j: 2\n",  # anchors and merge keys
        "when: 2026-13-01\non: yes\nn: 1e3\nempty:\nq: '1'\n",  # dates stay text
        BOMB.replace("  ", "", 1) + "\n",
        deep(MAX_DEPTH + 5),
        deep(MAX_DEPTH - 2),
        "name: loop\nparams: &p\n  again: *p\n",
        "key: [unclosed\n",
        "a: 1\na: 2\n",
    ],
    ids=["anchors", "scalars", "bomb", "too-deep", "deep", "recursive", "invalid", "twice"],
)
def test_both_loaders_give_the_same_value_or_the_same_message(text, tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text(text)

    def outcome():
        try:
            return _with_lines(load_yaml(path))
        except InputError as exc:
            return str(exc)

    fast = outcome()
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert outcome() == fast

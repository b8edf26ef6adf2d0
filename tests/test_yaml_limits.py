"""Hostile YAML: an alias bomb or deep nesting is a file:line error (exit 2), fast."""

from __future__ import annotations

import time

import pytest
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


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: b: c\n", ":1:", "not valid YAML: mapping values are not allowed here"),
        ("a: [1, 2\n", ":2:", "not valid YAML: expected ',' or ']', but got '<stream end>'"),
        ("- a\nb: 1\n", ":2:", "not valid YAML: expected <block end>, but found '?'"),
    ],
)
def test_a_syntax_error_reads_as_the_python_parser_words_it(tmp_path, text, where, message):
    """libyaml reads a file first (it is six times faster); a file it refuses is read
    again by the Python parser, whose messages and lines crmflags always showed."""
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert f"{path}{where} {message}" == str(caught.value)


def test_both_parsers_give_the_same_values_and_lines_for_the_shipped_files():
    from pathlib import Path

    from crmflags import yamlfile

    def with_lines(value):
        if isinstance(value, yamlfile.YamlMap):
            return value.line, value.key_lines, {k: with_lines(v) for k, v in value.items()}
        if isinstance(value, yamlfile.YamlList):
            return value.line, value.item_lines, [with_lines(v) for v in value]
        return value

    if yamlfile.CParser is None:
        pytest.skip("this PyYAML has no libyaml: every file is read by the Python parser")
    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("rulesets/*.yaml")) + sorted(root.glob("connectors/*/presets/*.yaml"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, slow = yamlfile._FastLoader(text), yamlfile._Loader(text)
        assert with_lines(fast.get_single_data()) == with_lines(slow.get_single_data()), path

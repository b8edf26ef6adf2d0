"""The docs cover what the code offers: every metric, hook and tag, and their examples work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crmflags import hookspecs
from crmflags.evaluation.evaluate import metric_units
from crmflags.evaluation.metrics import BUILTIN_METRICS
from crmflags.rules.ruleset import RulesetLibrary
from crmflags.tags import TAGS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_metric_is_catalogued_with_its_unit_and_window():
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    for metric in BUILTIN_METRICS.values():
        assert f"| `{metric.name}` | {metric.unit} | {metric.window} |" in text, metric.name


def test_every_hook_has_a_section_in_the_plugin_docs():
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    import inspect

    hooks = [name for name, f in vars(hookspecs).items() if hasattr(f, "crmflags_spec")]
    assert "register_connectors" in hooks and "level_changed" in hooks
    for name in hooks:
        arguments = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"### {name}({arguments})" in text


def test_every_tag_is_listed_for_ruleset_authors():
    text = (DOCS / "rulesets.md").read_text(encoding="utf-8")
    for tag in TAGS:
        assert f"| `{tag}` |" in text


def test_the_ruleset_example_in_the_docs_loads(tmp_path):
    from crmflags.loading.plugins import load_plugins

    text = (DOCS / "rulesets.md").read_text(encoding="utf-8")
    example = re.search(r"## A small ruleset\n\n```yaml\n(.*?)```", text, re.DOTALL).group(1)
    (tmp_path / "my-agency.yaml").write_text(example, encoding="utf-8")
    shipped = [path for path, _ in load_plugins().ruleset_paths]
    ruleset = RulesetLibrary([tmp_path, *shipped], metric_units({})).load("my-agency")
    assert ruleset.lineage == ["base", "freelancer"]
    assert ruleset.params["night_share"].value == 0.25
    assert ruleset.rules[-1].id == "night-owl"


@pytest.mark.parametrize(
    "doc",
    [
        "getting-started.md",
        "csv-bundle.md",
        "conditions.md",
        "scheduling.md",
        "rulesets.md",
        "metrics.md",
        "plugins.md",
        "decisions.md",
        "performance.md",
        "report.md",
        "connectors/hubspot.md",
        "connectors/pipedrive.md",
    ],
)
def test_the_readme_links_to_every_doc(doc):
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert f"(docs/{doc})" in readme


def test_the_configuration_example_in_getting_started_loads(tmp_path):
    from crmflags.loading.config import load_config

    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    example = re.search(
        r"## Configuration: crmflags.yaml.*?```yaml\n(.*?)```", text, re.DOTALL
    ).group(1)
    path = tmp_path / "crmflags.yaml"
    path.write_text(example, encoding="utf-8")
    config = load_config(path, {"csv", "hubspot", "pipedrive"})
    assert config.settings.timezone_name == "Europe/Budapest"
    assert config.settings.business_hours.describe() == "08:00-18:00 mon-fri"
    assert config.params == {"late_days": 21}
    assert config.section("csv")["columns"]["clients.csv"]["id"] == "Client ID"


def test_the_example_in_the_examples_section_passes(tmp_path):
    from crmflags.evaluation.examples import run_examples
    from crmflags.loading.plugins import load_plugins

    text = (DOCS / "rulesets.md").read_text(encoding="utf-8")
    block = re.search(r"## Examples and `rules test`.*?```yaml\n(.*?)```", text, re.DOTALL).group(1)
    (tmp_path / "documented.yaml").write_text("extends: freelancer\n" + block, encoding="utf-8")
    shipped = [path for path, _ in load_plugins().ruleset_paths]
    ruleset = RulesetLibrary([tmp_path, *shipped], metric_units({})).load("documented")
    (outcome,) = run_examples(ruleset)
    assert outcome.problems == []


def declared_sections():
    """Each section declared with crmflags.sections, and the page that documents it."""
    import sys

    sys.path.insert(0, str(DOCS.parent / "examples" / "crmflags-sqlite"))
    from crmflags_sqlite.configuration import SqliteSettings

    from crmflags.sync.notify import WebhookConfig
    from crmflags_csv.configuration import CsvSettings
    from crmflags_hubspot.configuration import HubSpotSettings
    from crmflags_pipedrive.configuration import PipedriveSettings

    return [
        (WebhookConfig, DOCS / "scheduling.md"),
        (CsvSettings, DOCS / "csv-bundle.md"),
        (HubSpotSettings, DOCS / "connectors" / "hubspot.md"),
        (PipedriveSettings, DOCS / "connectors" / "pipedrive.md"),
        (SqliteSettings, DOCS.parent / "examples" / "crmflags-sqlite" / "README.md"),
    ]


def test_every_declared_section_has_its_settings_table_in_the_docs():
    from crmflags.sections import settings_of, settings_table

    for declaration, page in declared_sections():
        table = settings_table(declaration)
        assert table in page.read_text(encoding="utf-8"), f"{page}: regenerate {declaration}"
        assert len(table.splitlines()) == 2 + len(settings_of(declaration))


def test_the_public_api_lists_names_that_exist():
    import importlib

    from conftest import public_api

    api = public_api()
    assert {"crmflags", "crmflags.connector", "crmflags.model", "crmflags.testing"} <= set(api)
    for module, names in api.items():
        imported = importlib.import_module(module)
        missing = [name for name in names if not hasattr(imported, name)]
        assert missing == [], f"{module} lacks {missing}"


def test_what_plugins_are_told_they_get_is_importable_from_the_public_api():
    """A class the plugin docs or the hookspecs name (``crmflags.x.Name``) is public.

    A metric's ``context`` was a class in the internal crmflags.evaluation, which a
    plugin could not import without reaching past the declared API.
    """
    import ast

    import crmflags.hookspecs

    from conftest import public_api

    api = public_api()
    source = Path(crmflags.hookspecs.__file__).read_text(encoding="utf-8")
    docstrings = [
        ast.get_docstring(node) or ""
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Module, ast.FunctionDef))
    ]
    told = "\n".join([(DOCS / "plugins.md").read_text(encoding="utf-8"), *docstrings])
    named = set(re.findall(r"\b(crmflags(?:\.\w+)*)\.([A-Z]\w*)\b", told))
    assert ("crmflags.metric", "MetricContext") in named
    private = sorted(
        f"{module}.{name}" for module, name in named if name not in api.get(module, ())
    )
    assert private == []


def public_members(cls) -> set[str]:
    own = {name for name in vars(cls) if not name.startswith("_")}
    own |= set(getattr(cls, "__annotations__", {})) - {"__slots__"}
    return {name for name in own if not name.startswith("_")}


def test_every_connector_member_is_documented():
    import inspect

    from crmflags.connector import Connector, ConnectorOptions, IncrementalConnector

    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    members = text.split("### Connector members", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \| (\w+) \|", members, re.MULTILINE))
    expected = {("options", "Connector")}
    for cls in (Connector, IncrementalConnector, ConnectorOptions):
        for name in public_members(cls):
            expected.add((name, cls.__name__))
            member = inspect.getattr_static(cls, name, None)
            if inspect.isfunction(member):
                assert inspect.getdoc(member), f"{cls.__name__}.{name} has no docstring"
    assert "stored_value" in {n for n, _ in expected} and "cursor_after_write" in {
        n for n, _ in expected
    }
    assert sorted(expected - documented) == []
    assert sorted(documented - expected) == []  # nothing documented that is not there

"""Plugin loading through entry points: built-ins like third parties, broken ones skipped by name."""

from __future__ import annotations

import types
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from crmflags import hookimpl
from crmflags.cli import cli
from crmflags.connector import Connector
from crmflags.evaluation.metrics import BUILTIN_METRICS
from crmflags.loading import plugins as plugins_module
from crmflags.sections import seconds, setting, some_of, text
from crmflags.tags import LEVELS


class FakeDist:
    def __init__(self, name, version="1.0"):
        self.metadata = {"Name": name}
        self.version = version


class FakeEntryPoint:
    """Stands in for an installed distribution's entry point."""

    def __init__(self, name, dist, load):
        self.name, self.dist, self._load = name, FakeDist(dist), load

    def load(self):
        return self._load()


def module_with(**hooks):
    module = types.ModuleType("fake_plugin")
    for name, function in hooks.items():
        setattr(module, name, hookimpl(function))
    return module


def make_connector(connector_name):
    class Fake(Connector):
        name = connector_name
        description = "fake"

        def read(self):
            return iter(())

        def write(self, changes):
            raise AssertionError("not used")

    return Fake


def test_builtin_connectors_come_through_the_entry_point_group():
    loaded = plugins_module.load_plugins()
    assert {"csv", "hubspot", "pipedrive"} <= set(loaded.connectors)
    for name in ("csv", "hubspot", "pipedrive"):
        assert loaded.connectors[name][1].distribution == "crmflags"
    assert any(info.name == "rulesets" for _, info in loaded.ruleset_paths)
    assert loaded.problems == []


def test_a_third_party_connector_is_loaded_with_its_distribution(installed):
    def register_connectors(register):
        register(make_connector("airtable"))

    installed.append(
        FakeEntryPoint(
            "airtable",
            "crmflags-airtable",
            lambda: module_with(register_connectors=register_connectors),
        )
    )
    loaded = plugins_module.load_plugins()
    connector_class, info = loaded.connectors["airtable"]
    assert (info.distribution, info.version) == ("crmflags-airtable", "1.0")


def test_a_plugin_that_fails_to_import_is_reported_and_skipped(installed):
    def boom():
        raise ImportError("No module named 'pyairtable'")

    installed.append(FakeEntryPoint("airtable", "crmflags-airtable", boom))
    loaded = plugins_module.load_plugins()
    assert "csv" in loaded.connectors
    (problem,) = loaded.problems
    assert problem.plugin.distribution == "crmflags-airtable"
    assert "failed to load: ImportError: No module named 'pyairtable'" in problem.message


def test_a_hook_that_raises_is_reported_and_the_rest_still_load(installed):
    def register_connectors(register):
        raise RuntimeError("bad day")

    installed.append(
        FakeEntryPoint(
            "grumpy",
            "crmflags-grumpy",
            lambda: module_with(register_connectors=register_connectors),
        )
    )
    loaded = plugins_module.load_plugins()
    assert "csv" in loaded.connectors
    assert [p.message for p in loaded.problems] == [
        "register_connectors failed: RuntimeError: bad day"
    ]


def test_a_plugin_whose_later_hook_raises_is_skipped_whole(installed):
    def register_connectors(register):
        register(make_connector("half"))

    def register_metrics(register):
        register("half_metric", lambda c, ctx: 1)
        raise RuntimeError("metric setup failed")

    installed.append(
        FakeEntryPoint(
            "half",
            "crmflags-half",
            lambda: module_with(
                register_connectors=register_connectors, register_metrics=register_metrics
            ),
        )
    )
    loaded = plugins_module.load_plugins()
    assert "half" not in loaded.connectors and "half_metric" not in loaded.metrics
    assert "half" not in loaded.infos
    assert [p.message for p in loaded.problems] == [
        "register_metrics failed: RuntimeError: metric setup failed"
    ]


def test_a_hook_with_wrong_arguments_is_rejected(installed):
    def register_connectors(register, surprise):
        pass

    installed.append(
        FakeEntryPoint(
            "odd", "crmflags-odd", lambda: module_with(register_connectors=register_connectors)
        )
    )
    loaded = plugins_module.load_plugins()
    assert "odd" not in loaded.infos
    assert "does not fit the hook specs" in loaded.problems[0].message


def test_a_taken_connector_name_is_skipped(installed):
    def register_connectors(register):
        register(make_connector("csv"))

    installed.append(
        FakeEntryPoint(
            "csv2",
            "crmflags-csv-fork",
            lambda: module_with(register_connectors=register_connectors),
        )
    )
    loaded = plugins_module.load_plugins()
    assert loaded.connectors["csv"][1].distribution == "crmflags"
    assert "connector name 'csv' is taken by crmflags; skipped" in loaded.problems[0].message


def test_metric_registration_is_checked(installed):
    def register_metrics(register):
        register("vip_tier", lambda c, ctx: 1, unit="score", description="tier")
        register("hours", lambda c, ctx: 1)  # built-in name
        register("Bad-Name", lambda c, ctx: 1)
        register("odd_unit", lambda c, ctx: 1, unit="parsecs")

    installed.append(
        FakeEntryPoint(
            "vip", "crmflags-vip", lambda: module_with(register_metrics=register_metrics)
        )
    )
    loaded = plugins_module.load_plugins(reserved_metrics=BUILTIN_METRICS)
    assert list(loaded.metrics) == ["vip_tier"]
    assert len(loaded.problems) == 3


# --- sections of crmflags.yaml declared by plugins ----------------------------


@dataclass(frozen=True)
class SlackSection:
    channel: str = setting("the channel to post to", text("a channel name"), required=True)
    levels: tuple[str, ...] = setting("levels posted", some_of(LEVELS, "level"), default=("fire",))
    timeout: float = setting("seconds per request", seconds(), default=5.0)


def slack_plugin(seen):
    """A notifier with its own ``slack:`` section, as a third party would write it."""

    def register_sections(register):
        register("slack", SlackSection)

    def level_changed(change, sections):
        seen.append((change.client_id, sections.get("slack")))

    return module_with(register_sections=register_sections, level_changed=level_changed)


def sync_with_config(tmp_path, text_of_config):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "clients.csv").write_text("id,name\nc-1,Alpha Kft\n", encoding="utf-8")
    config = tmp_path / "crmflags.yaml"
    config.write_text(text_of_config, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "sync", "--source", str(folder)])
    return result, config, folder


def test_a_plugin_section_loads_validates_and_reaches_the_plugin(installed, tmp_path):
    seen = []
    installed.append(FakeEntryPoint("slack", "crmflags-slack", lambda: slack_plugin(seen)))
    result, _, _ = sync_with_config(
        tmp_path, "connector: csv\nslack:\n  channel: ' #risk '\n  levels: [fire, watch]\n"
    )
    assert result.exit_code == 0, result.output
    assert seen == [("c-1", SlackSection(channel="#risk", levels=("watch", "fire")))]


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("  channel: '#risk'\n  timeout: 0\n", 4, "timeout must be a number of seconds above 0"),
        ("  chanel: '#risk'\n", 3, "unknown slack setting 'chanel' (did you mean 'channel'?)"),
        ("  levels: [fire]\n", 3, "slack needs channel: (a channel name)"),
        ("  channel: '#r'\n  levels: [hot]\n", 4, "unknown level 'hot'; levels are ok, watch"),
    ],
)
def test_a_bad_plugin_section_is_exit_2_at_its_line(installed, tmp_path, body, line, message):
    seen = []
    installed.append(FakeEntryPoint("slack", "crmflags-slack", lambda: slack_plugin(seen)))
    result, config, folder = sync_with_config(tmp_path, "connector: csv\nslack:\n" + body)
    assert result.exit_code == 2
    assert f"{config}:{line}: {message}" in result.stderr
    assert seen == [] and "risk_level" not in (folder / "clients.csv").read_text()


def test_without_the_plugin_a_slack_section_is_an_unknown_setting(tmp_path):
    result, config, _ = sync_with_config(tmp_path, "slack:\n  channel: '#risk'\n")
    assert result.exit_code == 2
    assert f"{config}:1: unknown setting 'slack'" in result.stderr


def test_a_section_name_that_is_taken_or_not_declared_by_a_dataclass_is_skipped(installed):
    def register_sections(register):
        register("webhook", SlackSection)  # the built-in notifier's
        register("state", SlackSection)  # crmflags' own setting
        register("csv", SlackSection)  # a connector's
        register("Slack-Two", SlackSection)
        register("pager", dict)
        register("slack", SlackSection)

    installed.append(
        FakeEntryPoint(
            "many", "crmflags-many", lambda: module_with(register_sections=register_sections)
        )
    )
    loaded = plugins_module.load_plugins()
    assert loaded.section_declarations()["slack"] is SlackSection
    assert loaded.sections["webhook"].plugin.distribution == "crmflags"
    assert [p.message for p in loaded.problems] == [
        "section name 'webhook' is taken; skipped",
        "section name 'state' is taken; skipped",
        "section name 'csv' is taken; skipped",
        "section name 'Slack-Two' is not lower_snake_case",
        "section 'pager': <class 'dict'> is not a dataclass declaring a section",
    ]


# --- hooks through pluggy: isolation, wrappers, CRMFLAGS_RAISE_PLUGIN_ERRORS --------


def notifier_plugins(*modules):
    from crmflags.loading.plugins import PluginInfo, Plugins, new_manager

    loaded = Plugins(new_manager())
    for number, module in enumerate(modules):
        loaded.add(module, PluginInfo(f"p{number}", f"crmflags-p{number}", "1.0"))
    assert loaded.problems == []
    return loaded


def level_change(client_id="c-1"):
    from crmflags.events import LevelChange

    return LevelChange("csv:x", 1, client_id, "Alpha", None, "fire", [], [])


def test_a_wrapper_hook_wraps_every_plugins_notifier():
    from crmflags.sync.notify import notify_level_changes

    calls = []

    def wrap(change):
        calls.append(f"before {change.client_id}")
        yield
        calls.append(f"after {change.client_id}")

    wrapper = types.ModuleType("wrapper_plugin")
    wrapper.level_changed = hookimpl(wrapper=True)(wrap)

    def first(change):
        calls.append("first")

    def second(change):
        raise RuntimeError("down")

    loaded = notifier_plugins(
        wrapper, module_with(level_changed=first), module_with(level_changed=second)
    )
    problems = notify_level_changes(loaded, [level_change()], {})
    assert problems == [
        "plugin p2 (crmflags-p2 1.0): level_changed failed for client c-1: RuntimeError: down"
    ]
    # pluggy calls the later plugin first; the wrapper sees each plugin's call, the
    # failing one too (it is told by the exception and lets it go on).
    assert calls.count("first") == 1
    assert calls.count("before c-1") == 2 and calls.count("after c-1") == 1


def test_plugin_errors_are_raised_for_plugin_authors_when_asked(monkeypatch, installed):
    from crmflags.sync.notify import notify_level_changes

    def broken(change):
        raise RuntimeError("my bug")

    loaded = notifier_plugins(module_with(level_changed=broken))
    assert "my bug" in notify_level_changes(loaded, [level_change()], {})[0]
    monkeypatch.setenv("CRMFLAGS_RAISE_PLUGIN_ERRORS", "1")
    with pytest.raises(RuntimeError, match="my bug"):
        notify_level_changes(loaded, [level_change()], {})

    def register_connectors(register):
        raise KeyError("setup bug")

    installed.append(
        FakeEntryPoint(
            "kb", "crmflags-kb", lambda: module_with(register_connectors=register_connectors)
        )
    )
    with pytest.raises(KeyError, match="setup bug"):
        plugins_module.load_plugins()
    result = CliRunner().invoke(cli, ["connectors"])
    assert isinstance(result.exception, KeyError)  # the traceback, not a warning line
    monkeypatch.setenv("CRMFLAGS_RAISE_PLUGIN_ERRORS", "0")
    result = CliRunner().invoke(cli, ["connectors"])
    assert result.exit_code == 0
    assert "plugin kb (crmflags-kb 1.0) skipped: register_connectors failed: KeyError" in (
        result.stderr
    )

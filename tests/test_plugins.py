"""Plugin loading through entry points: built-ins like third parties, broken ones skipped by name."""

from __future__ import annotations

import types

import pytest

from crmflags import hookimpl
from crmflags.connector import Connector
from crmflags.loading import plugins as plugins_module


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


@pytest.fixture
def installed(monkeypatch):
    """Install fake entry points beside the real ones of this environment."""
    extra = []
    real = plugins_module.importlib.metadata.entry_points

    def entry_points(group):
        return list(real(group=group)) + extra

    monkeypatch.setattr(plugins_module.importlib.metadata, "entry_points", entry_points)
    return extra


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
    loaded = plugins_module.load_plugins()
    assert list(loaded.metrics) == ["vip_tier"]
    assert len(loaded.problems) == 3

"""Find plugins through the ``crmflags`` entry-point group and collect what they register.

Built-in connectors and rulesets load through the same entry points as third-party
plugins. A plugin that fails to import, does not fit the hook specs, or raises in a
hook is recorded as a problem under its name and left out; it never stops a command.

Hooks are called through pluggy (``manager.hook``), one plugin at a time
(:meth:`Plugins.each_caller`), so that one plugin's exception does not keep the others
from running; a plugin's wrapper hooks wrap every plugin's implementation. With
``CRMFLAGS_RAISE_PLUGIN_ERRORS=1`` in the environment a plugin's exception is raised
instead, with its traceback, for plugin authors.
"""

from __future__ import annotations

import importlib.metadata
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from crmflags import hookspecs
from crmflags.connector import Connector
from crmflags.loading.config import CORE_KEYS
from crmflags.sections import settings_of

GROUP = "crmflags"
#: Set to 1 to have a plugin's exception raised, with its traceback, instead of reported.
RAISE_ENV = "CRMFLAGS_RAISE_PLUGIN_ERRORS"
#: When set, only the third-party plugins it names (entry-point or distribution names,
#: comma-separated) are loaded; empty, none are. crmflags' own always load.
LOAD_ENV = "CRMFLAGS_LOAD_PLUGINS"
METRIC_UNITS = ("count", "share", "days", "hours", "money", "rate", "ratio", "score", "flag")


@dataclass(frozen=True)
class PluginInfo:
    """Where a plugin came from: its entry-point name and distribution."""

    name: str
    distribution: str
    version: str


@dataclass(frozen=True)
class PluginProblem:
    """A plugin, or one thing it registered, that was left out, and why."""

    plugin: PluginInfo
    message: str


@dataclass(frozen=True)
class PluginMetric:
    """A metric a plugin registered."""

    name: str
    compute: Callable
    unit: str
    description: str
    plugin: PluginInfo


@dataclass(frozen=True)
class PluginSection:
    """A section of crmflags.yaml a plugin declared: its name and dataclass."""

    name: str
    declaration: type
    plugin: PluginInfo


@dataclass
class Plugins:
    """The plugins of this environment and what they registered.

    ``reserved_metrics`` are names a plugin metric may not take (the built-in ones).
    """

    manager: pluggy.PluginManager
    reserved_metrics: Collection[str] = ()
    infos: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)
    connectors: dict[str, tuple[type[Connector], PluginInfo]] = field(default_factory=dict)
    ruleset_paths: list[tuple[Path, PluginInfo]] = field(default_factory=list)
    preset_paths: list[tuple[Path, PluginInfo]] = field(default_factory=list)

    def csv_presets(self) -> dict[str, Path]:
        """Return every preset file of the csv connector the plugins registered (the
        shipped ones first), by name; the first of a name wins."""
        found: dict[str, Path] = {}
        for path, _ in self.preset_paths:
            for file in sorted(path.glob("*.yaml")) if path.is_dir() else [path]:
                found.setdefault(file.stem, file)
        return found

    metrics: dict[str, PluginMetric] = field(default_factory=dict)
    sections: dict[str, PluginSection] = field(default_factory=dict)

    def section_declarations(self) -> dict[str, type]:
        """Return the declared sections of crmflags.yaml: name -> dataclass."""
        return {name: section.declaration for name, section in self.sections.items()}

    def add(self, module: Any, info: PluginInfo) -> None:
        """Register one plugin module and collect what its hooks register."""
        try:
            self.manager.register(module, name=info.name)
            self.manager.check_pending()
        except Exception as exc:  # a plugin's fault must not stop the command
            if self.manager.is_registered(module):
                self.manager.unregister(module)
            if raise_plugin_errors():
                raise
            self.problems.append(PluginProblem(info, f"does not fit the hook specs: {exc}"))
            return
        self.infos[info.name] = info
        hooks = (
            ("register_connectors", self._connector_register(info)),
            ("register_rulesets", self._path_register(info, self.ruleset_paths, "ruleset")),
            ("register_csv_presets", self._path_register(info, self.preset_paths, "preset")),
            ("register_metrics", self._metric_register(info)),
            ("register_sections", self._section_register(info)),
        )
        for hook, register in hooks:
            try:
                self._caller(hook, module)(register=register)
            except Exception as exc:  # a plugin's fault must not stop the command
                self._remove(module, info)
                if raise_plugin_errors():
                    raise
                self.problems.append(
                    PluginProblem(info, f"{hook} failed: {type(exc).__name__}: {exc}")
                )
                return

    def each_caller(self, hook: str) -> list[tuple[str, Callable[..., Any]]]:
        """Return ``(plugin name, caller)`` for each plugin implementing ``hook``.

        Each caller goes through pluggy and runs that plugin's implementation only
        (inside every plugin's wrappers of the hook), so the caller of the hook can
        catch one plugin's exception and go on with the next. Plugins that only wrap
        the hook get no caller of their own.
        """
        implementations = getattr(self.manager.hook, hook).get_hookimpls()
        plain = [impl for impl in implementations if not (impl.wrapper or impl.hookwrapper)]
        return [(impl.plugin_name, self._caller(hook, impl.plugin)) for impl in plain]

    def _caller(self, hook: str, plugin: Any) -> Callable[..., Any]:
        """Return a pluggy caller of ``hook`` that runs ``plugin``'s implementation only."""
        implementations = getattr(self.manager.hook, hook).get_hookimpls()
        others = {
            impl.plugin
            for impl in implementations
            if impl.plugin is not plugin and not (impl.wrapper or impl.hookwrapper)
        }
        return self.manager.subset_hook_caller(hook, remove_plugins=others)

    def describe(self, name: str) -> str:
        """Return ``plugin NAME (DISTRIBUTION VERSION)`` for messages about a plugin."""
        info = self.infos.get(name)
        return f"plugin {name} ({info.distribution} {info.version})" if info else f"plugin {name}"

    def _remove(self, module: Any, info: PluginInfo) -> None:
        """Take back everything a failed plugin registered, so it is skipped whole."""
        self.manager.unregister(module)
        del self.infos[info.name]
        self.connectors = {n: c for n, c in self.connectors.items() if c[1] != info}
        self.ruleset_paths = [(p, i) for p, i in self.ruleset_paths if i != info]
        self.preset_paths = [(p, i) for p, i in self.preset_paths if i != info]
        self.metrics = {n: m for n, m in self.metrics.items() if m.plugin != info}
        self.sections = {n: s for n, s in self.sections.items() if s.plugin != info}

    def _connector_register(self, info: PluginInfo) -> Callable:
        def register(connector_class: type) -> None:
            name = getattr(connector_class, "name", None)
            if not (isinstance(connector_class, type) and issubclass(connector_class, Connector)):
                self.problems.append(
                    PluginProblem(info, f"{connector_class!r} is not a Connector subclass")
                )
            elif not isinstance(name, str) or not name:
                self.problems.append(
                    PluginProblem(info, f"connector {connector_class.__name__} has no name")
                )
            elif name in self.sections:
                self.problems.append(
                    PluginProblem(info, f"connector name {name!r} is a plugin's section; skipped")
                )
            elif name in self.connectors:
                owner = self.connectors[name][1]
                self.problems.append(
                    PluginProblem(
                        info, f"connector name {name!r} is taken by {owner.distribution}; skipped"
                    )
                )
            else:
                self.connectors[name] = (connector_class, info)

        return register

    def _path_register(self, info: PluginInfo, paths: list, what: str) -> Callable:
        """Return a ``register(path)`` adding an existing file or folder to ``paths``."""

        def register(path) -> None:
            path = Path(path)
            if path.exists():
                paths.append((path, info))
            else:
                self.problems.append(PluginProblem(info, f"{what} path {path} does not exist"))

        return register

    def _metric_register(self, info: PluginInfo) -> Callable:
        def register(
            name: str, compute: Callable, unit: str = "count", description: str = ""
        ) -> None:
            if name in self.reserved_metrics or name in self.metrics:
                self.problems.append(PluginProblem(info, f"metric name {name!r} is taken; skipped"))
            elif not name.isidentifier() or not name.islower():
                self.problems.append(
                    PluginProblem(info, f"metric name {name!r} is not lower_snake_case")
                )
            elif unit not in METRIC_UNITS:
                self.problems.append(
                    PluginProblem(
                        info,
                        f"metric {name!r} has unknown unit {unit!r}; units are {', '.join(METRIC_UNITS)}",
                    )
                )
            elif not callable(compute):
                self.problems.append(
                    PluginProblem(info, f"metric {name!r}: compute is not callable")
                )
            else:
                self.metrics[name] = PluginMetric(name, compute, unit, description, info)

        return register

    def _section_register(self, info: PluginInfo) -> Callable:
        def register(name: str, declaration: type) -> None:
            if not isinstance(name, str) or not name.isidentifier() or not name.islower():
                self.problems.append(
                    PluginProblem(info, f"section name {name!r} is not lower_snake_case")
                )
            elif name in CORE_KEYS or name in self.connectors or name in self.sections:
                self.problems.append(
                    PluginProblem(info, f"section name {name!r} is taken; skipped")
                )
            else:
                try:
                    settings_of(declaration)
                except TypeError as exc:
                    self.problems.append(PluginProblem(info, f"section {name!r}: {exc}"))
                    return
                self.sections[name] = PluginSection(name, declaration, info)

        return register


def raise_plugin_errors() -> bool:
    """Tell whether a plugin's exception is to be raised (``CRMFLAGS_RAISE_PLUGIN_ERRORS=1``)."""
    return os.environ.get(RAISE_ENV, "").strip() not in ("", "0")


def new_manager() -> pluggy.PluginManager:
    """Return a plugin manager that knows the crmflags hook specs."""
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(reserved_metrics: Collection[str] = ()) -> Plugins:
    """Load every plugin of the ``crmflags`` entry-point group, built-in ones first.

    Third-party plugins are left out unless ``CRMFLAGS_LOAD_PLUGINS`` (when set) names
    them. ``reserved_metrics`` names the built-in metrics, which a plugin's may not shadow.
    """
    plugins = Plugins(new_manager(), reserved_metrics)
    entry_points = sorted(
        importlib.metadata.entry_points(group=GROUP),
        key=lambda ep: (_distribution(ep)[0] != "crmflags", ep.name),
    )
    chosen = _chosen_plugins()
    for ep in entry_points:
        dist, version = _distribution(ep)
        if dist != "crmflags" and chosen is not None and not {ep.name, dist} & chosen:
            continue
        info = PluginInfo(ep.name, dist, version)
        if ep.name in plugins.infos:
            continue  # the same distribution seen twice on sys.path
        try:
            module = ep.load()
        except Exception as exc:  # a plugin's fault must not stop the command
            if raise_plugin_errors():
                raise
            plugins.problems.append(
                PluginProblem(info, f"failed to load: {type(exc).__name__}: {exc}")
            )
            continue
        plugins.add(module, info)
    return plugins


def _chosen_plugins() -> set[str] | None:
    """Return the third-party plugins ``CRMFLAGS_LOAD_PLUGINS`` allows; None: all of them."""
    value = os.environ.get(LOAD_ENV)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _distribution(ep: importlib.metadata.EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "unknown", "?"
    return dist.metadata["Name"] or "unknown", dist.version or "?"

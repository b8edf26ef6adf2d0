"""Find plugins through the ``crmflags`` entry-point group and collect what they register.

Built-in connectors and rulesets load through the same entry points as third-party
plugins. A plugin that fails to import, does not fit the hook specs, or raises in a
hook is recorded as a problem under its name and left out; it never stops a command.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from crmflags import hookspecs
from crmflags.connector import Connector

GROUP = "crmflags"
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


@dataclass
class Plugins:
    """The plugins of this environment and what they registered."""

    manager: pluggy.PluginManager
    infos: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[PluginProblem] = field(default_factory=list)
    connectors: dict[str, tuple[type[Connector], PluginInfo]] = field(default_factory=dict)
    ruleset_paths: list[tuple[Path, PluginInfo]] = field(default_factory=list)
    preset_paths: list[tuple[Path, PluginInfo]] = field(default_factory=list)
    metrics: dict[str, PluginMetric] = field(default_factory=dict)

    def add(self, module: Any, info: PluginInfo) -> None:
        """Register one plugin module and collect what its hooks register."""
        try:
            self.manager.register(module, name=info.name)
            self.manager.check_pending()
        except Exception as exc:  # a plugin's fault must not stop the command
            if self.manager.is_registered(module):
                self.manager.unregister(module)
            self.problems.append(PluginProblem(info, f"does not fit the hook specs: {exc}"))
            return
        self.infos[info.name] = info
        hooks = (
            ("register_connectors", self._connector_register(info)),
            ("register_rulesets", self._path_register(info, self.ruleset_paths, "ruleset")),
            ("register_csv_presets", self._path_register(info, self.preset_paths, "preset")),
            ("register_metrics", self._metric_register(info)),
        )
        for hook, register in hooks:
            try:
                self._call(module, hook, register)
            except Exception as exc:  # a plugin's fault must not stop the command
                self._remove(module, info)
                self.problems.append(
                    PluginProblem(info, f"{hook} failed: {type(exc).__name__}: {exc}")
                )
                return

    def _call(self, module: Any, hook: str, register: Callable) -> None:
        for impl in getattr(self.manager.hook, hook).get_hookimpls():
            if impl.plugin is module:
                impl.function(*[register for _ in impl.argnames])

    def _remove(self, module: Any, info: PluginInfo) -> None:
        """Take back everything a failed plugin registered, so it is skipped whole."""
        self.manager.unregister(module)
        del self.infos[info.name]
        self.connectors = {n: c for n, c in self.connectors.items() if c[1] != info}
        self.ruleset_paths = [(p, i) for p, i in self.ruleset_paths if i != info]
        self.preset_paths = [(p, i) for p, i in self.preset_paths if i != info]
        self.metrics = {n: m for n, m in self.metrics.items() if m.plugin != info}

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
        from crmflags.metrics import BUILTIN_METRICS

        def register(
            name: str, compute: Callable, unit: str = "count", description: str = ""
        ) -> None:
            if name in BUILTIN_METRICS or name in self.metrics:
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


def new_manager() -> pluggy.PluginManager:
    """Return a plugin manager that knows the crmflags hook specs."""
    manager = pluggy.PluginManager(GROUP)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins() -> Plugins:
    """Load every plugin of the ``crmflags`` entry-point group, built-in ones first."""
    plugins = Plugins(new_manager())
    entry_points = sorted(
        importlib.metadata.entry_points(group=GROUP),
        key=lambda ep: (_distribution(ep)[0] != "crmflags", ep.name),
    )
    for ep in entry_points:
        dist, version = _distribution(ep)
        info = PluginInfo(ep.name, dist, version)
        if ep.name in plugins.infos:
            continue  # the same distribution seen twice on sys.path
        try:
            module = ep.load()
        except Exception as exc:  # a plugin's fault must not stop the command
            plugins.problems.append(
                PluginProblem(info, f"failed to load: {type(exc).__name__}: {exc}")
            )
            continue
        plugins.add(module, info)
    return plugins


def _distribution(ep: importlib.metadata.EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "unknown", "?"
    return dist.metadata["Name"] or "unknown", dist.version or "?"

"""Wire a command together: plugins, configuration, connector and ruleset."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from crmflags.connector import Connector, ConnectorOptions
from crmflags.errors import InputError, did_you_mean
from crmflags.evaluation.evaluate import metric_units
from crmflags.evaluation.metrics import BUILTIN_METRICS
from crmflags.loading.config import Config, find_config, load_config
from crmflags.loading.plugins import Plugins, load_plugins
from crmflags.rules.ruleset import Ruleset, RulesetLibrary, names_a_file
from crmflags.settings import Settings

DEFAULT_RULESET = "freelancer"


@dataclass
class App:
    """What every command starts from: the plugins and the configuration."""

    plugins: Plugins
    config: Config

    @classmethod
    def start(cls, config_path: str | None) -> App:
        """Load the plugins, then the configuration (which may name their sections)."""
        plugins = load_plugins(reserved_metrics=BUILTIN_METRICS)
        config = load_config(
            find_config(config_path), set(plugins.connectors), plugins.section_declarations()
        )
        return cls(plugins, config)

    def library(self) -> RulesetLibrary:
        """Return the rulesets the plugins registered, and the file crmflags.yaml names.

        A ``ruleset:`` that is a path comes first, so ``rules list``, ``show``, ``lint``
        and ``test`` see it by its name (the file's stem) like a shipped one.
        """
        paths = [path for path, _ in self.plugins.ruleset_paths]
        configured = self.configured_ruleset_file()
        if configured is not None:
            paths.insert(0, configured)
        return RulesetLibrary(paths, metric_units(self.plugins.metrics))

    def configured_ruleset_file(self) -> Path | None:
        """Return the ruleset file ``ruleset:`` in crmflags.yaml names; None for a name."""
        name = self._configured_ruleset()
        if name and names_a_file(name) and Path(name).is_file():
            return Path(name)
        return None

    def configured_ruleset_name(self) -> str:
        """Return the name of the ruleset commands use unless told otherwise."""
        configured = self.configured_ruleset_file()
        return configured.stem if configured else self.config.ruleset or DEFAULT_RULESET

    def ruleset(self, name_or_path: str | None) -> Ruleset:
        """Load the ruleset given, or the configured one, with the configured params."""
        ruleset = self.library().load(name_or_path or self._configured_ruleset() or DEFAULT_RULESET)
        where = {
            name: f"{self.config.path}:{line}" for name, line in self.config.param_lines.items()
        }
        ruleset.override_params(self.config.params, where)
        return ruleset

    def settings_for(self, ruleset: Ruleset) -> Settings:
        """Return the settings to evaluate with: crmflags.yaml's, with the ruleset's
        business hours unless crmflags.yaml sets ``business_hours`` itself."""
        settings = self.config.settings
        if ruleset.business_hours is None or "business_hours" in self.config.data:
            return settings
        return replace(settings, business_hours=ruleset.business_hours)

    def _configured_ruleset(self) -> str | None:
        """Return ``ruleset:`` from crmflags.yaml; a relative path is taken from the file's folder."""
        name = self.config.ruleset
        if name and names_a_file(name) and self.config.path:
            return str((self.config.path.parent / name).resolve())
        return name

    def connector_name(self, name: str | None, source: str | None) -> str | None:
        """Return the name of the connector a command uses (see :meth:`connector`); None if unsaid."""
        sections = list(self.config.sections)
        return (
            name
            or self.config.connector
            or (sections[0] if len(sections) == 1 else None)
            or ("csv" if source else None)
        )

    def connector(self, name: str | None, source: str | None, base_url: str | None) -> Connector:
        """Create the connector named, or the one the configuration implies.

        Without --connector: ``connector:`` from crmflags.yaml, else the only connector
        that has a section in crmflags.yaml, else ``csv`` when --source is given.
        """
        name = self.connector_name(name, source)
        available = self.plugins.connectors
        if name is None:
            raise InputError(
                "say which connector to use: --connector NAME (or connector: in crmflags.yaml); "
                f"installed: {', '.join(sorted(available))}"
            )
        if name not in available:
            configured = self.config.path and name == self.config.connector
            raise InputError(
                f"no connector named {name!r}{did_you_mean(name, sorted(available))}; "
                f"installed: {', '.join(sorted(available))}",
                self.config.where("connector", self.config.data) if configured else None,
            )
        connector_class, _ = available[name]
        options = ConnectorOptions(
            settings=self.config.settings,
            source=Path(source) if source else None,
            base_url=base_url,
            config=self.config.section(name),
            config_path=self.config.path,
            presets=self.plugins.csv_presets(),
        )
        return connector_class(options)

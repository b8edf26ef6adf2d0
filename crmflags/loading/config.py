"""Read ``crmflags.yaml``: connector, ruleset, parameters, business hours, time zone.

The file is optional; without it every default applies. Secrets never go in it:
connectors read them from the environment or from a file the configuration names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crmflags.errors import InputError, did_you_mean, place
from crmflags.money import ISO_CODE
from crmflags.sections import read_section
from crmflags.settings import WEEKDAYS, BusinessHours, Settings
from crmflags.text import LANGUAGES
from crmflags.yamlfile import YamlMap, is_finite_number, load_yaml

CONFIG_NAME = "crmflags.yaml"
#: Days between full reads of a source read incrementally (``full_read_days``).
FULL_READ_DAYS = 7
#: The share of the known clients one sync may forget without --allow-removals.
MAX_REMOVALS = 0.2
#: Days a gone client's last result, snoozes and acks are kept for its return.
KEEP_REMOVED_DAYS = 90
#: Minutes a sync may hold the run lock; after that it is stuck and the next sync ends it.
MAX_RUN_MINUTES = 360
CORE_KEYS = (
    "connector",
    "ruleset",
    "timezone",
    "business_hours",
    "windows",
    "params",
    "state",
    "full_read_days",
    "currency",
    "exchange_rates",
    "language",
    "max_removals",
    "keep_removed_days",
    "max_run_minutes",
)


@dataclass
class Config:
    """The configuration in force for one command."""

    path: Path | None = None
    connector: str | None = None
    ruleset: str | None = None
    settings: Settings = field(default_factory=Settings)
    params: dict[str, Any] = field(default_factory=dict)
    param_lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, YamlMap] = field(default_factory=dict)
    state_path: Path | None = None
    full_read_days: int = FULL_READ_DAYS
    max_removals: float = MAX_REMOVALS
    keep_removed_days: int = KEEP_REMOVED_DAYS
    max_run_minutes: int = MAX_RUN_MINUTES
    data: YamlMap = field(default_factory=YamlMap)
    #: The sections plugins declared (``register_sections``) that the file has, read.
    plugin_settings: dict[str, Any] = field(default_factory=dict)

    def where(self, key: str | None = None, section: YamlMap | None = None) -> str:
        """Return ``crmflags.yaml:line`` for a key, for error messages."""
        if self.path is None:
            return "configuration"
        if section is not None and key is not None:
            return place(self.path, section.line_of(key))
        return str(self.path)

    def section(self, name: str) -> YamlMap:
        """Return the section of a connector (``csv:``, ``hubspot:``, ...), empty if none."""
        return self.sections.get(name, YamlMap())


def find_config(explicit: str | None) -> Path | None:
    """Return the configuration file to use: ``--config``, ``$CRMFLAGS_CONFIG`` or ./crmflags.yaml."""
    if explicit:
        return Path(explicit)
    if os.environ.get("CRMFLAGS_CONFIG"):
        return Path(os.environ["CRMFLAGS_CONFIG"])
    default = Path.cwd() / CONFIG_NAME
    return default if default.is_file() else None


def load_config(
    path: Path | None,
    connector_names: Collection[str],
    plugin_sections: Mapping[str, type] | None = None,
) -> Config:
    """Load and validate the configuration file (None: all defaults).

    ``connector_names`` may have a section each, read by the connector when it is
    used; ``plugin_sections`` are the sections plugins declared (name -> a dataclass of
    :func:`crmflags.sections.setting` fields), read and checked here.
    """
    if path is None:
        return Config()
    data = load_yaml(path)
    if data is None:
        return Config(path=path)
    if not isinstance(data, YamlMap):
        raise InputError("the configuration must be a mapping of settings", place(path, 1))
    plugin_sections = plugin_sections or {}
    known = set(CORE_KEYS) | set(connector_names) | set(plugin_sections)
    for key in data:
        if key not in known:
            raise InputError(
                f"unknown setting {key!r}{did_you_mean(key, sorted(known))}; "
                f"settings are {', '.join(sorted(known))}",
                place(path, data.line_of(key)),
            )
    _refuse_secrets(data, path)
    config = Config(path=path, data=data)
    config.connector = _string(data, "connector", path)
    config.ruleset = _string(data, "ruleset", path)
    config.settings = _settings(data, path)
    params = data.get("params")
    if params is not None:
        if not isinstance(params, YamlMap):
            raise InputError(
                "params must be a mapping of name: value", place(path, data.line_of("params"))
            )
        for name, value in params.items():
            if not is_finite_number(value):
                raise InputError(
                    f"param {name!r} must be a finite number", place(path, params.line_of(name))
                )
            config.params[str(name)] = value
            config.param_lines[str(name)] = params.line_of(name)
    if "state" in data:
        state = data["state"]
        if not isinstance(state, str) or not state.strip():
            raise InputError(
                "state must be the path of the state file", place(path, data.line_of("state"))
            )
        config.state_path = (path.parent / Path(state).expanduser()).resolve()
    if "full_read_days" in data:
        days = data["full_read_days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InputError(
                "full_read_days must be a whole number of days (0: always read everything)",
                place(path, data.line_of("full_read_days")),
            )
        config.full_read_days = days
    _safety_settings(config, data, path)
    for name in [*connector_names, *plugin_sections]:
        if name in data:
            section = data[name]
            if not isinstance(section, YamlMap):
                raise InputError(
                    f"{name} must be a mapping of settings", place(path, data.line_of(name))
                )
            if name in plugin_sections:
                config.plugin_settings[name] = read_section(
                    plugin_sections[name], section, name, path
                )
            else:
                config.sections[name] = section
    return config


def _safety_settings(config: Config, data: YamlMap, path: Path) -> None:
    """Read max_removals, keep_removed_days and max_run_minutes into ``config``."""
    if "max_removals" in data:
        share = data["max_removals"]
        match = (
            re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", share) if isinstance(share, str) else None
        )
        if match is None or float(match.group(1)) > 100:
            raise InputError(
                "max_removals must be a share of the known clients such as 20% (0% to 100%)",
                place(path, data.line_of("max_removals")),
            )
        config.max_removals = float(match.group(1)) / 100
    for key, unit in (("keep_removed_days", "days"), ("max_run_minutes", "minutes")):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(
                    f"{key} must be a whole number of {unit}, at least 1",
                    place(path, data.line_of(key)),
                )
            setattr(config, key, value)


def _refuse_secrets(node: Any, path: Path) -> None:
    """Stop at any key that would hold a secret: secrets never go in crmflags.yaml."""
    if isinstance(node, YamlMap):
        for key, value in node.items():
            if _SECRET.search(str(key)) and not str(key).endswith(("_file", "_env")):
                raise InputError(
                    f"{key!r}: secrets never go in crmflags.yaml; set them in the environment "
                    "(the connector's docs name the variable, e.g. HUBSPOT_TOKEN or "
                    "PIPEDRIVE_API_TOKEN) or name a file that holds them (token_file:)",
                    place(path, node.line_of(key)),
                )
            _refuse_secrets(value, path)
    elif isinstance(node, list):
        for item in node:
            _refuse_secrets(item, path)


_SECRET = re.compile(r"(token|secret|password|passwd|api_?key)$", re.IGNORECASE)


def _string(data: YamlMap, key: str, path: Path) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{key} must be a name", place(path, data.line_of(key)))
    return value


def _settings(data: YamlMap, path: Path) -> Settings:
    kwargs: dict[str, Any] = {}
    if "timezone" in data:
        name = data["timezone"]
        try:
            kwargs["timezone"] = ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError(
                f"unknown time zone {name!r} (use an IANA name such as Europe/Budapest)",
                place(path, data.line_of("timezone")),
            ) from None
        kwargs["timezone_name"] = str(name)
        kwargs["timezone_configured"] = True
    kwargs.update(parse_money_and_language(data, path))
    hours = data.get("business_hours")
    if hours is not None:
        kwargs["business_hours"] = parse_business_hours(hours, path, data.line_of("business_hours"))
    windows = data.get("windows")
    if windows is not None:
        if not isinstance(windows, YamlMap):
            raise InputError("windows must be a mapping", place(path, data.line_of("windows")))
        for key, value in windows.items():
            if key not in ("activity_days", "billing_days"):
                raise InputError(
                    f"unknown window {key!r}; windows are activity_days, billing_days",
                    place(path, windows.line_of(key)),
                )
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(
                    f"{key} must be a whole number of days", place(path, windows.line_of(key))
                )
            kwargs[key] = value
    return Settings(**kwargs)


def parse_money_and_language(data: YamlMap, path: Path) -> dict[str, Any]:
    """Read ``currency``, ``exchange_rates`` and ``language``; InputError with file:line."""
    kwargs: dict[str, Any] = {}
    if "language" in data:
        language = data["language"]
        if language not in LANGUAGES:
            raise InputError(
                f"language must be one of {', '.join(LANGUAGES)}, not {language!r}",
                place(path, data.line_of("language")),
            )
        kwargs["language"] = language
    currency = data.get("currency")
    if "currency" in data:
        if not isinstance(currency, str) or not ISO_CODE.match(currency.strip().upper()):
            raise InputError(
                f"currency must be an ISO 4217 code such as EUR or HUF, not {currency!r}",
                place(path, data.line_of("currency")),
            )
        currency = kwargs["currency"] = currency.strip().upper()
    rates = data.get("exchange_rates")
    if rates is None:
        return kwargs
    where = place(path, data.line_of("exchange_rates"))
    if not isinstance(rates, YamlMap):
        raise InputError(
            "exchange_rates must map currency codes to rates, e.g. {HUF: 0.0025}: one "
            "unit of that currency in the reporting currency",
            where,
        )
    if currency is None:
        raise InputError(
            "exchange_rates needs currency: (the reporting currency the rates convert into)",
            where,
        )
    converted = []
    for code, rate in rates.items():
        line = place(path, rates.line_of(code))
        if not isinstance(code, str) or not ISO_CODE.match(code.strip().upper()):
            raise InputError(f"{code!r} is not an ISO 4217 currency code such as HUF", line)
        if not is_finite_number(rate) or rate <= 0:
            raise InputError(
                f"the rate of {code} must be a number above 0 (one {code} in {currency}), "
                f"not {rate!r}",
                line,
            )
        code = code.strip().upper()
        if code == currency and rate != 1:
            raise InputError(f"{code} is the reporting currency: its rate is 1", line)
        converted.append((code, float(rate)))
    kwargs["exchange_rates"] = tuple(converted)
    return kwargs


def parse_business_hours(hours: Any, path: Path, line: int) -> BusinessHours:
    """Read a ``business_hours`` mapping (start, end, days); InputError with file:line."""
    if not isinstance(hours, YamlMap):
        raise InputError(
            "business_hours must be a mapping with start, end, days", place(path, line)
        )
    result: dict[str, Any] = {}
    for key, value in hours.items():
        where = place(path, hours.line_of(key))
        if key in ("start", "end"):
            result[key] = _clock(value, key, where)
        elif key == "days":
            if not isinstance(value, list) or not value:
                raise InputError("days must be a list such as [mon, tue, wed, thu, fri]", where)
            days = set()
            for day in value:
                name = str(day).lower()[:3]
                if name not in WEEKDAYS:
                    raise InputError(f"unknown day {day!r}; days are {', '.join(WEEKDAYS)}", where)
                days.add(WEEKDAYS.index(name))
            result["days"] = frozenset(days)
        else:
            raise InputError(f"unknown key {key!r}; business_hours has start, end, days", where)
    bh = BusinessHours(**result)
    if bh.start >= bh.end:
        raise InputError("business_hours start must be before end", place(path, line))
    return bh


def _clock(value: Any, key: str, where: str) -> time:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads 08:00 unquoted as a sexagesimal number of minutes.
        return time(value // 60, value % 60) if value < 24 * 60 else _bad_clock(key, value, where)
    try:
        clock = time.fromisoformat(str(value))
    except ValueError:
        return _bad_clock(key, value, where)
    if clock.tzinfo is not None:
        raise InputError(
            f"{key} must be a time of day without an offset; set timezone: instead", where
        )
    return clock


def _bad_clock(key: str, value: Any, where: str) -> time:
    raise InputError(f'{key} must be a time of day such as "08:00", not {value!r}', where)

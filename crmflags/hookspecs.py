"""The plugin contract of crmflags.

A plugin is a module (or object) with functions marked ``@crmflags.hookimpl`` whose
names are the hooks below; it is found through the entry-point group ``crmflags``
of its distribution::

    [project.entry-points.crmflags]
    mycrm = "crmflags_mycrm"

The built-in csv, hubspot and pipedrive connectors and the shipped rulesets are
plugins of exactly this kind. Every hook receives a ``register`` callable and
calls it once per thing it adds; a hook may leave out arguments it does not use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pluggy

from crmflags.events import LevelChange

hookspec = pluggy.HookspecMarker("crmflags")


@hookspec
def register_connectors(register: Callable[[type], None]) -> None:
    """Add connectors: call ``register(ConnectorClass)`` for each.

    ``ConnectorClass`` subclasses :class:`crmflags.connector.Connector` and sets
    ``name`` (the value of ``--connector``) and ``description``. A name already taken
    by another plugin is reported and the later registration is skipped.
    """


@hookspec
def register_rulesets(register: Callable[[Any], None]) -> None:
    """Add rulesets: call ``register(path)`` with a folder of ``*.yaml`` rulesets or one file.

    Rulesets are found by name (``--ruleset NAME``, ``extends: NAME``) in the order
    the folders were registered; the shipped rulesets come first.
    """


@hookspec
def register_csv_presets(register: Callable[[Path], None]) -> None:
    """Add presets of the csv connector: call ``register(path)`` with a folder of ``*.yaml``
    presets or one preset file.

    A preset maps a vendor's export files onto the CSV bundle: which files are read as
    clients.csv, invoices.csv, activities.csv, ..., and how their columns and values map
    (the format is in docs/csv-bundle.md). ``csv: {preset: NAME}`` in crmflags.yaml
    picks one by its file name; when two have the same name, the first registered wins,
    and the shipped ones (hubspot-export, pipedrive-export) come first.
    """


@hookspec
def register_metrics(register: Callable[..., None]) -> None:
    """Add client metrics: call ``register(name, compute, unit=..., description=...)``.

    ``compute(client, context)`` receives a :class:`crmflags.model.Client` and a
    :class:`crmflags.metric.MetricContext` (``as_of``, ``settings``, window starts)
    and returns a number, or None where the client has no value. ``unit`` is one of
    count, share, days, hours, money, rate, ratio, score, flag. Rulesets can compare the metric by
    ``name`` like any built-in one; a name that clashes with a built-in metric is
    reported and skipped.
    """


@hookspec
def register_sections(register: Callable[[str, type], None]) -> None:
    """Add sections of crmflags.yaml: call ``register(name, declaration)`` for each.

    ``declaration`` is a dataclass whose fields are :func:`crmflags.sections.setting`
    (each with its check, default and docs line). crmflags then accepts ``name:`` in
    crmflags.yaml, checks it when the file is loaded (every error names
    ``crmflags.yaml:line``, exit 2), and hands the dataclass it read to
    ``level_changed`` as ``sections[name]``. A name taken by crmflags' own settings, a
    connector or another plugin's section is reported and skipped.
    """


@hookspec
def level_changed(
    change: LevelChange, config: Mapping[str, Any], sections: Mapping[str, Any]
) -> None:
    """React to a client whose level changed in a sync (not in a dry run).

    Called once per such client after the sync has written to the source.
    ``change`` is a :class:`crmflags.events.LevelChange` (``source``, ``run_id``,
    ``client_id``, ``client_name``, ``old_level`` (None on the first sync),
    ``new_level``, ``tags``, ``reasons``); ``config`` is the whole of ``crmflags.yaml``
    as a mapping; ``sections`` maps the name of each section declared through
    ``register_sections`` that crmflags.yaml has to the dataclass read from it, so a
    notifier reads its own, checked section. A notifier must not fail the sync: an
    exception raised here is logged with the plugin's name and the sync goes on.
    """

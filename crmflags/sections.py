"""Sections of crmflags.yaml declared once: a dataclass whose fields say how each is read.

A connector or plugin declares its section as a dataclass; each field that comes from
the file is a :func:`setting`, with its check, default and one line of docs.
:func:`read_section` reads a section into it, with ``crmflags.yaml:line`` and the
closest name for every error; :func:`settings_table` renders the docs table::

    @dataclass(frozen=True)
    class SlackSection:
        channel: str = setting("the channel to post to", text("a channel"), required=True)
        levels: tuple[str, ...] = setting("levels posted", some_of(LEVELS, "level"), default=LEVELS)

A field without :func:`setting` is not read from the file: the connector gives it
(a token from the environment, an address from ``--base-url``).

A check turns the YAML value into the setting's value or raises
:class:`~crmflags.errors.InputError` at its line; the ones here cover numbers, names,
paths and addresses, and a plugin writes its own as a :class:`Check`.

A connector of a web API derives its section from :class:`ApiSettings` (token, address,
token file, timeout) and declares its rate with :func:`pacing`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crmflags.errors import InputError, did_you_mean, place

#: The file name errors show when the section did not come from a file.
DEFAULT_FILE = "crmflags.yaml"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class At:
    """Where a setting is: its key, the mapping that holds it, and the file."""

    key: str
    mapping: Mapping[str, Any]
    path: Path | str | None = None

    def where(self, mapping: Any = None, key: Any = None) -> str:
        """Return ``crmflags.yaml:line`` of the setting, or of ``key`` in a nested ``mapping``."""
        mapping = self.mapping if mapping is None else mapping
        key = self.key if key is None else key
        line_of = getattr(mapping, "line_of", None)
        return place(self.path or DEFAULT_FILE, line_of(key) if line_of else None)

    def error(self, message: str) -> InputError:
        """Return an InputError about this setting, at its line."""
        return InputError(message, self.where())

    def folder(self) -> Path | None:
        """Return the folder of crmflags.yaml (paths in it are relative to it), if known."""
        return Path(self.path).parent if self.path is not None else None


@dataclass(frozen=True)
class Check:
    """Turns a setting's YAML value into its value; raises InputError at its line.

    ``what`` says what the value is, for the docs table ("a whole number 1-250").
    """

    what: str
    read: Callable[[Any, At], Any]

    def __call__(self, value: Any, at: At) -> Any:
        """Return the setting's value read from ``value``, which sits at ``at``."""
        return self.read(value, at)


def setting(
    doc: str,
    check: Check,
    *,
    default: Any = None,
    default_factory: Callable[[], Any] | None = None,
    required: bool = False,
    transport: bool = False,
    shown_default: str | None = None,
) -> Any:
    """Declare a field of a section: its docs line, its check and its default.

    ``required`` settings have no default and must be in the file. ``transport``
    marks a setting that changes how a connector talks to its source (pacing, timeouts),
    not what it reads (see :attr:`crmflags.connector.Connector.transport_settings`).
    ``shown_default`` is the default as the docs table shows it, when ``repr`` of it
    is not what a user would write.
    """
    metadata = {
        "doc": doc,
        "check": check,
        "required": required,
        "transport": transport,
        "shown_default": shown_default,
    }
    if required:
        return dataclasses.field(default=None, metadata=metadata)
    if default_factory is not None:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def settings_of(declaration: type) -> list[dataclasses.Field]:
    """Return the fields of a section's dataclass that are read from the file, in order."""
    if not (isinstance(declaration, type) and dataclasses.is_dataclass(declaration)):
        raise TypeError(f"{declaration!r} is not a dataclass declaring a section")
    return [f for f in dataclasses.fields(declaration) if "check" in f.metadata]


def transport_keys(declaration: type) -> tuple[str, ...]:
    """Return the names of the section's settings marked ``transport``."""
    return tuple(f.name for f in settings_of(declaration) if f.metadata["transport"])


def section_values(
    declaration: type, section: Any, name: str, path: Path | str | None = None
) -> dict[str, Any]:
    """Check the section ``name:`` against its declaration; return the values it sets.

    Settings the section leaves out are not in the result (their defaults apply when
    the dataclass is made). Raises InputError at ``crmflags.yaml:line`` for a section
    that is not a mapping, an unknown key (naming the closest one), a missing required
    setting, or a value its check refuses.
    """
    fields = settings_of(declaration)
    keys = [f.name for f in fields]
    if not isinstance(section, Mapping):
        raise InputError(
            f"{name} must be a mapping of settings: {', '.join(keys)}",
            place(path or DEFAULT_FILE, getattr(section, "line", None)),
        )
    for key in section:
        if key not in keys:
            raise InputError(
                f"unknown {name} setting {key!r}{did_you_mean(key, keys)}; "
                f"settings are {', '.join(keys)}",
                At(str(key), section, path).where(),
            )
    values = {}
    for f in fields:
        at = At(f.name, section, path)
        if f.name in section:
            values[f.name] = f.metadata["check"](section[f.name], at)
        elif f.metadata["required"]:
            raise InputError(f"{name} needs {f.name}: ({f.metadata['check'].what})", at.where())
    return values


def read_section(
    declaration: type,
    section: Any,
    name: str,
    path: Path | str | None = None,
    **given: Any,
) -> Any:
    """Return the section ``name:`` read into its dataclass (see :func:`section_values`).

    ``given`` fills the fields that are not settings (a token, an address).
    """
    return declaration(**given, **section_values(declaration, section, name, path))


def settings_table(declaration: type) -> str:
    """Return the Markdown table of a section's settings: name, value, default, meaning."""
    rows = ["| setting | value | default | what it does |", "|---|---|---|---|"]
    for f in settings_of(declaration):
        check, doc = f.metadata["check"], f.metadata["doc"]
        rows.append(f"| `{f.name}` | {check.what} | {_default(f)} | {doc} |")
    return "\n".join(rows) + "\n"


def _default(f: dataclasses.Field) -> str:
    if f.metadata["required"]:
        return "required"
    if f.metadata["shown_default"] is not None:
        return f.metadata["shown_default"]
    value = f.default_factory() if callable(f.default_factory) else f.default
    if isinstance(value, Mapping):
        value = [f"{key}: {name}" for key, name in value.items() if name is not None]
    if value is None or not value and isinstance(value, (tuple, list, frozenset)):
        return "none"
    if isinstance(value, (tuple, list, frozenset)):
        return ", ".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"`{value}`" if isinstance(value, str) else str(value)


# ----- checks ---------------------------------------------------------------------------


def whole_number(low: int, high: int) -> Check:
    """A whole number from ``low`` to ``high``."""

    def read(value: Any, at: At) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise at.error(f"{at.key} must be a whole number {low}-{high}")
        return value

    return Check(f"a whole number {low}-{high}", read)


def seconds() -> Check:
    """A number of seconds above 0 (a timeout)."""

    def read(value: Any, at: At) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise at.error(f"{at.key} must be a number of seconds above 0")
        return float(value)

    return Check("seconds", read)


def text(what: str) -> Check:
    """Non-empty text (``what`` names it: "a channel name"), stripped."""

    def read(value: Any, at: At) -> str:
        if not isinstance(value, str) or not value.strip():
            raise at.error(f"{at.key} must be {what}")
        return value.strip()

    return Check(what, read)


def one_of(choices: Collection[str]) -> Check:
    """One of ``choices``."""

    def read(value: Any, at: At) -> str:
        if value not in choices:
            raise at.error(
                f"{at.key} must be one of {', '.join(choices)}, not {value!r}"
                f"{did_you_mean(value, choices)}"
            )
        return value

    return Check(f"one of {', '.join(choices)}", read)


def some_of(choices: tuple[str, ...], what: str) -> Check:
    """A non-empty list of some of ``choices`` (``what`` names one: "level"), in their order."""

    def read(value: Any, at: At) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise at.error(f"{at.key} must be a list of some of {', '.join(choices)}")
        for item in value:
            if item not in choices:
                raise at.error(
                    f"unknown {what} {item!r}{did_you_mean(item, choices)}; "
                    f"{what}s are {', '.join(choices)}"
                )
        return tuple(choice for choice in choices if choice in value)

    return Check(f"a list of some of {', '.join(choices)}", read)


def names(what: str) -> Check:
    """A list of names (``what`` names one: "HubSpot property name"), each stripped."""

    def read(value: Any, at: At) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise at.error(f"{at.key} must be a list of {what}s")
        return tuple(v.strip() for v in value)

    return Check(f"a list of {what}s", read)


def path(what: str) -> Check:
    """The path of ``what`` ("a folder", "a file holding the token"), relative to
    crmflags.yaml's folder."""

    def read(value: Any, at: At) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise at.error(f"{at.key} must be the path of {what}")
        result = Path(value).expanduser()
        folder = at.folder()
        return folder / result if folder is not None and not result.is_absolute() else result

    return Check(f"the path of {what}", read)


def http_url() -> Check:
    """An http:// or https:// address with a host."""

    def read(value: Any, at: At) -> str:
        good = isinstance(value, str) and not any(c.isspace() for c in value)
        if good:
            try:
                parts = urlsplit(value)
                good = parts.scheme in ("http", "https") and bool(parts.hostname)
                good = good and parts.port != 0
            except ValueError:  # a port that is not a number, a broken IPv6 address
                good = False
        if not good:
            raise at.error(f"{at.key} must be an http:// or https:// address")
        return value

    return Check("an http:// or https:// address", read)


def env_var() -> Check:
    """The name of an environment variable; a bad value is not echoed (it may be a secret)."""

    def read(value: Any, at: At) -> str:
        if not isinstance(value, str) or not _ENV_NAME.fullmatch(value):
            raise at.error(
                f"{at.key} must be the name of an environment variable (letters, digits, _)"
            )
        return value

    return Check("the name of an environment variable", read)


def field_names(defaults: Mapping[str, str | None], what: str) -> Check:
    """A mapping of crmflags fields (the keys of ``defaults``) to the source's field names.

    ``what`` names a source field ("HubSpot property name"); a value may be null (the
    field is not kept). The result is ``defaults`` with the mapping's names put in.
    """

    def read(value: Any, at: At) -> dict[str, str | None]:
        if not isinstance(value, Mapping):
            raise at.error(f"{at.key} must map crmflags fields ({', '.join(defaults)}) to {what}s")
        result = dict(defaults)
        for name, source_name in value.items():
            if name not in defaults:
                raise InputError(
                    f"unknown field {name!r}{did_you_mean(name, defaults)} under {at.key}; "
                    f"fields are {', '.join(defaults)}",
                    at.where(value, name),
                )
            if source_name is not None and (
                not isinstance(source_name, str) or not source_name.strip()
            ):
                raise InputError(
                    f"{at.key}: {name} must be a {what} (or null)", at.where(value, name)
                )
            result[name] = source_name.strip() if source_name else None
        return result

    return Check(f"a mapping of crmflags field: {what}", read)


# ----- what connectors of web APIs share ----------------------------------------------


def pacing(most: int, default: int, below: str) -> Any:
    """Declare a connector's pacing: requests per window of its API, from 1 to ``most``.

    ``below`` names the limit the default stays under ("your app's burst limit"). A
    transport setting: a new pace keeps an incremental snapshot.
    """
    return setting(f"pacing, below {below}", whole_number(1, most), default=default, transport=True)


@dataclass(frozen=True)
class ApiSettings:
    """The settings every connector of a web API shares; its section's dataclass derives
    from this one and adds its own settings after these.

    ``token`` (from the environment or ``token_file``) and ``base_url`` (``--base-url``,
    else the API's address) are given by the connector; ``token_file`` and ``timeout``
    are settings of the section.
    """

    token: str = dataclasses.field(repr=False)
    base_url: str
    token_file: Path | None = setting(
        "the file holding the token, read when the environment has none",
        path("a file holding the token"),
    )
    timeout: float = setting("seconds per request", seconds(), default=30.0, transport=True)

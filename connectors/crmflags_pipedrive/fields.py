"""Organization fields: names to 40-character keys, option ids to labels, and back.

Pipedrive addresses each custom field by a random 40-character key (``field_code`` in
API v2) that differs per company (reference §10); crmflags and its users name fields
by their names, and :class:`FieldMap` resolves them from
``GET /api/v2/organizationFields``. Option fields (``enum``, ``set``) hold option ids;
the map turns them into labels when reading and labels into ids when writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crmflags.errors import InputError, did_you_mean
from crmflags_pipedrive.client import PipedriveClient

FIELDS_PATH = "/api/v2/organizationFields"
#: What Pipedrive's app calls each field type (the API's ``field_type``).
TYPE_NAMES = {
    "varchar": "Text",
    "text": "Large text",
    "set": "Multiple options",
    "enum": "Single option",
    "double": "Numerical",
    "monetary": "Monetary",
    "date": "Date",
    "daterange": "Date range",
    "time": "Time",
    "timerange": "Time range",
    "phone": "Phone",
    "address": "Address",
    "varchar_auto": "Autocomplete",
    "org": "Organization",
    "people": "Person",
    "user": "User",
}


def type_name(field_type: str) -> str:
    """Return a field type as the app shows it with the API's name: ``Large text (text)``."""
    shown = TYPE_NAMES.get(field_type)
    return f"{shown} ({field_type})" if shown else repr(field_type)


@dataclass(frozen=True)
class OrgField:
    """One organization field: its key, name, type and (option fields) options by id."""

    code: str
    name: str
    field_type: str
    custom: bool
    options: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_api(cls, item: Mapping[str, Any]) -> OrgField:
        """Build from a v2 ``organizationFields`` item."""
        options: dict[int, str] = {}
        listed = item.get("options")
        for option in listed if isinstance(listed, list) else []:
            if isinstance(option, Mapping) and _option_id(option.get("id")) is not None:
                options[_option_id(option["id"])] = str(option.get("label") or "")  # type: ignore[index]
        return cls(
            code=str(item.get("field_code") or item.get("key") or ""),
            name=str(item.get("field_name") or item.get("name") or ""),
            field_type=str(item.get("field_type") or ""),
            custom=bool(item.get("is_custom_field", item.get("edit_flag", False))),
            options=options,
        )

    def raw(self, org: Mapping[str, Any]) -> Any:
        """Return this field's value on a v2 organization (custom ones in ``custom_fields``)."""
        if self.custom:
            return (org.get("custom_fields") or {}).get(self.code)
        return org.get(self.code)

    def text(self, org: Mapping[str, Any]) -> str | None:
        """Return the value as text: option labels (``;`` between several), a money amount."""
        value = self.raw(org)
        if value is None or value == "" or value == []:
            return None
        if self.field_type in ("enum", "set"):
            labels = [self.options.get(_option_id(i), str(i)) for i in _ids(value)]  # type: ignore[arg-type]
            return ";".join(sorted(labels)) if labels else None
        if isinstance(value, Mapping):
            value = value.get("value", value.get("label"))
            if value is None:
                return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def option_ids(self, labels: Iterable[str]) -> tuple[list[int], list[str]]:
        """Return the option ids of ``labels`` and the labels this field has no option for."""
        by_label = {label: option for option, label in self.options.items()}
        found = [by_label[label] for label in labels if label in by_label]
        missing = [label for label in labels if label not in by_label]
        return found, missing


class FieldMap:
    """The organization fields of one company, by name."""

    def __init__(self, fields: Iterable[OrgField]) -> None:
        self.by_name: dict[str, OrgField] = {}
        for item in fields:
            self.by_name.setdefault(item.name, item)

    @classmethod
    def read(cls, http: PipedriveClient) -> FieldMap:
        """Read every organization field (``GET /api/v2/organizationFields``, paged)."""
        return cls(OrgField.from_api(i) for i in http.pages_v2(FIELDS_PATH, key="field_code"))

    def get(self, name: str | None) -> OrgField | None:
        """Return the field called ``name`` (exactly, else ignoring case), None if none is."""
        if not name:
            return None
        if name in self.by_name:
            return self.by_name[name]
        folded = name.casefold()
        return next((f for n, f in self.by_name.items() if n.casefold() == folded), None)

    def require(self, name: str, where: str) -> OrgField:
        """Return the field called ``name``; raise InputError naming ``where`` if none is."""
        found = self.get(name)
        if found is None:
            raise InputError(
                f"Pipedrive has no organization field named {name!r}"
                f"{did_you_mean(name, sorted(self.by_name))}",
                where,
            )
        return found


def _ids(value: Any) -> list[Any]:
    """Option ids from a v2 list, a v1 comma string, or ``{id, label}`` objects."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    values = value if isinstance(value, list) else [value]
    return [v.get("id") if isinstance(v, Mapping) else v for v in values]


def _option_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

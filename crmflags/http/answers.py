"""The JSON a service answered, read only in the shapes its documentation gives.

A proxy's ``{"ok": true}``, a maintenance page or a half-written answer must never be
read as "no records": a full read that finds no records makes crmflags forget every
client. So an :class:`Answer` hands out its parts only when they have the documented
type, and raises the service's error (exit 5) naming the call and the part otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import requests

from crmflags.errors import CrmError
from crmflags.logs import redact


def json_body(response: requests.Response) -> Any:
    """Return the decoded JSON of a response, None when it is not JSON (or nested too deep)."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


class Answer(Mapping[str, Any]):
    """The JSON object one call was answered with, and checked reads of its parts.

    ``call`` names the call in messages (``GET /crm/v3/objects/companies``); ``error``
    is the exception class raised for a shape the service never documents.
    """

    def __init__(
        self,
        body: Mapping[str, Any],
        *,
        status: int = 200,
        call: str = "the call",
        service: str = "the service",
        error: type[CrmError] = CrmError,
        where: str = "",
    ) -> None:
        self.body = body
        self.status = status
        self.call = call
        self.service = service
        self.error = error
        self.where = where

    @classmethod
    def of(
        cls,
        response: requests.Response,
        *,
        call: str,
        service: str,
        error: type[CrmError] = CrmError,
    ) -> Answer:
        """Read a successful response's JSON object ({} for 204 or no body).

        Raises ``error`` naming the service, the call and the status when the body is
        not a JSON object (a proxy's HTML page, a truncated or malformed answer).
        """
        status = response.status_code
        body = {} if status == 204 or not response.content else json_body(response)
        if not isinstance(body, dict):
            raise error(redact(f"{service} answered {call} with {status} but no JSON object"))
        return cls(body, status=status, call=call, service=service, error=error)

    def __getitem__(self, key: str) -> Any:
        return self.body[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.body)

    def __len__(self) -> int:
        return len(self.body)

    def inner(self, record: Mapping[str, Any], where: str) -> Answer:
        """Return one object of this answer (e.g. ``results[3]``) to read its parts the same way."""
        return Answer(
            record,
            status=self.status,
            call=self.call,
            service=self.service,
            error=self.error,
            where=self._name((where,)),
        )

    def records(
        self,
        *path: str,
        missing_ok: bool = False,
        null_ok: bool = False,
        key: str | None = "id",
        objects: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        """Return the list of objects at ``path``, each with a ``key`` (an id) when given.

        A missing list is an error unless ``missing_ok``, a null one unless ``null_ok``
        (both then read as no records); anything but a list of such objects is an error,
        and so is an item whose ``objects`` (e.g. ``properties``) are there but not objects.
        """
        value = self._at(path)
        if value is None:
            absent = not self._has(path)
            if (missing_ok and absent) or (null_ok and not absent):
                return []
            raise self.fault(f"{self._name(path)} is {'missing' if absent else 'null'}")
        if not isinstance(value, list):
            raise self.fault(f"{self._name(path)} is {_kind(value)}, not a list")
        for number, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fault(f"{self._name(path)}[{number}] is {_kind(item)}, not an object")
            if key is not None and not _is_id(item.get(key)):
                raise self.fault(f"{self._name(path)}[{number}] has no {key}")
            for part in objects:
                if item.get(part) is not None and not isinstance(item[part], Mapping):
                    raise self.fault(
                        f"{self._name(path)}[{number}].{part} is {_kind(item[part])}, not an object"
                    )
        return value

    def part(self, *path: str) -> Mapping[str, Any]:
        """Return the object at ``path`` ({} when it is missing or null); an error if not one."""
        value = self._at(path)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fault(f"{self._name(path)} is {_kind(value)}, not an object")
        return value

    def text(self, *path: str) -> str | None:
        """Return the text (or whole number, as text) at ``path``; None when missing or null."""
        value = self._at(path)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if _is_id(value):
            return str(value)
        raise self.fault(f"{self._name(path)} is {_kind(value)}, not text")

    def flag(self, *path: str) -> bool | None:
        """Return the true/false at ``path``; None when missing or null."""
        value = self._at(path)
        if value is None or isinstance(value, bool):
            return value
        raise self.fault(f"{self._name(path)} is {_kind(value)}, not true or false")

    def fault(self, what: str) -> CrmError:
        """Return the error for a part in a shape the service never documents."""
        return self.error(
            redact(
                f"{self.service} answered {self.call} with {self.status} in a shape it does not "
                f"document ({what}); a proxy, a captive portal or a maintenance page may be in "
                "the way. Nothing was changed: run again later"
            )
        )

    def _name(self, path: tuple[str, ...]) -> str:
        """Name a part in messages: ``results[3].from.id``."""
        return ".".join(p for p in (self.where, *path) if p) or "the body"

    def _at(self, path: tuple[str, ...]) -> Any:
        value: Any = self.body
        for number, step in enumerate(path):
            if value is None:
                return None
            if not isinstance(value, Mapping):
                raise self.fault(f"{self._name(path[:number])} is {_kind(value)}, not an object")
            value = value.get(step)
        return value

    def _has(self, path: tuple[str, ...]) -> bool:
        value: Any = self.body
        for step in path:
            if not isinstance(value, Mapping) or step not in value:
                return False
            value = value[step]
        return True


def _is_id(value: Any) -> bool:
    return (isinstance(value, str) and value != "") or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _kind(value: Any) -> str:
    """Say what a JSON value is: ``null``, ``the text 'x'``, ``a number``, ``a list``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        shown = value if len(value) <= 20 else value[:20] + "…"
        return f"the text {shown!r}"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "an object"

"""The incremental cursor: where the next read starts, and the organizations we wrote.

A PATCH moves an organization's ``update_time`` (reference §11) and answers with the
organization, its new ``update_time`` included. The cursor remembers that time for each
organization a run wrote (when the answer showed nobody had changed its own fields since
the run read it), so the next read leaves it alone while its ``update_time`` is still
that one; an edit after the write moves the time, and the organization is read again.

The text is the RFC 3339 moment alone when nothing is remembered (the form earlier
versions stored), else JSON: ``{"at": "2026-11-23T17:05:00Z", "written": {"1001":
"2026-11-23T17:06:12Z"}}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Cursor:
    """The moment a read began (RFC 3339 UTC) and ``written``: org id -> update_time."""

    at: str
    written: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """Read a stored cursor; ValueError when it is not one this connector wrote."""
        text = text.strip()
        if not text.startswith("{"):
            moment(text)
            return cls(text)
        try:
            data = json.loads(text)
            at = str(data["at"])
            written = {str(i): str(stamp) for i, stamp in data.get("written", {}).items()}
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"{text[:40]!r} is not a Pipedrive cursor") from exc
        moment(at)
        return cls(at, written)

    def text(self) -> str:
        """Return the cursor as the text the core stores."""
        if not self.written:
            return self.at
        return json.dumps({"at": self.at, "written": dict(self.written)}, separators=(",", ":"))

    def since(self, lookback_minutes: int) -> datetime:
        """Return where a read from this cursor starts: its moment less the lookback."""
        return moment(self.at) - timedelta(minutes=lookback_minutes)

    def is_ours(self, org: Mapping[str, object]) -> bool:
        """Tell whether the organization is as our last write left it (same update_time)."""
        stamp = self.written.get(str(org.get("id")))
        return stamp is not None and stamp == org.get("update_time")

    def with_written(self, written: Mapping[str, str], lookback_minutes: int) -> Cursor:
        """Return this cursor remembering ``written`` too, less what the next read from
        it cannot meet (update times before its start)."""
        start = self.since(lookback_minutes)
        kept = {
            org_id: stamp
            for org_id, stamp in {**self.written, **written}.items()
            if _after(stamp, start)
        }
        return Cursor(self.at, kept)


def moment(text: str) -> datetime:
    """Return the moment an RFC 3339 time names; ValueError if it is none or has no zone."""
    found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if found.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return found


def _after(stamp: str, start: datetime) -> bool:
    try:
        return moment(stamp) >= start
    except ValueError:
        return False

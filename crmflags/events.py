"""What notifier plugins are told, and how they report a problem (``level_changed``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LevelChange:
    """A client whose level changed in a sync; ``old_level`` is None on the first sync.

    ``reasons`` are dicts as in the JSON result: rule, tag, weight, message,
    evidence, advice.
    """

    source: str
    run_id: int
    client_id: str
    client_name: str
    old_level: str | None
    new_level: str
    tags: list[str]
    reasons: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        """Return the change as the webhook's JSON body (``"event": "level_changed"``)."""
        return {
            "event": "level_changed",
            "source": self.source,
            "run_id": self.run_id,
            "client": {"id": self.client_id, "name": self.client_name},
            "old_level": self.old_level,
            "new_level": self.new_level,
            "tags": list(self.tags),
            "reasons": [dict(reason) for reason in self.reasons],
        }


class NotifyProblem(Exception):
    """Raised by a ``level_changed`` hook to report a problem in its own words."""

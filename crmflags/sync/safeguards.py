"""What a sync checks before it trusts a read: nothing it could not take back happens blind.

A sync acts on two memories, the source's and the state store's, and each can be
silently wrong: a CRM (or the proxy before it) can answer a full read with no clients,
and a state store can be deleted, truncated or pointed elsewhere. Either way a sync
that went on would forget what people decided (snoozes, acks) or take their edits of
the risk fields for its own. So, before anything is written:

- **The removal valve.** A read that would forget more than ``max_removals`` (crmflags.yaml,
  default 20%) of the clients the last run saw, or all of them, stops with the numbers;
  ``--allow-removals`` lets it through.
- **No silent new memory.** A store that has never synced this source, beside a source
  whose clients already hold risk values, stops: the store that remembered it is missing,
  empty or another one. ``--new-state`` starts a new memory on purpose.

Both stop with exit 2 (bad input, nothing written, contracts §3): the answer is
well-formed (a malformed one is the connector's exit 5), but it contradicts what the
store knows, and only a person can tell which side is right.
"""

from __future__ import annotations

from dataclasses import dataclass

from crmflags.errors import InputError
from crmflags.evaluation.evaluate import Evaluation
from crmflags.loading.config import KEEP_REMOVED_DAYS, MAX_REMOVALS
from crmflags.model import RISK_FIELDS
from crmflags.sync.state import StateStore
from crmflags.sync.state.records import Result

#: How many client ids an error names before it says "and N more".
SHOWN_IDS = 5


@dataclass(frozen=True)
class Safety:
    """How a sync guards the memory: crmflags.yaml's settings and the command's flags."""

    max_removals: float = MAX_REMOVALS
    keep_removed_days: int = KEEP_REMOVED_DAYS
    allow_removals: bool = False
    new_state: bool = False


def seen_clients(evaluation: Evaluation) -> set[str]:
    """Return the ids a read returned: the clients evaluated and those whose record failed."""
    seen = {result.client.id for result in evaluation.results}
    return seen | {failure.client_id for failure in evaluation.failures if failure.client_id}


def gone_clients(known: dict[str, Result], evaluation: Evaluation) -> set[str]:
    """Return the clients with a last result that this read did not return at all."""
    return set(known) - seen_clients(evaluation)


def check_removals(source: str, known: dict[str, Result], gone: set[str], max_share: float) -> None:
    """Stop a sync that would forget too many of the clients the last run saw.

    ``known`` are the last results of the source; the clients counted are those of the
    latest run that recorded results (a client already missing from that run was not
    seen "now", and forgetting it proves nothing about this read). Raises InputError
    when more than ``max_share`` of them, or all of them, are ``gone``.
    """
    if not known:
        return
    latest = max(result.run_id for result in known.values())
    counted = {cid for cid, result in known.items() if result.run_id == latest}
    leaving = gone & counted
    if not leaving or (len(leaving) < len(counted) and len(leaving) <= max_share * len(counted)):
        return
    raise InputError(
        f"this sync would forget {len(leaving)} of the {len(counted)} clients of {source} that "
        f"the last run (run {latest}) saw ({len(leaving) / len(counted):.0%}; max_removals "
        f"allows {max_share:.0%}): {_some(leaving)} are not in what the source answered. Nothing "
        "was written or forgotten. If the source answered wrongly (an empty or cut export, a "
        "filtered view, another account, a proxy or maintenance page), fix it and sync again; "
        "if they really left, sync with --allow-removals (what people decided about them is "
        "kept for keep_removed_days in case they come back)"
    )


def check_new_state(store: StateStore, source: str, evaluation: Evaluation) -> None:
    """Stop a sync when the store is new to a source whose clients hold risk values already.

    A store that never synced the source cannot tell crmflags' values from a person's
    edits, nor knows the snoozes and acks set on them: the store that did is missing,
    empty (a 0-byte file) or another one. Raises InputError naming the store.
    """
    if store.runs(source, limit=1):
        return
    marked = [
        (result.client.id, name, result.client.risk[name])
        for result in evaluation.results
        for name in RISK_FIELDS
        if result.client.risk.get(name)
    ]
    if not marked:
        return
    client_id, name, value = marked[0]
    clients = len({marked_id for marked_id, _, _ in marked})
    raise InputError(
        f"the state store has no record of {source}, but {clients} of its clients already "
        f"hold risk values crmflags writes (e.g. {client_id} {name} {value!r}): the store "
        "that remembered this source is missing, empty or another one, and a sync now would "
        "take people's edits of those fields for its own and raise snoozed tags again. "
        "Nothing was written. Restore the state store from your backup (or point --state, or "
        "state: in crmflags.yaml, at it); to start a new memory of this source on purpose, "
        "sync with --new-state",
        str(store.path),
    )


def _some(ids: set[str]) -> str:
    """Return ``c-1, c-2, c-3, c-4, c-5 and 14 more`` (sorted, at most SHOWN_IDS named)."""
    shown = sorted(ids)[:SHOWN_IDS]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")

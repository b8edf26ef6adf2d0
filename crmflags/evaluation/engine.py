"""The one module that talks to durable_rules (the Rete engine that evaluates rules).

durable_rules is an unmaintained C extension with hazards measured in
``shared/reference/durable_rules.md``; this module uses it only in the pattern that
measured exact and deterministic:

* a Host subclass whose ``_run`` starts no timer threads, so every action runs inline;
* one ruleset compiled from a validated :class:`crmflags.rules.ruleset.Ruleset` (a deep copy,
  since durable_rules mutates it), every pattern guarded by ``kind == "client"`` so
  the state fact it re-asserts after an action can never match (no endless re-firing),
  plus a catch-all rule so no fact is "not handled";
* facts, never events (events are consumed by the first rule that matches);
* clients under a constant session id and fact ids ``1``, ``2``, ... (client ids are
  never given to the engine: it hashes them to 32 bits and merges colliding ones): one
  at a time, or up to BATCH_FACTS facts in one session, with the session deleted after
  each client or batch, so no more than one session is ever alive;
* only finite numbers reach the engine; a metric without a value is left out of the
  fact, and comparisons on a missing attribute are false. Its JSON reader rejects a
  number written with an exponent but no decimal point (``1e-05``, ``1e+16``, which is
  how Python writes d x 10^k for tiny and huge k); such a number, value or threshold
  alike, is moved one step (one ulp) towards zero, which keeps every order and equality
  except against that exact neighbouring float;
* swallowed action exceptions are looked for in the returned state;
* the native ruleset is freed when the evaluation ends.
"""

from __future__ import annotations

import copy
import math
import platform
import re
import shlex
import sys
from importlib import metadata

from crmflags.errors import CrmflagsError
from crmflags.evaluation.metrics import clean_value
from crmflags.rules.conditions import AllOf, Comparison, Condition
from crmflags.rules.ruleset import Ruleset

try:
    import durable_rules_engine as _native
    from durable import engine as _durable
except Exception as exc:  # ImportError, or OSError/undefined symbol from the C module
    _durable = None
    _IMPORT_ERROR: Exception | None = exc
else:
    _IMPORT_ERROR = None

_RULESET = "crmflags"
_SESSION = "0"
_FACT_ID = "1"
#: Clients asserted in one session by :meth:`RuleEngine.match_all`; the reference measured
#: batches of 1,000 facts (with a catch-all rule) exact and about 25% faster than one at a time.
BATCH_FACTS = 1000
_OPERATORS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}


class EngineUnavailable(CrmflagsError):
    """durable_rules cannot be imported on this Python (exit 2)."""


class EngineError(CrmflagsError):
    """durable_rules failed while evaluating a client."""


def _require_engine() -> None:
    if _IMPORT_ERROR is not None:
        raise EngineUnavailable(
            f"the rule engine durable_rules could not be loaded ({type(_IMPORT_ERROR).__name__}: "
            f"{_IMPORT_ERROR}). durable-rules is a C extension, compiled when it is installed: "
            "it needs a C compiler and the Python headers (Debian/Ubuntu: sudo apt-get install "
            f"gcc python3-dev). To rebuild it for this Python ({platform.python_version()}, "
            f"{sys.executable}), run:\n  {_repair_command()}\nsee docs/getting-started.md"
        )


def _repair_command() -> str:
    """The shell line that rebuilds durable-rules for the running Python and its environment.

    The define lets it compile on Python 3.13 (and changes nothing before); no pip cache, since
    a broken build of the same version would be reused from it.
    """
    return (
        f"CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject {shlex.quote(sys.executable)} -m pip "
        f"install --no-cache-dir --force-reinstall --no-deps {shlex.quote(_durable_requirement())}"
    )


def _durable_requirement() -> str:
    """durable-rules as crmflags' installed metadata pins it (``durable-rules==2.0.28``)."""
    try:
        requirements = metadata.requires("crmflags") or []
    except metadata.PackageNotFoundError:  # run from a source folder, not installed
        requirements = []
    for requirement in requirements:
        name = re.split(r"[\s;=<>!~\[(]", requirement, maxsplit=1)[0]
        if re.sub(r"[-_.]+", "-", name).lower() == "durable-rules":
            return requirement.split(";")[0].replace(" ", "")
    return "durable-rules"


if _durable is not None:

    class _InlineHost(_durable.Host):
        """A durable_rules Host that starts no background threads."""

        def _run(self):
            """Start nothing: actions run inline in ``assert_fact``."""


def _fact_key(metric: str) -> str:
    return f"m_{metric}"


def engine_number(value: float) -> float:
    """Return ``value`` in a form durable_rules' JSON reader accepts (see the module doc)."""
    if 1e-4 <= abs(value) < 1e16 or value == 0:
        return value  # repr writes these without an exponent
    text = repr(value)
    if "e" in text and "." not in text:
        return math.nextafter(value, 0.0)
    return value


def _compile_condition(condition: Condition, params: dict[str, float]) -> dict:
    if isinstance(condition, Comparison):
        key, value = _fact_key(condition.metric), engine_number(float(condition.threshold(params)))
        if condition.op == "==":
            return {key: value}
        return {_OPERATORS[condition.op]: {key: value}}
    joiner = "$and" if isinstance(condition, AllOf) else "$or"
    return {joiner: [_compile_condition(item, params) for item in condition.items]}


def compile_ruleset(ruleset: Ruleset) -> dict:
    """Return the durable_rules definition of a ruleset (without actions).

    Rule ``r<i>`` is the i-th rule of the ruleset; ``catch_all`` matches every client.
    """
    params = ruleset.param_values()
    definition = {}
    for index, rule in enumerate(ruleset.rules):
        pattern = {"$and": [{"kind": "client"}, _compile_condition(rule.when, params)]}
        definition[f"r{index}"] = {"all": [{"m": pattern}], "pri": index}
    definition["catch_all"] = {"all": [{"m": {"kind": "client"}}], "pri": len(ruleset.rules)}
    return definition


class RuleEngine:
    """A ruleset compiled into durable_rules; evaluates one client's metrics at a time.

    Use it as a context manager so the native ruleset is freed::

        with RuleEngine(ruleset) as engine:
            matched = engine.match(metrics)
    """

    def __init__(self, ruleset: Ruleset):
        _require_engine()
        self._keys = [(name, _fact_key(name)) for name in ruleset.metrics_read()]
        self._fired: list[tuple[str, str]] = []
        definition = compile_ruleset(ruleset)
        for key, rule in definition.items():
            rule["run"] = self._recorder(key)
        self._host = _InlineHost()
        try:
            self._host.set_rulesets({_RULESET: copy.deepcopy(definition)})
        except Exception as exc:
            raise EngineError(f"durable_rules rejected ruleset {ruleset.name!r}: {exc}") from None
        self._handle = self._host.get_ruleset(_RULESET)._handle

    def _recorder(self, key: str):
        def record(c):
            self._fired.append((key, c.m.id))

        return record

    def _fact(self, metrics: dict[str, float | None], fact_id: str) -> dict:
        fact: dict = {"kind": "client", "sid": _SESSION, "id": fact_id}
        for name, key in self._keys:
            value = clean_value(metrics.get(name))
            if value is not None:
                fact[key] = engine_number(value)
        return fact

    def match(self, metrics: dict[str, float | None]) -> list[int]:
        """Return the indexes of the rules whose conditions hold, in ruleset order."""
        if self._handle is None:
            raise EngineError("the rule engine was already closed")
        self._fired.clear()
        try:
            state = self._host.assert_fact(_RULESET, self._fact(metrics, _FACT_ID))
        except Exception as exc:
            self._forget_session()
            raise EngineError(f"durable_rules failed: {type(exc).__name__}: {exc}") from None
        self._forget_session()
        if isinstance(state, dict) and "exception" in state:
            raise EngineError(f"durable_rules action failed: {state['exception']}")
        return sorted({int(key[1:]) for key, _ in self._fired if key != "catch_all"})

    def match_all(self, batch: list[dict[str, float | None]]) -> list[list[int] | EngineError]:
        """Return :meth:`match` of each metrics dict, or the EngineError it raises.

        The clients go to the engine BATCH_FACTS at a time, as facts of one session
        with fact ids ``1``, ``2``, ... (never client ids), and the session is deleted
        after each batch. A batch the engine fails on is matched again one client at a
        time, so a fault stays with the client that caused it.
        """
        if self._handle is None:
            raise EngineError("the rule engine was already closed")
        results: list[list[int] | EngineError] = []
        for start in range(0, len(batch), BATCH_FACTS):
            part = batch[start : start + BATCH_FACTS]
            facts = [self._fact(metrics, str(i + 1)) for i, metrics in enumerate(part)]
            self._fired.clear()
            try:
                state = self._host.assert_facts(_RULESET, facts)
            except Exception:
                state = {"exception": "batch failed"}
            self._forget_session()
            if isinstance(state, dict) and "exception" in state:
                results += [self._match_or_error(metrics) for metrics in part]
                continue
            fired: list[set[int]] = [set() for _ in part]
            for key, fact_id in self._fired:
                if key != "catch_all":
                    fired[int(fact_id) - 1].add(int(key[1:]))
            results += [sorted(indexes) for indexes in fired]
        return results

    def _match_or_error(self, metrics: dict[str, float | None]) -> list[int] | EngineError:
        try:
            return self.match(metrics)
        except EngineError as exc:
            return exc

    def _forget_session(self) -> None:
        """Delete the session so the next client starts clean; a session that was never
        created (the fact was refused) leaves nothing to delete."""
        try:
            self._host.delete_state(_RULESET, _SESSION)
        except Exception:  # durable_rules raises when there is no such session
            pass

    def close(self) -> None:
        """Free the native ruleset; the engine cannot be used afterwards."""
        if self._handle is not None:
            _native.delete_ruleset(self._handle)
            self._handle = None

    def __enter__(self) -> RuleEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

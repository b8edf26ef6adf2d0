"""The one module that talks to durable_rules (the Rete engine that evaluates rules).

durable_rules is an unmaintained C extension with hazards measured in
``shared/reference/durable_rules.md``. This module talks to its native module
(``durable_rules_engine``) directly, not through its Python Host, in the pattern that
measured exact, deterministic and about three times faster:

* one ruleset compiled from a validated :class:`crmflags.rules.ruleset.Ruleset`, every
  pattern guarded by ``kind == "client"`` so no other fact can ever match, and ``cap`` on
  every rule so that a rule fires once per batch with all the facts it matches instead of
  once per fact; there is no catch-all rule: the native ``assert_facts`` asserts every fact
  of a batch even when some match no rule;
* facts, never events (events are consumed by the first rule that matches), written as
  JSON text straight from the metrics;
* clients under a constant session id and fact ids ``1``, ``2``, ... (client ids are
  never given to the engine: it hashes them to 32 bits and merges colliding ones), up to
  BATCH_FACTS facts in one session, deleted after each batch, so no more than one session
  is ever alive; no Python action runs inside the engine, so no thread and no swallowed
  exception;
* a rule with ``$or`` fires once per true branch: its matches are deduplicated per fact;
* only finite numbers reach the engine; a metric without a value is left out of the
  fact (``null`` and a missing attribute behave the same, "not equal" included:
  comparisons on it are false). Its JSON reader crashes the process on a number written
  with an exponent but no decimal point (``1e-05``, ``1e+16``, which is how Python writes
  d x 10^k for tiny and huge k); such a number, value or threshold alike, is moved one
  step (one ulp) towards zero by :func:`engine_number`, which keeps every order and
  equality except against that exact neighbouring float;
* a batch the engine fails on is asserted again one client at a time, so a fault stays
  with its client;
* the native ruleset is freed when the evaluation ends.
"""

from __future__ import annotations

import json
import math
import platform
import re
import shlex
import sys
from importlib import metadata

import orjson

from crmflags.errors import CrmflagsError
from crmflags.evaluation.metrics import clean_value
from crmflags.rules.conditions import AllOf, Comparison, Condition
from crmflags.rules.ruleset import Ruleset

try:
    import durable_rules_engine as _native
except Exception as exc:  # ImportError, or OSError/undefined symbol from the C module
    _native = None
    _IMPORT_ERROR: Exception | None = exc
else:
    _IMPORT_ERROR = None

_RULESET = "crmflags"
_SESSION = "0"
#: Clients asserted in one session by :meth:`RuleEngine.match_all`, and every rule's ``cap``:
#: a rule fires once per batch with up to this many matching facts (more come in further
#: firings, a rule with ``$or`` giving a fact once per true branch).
BATCH_FACTS = 1000
#: What the native ``assert_facts`` answers: every fact was handled by a rule, or some were
#: not (they are asserted all the same, and the session holds the others' matches).
_HANDLED, _SOME_NOT_HANDLED = 0, 1
#: The kind of the fact that ends every batch, and the rule that matches it: it makes sure
#: the batch's session exists, since deleting a session that was never made aborts the process.
_END = "end"
#: A rule's name in the engine's answer, and a fact's id (metrics' keys start with m_).
_RULE_KEY = re.compile(r'"(r[0-9]+|end)":\[')
_FACT_ID = re.compile(r'"id":"([0-9]+)"')
#: The fact that ends every batch.
_END_FACT = {"kind": _END, "sid": _SESSION, "id": "0"}
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
    """Return the durable_rules definition of a ruleset: rule ``r<i>`` is its i-th rule.

    Every rule has ``cap``, so it fires once per batch with the facts it matches. Rule
    ``end`` matches only the one fact that closes every batch (see :data:`_END`).
    """
    params = ruleset.param_values()
    definition = {}
    for index, rule in enumerate(ruleset.rules):
        pattern = {"$and": [{"kind": "client"}, _compile_condition(rule.when, params)]}
        definition[f"r{index}"] = {"all": [{"m": pattern}], "pri": index, "cap": BATCH_FACTS}
    definition[_END] = {"all": [{"m": {"kind": _END}}], "pri": len(ruleset.rules), "cap": 1}
    return definition


class RuleEngine:
    """A ruleset compiled into durable_rules; evaluates clients' metrics in batches.

    Use it as a context manager so the native ruleset is freed::

        with RuleEngine(ruleset) as engine:
            matched = engine.match_all([metrics, ...])
    """

    def __init__(self, ruleset: Ruleset):
        _require_engine()
        #: (metric, its key in the fact)
        self._keys = [(name, _fact_key(name)) for name in ruleset.metrics_read()]
        self._handle = None
        self._open = True
        self._session_made = False
        if not ruleset.rules:
            return  # nothing can match; the engine is not needed
        definition = json.dumps(compile_ruleset(ruleset), ensure_ascii=False, allow_nan=False)
        try:
            self._handle = _native.create_ruleset(_RULESET, definition)
        except Exception as exc:
            raise EngineError(f"durable_rules rejected ruleset {ruleset.name!r}: {exc}") from None

    def _fact(self, metrics: dict[str, float | None], fact_id: int) -> dict:
        """Return the fact of one client: finite numbers only, each written as repr writes
        it, in a form the engine's JSON reader accepts; a metric without a value is left out.

        orjson writes a float as repr does when repr writes no exponent (from 1e-4 to
        1e16); others are written here, as :func:`engine_number` moves them.
        """
        fact: dict = {"kind": "client", "sid": _SESSION, "id": str(fact_id)}
        for name, key in self._keys:
            value = metrics.get(name)
            if value is None:
                continue
            # NaN and the infinities fail the comparison and are cleaned away below.
            if type(value) is float and (1e-4 <= abs(value) < 1e16 or value == 0):
                fact[key] = value
                continue
            value = clean_value(value)
            if value is not None:
                fact[key] = orjson.Fragment(repr(engine_number(value)))
        return fact

    def match(self, metrics: dict[str, float | None]) -> list[int]:
        """Return the indexes of the rules whose conditions hold, in ruleset order."""
        outcome = self.match_all([metrics])[0]
        if isinstance(outcome, EngineError):
            raise outcome
        return outcome

    def match_all(self, batch: list[dict[str, float | None]]) -> list[list[int] | EngineError]:
        """Return the indexes of the rules that hold for each metrics dict, in ruleset
        order, or the EngineError the engine gave on that client.

        The clients go to the engine BATCH_FACTS at a time, as facts of one session
        with fact ids ``1``, ``2``, ... (never client ids), and the session is deleted
        after each batch. A batch the engine fails on is matched again one client at a
        time, so a fault stays with the client that caused it.
        """
        if not self._open:
            raise EngineError("the rule engine was already closed")
        if self._handle is None:
            return [[] for _ in batch]
        results: list[list[int] | EngineError] = []
        for start in range(0, len(batch), BATCH_FACTS):
            part = batch[start : start + BATCH_FACTS]
            facts = [self._fact(metrics, i + 1) for i, metrics in enumerate(part)]
            try:
                results += self._assert_batch(facts)
            except Exception:
                results += [self._one_or_error(metrics) for metrics in part]
        return results

    def _one_or_error(self, metrics: dict[str, float | None]) -> list[int] | EngineError:
        """Match one client alone, or return the error the engine gives on it."""
        try:
            return self._assert_batch([self._fact(metrics, 1)])[0]
        except Exception as exc:
            return EngineError(f"durable_rules failed: {type(exc).__name__}: {exc}")

    def _assert_batch(self, facts: list[dict]) -> list[list[int]]:
        """Assert the facts (ids 1..n) in one session; return each one's matched rules."""
        fired: list[set[int]] = [set() for _ in facts]
        try:
            text = orjson.dumps([*facts, _END_FACT]).decode()
            code, state = _native.assert_facts(self._handle, text)
            self._session_made = True
            if code not in (_HANDLED, _SOME_NOT_HANDLED):
                raise EngineError(f"durable_rules answered code {code}")
            message = _native.start_action_for_state(self._handle, state)
            message = message and message[1]
            while message:
                # A rule's firing, {"r<i>":[{"m":{fact}}, ...]}: the facts' ids are read
                # from the text, parsing none of their numbers.
                rules = list(_RULE_KEY.finditer(message))
                for rule, after in zip(rules, [*rules[1:], None], strict=True):
                    if rule.group(1) == _END:
                        continue
                    index = int(rule.group(1)[1:])
                    end = after.start() if after else len(message)
                    for fact_id in _FACT_ID.findall(message, rule.end(), end):
                        fired[int(fact_id) - 1].add(index)  # once per true $or branch
                message = _native.complete_and_start_action(self._handle, state)
        finally:
            self._forget_session()
        return [sorted(indexes) for indexes in fired]

    def _forget_session(self) -> None:
        """Delete the session so the next batch starts clean. A refused batch may have left
        a half-made session; before any batch was asserted there is none (and deleting one
        then would abort the process)."""
        if not self._session_made:
            return
        try:
            _native.delete_state(self._handle, _SESSION)
        except Exception:  # durable_rules raises when there is no such session
            pass

    def close(self) -> None:
        """Free the native ruleset; the engine cannot be used afterwards."""
        if self._handle is not None:
            _native.delete_ruleset(self._handle)
            self._handle = None
        self._open = False

    def __enter__(self) -> RuleEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

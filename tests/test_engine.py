"""The durable_rules adapter: exact, deterministic, and leaves nothing behind."""

from __future__ import annotations

import os
import platform
import random
import shlex
import subprocess
import sys
import threading
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import pytest

from crmflags.evaluation import engine as engine_module
from crmflags.evaluation.engine import EngineError, EngineUnavailable, RuleEngine
from crmflags.evaluation.evaluate import evaluate
from crmflags.rules.conditions import AllOf, AnyOf, Comparison, holds, negate
from crmflags.rules.rule import Param, Rule
from crmflags.rules.ruleset import Ruleset

from conftest import client, day, invoice

METRICS = ["a", "b", "c", "d"]
OPS = ["<", "<=", ">", ">=", "==", "!="]


def make_ruleset(conditions, params=None) -> Ruleset:
    rules = [
        Rule(
            id=f"rule-{i}",
            tag="late_payer",
            weight=1,
            when=cond,
            message="",
            advice="",
            description="",
            source=f"test:{i}",
        )
        for i, cond in enumerate(conditions)
    ]
    params = {name: Param(name, value) for name, value in (params or {}).items()}
    return Ruleset(
        name="test",
        description="",
        path=Path("test.yaml"),
        params=params,
        rules=rules,
        levels={"watch": 1, "warning": 2, "fire": 3},
    )


def random_condition(rng: random.Random, depth: int = 0):
    if depth >= 2 or rng.random() < 0.5:
        use_param = rng.random() < 0.2
        return Comparison(
            rng.choice(METRICS),
            rng.choice(OPS),
            None if use_param else float(rng.randint(0, 4)),
            "limit" if use_param else None,
            1,
        )
    items = tuple(random_condition(rng, depth + 1) for _ in range(rng.randint(1, 3)))
    node = (AllOf if rng.random() < 0.5 else AnyOf)(items)
    return negate(node) if rng.random() < 0.3 else node


def random_metrics(rng: random.Random) -> dict:
    return {name: (None if rng.random() < 0.15 else float(rng.randint(0, 4))) for name in METRICS}


def test_engine_agrees_with_the_meaning_of_every_condition():
    rng = random.Random(7)
    conditions = [random_condition(rng) for _ in range(40)]
    ruleset = make_ruleset(conditions, {"limit": 2})
    params = ruleset.param_values()
    with RuleEngine(ruleset) as engine:
        for _ in range(1500):
            metrics = random_metrics(rng)
            expected = [i for i, cond in enumerate(conditions) if holds(cond, metrics, params)]
            assert engine.match(metrics) == expected, metrics


def test_batches_of_clients_give_what_one_at_a_time_gives():
    rng = random.Random(11)
    conditions = [random_condition(rng) for _ in range(30)]
    ruleset = make_ruleset(conditions, {"limit": 2})
    params = ruleset.param_values()
    batch = [random_metrics(rng) for _ in range(2500)]  # more than two batches of facts
    expected = [[i for i, c in enumerate(conditions) if holds(c, m, params)] for m in batch]
    with RuleEngine(ruleset) as engine:
        assert engine.match_all(batch) == expected
        assert engine.match_all(batch[:3]) == expected[:3]  # the session was cleared


def test_a_batch_the_engine_fails_on_is_matched_one_client_at_a_time(monkeypatch):
    # The native module refuses any batch holding the client whose fact has a = 13.
    native_assert = engine_module._native.assert_facts

    def refuse_thirteen(handle, text):
        if '"m_a":13.0' in text:
            raise RuntimeError("Could not assert facts, error code: 202")
        return native_assert(handle, text)

    monkeypatch.setattr(engine_module._native, "assert_facts", refuse_thirteen)
    ruleset = make_ruleset([Comparison("a", ">=", 2.0, None, 1)])
    with RuleEngine(ruleset) as engine:
        outcomes = engine.match_all([{"a": 1.0}, {"a": 13.0}, {"a": 3.0}])
        assert outcomes[0] == [] and outcomes[2] == [0]
        assert isinstance(outcomes[1], EngineError) and "error code: 202" in str(outcomes[1])
        assert engine.match_all([{"a": 5.0}]) == [[0]]  # the session was left clean


AWKWARD_NUMBERS = [
    0.0,
    1e-05,
    -1e-05,
    5e-05,
    1.5e-05,
    1e-06,
    0.0001,
    0.30000000000000004,
    1 / 3,
    2.5,
    99.99,
    123456789012345.6,
    1e15,
    1e16,
    -1e16,
    1.5e16,
    1e300,
    2.2250738585072014e-308,
]


def test_engine_is_exact_on_tiny_huge_and_fractional_numbers():
    # durable_rules' JSON reader refuses 1e-05 and 1e+16 (no decimal point before the
    # exponent); values and thresholds of that shape must still compare exactly.
    conditions = [Comparison("a", op, t, None, 1) for t in AWKWARD_NUMBERS for op in OPS]
    ruleset = make_ruleset(conditions)
    with RuleEngine(ruleset) as engine:
        for value in AWKWARD_NUMBERS:
            expected = [i for i, cond in enumerate(conditions) if holds(cond, {"a": value}, {})]
            assert engine.match({"a": value}) == expected, value


def test_no_match_gives_nothing():
    ruleset = make_ruleset([Comparison("a", ">", 10.0, None, 1)])
    with RuleEngine(ruleset) as engine:
        assert engine.match({"a": 3.0}) == []
        assert engine.match({}) == []


def test_missing_and_non_finite_values_are_false_both_ways():
    ruleset = make_ruleset(
        [Comparison("a", ">", 1.0, None, 1), Comparison("a", "<=", 1.0, None, 1)]
    )
    with RuleEngine(ruleset) as engine:
        for value in (None, float("nan"), float("inf"), float("-inf")):
            assert engine.match({"a": value}) == []
        assert engine.match({"a": 5.0}) == [0]


def test_many_clients_beyond_the_engine_session_limit_and_rerun_in_one_process():
    conditions = [Comparison("a", ">=", float(k), None, 1) for k in range(5)]
    ruleset = make_ruleset(conditions)
    rng = random.Random(3)
    batch = [
        {"a": float(rng.randint(0, 5))} for _ in range(3000)
    ]  # durable_rules has 1024 sessions
    expected = [[k for k in range(5) if m["a"] >= k] for m in batch]
    threads_before = threading.active_count()
    for _ in range(3):  # a fresh engine each time, same process: same answers
        with RuleEngine(ruleset) as engine:
            assert [engine.match(m) for m in batch] == expected
    assert threading.active_count() == threads_before


def test_two_engines_alive_at_once_do_not_mix():
    first = RuleEngine(make_ruleset([Comparison("a", ">", 1.0, None, 1)]))
    second = RuleEngine(make_ruleset([Comparison("a", "<", 1.0, None, 1)]))
    try:
        assert first.match({"a": 2.0}) == [0] and second.match({"a": 2.0}) == []
        assert first.match({"a": 0.0}) == [] and second.match({"a": 0.0}) == [0]
    finally:
        first.close()
        second.close()


def test_a_closed_engine_refuses_work():
    engine = RuleEngine(make_ruleset([Comparison("a", ">", 1.0, None, 1)]))
    engine.close()
    with pytest.raises(Exception, match="closed"):
        engine.match({"a": 2.0})


def test_clients_whose_ids_collide_in_durable_rules_stay_apart(settings):
    # These ids have the same 32-bit FNV-1a hash, which durable_rules uses as identity.
    ruleset = make_ruleset([Comparison("overdue_invoices", ">=", 1.0, None, 1)])
    unpaid = client("C0139599", invoices=[invoice("2026-01-01", "2026-01-15", 100)])
    clean = client("C0322382")
    result = evaluate([unpaid, clean], ruleset, settings, day("2026-11-20"), datetime(2026, 11, 20))
    assert [(r.client.id, r.tags) for r in result.results] == [
        ("C0139599", ["late_payer"]),
        ("C0322382", []),
    ]


REPAIR = (
    "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject {python} -m pip install --no-cache-dir "
    "--force-reinstall --no-deps durable-rules=={version}"
)


def test_engine_import_failure_gives_the_repair_line_for_this_python(monkeypatch):
    monkeypatch.setattr(
        engine_module, "_IMPORT_ERROR", ImportError("undefined symbol: PyEval_CallObject")
    )
    with pytest.raises(EngineUnavailable) as info:
        RuleEngine(make_ruleset([]))
    message = str(info.value)
    assert "undefined symbol: PyEval_CallObject" in message
    repair = REPAIR.format(python=shlex.quote(sys.executable), version=version("durable-rules"))
    assert f"\n  {repair}\n" in message
    assert platform.python_version() in message
    assert info.value.exit_code == 2


def test_a_command_that_evaluates_says_how_to_repair_a_broken_engine_build(tmp_path):
    # What a durable-rules wheel built on 3.13 without the define does: it imports, then fails.
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "durable_rules_engine.py").write_text(
        'raise ImportError("durable_rules_engine.so: undefined symbol: PyEval_CallObject")\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "crmflags", "demo", "--dir", str(tmp_path / "demo")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(broken)},
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    repair = REPAIR.format(python=shlex.quote(sys.executable), version=version("durable-rules"))
    assert repair in [line.strip() for line in result.stderr.splitlines()]  # a line to paste


def test_a_rule_with_or_fires_once_per_client_even_past_the_cap():
    # Both branches hold for every client: the engine gives each fact twice, in more firings
    # than one (2 x 2,500 matches against a cap of 1,000 per firing).
    either = AnyOf((Comparison("a", ">", 0.0, None, 1), Comparison("b", ">", 0.0, None, 1)))
    ruleset = make_ruleset([either, Comparison("a", ">", 5.0, None, 1)])
    batch = [{"a": 1.0 + (i % 10), "b": 1.0} for i in range(2500)]
    with RuleEngine(ruleset) as engine:
        outcomes = engine.match_all(batch)
    assert outcomes == [[0, 1] if m["a"] > 5 else [0] for m in batch]

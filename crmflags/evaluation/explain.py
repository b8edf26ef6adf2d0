"""Why a client got (or did not get) each tag: every rule, every condition, every value."""

from __future__ import annotations

from crmflags.evaluation.evaluate import ClientResult, Evaluation, backing_notes, plain_number
from crmflags.evaluation.metrics import CANCELLED, format_value
from crmflags.rules.conditions import AllOf, Comparison, Condition, holds


def explain(evaluation: Evaluation, result: ClientResult, units: dict[str, str]) -> dict:
    """Return every rule of the ruleset for one client, matched or not, as plain data.

    Each condition carries the client's value, the threshold (and the param it comes
    from) and whether it holds; the level bands and the client's score come along. A
    condition on a term list also quotes the notes that count, and those that matched
    but do not count, each with the reason (negated, a third party's words, harmless).
    """
    ruleset = evaluation.ruleset
    params = ruleset.param_values()
    matched = {reason.rule for reason in result.reasons}
    rules = []
    for rule in ruleset.rules:
        rules.append(
            {
                "rule": rule.id,
                "tag": rule.tag,
                "weight": plain_number(rule.weight),
                "matched": rule.id in matched,
                "when": _condition(rule.when, result, params, units, _shown(evaluation)),
            }
        )
    return {
        "client": {"id": result.client.id, "name": result.client.name},
        "ruleset": ruleset.name,
        "as_of": evaluation.as_of.isoformat(),
        "score": plain_number(result.score),
        "level": result.level,
        "tags": result.tags,
        "levels": {"ok": 0, **{name: plain_number(v) for name, v in ruleset.levels.items()}},
        "rules": rules,
        "reasons": [
            {
                "rule": r.rule,
                "message": r.message,
                "evidence": r.evidence_json(),
                "advice": r.advice,
            }
            for r in result.reasons
        ],
    }


def _shown(evaluation: Evaluation):
    """Return how values are shown: in the output language, amounts with their currency."""
    language, currency = evaluation.settings.language, evaluation.currency
    return lambda value, unit: format_value(value, unit, language, currency)


def _condition(
    condition: Condition, result: ClientResult, params: dict, units: dict, shown
) -> dict:
    metrics = result.metrics
    if isinstance(condition, Comparison):
        value = metrics.get(condition.metric)
        unit = units.get(condition.metric, "count")
        notes = backing_notes(condition.metric)
        shown = {
            "metric": condition.metric,
            "value": plain_number(value),
            "shown": shown(value, unit),
            "op": condition.op,
            "threshold": plain_number(condition.threshold(params)),
            "threshold_shown": shown(condition.threshold(params), unit),
            "param": condition.param,
            "holds": condition.holds(value, params),
            "notes": [
                {"date": m.date.isoformat(), "snippet": m.match.snippet}
                for m in result.note_matches.get(notes, [])
            ],
        }
        if condition.metric.startswith("text_"):
            shown["not_counted"] = [
                {"date": m.date.isoformat(), "snippet": m.match.snippet, "why": m.match.cancelled}
                for m in result.note_matches.get(CANCELLED + notes, [])
            ]
        return shown
    return {
        "all" if isinstance(condition, AllOf) else "any": [
            _condition(item, result, params, units, shown) for item in condition.items
        ],
        "holds": holds(condition, metrics, params),
    }


def render_explanation(data: dict) -> str:
    """Return an explanation as text for people."""
    lines = [
        f"{data['client']['id']}  {data['client']['name']}",
        f"ruleset {data['ruleset']}, as of {data['as_of']}: score {data['score']}, "
        f"level {data['level']}, tags {', '.join(data['tags']) or '-'}",
        "levels: " + ", ".join(f"{name} from {score}" for name, score in data["levels"].items()),
        "",
    ]
    messages = {reason["rule"]: reason for reason in data["reasons"]}
    for rule in data["rules"]:
        mark = "MATCHED" if rule["matched"] else "no"
        lines.append(f"[{mark}] {rule['rule']}  tag {rule['tag']}, weight {rule['weight']}")
        lines.extend(condition_lines(rule["when"], "    "))
        reason = messages.get(rule["rule"])
        if reason:
            lines.append(f"    -> {reason['message']}")
            if reason["advice"]:
                lines.append(f"    advice: {reason['advice']}")
    return "\n".join(lines)


def condition_lines(node: dict, indent: str) -> list[str]:
    """Return the lines of one rule's condition tree of :func:`explain`: each condition
    with ``yes`` or ``no``, the client's value and the threshold."""
    if "metric" in node:
        right = node["threshold_shown"]
        if node["param"]:
            right = f"{node['param']} ({right})"
        verdict = "yes" if node["holds"] else "no"
        lines = [f"{indent}{verdict:<4}{node['metric']} = {node['shown']}  {node['op']} {right}"]
        for quoted in node["notes"]:
            lines.append(f"{indent}      note of {quoted['date']}: {quoted['snippet']}")
        for quoted in node.get("not_counted", []):
            lines.append(
                f"{indent}      not counted, note of {quoted['date']}: {quoted['snippet']}"
                f" ({quoted['why']})"
            )
        return lines
    word = "all" if "all" in node else "any"
    verdict = "yes" if node["holds"] else "no"
    lines = [f"{indent}{verdict:<4}{word} of:"]
    for item in node[word]:
        lines.extend(condition_lines(item, indent + "    "))
    return lines

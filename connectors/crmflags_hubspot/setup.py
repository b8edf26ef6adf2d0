"""``crmflags setup`` for HubSpot: the "crmflags" property group and the risk properties.

Reference §5. The group and each ``crmflags_*`` risk property are created when they
are missing; whatever is there already is left as it is, except that the tags
property gets the tags of :data:`crmflags.tags.TAGS` it lacks as new options. PATCH
overwrites ``options`` as a whole, so it sends every existing option (also those
someone else added, in their order) followed by the missing ones. Creating needs the
``crm.schemas.<type>.write`` scope (§1.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmflags.errors import AuthError, InputError
from crmflags.http import Answer
from crmflags.tags import TAGS
from crmflags_hubspot.client import HubSpotClient, HubSpotError
from crmflags_hubspot.mapping import RISK_PROPERTIES

GROUP = {"name": "crmflags", "label": "crmflags risk", "displayOrder": -1}
TAGS_PROPERTY = RISK_PROPERTIES["risk_tags"]
#: type, fieldType and what the line of output calls it, per risk field.
KINDS = {
    "risk_level": ("string", "text", "single-line text"),
    "risk_score": ("string", "text", "single-line text"),
    "risk_tags": ("enumeration", "checkbox", "multiple checkboxes"),
    "risk_reasons": ("string", "textarea", "multi-line text"),
    "risk_changed_at": ("string", "text", "single-line text"),
}
#: The fields of an option that PATCH takes back (OptionInput).
OPTION_FIELDS = ("label", "value", "hidden", "displayOrder", "description")


def set_up(http: HubSpotClient, object_type: str) -> list[str]:
    """Create the group and risk properties on ``object_type``; add missing tag options.

    Returns one line per thing created or changed, none when all was in place.
    Raises AuthError naming the schema scope when the token may not change properties.
    """
    base = f"/crm/v3/properties/{object_type}"
    scope = f"crm.schemas.{object_type}.write"
    lines: list[str] = []
    groups = {g.get("name") for g in _results(http.get(f"{base}/groups"))}
    if GROUP["name"] not in groups:
        _write(http.post, f"{base}/groups", GROUP, scope)
        lines.append(f'created the property group "{GROUP["name"]}" on {object_type}')
    existing = {p.get("name"): p for p in _results(http.get(base))}
    for field, name in RISK_PROPERTIES.items():
        prop = existing.get(name)
        if prop is None:
            _write(
                http.post,
                base,
                _definition(field, name),
                scope,
                exists=lambda name=name: _listed(http, base, name),
            )
            lines.append(f"created the property {name} ({KINDS[field][2]}) on {object_type}")
        elif name == TAGS_PROPERTY and prop.get("type") == "enumeration":
            if prop.get("fieldType") != "checkbox":
                # A single select cannot hold two tags: every such client would fail.
                raise InputError(
                    f"the property {name} on {object_type} is a {prop.get('fieldType')} field; "
                    "it must be multiple checkboxes (or text) to hold several tags: change its "
                    "field type in HubSpot, then run crmflags setup again"
                )
            # A tags property of type text holds the tags as written: left alone.
            lines += _add_tag_options(http, f"{base}/{name}", prop, scope)
    return lines


def _definition(field: str, name: str) -> dict[str, Any]:
    """The PropertyCreate body of one risk property."""
    kind, field_type, _ = KINDS[field]
    body: dict[str, Any] = {
        "name": name,
        "label": field.replace("_", " ").capitalize(),
        "groupName": GROUP["name"],
        "type": kind,
        "fieldType": field_type,
        "description": "Set by crmflags",
        "formField": False,
        "hidden": False,
    }
    if kind == "enumeration":
        body["options"] = _tag_options(list(TAGS), first_order=1)
    return body


def _add_tag_options(
    http: HubSpotClient, path: str, prop: Mapping[str, Any], scope: str
) -> list[str]:
    """PATCH the tags HubSpot's property lacks after all of its own options."""
    options = [
        {k: o[k] for k in OPTION_FIELDS if k in o}
        for o in prop.get("options") or []
        if isinstance(o, Mapping)
    ]
    present = {o.get("value") for o in options}
    missing = [tag for tag in TAGS if tag not in present]
    hidden = [o for o in options if o.get("value") in TAGS and o.get("hidden")]
    for option in hidden:
        option["hidden"] = False  # a hidden tag option would not show the tag on the record
    if not missing and not hidden:
        return []
    orders = [o["displayOrder"] for o in options if isinstance(o.get("displayOrder"), int)]
    added = _tag_options(missing, first_order=max(orders, default=0) + 1)
    _write(http.patch, path, {"options": options + added}, scope)
    lines = []
    if missing:
        lines.append(f"added {len(missing)} options to {prop['name']}: {', '.join(missing)}")
    if hidden:
        shown = ", ".join(o["value"] for o in hidden)
        lines.append(f"made {len(hidden)} hidden options of {prop['name']} visible: {shown}")
    return lines


def _tag_options(tags: list[str], first_order: int) -> list[dict[str, Any]]:
    """Options for ``tags``: the tag as value, readable label, its meaning as description."""
    return [
        {
            "label": tag.replace("_", " ").capitalize(),
            "value": tag,
            "description": TAGS[tag],
            "hidden": False,
            "displayOrder": first_order + i,
        }
        for i, tag in enumerate(tags)
    ]


def _write(send, path: str, body: Mapping[str, Any], scope: str, exists=None) -> None:
    """POST or PATCH ``body``, naming the scope on a refusal and the cause of a 409.

    ``exists()`` tells whether the thing is there after a 409: a create retried after a
    5xx answer that HubSpot had carried out anyway is then a success.
    """
    try:
        send(path, body)
    except AuthError as exc:
        if scope in str(exc):
            raise
        raise AuthError(f"{exc}; changing properties needs the scope {scope}") from None
    except HubSpotError as exc:
        if exc.problem is None or exc.problem.status != 409:
            raise
        if exists is not None and exists():
            return
        raise InputError(
            f"HubSpot says {body.get('name')} exists although it did not list it "
            "(archived? restore it in HubSpot's property settings, or delete it for good), "
            "then run crmflags setup again"
        ) from None


def _listed(http: HubSpotClient, base: str, name: str) -> bool:
    """Tell whether HubSpot now lists the property ``name``."""
    return any(p.get("name") == name for p in _results(http.get(base)))


def missing_properties(http: HubSpotClient, object_type: str) -> list[str]:
    """Return the risk properties ``object_type`` lacks (archived ones count as missing)."""
    there = {p["name"] for p in _results(http.get(f"/crm/v3/properties/{object_type}"))}
    return [name for name in RISK_PROPERTIES.values() if name not in there]


def _results(answer: Answer) -> list[dict[str, Any]]:
    """The property groups or properties listed (each has a name, reference §5)."""
    return answer.records("results", key="name")

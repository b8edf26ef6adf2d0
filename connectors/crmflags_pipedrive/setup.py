"""``crmflags setup`` for Pipedrive: the crmflags organization fields and their options.

Reference §10. Each risk field of :data:`RISK_FIELDS` is created when no organization
field has its name: a multiple-option (``set``) field for tags with one option per tag
of :data:`crmflags.tags.TAGS`, a single-option (``enum``) field for the level with
the levels as options, a numeric field for the score, a long text field for the
reasons and a date field for changed-at. A field that is there is left as it is,
except that the tags and level fields get the options they lack
(``POST .../options``, which adds without touching the options that are there, also
those someone else added). Creating needs the ``contact-fields:full`` scope (OAuth)
or a user allowed to edit fields.
"""

from __future__ import annotations

from crmflags.errors import AuthError, InputError
from crmflags.tags import LEVELS, TAGS
from crmflags_pipedrive.client import PipedriveClient
from crmflags_pipedrive.fields import FIELDS_PATH, TYPE_NAMES, FieldMap, OrgField, type_name
from crmflags_pipedrive.mapping import RISK_FIELDS

#: The options each option field must have, in order.
OPTIONS = {"risk_tags": list(TAGS), "risk_level": list(LEVELS)}


def set_up(http: PipedriveClient) -> list[str]:
    """Create the missing crmflags organization fields; add missing options to ours.

    Returns one line per thing created or changed, none when all was in place.
    Raises AuthError naming the permission when the token may not change fields, and
    InputError when a field of ours has a type that cannot hold its value; its message
    starts with what was created before (``created ...; then stopped: ...``).
    """
    fields = FieldMap.read(http)
    lines: list[str] = []
    for name, (field_name, field_type) in RISK_FIELDS.items():
        existing = fields.get(field_name)
        if existing is None:
            body: dict = {"field_name": field_name, "field_type": field_type}
            if name in OPTIONS:
                body["options"] = [{"label": label} for label in OPTIONS[name]]
            _write(http, FIELDS_PATH, body)
            lines.append(
                f'created the organization field "{field_name}" ({TYPE_NAMES[field_type]})'
            )
            continue
        if existing.field_type != field_type:
            problem = (
                f'the organization field "{field_name}" is a {type_name(existing.field_type)} '
                f"field; crmflags needs a {type_name(field_type)} field there: rename or delete "
                "that field in Pipedrive, then run crmflags setup again"
            )
            raise InputError(f"{'; '.join(lines)}; then stopped: {problem}" if lines else problem)
        if name in OPTIONS:
            lines += _add_options(http, existing, OPTIONS[name])
    return lines


def _add_options(http: PipedriveClient, field: OrgField, labels: list[str]) -> list[str]:
    """Add the options ``field`` lacks after its own; never touch the ones it has."""
    present = set(field.options.values())
    missing = [label for label in labels if label not in present]
    if not missing:
        return []
    _write(http, f"{FIELDS_PATH}/{field.code}/options", [{"label": label} for label in missing])
    return [f'added {len(missing)} options to "{field.name}": {", ".join(missing)}']


def _write(http: PipedriveClient, path: str, body) -> None:
    """POST ``body``, naming the permission needed when Pipedrive refuses it."""
    try:
        http.post(path, body)
    except AuthError as exc:
        raise AuthError(
            f"{exc}; creating organization fields needs a user allowed to edit fields "
            "(OAuth apps: the contact-fields:full scope)"
        ) from None

"""Errors that end a command with one of the exit codes fixed in the public contract."""

from __future__ import annotations

from collections.abc import Iterable

#: Exit codes (contracts §3).
EXIT_OK = 0
EXIT_RECORDS_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_AUTH = 3
EXIT_LOCKED = 4
#: Exit code 5 (contracts §4): the CRM could not be reached, kept failing, or answered in
#: a shape it never documents; nothing was forgotten.
EXIT_CRM_FAILED = 5


class CrmflagsError(Exception):
    """An error shown to the user as one message, without a traceback."""

    exit_code = EXIT_BAD_INPUT


class InputError(CrmflagsError):
    """Bad configuration, ruleset or input data: nothing was written (exit 2).

    ``where`` names the place (``file``, ``file:line`` or ``file:line: field``)
    and is put in front of the message.
    """

    def __init__(self, message: str, where: str | None = None):
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class AuthError(CrmflagsError):
    """The CRM refused authentication or permission: nothing was written (exit 3)."""

    exit_code = EXIT_AUTH


class CrmError(CrmflagsError):
    """The CRM (or another web service) could not be reached, kept failing, or answered
    in a shape it never documents: the run stops, nothing is forgotten (exit 5).

    ``problem`` is what the service said (its error body, as the connector reads it),
    None when it said nothing. :class:`crmflags.http.ApiClient` raises it with registered
    secrets masked in the message.
    """

    exit_code = EXIT_CRM_FAILED

    def __init__(self, message: str, problem: object = None):
        self.problem = problem
        super().__init__(message)


class QuotaSpent(CrmflagsError):
    """The source's API quota (a daily limit or budget) ran out: the run stops (exit 1).

    Raised by a connector's ``write`` part way, ``written`` names the clients the source
    took before it ran out; the others were not written, and a later run writes them.
    Raised while reading, nothing was written (``written`` is empty).
    """

    exit_code = EXIT_RECORDS_FAILED

    def __init__(self, message: str, written: Iterable[str] = ()):
        self.written = set(written)
        super().__init__(message)


def place(path: object, line: int | None = None, field: str | None = None) -> str:
    """Return ``file:line: field`` for an error message, leaving out the parts not known."""
    text = str(path)
    if line is not None:
        text += f":{line}"
    if field:
        text += f": field {field}"
    return text


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """Return `` (did you mean 'x'?)`` with the closest of ``choices``, or '' if none is close."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""

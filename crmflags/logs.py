"""Log lines for people and for cron: plain or JSON, to stderr or a file, secrets redacted.

Every line goes through :func:`redact`, so a value passed to :func:`register_secret`
(a connector's token, the webhook's signing secret) never reaches a log line.
"""

from __future__ import annotations

import json
import logging
import math
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from crmflags.errors import InputError
from crmflags.terminal import terminal_safe

LOGGER_NAME = "crmflags"
LOG_FORMATS = ("plain", "json")
REDACTED = "***"

_SECRETS: set[str] = set()
_T = TypeVar("_T")


#: Shorter values are not tokens; replacing them everywhere would mangle every line.
MIN_SECRET_LENGTH = 6


def register_secret(value: str) -> None:
    """Remember a secret value so that no log line (or notifier problem) shows it."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        _SECRETS.add(value)


def redact(text: str, secrets: Iterable[str] | None = None) -> str:
    """Return ``text`` with each secret replaced by ``***`` (default: the registered ones)."""
    for secret in sorted(_SECRETS if secrets is None else secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def setup_logging(log_file: Path | None, log_format: str, verbose: bool) -> logging.Logger:
    """Configure and return the ``crmflags`` logger; calling it again replaces the handlers.

    Without ``log_file`` every line goes to stderr. With it, every line is appended
    to the file and only warnings and errors also go to stderr, so cron mails only
    the lines that need a look. ``verbose`` adds debug lines. A line is
    ``2026-11-23T02:00:03+0100 INFO message`` (plain) or one JSON object with
    ``time``, ``level``, ``message`` and the ``extra={"fields": {...}}`` of the call.
    """
    if log_format not in LOG_FORMATS:
        raise InputError(f"unknown log format {log_format!r}; formats are plain, json")
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    formatter = _Formatter(log_format)
    stderr = _StderrHandler()
    stderr.setFormatter(formatter)
    if log_file is not None:
        file_handler = _open_log_file(Path(log_file))
        file_handler.setFormatter(formatter)
        logger.addHandler(file_handler)
        stderr.setLevel(logging.WARNING)
    logger.addHandler(stderr)
    return logger


def progress(iterable: Iterable[_T], length: int | None, label: str) -> Iterator[_T]:
    """Yield the items, drawing a progress bar on stderr only when it is a terminal."""
    if not _stderr_is_terminal():
        yield from iterable
        return
    with click.progressbar(iterable, length=length, label=label, file=sys.stderr) as bar:
        yield from bar


def summary_line(counts: dict[str, int]) -> str:
    """Return the one line a sync ends with, e.g.
    ``sync finished: 120 clients read, 118 evaluated, 7 changed, 2 failed, 0 API calls``.

    ``counts`` has read, evaluated, changed, failed and api_calls, and may have
    skipped, drift (clients whose risk fields were edited in the source), and kept
    and removed (after an incremental read).
    """
    parts = [f"{counts['read']} {'client' if counts['read'] == 1 else 'clients'} read"]
    if "kept" in counts:
        parts[0] += f" (changed since the last run; {counts['kept']} kept from it"
        parts[0] += f", {counts['removed']} removed)" if counts.get("removed") else ")"
    parts.append(f"{counts['evaluated']} evaluated")
    if "skipped" in counts:
        parts.append(f"{counts['skipped']} skipped")
    parts.append(f"{counts['changed']} changed")
    if "drift" in counts:
        parts.append(f"{counts['drift']} drifted")
    parts.append(f"{counts['failed']} failed")
    parts.append(f"{counts['api_calls']} API {'call' if counts['api_calls'] == 1 else 'calls'}")
    return "sync finished: " + ", ".join(parts)


def _open_log_file(path: Path) -> logging.FileHandler:
    if not path.parent.is_dir():
        raise InputError(f"cannot write the log file: no folder {path.parent}", str(path))
    try:
        return logging.FileHandler(path, mode="a", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the log file ({exc.strerror})", str(path)) from None


def _stderr_is_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


class _StderrHandler(logging.StreamHandler):
    """Write to whatever ``sys.stderr`` is at the time (click and pytest replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


class _Formatter(logging.Formatter):
    """One plain or JSON line per record, with every registered secret redacted."""

    def __init__(self, log_format: str) -> None:
        super().__init__()
        self.log_format = log_format

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).astimezone()
        fields = getattr(record, "fields", None) or {}
        exception = self.formatException(record.exc_info) if record.exc_info else None
        if self.log_format == "json":
            document: dict[str, Any] = {
                "time": moment.isoformat(timespec="seconds"),
                "level": record.levelname,
                "message": record.getMessage(),
            }
            for key, value in fields.items():
                document.setdefault(str(key), value)
            if exception:
                document["exception"] = exception
            return json.dumps(_clean(document), ensure_ascii=False)
        message = terminal_safe(record.getMessage(), lines=True)  # data in it is not escapes
        line = f"{moment.strftime('%Y-%m-%dT%H:%M:%S%z')} {record.levelname} {message}"
        line += "".join(f" {key}={_plain(value)}" for key, value in fields.items())
        if exception:
            line += "\n" + exception
        return redact(line)


def _clean(value: Any) -> Any:
    """Make a value JSON-ready with its secrets redacted before it is serialised."""
    if isinstance(value, dict):
        return {redact(str(key)): _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return redact(str(value))


def _plain(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    quoted = not text or any(c.isspace() for c in text)
    return json.dumps(text, ensure_ascii=False) if quoted else text

"""Log lines for people and for cron: plain or JSON, to stderr or a file, secrets redacted.

Every line goes through :func:`redact`, so a value passed to :func:`register_secret`
(a connector's token, the webhook's signing secret) or a URL passed to
:func:`register_url` (a webhook whose path is the secret) never reaches a log line.

On a terminal, stderr lines are for a person: ``warning: ...``, ``error: ...`` without
a timestamp, and a :class:`Progress` bar that log lines clear and redraw. Off a terminal
(cron, a pipe, a file) every line carries its timestamp and there is no bar.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar
from urllib.parse import parse_qsl, urlsplit

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


#: A URL's path segment or query value at least this long is taken for a secret.
SECRET_PART_LENGTH = 16


def register_url(url: str) -> None:
    """Remember a URL whose path or query carries a secret, e.g. a Slack, Discord or Teams
    webhook (``https://hooks.slack.com/services/T0/B0/<token>``), so no line shows it.

    The whole URL is registered, its password, its query values, every path segment of
    :data:`SECRET_PART_LENGTH` characters or more, and then the path with its query: so
    the secret is masked whether a line shows the URL, the path alone or a piece of it.
    """
    parts = urlsplit(url)
    register_secret(url)
    if parts.password:
        register_secret(parts.password)
    values = [value for _, value in parse_qsl(parts.query, keep_blank_values=True)]
    pieces = [p for p in parts.path.split("/") if len(p) >= SECRET_PART_LENGTH]
    for piece in [*values, *pieces]:
        register_secret(piece)
    if parts.query or pieces:
        register_secret(parts.path + (f"?{parts.query}" if parts.query else ""))


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


#: ``extra=`` of a log line that a person at a terminal does not need (the bar says it).
NOT_ON_TERMINAL = {"not_on_terminal": True}

#: How often the bar is redrawn at most, and at least (so the clock moves), in seconds.
_REDRAW_EVERY = 0.1
_TICK_EVERY = 1.0
#: Characters of the bar itself.
_BAR_WIDTH = 24

#: The bar on screen now, if any: log lines clear it before they are written.
_active: Progress | None = None
_screen = threading.RLock()


class Progress:
    """A progress bar on stderr with counts and an ETA, drawn only when stderr is a terminal.

    A run goes through phases (:meth:`phase`): "reading hubspot", then "evaluating".
    Each has a label and a total, or a function giving the total once it is known
    (e.g. :meth:`crmflags.connector.Connector.expected_total`), which is asked only
    while a bar is drawn. :meth:`count` and :meth:`advance` move the bar; the line shows
    ``done/total clients``, the percentage and the time left, redrawn at least every
    second from the moment the bar appears, so a run waiting on a slow API is seen to
    be alive. Off a terminal nothing is drawn and nothing else is asked.

    Use it as a context manager: leaving clears the line.
    """

    def __init__(self, unit: str = "clients", status: Callable[[], str] | None = None):
        self.unit = unit
        self.status = status
        self.live = _stderr_is_terminal()
        self.label = ""
        self.done = 0
        self._total: int | Callable[[], int | None] | None = None
        self._known: int | None = None  # the total as last asked
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> Progress:
        global _active
        if self.live:
            with _screen:
                _active = self
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        global _active
        if not self.live:
            return
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with _screen:
            self.clear()
            _active = None

    def phase(self, label: str, total: int | Callable[[], int | None] | None = None) -> None:
        """Start a phase: its label, and its total (a number, a function, or None).

        A function is asked from the thread that moves the bar (never from the timer
        that redraws it), when the phase starts and at each redraw after a step.
        """
        self.label, self._total, self.done, self._known = label, total, 0, None
        self._started = time.monotonic()
        self._ask_total()
        self.draw(force=True)

    def count(self, items: Iterable[_T]) -> Iterator[_T]:
        """Yield the items, advancing the bar by one for each."""
        for item in items:
            yield item
            self.advance()

    def advance(self, steps: int = 1) -> None:
        """Move the bar on by ``steps``."""
        self.done += steps
        if self.live and time.monotonic() - self._drawn_at >= _REDRAW_EVERY:
            self._ask_total()  # a connector may know it better now (its ids are listed)
        self.draw(force=self.done == self._known)  # the last step is always shown

    def total(self) -> int | None:
        """Return the phase's total if it is known; never less than what is done."""
        return self._known if self._known is None else max(self._known, self.done)

    def _ask_total(self) -> None:
        if self.live:
            total = self._total() if callable(self._total) else self._total
            self._known = None if total is None else int(total)

    def line(self, width: int) -> str:
        """Return the bar's line, at most ``width`` characters wide."""
        elapsed = time.monotonic() - self._started
        total = self.total()
        status = self.status() if self.status else ""
        if total is None:
            parts = [self.label, f"{self.done} {self.unit}", _clock(elapsed)]
        else:
            share = self.done / total if total else 1.0
            filled = round(_BAR_WIDTH * share)
            bar = "[" + "#" * filled + "-" * (_BAR_WIDTH - filled) + "]"
            left = elapsed * (total - self.done) / self.done if self.done else None
            eta = "ETA " + (_clock(left) if left is not None else "--:--")
            parts = [self.label, bar, f"{self.done}/{total} {self.unit}", f"{share:.0%}", eta]
        if status:
            parts.append(status)
        return "  ".join(parts)[: max(width - 1, 0)]

    def draw(self, force: bool = False) -> None:
        """Redraw the line (at most every 0.1 s unless ``force``); nothing off a terminal."""
        if not self.live or self._stop.is_set() or not self.label:
            return  # nothing to show before the first phase
        now = time.monotonic()
        if not force and now - self._drawn_at < _REDRAW_EVERY:
            return
        with _screen:
            self._drawn_at = now
            width = shutil.get_terminal_size((100, 20)).columns
            sys.stderr.write("\r" + self.line(width) + "\x1b[K")
            sys.stderr.flush()

    def clear(self) -> None:
        """Blank the line, so that a log line can take its place."""
        if self.live:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def _tick(self) -> None:
        while not self._stop.wait(_TICK_EVERY):
            self.draw(force=True)


def _clock(seconds: float) -> str:
    """Return seconds as ``m:ss`` (``h:mm:ss`` from an hour on)."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration(seconds: float) -> str:
    """Return a run's duration for its finish line: ``0.4 s``, ``12 s``, ``3 min 05 s``."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s"


def summary_line(counts: dict[str, int], dry_run: bool = False) -> str:
    """Return the one line a sync ends with, e.g.
    ``sync finished: 120 clients read, 118 evaluated, 7 changed, 2 failed, 0 API calls``.

    ``counts`` has read, evaluated, changed, failed and api_calls, and may have
    skipped, drift (clients whose risk fields were edited in the source), and kept
    and removed (after an incremental read). A dry run's line says what it would have
    changed: ``dry run: ... 7 would change ...; nothing was written``.
    """
    parts = [f"{counts['read']} {'client' if counts['read'] == 1 else 'clients'} read"]
    if "kept" in counts:
        parts[0] += f" (changed since the last run; {counts['kept']} kept from it"
        parts[0] += f", {counts['removed']} removed)" if counts.get("removed") else ")"
    parts.append(f"{counts['evaluated']} evaluated")
    if "skipped" in counts:
        parts.append(f"{counts['skipped']} skipped")
    parts.append(f"{counts['changed']} {'would change' if dry_run else 'changed'}")
    if "drift" in counts:
        parts.append(f"{counts['drift']} drifted")
    parts.append(f"{counts['failed']} failed")
    parts.append(f"{counts['api_calls']} API {'call' if counts['api_calls'] == 1 else 'calls'}")
    if dry_run:
        return "dry run: " + ", ".join(parts) + "; nothing was written"
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
    """Write to whatever ``sys.stderr`` is at the time (click and pytest replace it).

    On a terminal a plain line is for a person: ``warning: message`` without a
    timestamp, a line marked :data:`NOT_ON_TERMINAL` is left out, and the progress bar
    is cleared before the line and drawn again after it.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass

    def emit(self, record: logging.LogRecord) -> None:
        terminal = _stderr_is_terminal()
        if terminal and getattr(record, "not_on_terminal", False):
            return
        with _screen:
            bar = _active
            if bar is not None:
                bar.clear()
            if terminal and getattr(self.formatter, "log_format", None) == "plain":
                self._emit_for_a_person(record)
            else:
                super().emit(record)
            if bar is not None:
                bar.draw(force=True)

    def _emit_for_a_person(self, record: logging.LogRecord) -> None:
        try:
            message = redact(record.getMessage())
            if record.levelno != logging.INFO:
                message = f"{record.levelname.lower()}: {message}"
            self.stream.write(message + self.terminator)
            self.flush()
        except Exception:  # as logging's own handlers do: a broken stream never raises
            self.handleError(record)


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

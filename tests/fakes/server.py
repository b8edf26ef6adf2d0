"""What every fake CRM server in the tests shares: nothing about any one CRM's API shape.

- :class:`FakeServer` serves a ``handle(request) -> Response`` callable over HTTP on a free
  port of 127.0.0.1 in a background thread (a context manager).
- :class:`Request` / :class:`Response` are the parsed request and the JSON (or raw) answer.
- :class:`RequestLog` remembers each request (method, path, query, body, headers) with the
  secrets taken out, the status it got, and counts per ``(method, path)`` and per status.
- :class:`Failures` answers the next N requests matching a path prefix / method with a chosen
  status ("a 502 on the next organizations page"); a queue of its own, read for the
  injections' ``delay``, slows requests down instead.
- :class:`SlidingWindow` is a rolling-window request counter per key (burst limits).
- Hostile answers, for the tests that attack a client: :func:`shape_attack` (a 200 whose
  body is not what the API documents: ``{}``, ``{"ok": true}``, ``{"results": "x"}``),
  :func:`malformed_json` (cut off, or nested past any parser's depth), :func:`redirect`
  (to another port, i.e. another host to a client) and :func:`trickle` (the whole answer
  one byte at a time, headers included). Each is an :class:`Injection` for a fake's queue;
  :class:`Catcher` is the other host, recording every request that reaches it.

The CRM-specific fakes (``tests/fakes/hubspot.py``, ``tests/fakes/pipedrive.py``) build
their routes, envelopes and rate-limit rules on top of these.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Header names whose values never go into the request log (compared lower-case).
SECRET_HEADERS = frozenset({"authorization", "x-api-token", "cookie", "proxy-authorization"})
#: Query parameter names whose values never go into the request log.
SECRET_PARAMS = frozenset({"api_token", "access_token", "hapikey"})
REDACTED = "<redacted>"


@dataclass
class Request:
    """One parsed HTTP request.

    ``query`` maps each parameter to all its values; ``headers`` has lower-case names;
    ``body`` is the decoded JSON, or the raw text when it is not JSON (``json_error`` set),
    or ``None`` when there is no body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any = None
    json_error: bool = False
    raw_path: str = ""

    def param(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name`` (or ``default``)."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass
class Response:
    """An answer: ``body`` is sent as JSON unless ``raw`` (bytes) is given."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    content_type: str = "application/json"
    #: Seconds between the bytes of the whole answer (status line and headers included).
    trickle: float = 0.0


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer with ``status``."""
    return Response(status, body, dict(headers or {}))


def parse_request(method: str, raw_path: str, headers: dict[str, str], raw: bytes) -> Request:
    """A :class:`Request` from the pieces ``BaseHTTPRequestHandler`` gives."""
    split = urlsplit(raw_path)
    body: Any = None
    json_error = False
    if raw:
        try:
            body = json.loads(raw)
        except ValueError:
            body, json_error = raw.decode(errors="replace"), True
    return Request(
        method=method,
        path=split.path,
        query=parse_qs(split.query, keep_blank_values=True),
        headers={k.lower(): v for k, v in headers.items()},
        body=body,
        json_error=json_error,
        raw_path=raw_path,
    )


@dataclass(frozen=True)
class LoggedRequest:
    """A request as the log keeps it: secrets replaced by ``<redacted>``."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    status: int


class RequestLog:
    """Every request a fake answered, without secrets, with counters.

    ``entries`` is the list of :class:`LoggedRequest`; ``calls`` counts ``(method, path)``;
    ``statuses`` counts the statuses answered (injected failures included)."""

    def __init__(
        self,
        secret_headers: Iterable[str] = SECRET_HEADERS,
        secret_params: Iterable[str] = SECRET_PARAMS,
    ) -> None:
        self.secret_headers = frozenset(h.lower() for h in secret_headers)
        self.secret_params = frozenset(secret_params)
        self.entries: list[LoggedRequest] = []
        self.calls: Counter[tuple[str, str]] = Counter()
        self.statuses: Counter[int] = Counter()
        self._lock = threading.Lock()

    def record(self, request: Request, status: int) -> None:
        """Remember ``request`` and the ``status`` it was answered with."""
        headers = {
            k: (REDACTED if k in self.secret_headers else v) for k, v in request.headers.items()
        }
        query = {
            k: ([REDACTED] * len(v) if k in self.secret_params else list(v))
            for k, v in request.query.items()
        }
        entry = LoggedRequest(request.method, request.path, query, request.body, headers, status)
        with self._lock:
            self.entries.append(entry)
            self.calls[(request.method, request.path)] += 1
            self.statuses[status] += 1

    def count(
        self, path_prefix: str = "/", method: str | None = None, status: int | None = None
    ) -> int:
        """How many requests under ``path_prefix`` (with ``method``/``status`` if given)."""
        with self._lock:
            return sum(
                1
                for e in self.entries
                if e.path.startswith(path_prefix)
                and method in (None, e.method)
                and status in (None, e.status)
            )

    def clear(self) -> None:
        """Forget every request and counter."""
        with self._lock:
            self.entries.clear()
            self.calls.clear()
            self.statuses.clear()


@dataclass
class Injection:
    """A failure to answer ``times`` more requests with (see :class:`Failures`).

    ``delay`` is seconds to wait before answering, for a queue of slow answers."""

    times: int
    status: int
    path_prefix: str = "/"
    method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    raw: bytes | None = None
    content_type: str = "application/json"
    delay: float = 0.0
    trickle: float = 0.0

    def matches(self, request: Request) -> bool:
        """Whether ``request`` is one this failure applies to."""
        return request.path.startswith(self.path_prefix) and self.method in (None, request.method)

    def response(self) -> Response:
        """The answer this injection gives (its ``body``, or ``raw`` bytes, as they are)."""
        return Response(
            self.status,
            self.body,
            dict(self.headers),
            self.raw,
            self.content_type,
            self.trickle,
        )


#: The longest a trickled answer goes on, whoever listens (tests stay bounded).
TRICKLE_LIMIT = 20.0


def shape_attack(
    body: Any, path_prefix: str = "/", times: int = 1, method: str | None = None
) -> Injection:
    """A 200 whose JSON body is not the shape the API documents (a proxy, a portal page)."""
    return Injection(times, 200, path_prefix, method, body=body)


def malformed_json(
    path_prefix: str = "/", times: int = 1, *, deep: bool = False, method: str | None = None
) -> Injection:
    """A 200 announced as JSON whose body is cut off, or (``deep``) nested 100,000 levels."""
    raw = b"[" * 100_000 if deep else b'{"results": [{"id": "1", "properties": {"na'
    return Injection(times, 200, path_prefix, method, raw=raw)


def redirect(
    location: str,
    status: int = 302,
    path_prefix: str = "/",
    times: int = 1,
    method: str | None = None,
) -> Injection:
    """A redirect to ``location`` (another port of 127.0.0.1 is another host to a client)."""
    return Injection(times, status, path_prefix, method, headers={"Location": location}, raw=b"")


def trickle(
    seconds_per_byte: float = 0.2, path_prefix: str = "/", times: int = 1, body: Any = None
) -> Injection:
    """An answer sent one byte at a time: no socket timeout ever trips, only a deadline.

    The server gives up after :data:`TRICKLE_LIMIT` seconds or when the client hangs up.
    """
    return Injection(
        times,
        200,
        path_prefix,
        body={"results": []} if body is None else body,
        trickle=seconds_per_byte,
    )


class Catcher:
    """A server on a port of its own that records every request reaching it, unredacted
    (to prove that no credential ever gets there), and answers ``response``."""

    def __init__(self, response: Response | None = None) -> None:
        self.requests: list[Request] = []
        self.answer = response or json_response(200, {"results": [], "success": True})
        self._server = FakeServer(self._handle)
        self.base_url = ""

    def _handle(self, request: Request) -> Response:
        self.requests.append(request)
        return self.answer

    def __enter__(self) -> Catcher:
        self.base_url = self._server.start().base_url
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()


class Failures:
    """Failures on demand: "answer the next N requests matching X with status S"."""

    def __init__(self) -> None:
        self._queue: list[Injection] = []
        self._lock = threading.Lock()

    def add(self, injection: Injection) -> None:
        """Queue ``injection``; earlier ones are used first when several match."""
        with self._lock:
            self._queue.append(injection)

    def take(self, request: Request) -> Injection | None:
        """The first queued failure matching ``request`` (one use of it), or ``None``."""
        with self._lock:
            for injection in self._queue:
                if injection.matches(request):
                    injection.times -= 1
                    if injection.times <= 0:
                        self._queue.remove(injection)
                    return injection
        return None

    def pending(self) -> int:
        """How many injected answers are still to be given."""
        with self._lock:
            return sum(i.times for i in self._queue)

    def clear(self) -> None:
        """Drop every queued failure."""
        with self._lock:
            self._queue.clear()


class SlidingWindow:
    """At most ``limit`` hits per ``seconds`` (rolling) for each key, e.g. each API token."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.seconds = seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> tuple[bool, int, float]:
        """Count one hit for ``key`` if the window has room.

        Returns ``(allowed, remaining, reset)``: whether it was counted, hits left in the
        window after it, and seconds until the oldest hit leaves the window."""
        with self._lock:
            now = self._clock()
            window = self._current(key, now)
            allowed = len(window) < self.limit
            if allowed:
                window.append(now)
            return (allowed, *self._state(window, now))

    def peek(self, key: str) -> tuple[int, float]:
        """Return ``(remaining, reset)`` for ``key`` as :meth:`hit` would, counting nothing
        (for requests a limit exempts but whose answers still report it)."""
        with self._lock:
            now = self._clock()
            return self._state(self._current(key, now), now)

    def _current(self, key: str, now: float) -> deque[float]:
        window = self._hits.setdefault(key, deque())
        while window and now - window[0] >= self.seconds:
            window.popleft()
        return window

    def _state(self, window: deque[float], now: float) -> tuple[int, float]:
        reset = self.seconds - (now - window[0]) if window else 0.0
        return max(0, self.limit - len(window)), max(0.0, reset)

    def clear(self) -> None:
        """Forget every hit (a fresh window for every key)."""
        with self._lock:
            self._hits.clear()


class FakeServer:
    """Serve ``handle`` on a free port of 127.0.0.1 in a background thread.

    ``handle`` takes a :class:`Request` and returns a :class:`Response`.  Use as a context
    manager (or :meth:`start`/:meth:`stop`); ``base_url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, handle: Callable[[Request], Response]) -> None:
        self.handle = handle
        self.base_url = ""
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeServer:
        """Start serving; sets ``base_url``."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self.handle))
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(handle: Callable[[Request], Response]) -> type[BaseHTTPRequestHandler]:
    """A request handler class that forwards every request to ``handle``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between header and body

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = parse_request(self.command, self.path, dict(self.headers.items()), raw)
            response = handle(request)
            if response.trickle:
                self._trickle(response)
                return
            if response.raw is not None:
                data = response.raw
            elif response.body is not None:
                data = json.dumps(response.body).encode()
            else:
                data = b""
            self.send_response(response.status)
            content_type = response.content_type
            if content_type == "application/json":
                content_type += ";charset=utf-8"
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _trickle(self, response: Response) -> None:
            """Send the whole answer a byte at a time, until done, the limit, or a hang-up."""
            data = json.dumps(response.body).encode() if response.raw is None else response.raw
            head = (
                f"HTTP/1.1 {response.status} OK\r\nContent-Type: {response.content_type}\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
            ).encode()
            self.close_connection = True
            stop = time.monotonic() + TRICKLE_LIMIT
            try:
                for byte in head + data:
                    if time.monotonic() > stop:
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(response.trickle)
            except OSError:  # the client hung up: what a deadline does
                return

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Keep test output quiet."""

    return Handler

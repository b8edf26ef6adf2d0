"""Our Pipedrive request shapes checked against Pipedrive's published OpenAPI files.

The requests the pipedrive connector makes against the fake Pipedrive (its request log) are
replayed to Stoplight Prism serving ``openapi-v1.yaml`` / ``openapi-v2.yaml`` (reference §15,
``shared/specs/pipedrive/README.md``): Prism answers 422 with a ``validation`` list to a request
the spec does not allow (wrong types, bad enums, missing required parameters or body fields).

Skipped, saying why, when node, the spec files or an installed Prism are missing; the test never
installs anything.  Prism is found at ``$CRMFLAGS_PRISM`` or at ``node_modules/.bin/prism`` under
``$XDG_CACHE_HOME/crmflags/prism`` (``~/.cache/...``) or ``/tmp/prism``; install it with
``npm install --prefix ~/.cache/crmflags/prism @stoplight/prism-cli@5.14`` (Node 20).  The spec
folder is ``$CRMFLAGS_PIPEDRIVE_SPECS``, else ``../shared/specs/pipedrive`` beside the repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from fakes.pipedrive import FakePipedrive
from fakes.server import LoggedRequest

from crmflags.cli import cli

SPECS = Path(
    os.environ.get("CRMFLAGS_PIPEDRIVE_SPECS")
    or Path(__file__).resolve().parents[2] / "shared" / "specs" / "pipedrive"
)
SPEC_FILES = {"v1": SPECS / "openapi-v1.yaml", "v2": SPECS / "openapi-v2.yaml"}
STARTUP_SECONDS = 120  # each file loads in about 5 s (README); a slow CI machine gets room
AS_OF = "2026-11-20"


def find_prism() -> Path | None:
    """The Prism executable: ``$CRMFLAGS_PRISM`` or an npm install under a cache folder."""
    named = os.environ.get("CRMFLAGS_PRISM")
    if named:
        return Path(named) if Path(named).is_file() else None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for folder in (cache / "crmflags" / "prism", Path(tempfile.gettempdir()) / "prism"):
        candidate = folder / "node_modules" / ".bin" / "prism"
        if candidate.is_file():
            return candidate
    return None


def _why_not() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed, so Prism cannot run"
    missing = [str(p) for p in SPEC_FILES.values() if not p.is_file()]
    if missing:
        return f"the Pipedrive OpenAPI files are absent ({', '.join(missing)})"
    named = os.environ.get("CRMFLAGS_PRISM")
    if named and not Path(named).is_file():
        return f"CRMFLAGS_PRISM names {named}, which is not a file"
    if find_prism() is None:
        return (
            "Prism is not installed: npm install --prefix ~/.cache/crmflags/prism "
            "@stoplight/prism-cli@5.14 (or set CRMFLAGS_PRISM to its executable)"
        )
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=str(_why_not()))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Prism:
    """One ``prism mock`` process serving a spec file on 127.0.0.1."""

    def __init__(self, spec: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output: deque[str] = deque(maxlen=30)
        self.listening = False
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [str(find_prism()), "mock", "-h", "127.0.0.1", "-p", str(self.port), str(spec)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            if "Prism is listening" in line:
                self.listening = True
                self.ready.set()
        self.ready.set()  # it ended: wait() stops waiting; the check below sees the exit

    def wait(self) -> None:
        """Wait until it listens; fail with its output when it does not."""
        self.ready.wait(STARTUP_SECONDS)
        if self.process.poll() is not None or not self.listening:
            self.stop()
            pytest.fail("Prism did not start:\n" + "".join(self.output))

    def stop(self) -> None:
        """End the process."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def prisms():
    """Prism for each spec version, started together (each takes seconds to load)."""
    started = {version: Prism(spec) for version, spec in SPEC_FILES.items()}
    try:
        for prism in started.values():
            prism.wait()
        yield {version: prism.url for version, prism in started.items()}
    finally:
        for prism in started.values():
            prism.stop()


def _version(path: str) -> tuple[str, str]:
    """Prism serves paths without the server base path (README): strip /api/v2 etc."""
    for prefix, version in (("/api/v2/", "v2"), ("/api/v1/", "v1"), ("/v1/", "v1")):
        if path.startswith(prefix):
            return version, path[len(prefix) - 1 :]
    raise AssertionError(f"not a Pipedrive API path: {path}")


def check(prisms: dict[str, str], request: LoggedRequest) -> str | None:
    """Send one logged request to the Prism of its version; a problem line, or None."""
    version, path = _version(request.path)
    query = [(k, v) for k, values in request.query.items() if k != "api_token" for v in values]
    url = prisms[version] + path + ("?" + urlencode(query) if query else "")
    headers = {"x-api-token": "prism-check-token"}  # the files declare only this scheme (§1)
    data = None
    if request.body is not None:
        data = json.dumps(request.body).encode()
        headers["Content-Type"] = "application/json"
    sent = urllib.request.Request(url, data, headers, method=request.method)
    try:
        with urllib.request.urlopen(sent, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    # 422: invalid request; 404 NO_PATH_MATCHED / 405: no such operation in the spec.
    if status == 422 or status == 405 or (status == 404 and b"NO_PATH_MATCHED" in raw):
        try:
            problem = json.loads(raw)
        except ValueError:
            problem = {"title": raw.decode(errors="replace")[:200]}
        details = problem.get("validation") or problem.get("title") or problem
        shown = f"{request.method} {request.path}" + (f"?{urlencode(query)}" if query else "")
        return f"{shown} -> {status} [{version}]: {json.dumps(details)}"
    return None


def problems(prisms: dict[str, str], requests: list[LoggedRequest]) -> list[str]:
    """The problem lines of every distinct request (same method, path, query and body once)."""
    seen, found = set(), []
    for request in requests:
        key = (request.method, request.path, json.dumps(request.query), json.dumps(request.body))
        if key in seen:
            continue
        seen.add(key)
        problem = check(prisms, request)
        if problem:
            found.append(problem)
    return found


def _send(fake: FakePipedrive, method: str, path: str, body=None) -> tuple[int, dict]:
    """One request to the fake (recorded in its log): status and JSON body."""
    data = json.dumps(body).encode() if body is not None else None
    headers = {"x-api-token": fake.token, "Content-Type": "application/json"}
    sent = urllib.request.Request(fake.base_url + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(sent) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def fake():
    with FakePipedrive(burst_limit=10_000, daily_budget=10_000_000) as server:
        server.seed(20, seed=5)
        yield server


def test_request_shapes_taken_from_the_reference_pass_prism(prisms, fake):
    tags = fake.add_field("crmflags risk tags", "set", ["late_payer"])
    option = fake.field_by_name("crmflags risk tags")["options"][0]["id"]
    since = "2026-01-01T00:00:00Z"
    shapes = [  # §3-§11 of the reference: what a connector sends
        ("GET", "/api/v2/organizations?limit=500&sort_by=update_time&sort_direction=asc"),
        ("GET", f"/api/v2/organizations?limit=500&updated_since={since}"),
        ("GET", "/api/v2/organizations?ids=1,2,3&custom_fields=" + tags),
        ("GET", f"/api/v2/persons?limit=500&updated_since={since}&org_id=1"),
        # §6 says several statuses may be comma-separated, and the spec's description
        # agrees, but its schema is a one-value enum: Prism refuses "open,won". One value:
        ("GET", f"/api/v2/deals?limit=500&updated_since={since}&status=deleted"),
        ("GET", f"/api/v2/activities?limit=500&updated_since={since}&sort_by=update_time"),
        ("GET", "/api/v2/activities?limit=500&org_id=1&done=true"),
        ("GET", f"/api/v1/notes?start=0&limit=500&updated_since={since}"),
        ("GET", "/v1/notes?start=0&limit=500&org_id=1&sort=update_time ASC"),
        ("GET", "/api/v2/organizationFields?limit=500"),
        ("GET", "/api/v1/users/me"),
        ("GET", "/api/v1/activityTypes"),
        ("GET", "/api/v2/organizations/1"),
    ]
    for method, path in shapes:
        assert _send(fake, method, path.replace(" ", "%20"))[0] == 200, path
    writes = [
        (
            "POST",
            "/api/v2/organizationFields",
            {
                "field_name": "crmflags risk level",
                "field_type": "enum",
                "options": [{"label": "ok"}, {"label": "fire"}],
            },
        ),
        ("POST", f"/api/v2/organizationFields/{tags}/options", [{"label": "scope_creep"}]),
        ("PATCH", "/api/v2/organizations/1", {"custom_fields": {tags: [option]}}),
        ("PATCH", "/api/v2/organizations/2", {"custom_fields": {tags: None}}),
    ]
    for method, path, body in writes:
        assert _send(fake, method, path, body)[0] == 200, path
    # page 2 of a list, with the cursor the fake handed out, as a connector asks for it
    first = _send(fake, "GET", "/api/v2/organizations?limit=5")[1]
    cursor = first["additional_data"]["next_cursor"]
    assert _send(fake, "GET", f"/api/v2/organizations?limit=5&cursor={cursor}")[0] == 200
    found = problems(prisms, fake.log.entries)
    assert not found, "Prism refused request shapes:\n" + "\n".join(found)


def test_prism_refuses_a_malformed_request_so_the_check_can_fail(prisms, fake):
    wrong = [
        ("PATCH", "/api/v2/organizations/1", {"custom_fields": "tags=late_payer"}),
        ("GET", "/api/v2/organizations?limit=many", None),
        ("GET", "/api/v2/activities?sort_by=subject", None),
        ("POST", "/api/v2/organizationFields", {"field_type": "set"}),
    ]
    for method, path, body in wrong:
        _send(fake, method, path, body)
    found = problems(prisms, fake.log.entries)
    assert len(found) == len(wrong), "\n".join(found)
    assert all("-> 422" in line for line in found)
    for expected in ('"custom_fields"', '"limit"', '"sort_by"', "field_name"):
        assert any(expected in line for line in found), (expected, found)


def test_the_connectors_requests_in_a_sync_pass_prism(prisms, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", fake.token)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "crmflags.yaml").write_text(
        "connector: pipedrive\ntimezone: Europe/Budapest\nstate: state.db\n"
        "pipedrive:\n  requests_per_2s: 400\n"
    )
    runner = CliRunner()
    setup = runner.invoke(cli, ["setup", "--base-url", fake.base_url])
    assert setup.exit_code == 0, setup.output
    for org_id in fake.ids()[:3]:  # so the incremental read finds changed organizations
        fake.touch("organizations", org_id, name=f"Renamed {org_id}")
    for extra in ([], ["--full"], []):
        run = runner.invoke(cli, ["sync", "--base-url", fake.base_url, "--as-of", AS_OF, *extra])
        assert run.exit_code == 0, run.output
    assert fake.write_calls("/api/v2/organizations/") > 0  # the writes were checked too
    paths = {re.sub(r"/\d+$", "/{id}", e.path) for e in fake.log.entries}
    assert {"/api/v2/organizations", "/api/v1/notes", "/api/v2/organizations/{id}"} <= paths
    found = problems(prisms, fake.log.entries)
    assert not found, "Prism refused the connector's requests:\n" + "\n".join(found)

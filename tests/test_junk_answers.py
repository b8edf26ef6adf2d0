"""Junk in any part of any CRM answer is a named error or one client's failure, never a
traceback (issue 17: "malformed CRM JSON crashes some paths with a traceback").

Seeded and randomized: each trial replaces one value, anywhere in one of the first
answers of a read, by a value of another type (null, a number, text, a list, an object),
then reads every client, and the changes since, through the connector.
"""

from __future__ import annotations

import json
import random

import pytest
from fakes.hubspot import FakeHubSpot
from fakes.pipedrive import FakePipedrive
from fakes.server import Request, Response

from crmflags.connector import ConnectorOptions
from crmflags.errors import CrmflagsError
from crmflags_hubspot.connector import HubSpotConnector
from crmflags_pipedrive.connector import PipedriveConnector

JUNK = [None, 1, -1, 1.5, "x", "", True, [], {}, [None], {"a": 1}, "2026-13-45", 10**30]
TRIALS = 30
PD_TOKEN = "pd-junk-token-0123456789"


def places(value, path=()):
    """Every path to a value inside a JSON document (the document's own path is ())."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*path, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from places(item, (*path, number))
    if path:
        yield path


class Spoiler:
    """Wraps a fake's handler: spoils one value of the ``target``-th successful answer."""

    def __init__(self, fake, rng: random.Random) -> None:
        self.handle = fake.handle
        self.rng = rng
        self.seen = 0
        self.target = 0
        fake._server.handle = self

    def __call__(self, request: Request) -> Response:
        response = self.handle(request)
        self.seen += 1
        if self.seen != self.target or response.body is None or response.status >= 300:
            return response
        body = json.loads(json.dumps(response.body))
        where = self.rng.choice(list(places(body)) or [()])
        if not where:
            return response
        holder = body
        for step in where[:-1]:
            holder = holder[step]
        holder[where[-1]] = self.rng.choice(JUNK)
        return Response(response.status, body, response.headers)


@pytest.fixture
def hubspot(monkeypatch):
    fake = FakeHubSpot(burst_limit=10**6, search_per_second=10**6)
    spoiler = Spoiler(fake, random.Random(17))
    with fake:
        fake.generate(8, seed=17)
        monkeypatch.setenv("HUBSPOT_TOKEN", fake.token)
        yield fake, spoiler


@pytest.fixture
def pipedrive(monkeypatch):
    fake = FakePipedrive(PD_TOKEN, burst_limit=10**6, daily_budget=10**9)
    spoiler = Spoiler(fake, random.Random(17))
    with fake:
        fake.seed(8, seed=17)
        monkeypatch.setenv("PIPEDRIVE_API_TOKEN", PD_TOKEN)
        yield fake, spoiler


@pytest.mark.parametrize("crm", ["hubspot", "pipedrive"])
def test_junk_anywhere_in_an_answer_never_gives_a_traceback(request, crm, settings):
    fake, spoiler = request.getfixturevalue(crm)

    def connector():
        options = ConnectorOptions(
            settings=settings, base_url=fake.base_url, config={"domain": "acme"}
        )
        if crm == "hubspot":
            options = ConnectorOptions(settings=settings, base_url=fake.base_url)
            return HubSpotConnector(options, sleep=lambda s: None, backoff_factor=0)
        return PipedriveConnector(options, sleep=lambda s: None, backoff_factor=0)

    connector().setup()
    named = 0
    for _ in range(TRIALS):
        spoiler.seen, spoiler.target = 0, spoiler.rng.randint(1, 15)
        reader = connector()
        try:
            cursor = reader.start_cursor()
            list(reader.read())
            list(reader.read_changed(cursor, ()).clients)
        except CrmflagsError as exc:
            named += 1
            assert exc.exit_code in (2, 5), str(exc)
    assert 0 < named < TRIALS  # some junk is a named error, some only fails a client

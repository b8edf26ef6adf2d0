"""crmflags.http.ApiClient, as a plugin uses it, against servers on 127.0.0.1.

Each test is an attack a CRM, a proxy in front of it or a hostile server can make:
a redirect to another host, an answer trickled one byte at a time, malformed JSON,
a 200 whose body is not the documented shape.
"""

from __future__ import annotations

import time

import pytest
from fakes.server import (
    Catcher,
    Failures,
    FakeServer,
    Injection,
    Request,
    Response,
    json_response,
    malformed_json,
    redirect,
    shape_attack,
    trickle,
)

from crmflags import logs
from crmflags.errors import EXIT_AUTH, EXIT_CRM_FAILED, AuthError, CrmError, QuotaSpent
from crmflags.http import Answer, ApiClient, Pacer

TOKEN = "plugin-token-0123456789abcdef"


class Api:
    """A small JSON API: ``/clients`` lists two clients; injections answer first."""

    def __init__(self) -> None:
        self.injected = Failures()
        self.requests: list[Request] = []
        self.server = FakeServer(self.handle)

    def handle(self, request: Request) -> Response:
        self.requests.append(request)
        injection = self.injected.take(request)
        if injection is not None:
            return injection.response()
        if request.headers.get("x-api-key") != TOKEN and request.param("api_token") != TOKEN:
            return json_response(401, {"message": "bad key"})
        if request.path == "/clients":
            return json_response(200, {"data": [{"id": 1}, {"id": 2}]})
        return json_response(404, {"message": "no such thing"})


class MyCrm(ApiClient):
    service = "MyCRM"


@pytest.fixture(autouse=True)
def fresh_secrets(monkeypatch):
    monkeypatch.setattr(logs, "_SECRETS", set())


@pytest.fixture
def api():
    service = Api()
    service.server.start()
    yield service
    service.server.stop()


def client(api: Api, **settings) -> MyCrm:
    return MyCrm(
        api.server.base_url,
        headers={"X-Api-Key": TOKEN},
        secrets=[TOKEN],
        **{"timeout": 2.0, "retries": 0, "backoff_factor": 0, **settings},
    )


def test_a_plugin_reads_records_through_it(api):
    answer = client(api).get("/clients")
    assert [r["id"] for r in answer.records("data")] == [1, 2]


def test_a_refused_key_is_exit_3_without_the_key(api):
    with pytest.raises(AuthError) as refused:
        MyCrm(api.server.base_url, headers={"X-Api-Key": "wrong-key-123"}).get("/clients")
    assert refused.value.exit_code == EXIT_AUTH
    assert str(refused.value) == "MyCRM refused the credentials (401: bad key); check them"


def test_a_service_that_cannot_be_reached_is_exit_5_not_2():
    with FakeServer(lambda r: json_response(200, {})) as gone:
        address = gone.base_url
    with pytest.raises(CrmError) as caught:
        MyCrm(address, retries=0).get("/clients")
    assert caught.value.exit_code == EXIT_CRM_FAILED == 5
    assert f"could not reach MyCRM ({address[7:]}) for GET /clients" in str(caught.value)


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_to_another_host_is_not_followed_and_the_key_stays_home(api, status):
    with Catcher() as elsewhere:
        api.injected.add(redirect(f"{elsewhere.base_url}/steal?x=1", status))
        with pytest.raises(CrmError) as caught:
            client(api).get("/clients")
        assert elsewhere.requests == []  # neither the header nor anything else got there
    assert f"redirected GET /clients ({status}) to another address" in str(caught.value)
    assert "x=1" not in str(caught.value)


def test_a_key_in_the_query_does_not_follow_a_redirect_either(api):
    with Catcher() as elsewhere:
        api.injected.add(redirect(f"{elsewhere.base_url}/clients"))
        with pytest.raises(CrmError):
            MyCrm(api.server.base_url, retries=0).get("/clients", {"api_token": TOKEN})
        assert elsewhere.requests == []


def test_another_scheme_or_port_on_the_same_host_is_another_host(api):
    port = api.server.base_url.rsplit(":", 1)[1]
    api.injected.add(redirect(f"https://127.0.0.1:{port}/clients"))
    with pytest.raises(CrmError, match="to another address \\(https://127.0.0.1"):
        client(api).get("/clients")


def test_a_same_host_redirect_of_a_get_is_followed_with_the_key(api):
    api.injected.add(redirect("/clients", 301, path_prefix="/old"))
    answer = client(api).get("/old")
    assert len(answer.records("data")) == 2
    assert [r.path for r in api.requests] == ["/old", "/clients"]


def test_a_same_host_302_of_a_post_is_refused_rather_than_sent_as_a_get(api):
    api.injected.add(redirect("/clients", 302, path_prefix="/create"))
    with pytest.raises(CrmError, match="would send it again as a GET without its body"):
        client(api).post("/create", {"name": "x"})
    assert [r.method for r in api.requests] == ["POST"]


def test_a_trickled_answer_ends_at_the_deadline_not_never(api):
    api.injected.add(trickle(0.05, times=3))  # one byte every 50 ms: no socket timeout trips
    started = time.monotonic()
    with pytest.raises(CrmError) as caught:
        client(api, timeout=0.6, retries=2).get("/clients")
    took = time.monotonic() - started
    assert took < 3 * 0.6 + 1.5  # three attempts of 0.6 s, not the 5 s the trickle lasts
    assert "did not answer GET /clients in full within 0.6 s, even after retries" in str(
        caught.value
    )
    assert caught.value.exit_code == 5


def test_an_answer_within_the_deadline_is_read_whole(api):
    api.injected.add(trickle(0.002, body={"data": [{"id": 7}]}))
    assert client(api, timeout=5).get("/clients").records("data") == [{"id": 7}]


@pytest.mark.parametrize("deep", [False, True])
def test_malformed_json_is_a_named_error_not_a_traceback(api, deep):
    api.injected.add(malformed_json(deep=deep))
    with pytest.raises(CrmError) as caught:
        client(api).get("/clients")
    assert str(caught.value) == "MyCRM answered GET /clients with 200 but no JSON object"


@pytest.mark.parametrize(
    "body, part",
    [
        ({"ok": True}, "data is missing"),
        ({"data": "x"}, "data is the text 'x', not a list"),
        ({"data": [None, 1, "a"]}, "data[0] is null, not an object"),
        ({"data": [{"name": "no id"}]}, "data[0] has no id"),
    ],
)
def test_a_200_in_an_undocumented_shape_is_an_error_never_no_records(api, body, part):
    api.injected.add(shape_attack(body))
    with pytest.raises(CrmError) as caught:
        client(api).get("/clients").records("data")
    assert caught.value.exit_code == 5
    assert f"MyCRM answered GET /clients with 200 in a shape it does not document ({part})" in (
        str(caught.value)
    )


def test_answer_parts_are_read_only_in_their_documented_types():
    answer = Answer({"paging": {"next": {"after": 200}}, "more": "yes"}, call="GET /x")
    assert answer.text("paging", "next", "after") == "200"
    assert answer.text("paging", "previous", "before") is None
    with pytest.raises(CrmError, match="more is the text 'yes', not true or false"):
        answer.flag("more")
    with pytest.raises(CrmError, match="more is the text 'yes', not an object"):
        answer.part("more", "next")


def test_429s_wait_the_window_and_a_spent_quota_is_the_subclass_to_say(api):
    waits: list[float] = []

    class Quota(MyCrm):
        def quota_spent(self, response, method, path):
            return QuotaSpent("daily quota spent") if "daily" in response.text else None

    api.injected.add(Injection(1, 429, body={"message": "slow down"}, headers={"Retry-After": "3"}))
    http = Quota(
        api.server.base_url,
        headers={"X-Api-Key": TOKEN},
        pacer=Pacer(10, 1.0),
        sleep=waits.append,
    )
    assert len(http.get("/clients").records("data")) == 2
    assert waits == [3.0]
    api.injected.add(Injection(1, 429, body={"message": "daily limit"}))
    with pytest.raises(QuotaSpent):
        http.get("/clients")


def test_the_key_is_masked_in_every_message(api):
    api.injected.add(Injection(1, 400, body={"message": f"your key {TOKEN} is odd"}))
    with pytest.raises(CrmError) as caught:
        client(api).get("/clients")
    assert TOKEN not in str(caught.value) and "your key *** is odd" in str(caught.value)

"""Level-change notifications: plugin hooks isolated by name, and the webhook against a real server."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
import types
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fakes.server import Catcher, Failures, FakeServer, trickle

from crmflags import hookimpl, logs, webhook_plugin
from crmflags.errors import InputError
from crmflags.loading.config import load_config
from crmflags.loading.plugins import PluginInfo, Plugins, new_manager
from crmflags.sync import notify
from crmflags.sync.notify import (
    LevelChange,
    WebhookConfig,
    WebhookNotifier,
    notify_level_changes,
)

SECRET = "s3cr3t-shared-value"


class Endpoint:
    """What the test server records and how it answers: a plan of statuses (or status and
    headers), then a default.

    An answer of "hang" waits (at most 2 s, released at teardown) without replying.
    """

    def __init__(self, url: str):
        self.url = url
        self.requests: list[dict] = []
        self.plan: list[int | str | tuple[int, dict]] = []
        self.default: int | str | tuple[int, dict] = 200
        self.release = threading.Event()

    def bodies(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        endpoint = self.server.endpoint
        body = self.rfile.read(int(self.headers["Content-Length"]))
        endpoint.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
        answer = endpoint.plan.pop(0) if endpoint.plan else endpoint.default
        if answer == "hang":
            endpoint.release.wait(2)
            return
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.endpoint = Endpoint(f"http://127.0.0.1:{server.server_address[1]}/hook")
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server.endpoint
    server.endpoint.release.set()
    server.shutdown()
    server.server_close()
    thread.join(2)


@pytest.fixture(autouse=True)
def fresh_secrets(monkeypatch):
    monkeypatch.setattr(logs, "_SECRETS", set())


def change(client_id="c-17", new_level="fire", old_level="warning", run_id="run-1"):
    return LevelChange(
        source="hubspot",
        run_id=run_id,
        client_id=client_id,
        client_name="Acme Kft.",
        old_level=old_level,
        new_level=new_level,
        tags=["late_payer", "abusive"],
        reasons=[
            {
                "rule": "late-invoices",
                "tag": "late_payer",
                "weight": 3,
                "message": "3 of 4 invoices paid late",
                "evidence": ["inv-1"],
                "advice": "ask for a deposit",
            }
        ],
    )


def shown(endpoint) -> str:
    """How messages name the endpoint: scheme, host and port, never the path (a secret)."""
    return endpoint.url[: -len("/hook")]


def notifier(url, **settings):
    return WebhookNotifier(WebhookConfig(url=url, **{"timeout": 1.0, **settings}), 0)


def test_the_body_is_the_change_as_json(endpoint):
    assert notifier(endpoint.url).send(change(old_level=None)) is None
    assert len(endpoint.requests) == 1
    request = endpoint.requests[0]
    assert request["path"] == "/hook"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert "X-Crmflags-Signature" not in request["headers"]
    assert endpoint.bodies()[0] == {
        "event": "level_changed",
        "source": "hubspot",
        "run_id": "run-1",
        "client": {"id": "c-17", "name": "Acme Kft."},
        "old_level": None,
        "new_level": "fire",
        "tags": ["late_payer", "abusive"],
        "reasons": change().reasons,
    }


def test_the_body_is_signed_with_the_secret_from_the_environment(endpoint, monkeypatch):
    monkeypatch.setenv("CRMFLAGS_WEBHOOK_SECRET", SECRET)
    assert notifier(endpoint.url, secret_env="CRMFLAGS_WEBHOOK_SECRET").send(change()) is None
    request = endpoint.requests[0]
    expected = hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Crmflags-Signature"] == f"sha256={expected}"


def test_a_missing_secret_variable_sends_nothing(endpoint, monkeypatch):
    monkeypatch.delenv("CRMFLAGS_WEBHOOK_SECRET", raising=False)
    problem = notifier(endpoint.url, secret_env="CRMFLAGS_WEBHOOK_SECRET").send(change())
    assert "CRMFLAGS_WEBHOOK_SECRET (secret_env) is not set" in problem
    assert endpoint.requests == []


def test_503s_are_retried_until_the_webhook_answers(endpoint):
    endpoint.plan = [503, 503]
    assert notifier(endpoint.url, retries=3).send(change()) is None
    assert len(endpoint.requests) == 3
    assert endpoint.bodies()[0] == endpoint.bodies()[2]


def test_retry_after_is_respected_but_capped(endpoint, monkeypatch):
    monkeypatch.setattr(notify, "MAX_RETRY_AFTER", 0.2)
    endpoint.plan = [(429, {"Retry-After": "3600"})]
    started = time.monotonic()
    assert notifier(endpoint.url, retries=1).send(change()) is None
    assert 0.2 <= time.monotonic() - started < 1.5
    assert len(endpoint.requests) == 2


def test_a_final_failure_is_a_problem_and_the_rest_of_the_run_is_skipped(endpoint):
    endpoint.default = 500
    webhook = notifier(endpoint.url, retries=2)
    problem = webhook.send(change())
    assert problem == (
        f"webhook {shown(endpoint)} failed for client c-17: the webhook answered POST with "
        "500: Internal Server Error after 2 retries"
    )
    assert len(endpoint.requests) == 3
    skipped = webhook.send(change(client_id="c-18"))
    assert (
        skipped
        == f"webhook {shown(endpoint)} skipped for client c-18: it failed earlier in this run"
    )
    assert len(endpoint.requests) == 3
    endpoint.default = 200
    assert webhook.send(change(client_id="c-18", run_id="run-2")) is None


def test_a_refusal_is_not_retried(endpoint):
    endpoint.default = 404
    problem = notifier(endpoint.url, retries=3).send(change())
    assert problem.endswith("failed for client c-17: the webhook answered POST with 404: Not Found")
    assert len(endpoint.requests) == 1


def test_a_webhook_that_hangs_times_out_and_is_retried(endpoint):
    endpoint.default = "hang"
    started = time.monotonic()
    problem = notifier(endpoint.url, timeout=0.2, retries=1).send(change())
    assert time.monotonic() - started < 1.5
    assert problem == (
        f"webhook {shown(endpoint)} failed for client c-17: the webhook ({shown(endpoint)[7:]}) "
        "did not answer POST in full within 0.2 s, even after retries"
    )
    assert len(endpoint.requests) == 2


def test_no_server_is_a_problem_too():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/hook"
    problem = notifier(url, retries=0).send(change())
    host = url[len("http://") : -len("/hook")]
    assert problem == (
        f"webhook http://{host} failed for client c-17: could not reach the webhook ({host}) "
        "for POST (no connection)"
    )


def test_only_the_configured_levels_trigger_it(endpoint):
    webhook = notifier(endpoint.url, levels=("warning", "fire"))
    assert webhook.send(change(new_level="watch")) is None
    assert webhook.send(change(new_level="ok")) is None
    assert webhook.send(change(new_level="warning")) is None
    assert [body["new_level"] for body in endpoint.bodies()] == ["warning"]


def test_messages_show_no_credentials_or_query_of_the_url(endpoint):
    endpoint.default = 500
    port = endpoint.url.split(":")[2].split("/")[0]
    url = f"http://user:pa55word@127.0.0.1:{port}/hook?token=query-tok#frag"
    problem = notifier(url, retries=0).send(change())
    assert problem == (
        f"webhook http://127.0.0.1:{port} failed for client c-17: the webhook answered POST "
        "with 500: Internal Server Error"
    )
    assert "pa55word" not in problem and "query-tok" not in problem


def test_the_secret_never_reaches_problems_or_logs(endpoint, monkeypatch, tmp_path):
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    endpoint.default = 500
    problem = notifier(endpoint.url, retries=0, secret_env="HOOK_SECRET").send(change())
    assert SECRET not in problem
    logger = logs.setup_logging(tmp_path / "sync.log", "json", verbose=True)
    try:
        logger.warning(problem)
        logger.info("signing with %s", SECRET, extra={"fields": {"secret": SECRET}})
    finally:
        logs.setup_logging(None, "plain", verbose=False)
    text = (tmp_path / "sync.log").read_text()
    assert SECRET not in text
    assert "signing with ***" in text


# --- hooks through the plugin manager ---------------------------------------


def info(name, distribution="crmflags"):
    return PluginInfo(name, distribution, "1.0")


def plugin_module(function):
    module = types.ModuleType("fake_notifier")
    module.level_changed = hookimpl(function)
    return module


def configured(tmp_path, text):
    """Return crmflags.yaml holding ``text`` as the webhook plugin sees it, and its path."""
    path = tmp_path / "crmflags.yaml"
    path.write_text(text)
    declared = Plugins(new_manager())
    declared.add(webhook_plugin, info("webhook"))
    return load_config(path, (), declared.section_declarations()), path


def notify_all(plugins, changes, config):
    return notify_level_changes(plugins, changes, config.data, config.plugin_settings)


@pytest.fixture
def plugins():
    loaded = Plugins(new_manager())
    loaded.add(webhook_plugin, info("webhook"))
    return loaded


def test_the_webhook_plugin_posts_when_configured(plugins, endpoint, tmp_path):
    config, _ = configured(tmp_path, f"webhook:\n  url: {endpoint.url}\n  levels: [fire]\n")
    changes = [change("c-1"), change("c-2", new_level="watch"), change("c-3")]
    assert notify_all(plugins, changes, config) == []
    assert [body["client"]["id"] for body in endpoint.bodies()] == ["c-1", "c-3"]


def test_without_a_webhook_section_nothing_is_sent(plugins, endpoint):
    assert notify_level_changes(plugins, [change()], {"connector": "csv"}) == []
    assert endpoint.requests == []


def test_a_webhook_failure_is_reported_under_the_plugin_name(plugins, endpoint, tmp_path):
    endpoint.default = 503
    config, _ = configured(tmp_path, f"webhook:\n  url: {endpoint.url}\n  retries: 1\n")
    problems = notify_all(plugins, [change("c-1", run_id="run-x")], config)
    assert problems == [
        f"plugin webhook (crmflags 1.0): webhook {shown(endpoint)} failed for client c-1: "
        "the webhook answered POST with 503: Service Unavailable after 1 retry"
    ]


def test_a_raising_plugin_is_named_and_the_others_still_run(plugins, endpoint, tmp_path):
    seen = []

    def broken(change, config):
        raise RuntimeError("pager service is down")

    plugins.add(plugin_module(broken), info("pager", "crmflags-pager"))
    plugins.add(plugin_module(lambda change: seen.append(change.client_id)), info("recorder"))
    config, _ = configured(tmp_path, f"webhook:\n  url: {endpoint.url}\n")
    problems = notify_all(plugins, [change("c-1"), change("c-2")], config)
    assert problems == [
        f"plugin pager (crmflags-pager 1.0): level_changed failed for client {client}: "
        "RuntimeError: pager service is down"
        for client in ("c-1", "c-2")
    ]
    assert seen == ["c-1", "c-2"]
    assert len(endpoint.requests) == 2


def test_a_plugin_problem_never_shows_a_registered_secret(plugins):
    logs.register_secret(SECRET)

    def leaky(change):
        raise ValueError(f"bad token {SECRET}")

    plugins.add(plugin_module(leaky), info("leaky"))
    assert notify_level_changes(plugins, [change()], {}) == [
        "plugin leaky (crmflags 1.0): level_changed failed for client c-17: "
        "ValueError: bad token ***"
    ]


# --- the webhook: section ----------------------------------------------------


def test_a_full_section_is_read(tmp_path):
    config, path = configured(
        tmp_path,
        "webhook:\n"
        "  url: https://hooks.example.com/crm\n"
        "  levels: [fire, warning]\n"
        "  timeout: 5\n"
        "  retries: 0\n"
        "  secret_env: CRMFLAGS_WEBHOOK_SECRET\n",
    )
    assert config.plugin_settings["webhook"] == WebhookConfig(
        url="https://hooks.example.com/crm",
        levels=("warning", "fire"),
        timeout=5.0,
        retries=0,
        secret_env="CRMFLAGS_WEBHOOK_SECRET",
    )


def test_defaults(tmp_path):
    config, path = configured(tmp_path, "webhook:\n  url: http://localhost:8080/x\n")
    webhook = config.plugin_settings["webhook"]
    assert (webhook.levels, webhook.timeout, webhook.retries, webhook.secret_env) == (
        ("ok", "watch", "warning", "fire"),
        10.0,
        3,
        None,
    )


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "  url: https://h.example.com\n  retires: 2\n",
            3,
            "unknown webhook setting 'retires' (did you mean 'retries'?)",
        ),
        ("  levels: [fire]\n", 2, "webhook needs url:"),
        ("  url: ftp://h.example.com/x\n", 2, "url must be an http:// or https:// address"),
        ("  url: https://\n", 2, "url must be an http:// or https:// address"),
        ("  url: https://h.example.com:port/x\n", 2, "url must be an http:// or https://"),
        (
            "  url: https://h.example.com\n  levels: [fire, critical]\n",
            3,
            "unknown level 'critical'; levels are ok, watch, warning, fire",
        ),
        ("  url: https://h.example.com\n  levels: fire\n", 3, "levels must be a list"),
        ("  url: https://h.example.com\n  timeout: 0\n", 3, "timeout must be a number"),
        ("  url: https://h.example.com\n  retries: three\n", 3, "retries must be a whole number"),
        ("  url: https://h.example.com\n  retries: 50\n", 3, "retries must be a whole number"),
        (
            "  url: https://h.example.com\n  secret: hunter2hunter2\n",
            3,
            "'secret': secrets never go in crmflags.yaml",
        ),
    ],
)
def test_bad_sections_name_the_line(tmp_path, body, line, message):
    with pytest.raises(InputError) as caught:
        configured(tmp_path, "webhook:\n" + body)
    path = tmp_path / "crmflags.yaml"
    assert caught.value.where == f"{path}:{line}"
    assert message in str(caught.value)


def test_a_secret_put_in_secret_env_is_not_echoed(tmp_path):
    with pytest.raises(InputError) as caught:
        configured(
            tmp_path, "webhook:\n  url: https://h.example.com\n  secret_env: hunter2-value!\n"
        )
    assert "secret_env must be the name of an environment variable" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_a_section_that_is_not_a_mapping(tmp_path):
    with pytest.raises(InputError, match="webhook must be a mapping") as caught:
        configured(tmp_path, "webhook: https://h.example.com\n")
    assert caught.value.where == f"{tmp_path / 'crmflags.yaml'}:1"


# --- hostile receivers: redirects and trickles ---------------------------------------------


def test_a_302_is_a_failed_delivery_not_a_bodiless_get(endpoint):
    endpoint.plan = [(302, {"Location": "/elsewhere"})]
    problem = notifier(endpoint.url, retries=2).send(change())
    assert problem == (
        f"webhook {shown(endpoint)} failed for client c-17: the webhook answered POST with a "
        "redirect (302)"
    )
    assert len(endpoint.requests) == 1  # the POST; no GET followed it


def test_a_307_to_another_host_never_gets_the_payload_or_the_signature(endpoint, monkeypatch):
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    with Catcher() as elsewhere:
        endpoint.plan = [(307, {"Location": f"{elsewhere.base_url}/steal"})]
        problem = notifier(endpoint.url, secret_env="HOOK_SECRET").send(change())
        assert elsewhere.requests == []
    assert "redirected POST (307) to another address" in problem
    assert "/steal" not in problem


def test_a_receiver_trickling_its_answer_fails_at_the_deadline():
    answers = Failures()
    answers.add(trickle(0.05, times=2, body={"ok": True}))
    with FakeServer(lambda request: answers.take(request).response()) as slow:
        started = time.monotonic()
        problem = notifier(f"{slow.base_url}/hook", timeout=0.3, retries=1).send(change())
    assert time.monotonic() - started < 2 * 0.3 + 1.5  # not the 20 s the trickle lasts
    assert "did not answer POST in full within 0.3 s" in problem


def test_a_webhook_url_is_masked_wherever_its_key_appears(endpoint):
    url = f"{endpoint.url}/T0AAAA/B0BBBB/{'k' * 24}?sig=abcdef123456"
    notifier(url)
    for shown_as in (url, url.split("127.0.0.1")[1], "k" * 24, "sig=abcdef123456"):
        assert "k" * 24 not in logs.redact(f"POST {shown_as} failed")
        assert "abcdef123456" not in logs.redact(f"POST {shown_as} failed")

"""The built-in webhook notifier, a plugin like any other (entry point ``webhook``).

It acts only when ``crmflags.yaml`` has a ``webhook:`` section.
"""

from __future__ import annotations

from functools import lru_cache

from crmflags import hookimpl
from crmflags.sync.notify import NotifyProblem, WebhookConfig, WebhookNotifier


@hookimpl
def register_sections(register):
    """Declare the ``webhook:`` section of crmflags.yaml."""
    register("webhook", WebhookConfig)


@hookimpl
def level_changed(change, sections):
    """POST the change to the configured webhook; a failure is raised as NotifyProblem."""
    section = sections.get("webhook")
    if section is None:
        return
    problem = _notifier(section).send(change)
    if problem:
        raise NotifyProblem(problem)


@lru_cache(maxsize=4)
def _notifier(config: WebhookConfig) -> WebhookNotifier:
    """One notifier (one connection pool) per webhook configuration, for the whole run."""
    return WebhookNotifier(config)

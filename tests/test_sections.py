"""Sections declared once (crmflags.sections): one dataclass gives validation and docs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from crmflags.errors import InputError
from crmflags.sections import (
    ApiSettings,
    field_names,
    names,
    pacing,
    path,
    read_section,
    seconds,
    setting,
    settings_table,
    transport_keys,
    whole_number,
)
from crmflags.yamlfile import load_yaml


@dataclass(frozen=True)
class Acme:
    token: str = field(repr=False)
    export: Path | None = setting("the export folder", path("a folder"))
    page_size: int = setting("records per page", whole_number(1, 500), default=100)
    timeout: float = setting("seconds per request", seconds(), default=30.0, transport=True)
    fields: dict[str, str | None] = setting(
        "the Acme field behind a manual field",
        field_names({"email": None, "team_morale": "morale"}, "Acme field name"),
        default_factory=lambda: {"email": None, "team_morale": "morale"},
    )
    tags: tuple[str, ...] = setting("tags read", names("tag"), default=())


def section(tmp_path, text):
    path_ = tmp_path / "crmflags.yaml"
    path_.write_text(text)
    return load_yaml(path_)["acme"], path_


def test_a_section_reads_into_its_dataclass_with_the_given_fields(tmp_path):
    data, where = section(
        tmp_path, "acme:\n  export: out\n  page_size: 50\n  fields: {email: Mail}\n"
    )
    acme = read_section(Acme, data, "acme", where, token="tok-secret-9")
    assert acme.export == tmp_path / "out"  # relative to crmflags.yaml's folder
    assert (acme.page_size, acme.timeout, acme.tags) == (50, 30.0, ())
    assert acme.fields == {"email": "Mail", "team_morale": "morale"}
    assert "tok-secret-9" not in repr(acme)


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("  page_sise: 5\n", 2, "unknown acme setting 'page_sise' (did you mean 'page_size'?)"),
        ("  export: out\n  page_size: 0\n", 3, "page_size must be a whole number 1-500"),
        ("  fields:\n    emial: Mail\n", 3, "unknown field 'emial' (did you mean 'email'?)"),
        ("  tags: [a, '']\n", 2, "tags must be a list of tags"),
        ("  timeout: yes\n", 2, "timeout must be a number of seconds above 0"),
    ],
)
def test_every_error_names_the_line(tmp_path, body, line, message):
    data, where = section(tmp_path, "acme:\n" + body)
    with pytest.raises(InputError) as caught:
        read_section(Acme, data, "acme", where, token="t")
    assert caught.value.where == f"{where}:{line}"
    assert message in str(caught.value)


def test_the_docs_table_and_transport_keys_come_from_the_same_declaration():
    assert transport_keys(Acme) == ("timeout",)
    assert settings_table(Acme).splitlines()[2:] == [
        "| `export` | the path of a folder | none | the export folder |",
        "| `page_size` | a whole number 1-500 | 100 | records per page |",
        "| `timeout` | seconds | 30 | seconds per request |",
        "| `fields` | a mapping of crmflags field: Acme field name | team_morale: morale "
        "| the Acme field behind a manual field |",
        "| `tags` | a list of tags | none | tags read |",
    ]


def test_something_that_is_not_a_dataclass_is_refused():
    with pytest.raises(TypeError, match="not a dataclass"):
        settings_table(dict)


@dataclass(frozen=True)
class AcmeApi(ApiSettings):
    requests_per_minute: int = pacing(600, 500, "Acme's limit of 600 a minute")


def test_a_web_api_section_shares_the_token_address_and_timeout_settings(tmp_path):
    data, where = section(tmp_path, "acme:\n  token_file: acme-token\n  timeout: 5\n")
    acme = read_section(AcmeApi, data, "acme", where, token="tok-9", base_url="https://acme.test")
    assert acme.token_file == tmp_path / "acme-token"
    assert (acme.timeout, acme.requests_per_minute) == (5.0, 500)
    assert "tok-9" not in repr(acme)
    # pacing and timeouts change how the API is talked to, not what is read
    assert transport_keys(AcmeApi) == ("timeout", "requests_per_minute")
    assert settings_table(AcmeApi).splitlines()[-1] == (
        "| `requests_per_minute` | a whole number 1-600 | 500 "
        "| pacing, below Acme's limit of 600 a minute |"
    )
    data, where = section(tmp_path, "acme:\n  requests_per_minute: 601\n")
    with pytest.raises(InputError, match="requests_per_minute must be a whole number 1-600"):
        read_section(AcmeApi, data, "acme", where, token="t", base_url="https://acme.test")


def test_hubspot_and_pipedrive_read_the_shared_settings_alike(tmp_path):
    from crmflags_hubspot.configuration import HubSpotSettings
    from crmflags_pipedrive.configuration import PipedriveSettings

    for declaration in (HubSpotSettings, PipedriveSettings):
        data, where = section(tmp_path, "acme:\n  timeout: 0\n")
        with pytest.raises(InputError, match="timeout must be a number of seconds above 0"):
            read_section(declaration, data, "acme", where, token="t", base_url="https://x.test")
        assert "timeout" in transport_keys(declaration)
        assert (
            settings_table(declaration).splitlines()[2:4]
            == settings_table(ApiSettings).splitlines()[2:4]
        )

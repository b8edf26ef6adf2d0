"""`--format json` is written by orjson, and it is the json module's text, byte for byte."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from click.testing import CliRunner

from crmflags.cli import cli
from crmflags.cli.output import json_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import AS_OF, generate  # noqa: E402


def json_module(document) -> str:
    """What crmflags wrote before orjson, and the reference it must match."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


AWKWARD_TEXT = ["", "é ü ő ā ž", "😀", "\u2028\u2029\ufeff\u00a0", '"\\/', "\x00\x1f\x7f\t\n\r"]


def random_number(rng: random.Random):
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice([1, -1]) * rng.randrange(2 ** rng.randrange(1, 80))  # beyond 64 bits too
    if kind == 1:
        return round(rng.uniform(-1e6, 1e6), rng.randrange(4))
    if kind == 2:
        return rng.choice([0.0, -0.0, 1e-4, 1e-5, 5e-324, 1e16, 1.5e16, 1e300, 0.1 + 0.2])
    return rng.choice([1, -1]) * 10 ** rng.uniform(-12, 20)


def random_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(7 if depth < 3 else 4)
    if kind == 0:
        return random_number(rng)
    if kind == 1:
        return rng.choice(AWKWARD_TEXT) + str(rng.random())
    if kind == 2:
        return rng.choice([None, True, False])
    if kind == 3:
        return random_number(rng)
    if kind == 4:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {
        rng.choice(AWKWARD_TEXT) + str(i): random_value(rng, depth + 1)
        for i in range(rng.randrange(4))
    }


def test_any_document_is_written_as_the_json_module_writes_it():
    rng = random.Random(18)
    for _ in range(3000):
        document = {"clients": [random_value(rng) for _ in range(rng.randrange(6))]}
        assert json_text(document) == json_module(document)


def test_a_tiny_number_among_text_that_looks_like_one_is_still_exact():
    # "2e-5" inside a string is not a number; 2e-05 as a value is written the json module's way.
    document = {"message": 'paid 2e-5,\n"late": 1e-5', "ratio": 2e-05, "nested": [{"x": 3e-7}]}
    assert json_text(document) == json_module(document)
    assert json_text({"a": "1e-5"}) == json_module({"a": "1e-5"})


def same_as_json_module(text: str) -> None:
    # Floats and integers survive json.loads exactly, so this is the json module's text of the
    # very document orjson wrote.
    assert text == json_module(json.loads(text)) + "\n"


def test_the_sample_data_evaluates_to_the_json_modules_bytes(tmp_path):
    from crmflags.cli.demo import SAMPLE_AS_OF, prepare

    _, config = prepare(str(tmp_path / "demo"))
    result = CliRunner().invoke(
        cli,
        ["--config", str(config), "evaluate", "--as-of", str(SAMPLE_AS_OF), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert any(ord(char) > 127 for char in result.stdout)  # names and notes beyond ASCII
    same_as_json_module(result.stdout)


def test_a_generated_bundle_evaluates_to_the_json_modules_bytes(tmp_path):
    generate(tmp_path / "bundle", 400, 5)
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            "--source",
            str(tmp_path / "bundle"),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "json",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    assert len(document["clients"]) == 400
    assert any(
        isinstance(v, float)
        for c in document["clients"]
        for r in c["reasons"]
        for v in r["evidence"].values()
    )
    same_as_json_module(result.stdout)


def test_clients_written_in_pieces_make_the_same_document(tmp_path, monkeypatch):
    from crmflags.cli import output

    generate(tmp_path / "bundle", 60, 3)
    command = ["evaluate", "--source", str(tmp_path / "bundle"), "--as-of", AS_OF.isoformat()]
    whole = CliRunner().invoke(cli, [*command, "--format", "json"]).stdout
    monkeypatch.setattr(output, "JSON_CLIENTS_PER_CHUNK", 7)  # 60 clients: 9 pieces, one short
    pieces = CliRunner().invoke(cli, [*command, "--format", "json"]).stdout
    strip = [line for line in pieces.splitlines() if '"evaluated_at"' not in line]
    assert strip == [line for line in whole.splitlines() if '"evaluated_at"' not in line]
    assert len(json.loads(pieces)["clients"]) == 60
    same_as_json_module(pieces)


def test_no_clients_is_an_empty_list(tmp_path):
    folder = tmp_path / "empty"
    generate(folder, 1, 3)
    for csv_file in folder.glob("*.csv"):  # keep the header lines only
        csv_file.write_text(csv_file.read_text().splitlines()[0] + "\n")
    result = CliRunner().invoke(cli, ["evaluate", "--source", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"clients": [],' in result.stdout
    same_as_json_module(result.stdout)

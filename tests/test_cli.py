"""The command line, as a user runs it (in-process through Typer's runner, and one real process)."""

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from coach.cli import app
from coach.settings import get_settings

runner = CliRunner()


@pytest.fixture
def small(monkeypatch, small_knowledge):
    monkeypatch.setenv("COACH_KNOWLEDGE_DIRS", str(small_knowledge))
    get_settings.cache_clear()
    return small_knowledge


def invoke(*args):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result


def test_first_ask_builds_the_index_then_answers_as_json(small):
    result = invoke("ask", "--json", "the weekly sync got cancelled again")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert set(record) == {
        "question",
        "answer",
        "kind",
        "language",
        "backend",
        "sources",
        "tone",
        "latency_ms",
        "first_token_ms",
        "guard",
        "situation",
        "fit",
        "playbook",
        "parts",
    }
    assert set(record["situation"]) == {"asker", "stance", "counterpart", "channel", "when"}
    assert record["playbook"] == "weekly-sync" and record["parts"]["steps"]
    assert record["guard"] == "passed" and "fallback_reason" not in record
    assert record["backend"] == "offline" and record["language"] == "en"
    assert record["sources"][0]["id"] == "weekly-sync"
    assert set(record["sources"][0]) == {
        "id",
        "title",
        "path",
        "section",
        "language",
        "principles",
        "score",
    }
    assert record["tone"]["ok"] is True


def test_readable_answer(small):
    result = invoke("ask", "la reunión semanal se cancela otra vez")
    assert result.exit_code == 0
    assert "Pasos" in result.stdout and "Fuentes" in result.stdout


def test_batch_keeps_order_and_reports_bad_lines(small, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        '{"q": "the sync keeps getting skipped"}\n'
        "not json\n"
        '{"question": "wrong key"}\n'
        '{"q": "¿qué hago si nadie va a la reunión?"}\n'
        '[1, 2]\n"just a string"\nnull\n' + json.dumps({"q": "sales " * 500}) + "\n"
    )
    result = invoke("ask", "--batch", str(batch), "--json")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 8
    assert records[0]["language"] == "en" and records[3]["language"] == "es"
    assert records[1]["error"].startswith("line 2: not JSON")
    assert records[2]["error"] == 'line 3: expected a JSON object with a question: {"q": "..."}'
    assert [r["error"][:7] for r in records[4:7]] == ["line 5:", "line 6:", "line 7:"]
    assert records[7]["error"].startswith("line 8: That is 2999 characters")


def test_a_batch_line_that_is_not_utf8_is_reported_and_the_others_answered(small, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_bytes(
        b'{"q": "the sync keeps getting skipped"}\n{"q": "caf\xe9"}\n'
        b'{"q": "nobody comes to the weekly sync"}\n'
    )
    result = invoke("ask", "--batch", str(batch), "--json")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records[1] == {"error": "line 2: not UTF-8 text"}
    assert records[0]["sources"] and records[2]["sources"]


def test_check_json_and_readable(small):
    record = json.loads(invoke("check", "--json", "You always ignore our leads. Typical.").stdout)
    assert record["language"] == "en"
    assert {f["kind"] for f in record["tone"]["flags"]} == {"absolute", "contempt"}
    assert "always" not in record["rewrite"]
    readable = invoke("check", "Es tu culpa").stdout
    assert "blame" in readable and "Rewrite" in readable


def test_index_then_sources(small):
    assert "2 added" in invoke("index", "--quiet").stdout
    assert "up to date" in invoke("index").stdout
    listed = [json.loads(line) for line in invoke("sources", "--json").stdout.splitlines()]
    assert [d["id"] for d in listed] == ["article", "weekly-sync"]


def test_scenarios_and_scripted_rehearsal(tmp_path):
    listed = [json.loads(line) for line in invoke("scenarios", "--json").stdout.splitlines()]
    assert {"id", "title", "language", "difficulty", "counterpart", "principles"} <= set(listed[0])
    script = tmp_path / "turns.txt"
    script.write_text("I hear you, this quarter hurt.\nWhat would a good lead look like for you?\n")
    result = invoke(
        "rehearse",
        "leads-garbage-missed-quarter",
        "--script",
        str(script),
        "--json",
        "--lang",
        "es",
    )
    record = json.loads(result.stdout)
    assert record["scenario"] == "leads-garbage-missed-quarter"
    assert len(record["turns"]) == 2
    assert {"user", "counterpart", "tension", "feedback"} <= set(record["turns"][0])
    assert {"score", "flags", "strengths", "suggestion"} <= set(record["turns"][0]["feedback"])
    assert {"score", "by_principle", "outcome", "best_turn", "first_turn"} <= set(
        record["scorecard"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask"], "Ask a question"),
        (["rehearse", "no-such-scenario"], "No scenario"),
        (["rehearse", "follow-up-ownership", "--level", "furious"], "--level"),
        (["check", "   "], "Paste the message"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_1(args, message, small):
    result = subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_malformed_playbook_fails_the_index_run_naming_it(small):
    (small / "en" / "bad.md").write_text(
        "---\nid: bad\nlanguage: en\ntitle: x\nprinciples: [nope]\n---\nx"
    )
    result = subprocess.run(
        [sys.executable, "-m", "coach.cli", "index"],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )
    assert result.returncode == 1
    assert "bad.md" in result.stderr and "unknown principle id 'nope'" in result.stderr


def test_a_question_that_cannot_be_answered_does_not_end_the_chat(small):
    result = subprocess.run(
        [sys.executable, "-m", "coach.cli", "chat"],
        input="x" * 2500 + "\nthe weekly sync keeps getting skipped\n\n",
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "2500 characters" in result.stderr
    assert "weekly" in result.stdout.lower() and "Steps" in result.stdout  # the next one answered


def test_a_rehearsal_is_checked_before_it_is_played(tmp_path):
    script = tmp_path / "turns.txt"
    script.write_text("I hear you.\n" + "blah " * 600 + "\n")
    base = ["rehearse", "leads-garbage-missed-quarter", "--script", str(script)]
    long_line = subprocess.run(
        [sys.executable, "-m", "coach.cli", *base], capture_output=True, text=True, timeout=120
    )
    assert long_line.returncode == 1 and "turns.txt, line 2: That turn is 2999" in long_line.stderr
    script.write_text("I hear you.\n")
    nowhere = tmp_path / "missing-folder" / "t.md"
    bad_path = subprocess.run(
        [sys.executable, "-m", "coach.cli", *base, "--transcript", str(nowhere)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad_path.returncode == 1 and "no folder" in bad_path.stderr
    script.write_text("\n\n")
    empty = subprocess.run(
        [sys.executable, "-m", "coach.cli", *base], capture_output=True, text=True, timeout=120
    )
    assert empty.returncode == 1 and "turns.txt has no lines to say" in empty.stderr
    assert "Traceback" not in bad_path.stderr + long_line.stderr + empty.stderr

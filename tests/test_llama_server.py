"""The model backend against a real OpenAI-compatible server: llama.cpp serving Gemma 3 270M.

It is a small base model, so its text is poor; these tests check what the pipeline guarantees:
streaming, sources, the guard, citations, time to first token, and fallback when the server is
stopped mid-stream, was never started, or rejects the key.
"""

import json
import os
import subprocess
import sys

import pytest

from coach.answer import Coach
from tests.llama_server import API_KEY, MODEL_ALIAS, LlamaServer, assemble_model, free_port

pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server] is a test dependency")

QUESTION = "Sales says our leads are garbage. What do I say tomorrow?"


@pytest.fixture(scope="session")
def gguf(tmp_path_factory):
    return assemble_model(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="session")
def server(gguf, tmp_path_factory):
    running = LlamaServer(gguf, tmp_path_factory.mktemp("logs") / "llama.log")
    yield running
    running.stop()


def model_env(base_url: str, key: str = API_KEY) -> dict:
    return {
        "COACH_BACKEND": "openai",
        "OPENAI_BASE_URL": base_url,
        "OPENAI_API_KEY": key,
        "COACH_MODEL": MODEL_ALIAS,
        "COACH_MAX_ANSWER_TOKENS": "96",
        "COACH_TIMEOUT": "60",
        "COACH_MAX_RETRIES": "0",
        "COACH_CONTEXT_TOKENS": "700",
    }


@pytest.fixture
def model_coach(shipped_settings, monkeypatch, server):
    for name, value in model_env(server.base_url).items():
        monkeypatch.setenv(name, value)
    return Coach(
        shipped_settings.model_copy(
            update={
                "backend": "openai",
                "model": MODEL_ALIAS,
                "max_answer_tokens": 96,
                "max_retries": 0,
                "context_tokens": 700,
            }
        )
    )


def run_cli(*args, env: dict, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "COACH_DATA_DIR": str(data_dir)},
        timeout=300,
    )


def test_ask_json_with_a_live_server(server, shipped_settings):
    result = run_cli(
        "ask",
        "--json",
        QUESTION,
        env=model_env(server.base_url),
        data_dir=shipped_settings.data_dir,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["backend"] == "openai" and "fallback_reason" not in record
    assert record["guard"] in {"passed", "repaired", "replaced"}
    assert record["sources"] and record["sources"][0]["path"].startswith("knowledge/playbooks/")
    assert record["tone"]["ok"]  # whatever the model wrote, the guard lets no flag through


def test_stream_arrives_token_by_token(model_coach):
    events = list(model_coach.stream(QUESTION))
    tokens = [e for e in events if e.kind == "token"]
    record = events[-1].record
    assert len(tokens) >= 5
    assert record.backend == "openai" and record.sources
    assert 0 < record.first_token_ms < record.latency_ms
    if record.guard == "passed":
        assert record.answer == "".join(t.text for t in tokens) or record.removed_citations


def test_cli_stream_prints_tokens_as_json_events(server, shipped_settings):
    result = run_cli(
        "ask",
        "--stream",
        "--json",
        QUESTION,
        env=model_env(server.base_url),
        data_dir=shipped_settings.data_dir,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(1 for line in lines if line.get("event") == "token") >= 5
    assert lines[-1]["backend"] == "openai"


def test_citations_are_checked_against_retrieved_sources(model_coach):
    record = model_coach.ask("Our marketing and sales heads do not talk. Where do I start?")
    cited = set(__import__("re").findall(r"\[([a-z][a-z0-9-]*)\]", record.answer))
    assert cited <= {s.id for s in record.sources}


def test_server_never_started_falls_back_with_one_line(shipped_settings):
    result = run_cli(
        "ask",
        "--json",
        QUESTION,
        env=model_env(f"http://127.0.0.1:{free_port()}/v1"),
        data_dir=shipped_settings.data_dir,
    )
    assert result.returncode == 0
    record = json.loads(result.stdout)
    assert record["backend"] == "offline" and "Cannot reach" in record["fallback_reason"]
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_wrong_key_falls_back(server, shipped_settings):
    result = run_cli(
        "ask",
        "--json",
        QUESTION,
        env=model_env(server.base_url, key="wrong"),
        data_dir=shipped_settings.data_dir,
    )
    assert result.returncode == 0
    record = json.loads(result.stdout)
    assert record["backend"] == "offline" and "401" in record["fallback_reason"]


def test_server_stopped_mid_stream_falls_back(gguf, tmp_path, shipped_settings, monkeypatch):
    doomed = LlamaServer(gguf, tmp_path / "doomed.log")
    try:
        for name, value in model_env(doomed.base_url).items():
            monkeypatch.setenv(name, value)
        coach = Coach(
            shipped_settings.model_copy(
                update={
                    "backend": "openai",
                    "model": MODEL_ALIAS,
                    "max_answer_tokens": 400,
                    "max_retries": 0,
                    "context_tokens": 700,
                }
            )
        )
        events = []
        for event in coach.stream(QUESTION):
            events.append(event)
            if event.kind == "token" and len(events) == 2:
                doomed.stop()  # the server dies while the answer is streaming
    finally:
        doomed.stop()
    record = events[-1].record
    assert record.backend == "offline" and record.fallback_reason
    assert any(e.kind == "replace" for e in events)
    assert "**" in record.answer and record.tone["ok"]


def test_rehearsal_counterpart_played_by_the_model(server, shipped_settings, tmp_path):
    from coach.language import detect_language

    script = tmp_path / "turns.txt"
    script.write_text(
        "I hear you, this quarter hurt your team.\nWhat would a good lead look like for you?\n"
    )
    result = run_cli(
        "rehearse",
        "leads-garbage-missed-quarter",
        "--script",
        str(script),
        "--json",
        env=model_env(server.base_url),
        data_dir=shipped_settings.data_dir,
    )
    assert result.returncode == 0, result.stderr
    turns = json.loads(result.stdout)["turns"]
    assert len(turns) == 2
    for turn in turns:
        assert turn["voice"] in {"model", "script"}
        assert 0 < len(turn["counterpart"]) <= 360
        if turn["voice"] == "model":
            assert detect_language(turn["counterpart"], default="en") == "en"
        assert turn["feedback"]["score"] >= 60  # feedback does not depend on who played the part

"""A real server on a free port, driven through every named endpoint with gradio_client."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from coach.settings import PROJECT_ROOT

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

ENDPOINTS = {"/advise", "/check", "/rehearse_start", "/rehearse_turn"}


@pytest.fixture(scope="module")
def server(shipped_settings, coach):
    """The app over the session's coach (index already built), served by uvicorn in a thread."""
    from ui.app import build_app, create_server
    from ui.testing import serving

    settings = shipped_settings.model_copy(update={"trainer_password": "trainer-pw"})
    demo = build_app(settings, coach=coach)
    with serving(create_server(settings, demo)) as url:
        yield url


@pytest.fixture(scope="module")
def client(server):
    return Client(server, verbose=False)


def test_exactly_the_named_endpoints_are_public(client):
    named = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert named == ENDPOINTS  # the UI's own events stay private


def test_advise_answers_one_text_argument_with_sources(client):
    result = client.predict("sales says our leads are garbage", api_name="/advise")
    assert result["language"] == "en" and result["backend"] == "offline"
    assert "lead" in result["answer"].lower()
    first = result["sources"][0]
    assert first["id"] == "lead-quality" and first["title"] and first["excerpt"]
    assert first["section"] and first["principles"]
    spanish = client.predict("ventas dice que nuestros leads son basura", api_name="/advise")
    assert spanish["language"] == "es" and spanish["sources"][0]["section"] == "Pasos"


def test_advise_carries_the_situation_reading_and_the_fit_as_coach_ask_json_does(client):
    question = "Mañana tengo un 1:1 con mi vendedora estrella, que dijo en el canal general que marketing no sirve"
    result = client.predict(question, api_name="/advise")
    assert result["situation"]["when"] == "Mañana" and result["situation"]["channel"]
    assert result["fit"] in ("fits", "related", "none") and "playbook" in result
    assert result["parts"]["steps"] and result["parts"]["question"]


def test_advise_says_when_it_asks_for_more_instead_of_answering(client):
    result = client.predict("12345", api_name="/advise")
    assert result["kind"] == "clarify" and result["sources"] == []
    assert "Tell me a little more" in result["answer"]
    assert client.predict("leads are garbage", api_name="/advise")["kind"] == "advice"


def test_advise_explains_a_refused_question(client):
    with pytest.raises(Exception, match="Describe the situation"):
        client.predict("   ", api_name="/advise")


def test_hard_text_gets_an_answer_or_a_clear_message(server, client):
    # A lone surrogate, as raw JSON can carry it (gradio_client itself cannot encode one).
    call = server + "gradio_api/call/advise"
    body = b'{"data": ["sales says our leads are \\ud800 garbage"]}'
    event = httpx.post(call, content=body, headers={"content-type": "application/json"})
    answer = httpx.get(f"{call}/{event.json()['event_id']}", timeout=30).text
    assert "event: complete" in answer and "lead-quality" in answer
    with pytest.raises(Exception, match="Son 4599 caracteres; el máximo es 2000"):
        client.predict("¿Qué le digo a ventas? " * 200, api_name="/advise")
    with pytest.raises(Exception, match="Unknown level 'extreme'"):
        client.predict("campaign-without-sales", "extreme", "en", api_name="/rehearse_start")
    with pytest.raises(Exception, match="Unknown language 'fr'"):
        client.predict("campaign-without-sales", "tense", "fr", api_name="/rehearse_start")
    started = client.predict("campaign-without-sales", "", "", api_name="/rehearse_start")
    assert started["level"] == "tense" and started["language"] == "en"  # empty = defaults
    with pytest.raises(Exception, match="Say something to the counterpart"):
        client.predict(started["session_id"], None, api_name="/rehearse_turn")


def test_check_returns_flags_and_rewrite(client):
    result = client.predict("You always send garbage leads.", api_name="/check")
    assert result["language"] == "en" and not result["ok"]
    assert {f["kind"] for f in result["flags"]} >= {"absolute", "label"}
    assert all({"text", "start", "end", "why"} <= set(f) for f in result["flags"])
    assert result["rewrite"] and "garbage" not in result["rewrite"]
    with pytest.raises(Exception, match="Paste the message"):
        client.predict("", api_name="/check")


def test_rehearsal_start_and_two_turns(client):
    started = client.predict(
        "leads-garbage-missed-quarter", "tense", "es", api_name="/rehearse_start"
    )
    assert started["language"] == "es" and started["level"] == "tense" and started["opening"]
    sid = started["session_id"]
    first = client.predict(sid, "Siempre nos culpan a nosotros.", api_name="/rehearse_turn")
    assert first["turn"] == 1 and first["feedback"]["flags"] and first["tension"] > 6
    second = client.predict(
        sid,
        "Entiendo que el trimestre fue duro para tu equipo. ¿Qué te parece si revisamos juntos "
        "50 leads el viernes?",
        api_name="/rehearse_turn",
    )
    assert second["turn"] == 2 and second["tension"] < first["tension"]
    assert second["feedback"]["score"] > first["feedback"]["score"]
    assert second["counterpart"] != first["counterpart"]


def test_rehearsal_errors_are_messages(client):
    with pytest.raises(Exception, match="Known scenarios"):
        client.predict("no-such-scenario", "tense", "en", api_name="/rehearse_start")
    with pytest.raises(Exception, match="No such rehearsal"):
        client.predict("not-a-session", "hello", api_name="/rehearse_turn")


def test_arguments_of_the_wrong_type_get_a_plain_message(server):
    """Raw JSON can send a number, a list or an object where text belongs: the caller is told
    which argument must be text, not Python's internals ("unhashable type: 'list'")."""

    def error_of(endpoint, data):
        call = server + f"gradio_api/call/{endpoint}"
        event = httpx.post(call, json={"data": data}, timeout=30).json()["event_id"]
        text = httpx.get(f"{call}/{event}", timeout=60).text
        assert "event: error" in text
        return text

    started = Client(server, verbose=False).predict(
        "leads-garbage-missed-quarter", "tense", "en", api_name="/rehearse_start"
    )
    cases = [
        ("advise", [123], "question"),
        ("advise", [["sales", "leads"]], "question"),
        ("check", [{"text": "hi"}], "draft"),
        ("rehearse_start", [["leads-garbage-missed-quarter"], "tense", "en"], "scenario"),
        ("rehearse_start", ["leads-garbage-missed-quarter", 3, "en"], "level"),
        ("rehearse_start", ["leads-garbage-missed-quarter", "tense", {"x": 1}], "lang"),
        ("rehearse_turn", [["x"], "hello"], "session_id"),
        ("rehearse_turn", [started["session_id"], 42], "text"),
    ]
    for endpoint, data, name in cases:
        text = error_of(endpoint, data)
        assert f"{name} must be text" in text, (endpoint, text)
        assert "unhashable" not in text and "attribute" not in text and "bytes-like" not in text


def test_two_rehearsals_never_mix(client):
    a = client.predict("leads-garbage-missed-quarter", "calm", "en", api_name="/rehearse_start")
    b = client.predict("leads-garbage-missed-quarter", "calm", "en", api_name="/rehearse_start")
    assert a["session_id"] != b["session_id"]
    for _ in range(2):
        client.predict(a["session_id"], "How do you see it?", api_name="/rehearse_turn")
    assert (
        client.predict(b["session_id"], "How do you see it?", api_name="/rehearse_turn")["turn"]
        == 1
    )


def test_twenty_people_at_once_all_get_answers(server):
    questions = [
        "sales says our leads are garbage",
        "nadie da seguimiento a los leads de la feria",
        "my peer criticised my campaign in public",
        "no nos ponemos de acuerdo con el presupuesto",
    ] * 5
    clients = [Client(server, verbose=False) for _ in range(4)]
    jobs = [clients[i % 4].submit(q, api_name="/advise") for i, q in enumerate(questions)]
    results = [job.result(timeout=60) for job in jobs]  # latency under load: benchmarks/load.py
    assert len(results) == 20 and all(r["answer"] and r["sources"] for r in results)
    assert [r["language"] for r in results] == ["en", "es", "en", "es"] * 5  # nobody's mixed up


def test_web_component_loader_and_page_are_served_locally(server):
    page = httpx.get(server, timeout=10)
    assert page.status_code == 200 and "gradio_config" in page.text
    loader = httpx.get(server + "gradio.js", timeout=10)
    assert loader.status_code == 200 and "assets/index-" in loader.text
    asset = loader.text.split('"')[1].lstrip("./")
    assert httpx.get(server + asset, timeout=10).status_code == 200


def test_the_api_page_lists_the_endpoints(server):
    info = httpx.get(server + "gradio_api/info", timeout=10).json()
    assert set(info["named_endpoints"]) == ENDPOINTS


def test_coach_serve_starts_and_answers(shipped_settings, coach):
    """`coach serve` from the command line, with the index built, serves the app and answers.
    How fast: benchmarks/serve.py."""
    from ui.testing import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OPENAI_"))}
    env |= {
        "COACH_DATA_DIR": str(shipped_settings.data_dir),
        "COACH_KNOWLEDGE_DIRS": str(PROJECT_ROOT / "knowledge"),
    }
    command = [sys.executable, "-m", "coach.cli", "serve", "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        up = None
        while time.perf_counter() - started < 30 and proc.poll() is None:
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    up = time.perf_counter() - started
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert up is not None, (
            proc.stdout.read().decode() if proc.poll() is not None else "no answer"
        )
        with ThreadPoolExecutor(1) as pool:
            answer = pool.submit(
                lambda: Client(url, verbose=False).predict(
                    "nobody follows up leads", api_name="/advise"
                )
            ).result(timeout=30)
        assert answer["sources"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


def _example(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"example_{name}", PROJECT_ROOT / "examples" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_client_example_runs(server, capsys):
    result = _example("client").main(server)
    assert result["advice"]["sources"] and result["turn"]["counterpart"]
    assert result["session"]["opening"] in capsys.readouterr().out


def test_mounting_into_an_existing_fastapi_app(shipped_settings, coach):
    from ui.testing import serving

    app = _example("mount_fastapi").create_app(shipped_settings, coach)
    with serving(app) as url:
        assert httpx.get(url + "health", timeout=10).json() == {"ok": True}
        assert httpx.get(url + "coach/", timeout=10).status_code == 200
        checked = Client(url + "coach/", verbose=False).predict(
            "You never listen.", api_name="/check"
        )
        assert checked["flags"]


def test_the_app_follows_a_coach_index_run_while_it_serves(tmp_path, monkeypatch):
    """An admin edits a playbook and runs `coach index` while the app is up: the app's next
    answers use the new text, also after a second re-index drops the build it started with."""
    import os
    import shutil
    import subprocess
    import sys

    from coach.settings import PROJECT_ROOT, Settings
    from ui import state
    from ui.app import build_app, create_server
    from ui.testing import serving

    monkeypatch.setattr(state, "FOLLOW_INDEX_SECONDS", 0.0)
    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "knowledge", knowledge)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dirs=[knowledge])
    playbook = knowledge / "playbooks" / "en" / "lead-quality.md"
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(settings.data_dir),
        "COACH_KNOWLEDGE_DIRS": str(knowledge),
    }

    def edit_and_index(old: str, new: str) -> None:
        playbook.write_text(
            playbook.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8"
        )
        done = subprocess.run(
            [sys.executable, "-m", "coach.cli", "index", "--quiet"],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr

    with serving(create_server(settings, build_app(settings))) as url:
        client = Client(url, verbose=False)
        question = "sales says our leads are garbage"
        step = "pull the leads marketing passed to sales {}"
        assert step.format("last month") in client.predict(question, api_name="/advise")["answer"]
        edit_and_index(step.format("last month"), step.format("last quarter"))
        answer = client.predict(question, api_name="/advise")["answer"]
        assert step.format("last quarter") in answer
        edit_and_index(step.format("last quarter"), step.format("in the spring"))
        edit_and_index(
            step.format("in the spring"), step.format("this year")
        )  # first build dropped
        assert step.format("this year") in client.predict(question, api_name="/advise")["answer"]


def test_the_counterpart_reads_what_a_turn_is_about(client):
    started = client.predict("campaign-without-sales", "tense", "en", api_name="/rehearse_start")
    turn = client.predict(
        started["session_id"],
        "It was in the marketing calendar and we posted it in the sales channel last week.",
        api_name="/rehearse_turn",
    )
    assert any(
        "sore point" in tip and "announced somewhere" in tip for tip in turn["feedback"]["tips"]
    )
    assert turn["tension"] > started["tension"]

"""Issue 13 as users deploy it: two real `coach serve` processes (each its own data dir) on one
PostgreSQL database and one Chroma server (`chroma run`), no sticky sessions. What a learner
does on one server shows on the other, and in the trainers' dashboard."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from coach.settings import PROJECT_ROOT
from tests.test_chroma_server import running_chroma
from tests.test_store import _fresh_pg_database, postgres_server  # noqa: F401  (a fixture)
from tests.test_store_app import call  # one event through the queue, as the browser sends it
from ui.testing import free_port
from ui.trainer import DASHBOARD_COLUMNS

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

PASSWORD = "trainer-pw-deploy"
START_TIMEOUT = 180  # seconds: the machine has 2 busy cores
SCENARIO = "leads-garbage-missed-quarter"
# Weak lines: at "hostile" the counterpart walks out on the third (checked below).
LINES = (
    "You always blame marketing, your team is lazy.",
    "Honestly, your reps never call anyone back.",
    "Whatever. I'll loop in the CEO then.",
)


def _clean_env() -> dict:
    """This process's environment without the user's coach/model settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "OPENAI_"))}


@contextlib.contextmanager
def coach_serve(data_dir: Path, env: dict):
    """`python -m coach.cli serve` on a free port with ``data_dir`` and ``env``; waits until its
    page answers (at most START_TIMEOUT s) and yields its URL. Its output goes to a log file
    in the data dir, shown if it does not start."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir.parent / f"{data_dir.name}-serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "serve", "--port", str(port)],
            env={**_clean_env(), **env, "COACH_DATA_DIR": str(data_dir)},
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"coach serve did not start:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.25)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, postgres_server):  # noqa: F811
    """One PostgreSQL database, one Chroma server, two `coach serve` on them. The first builds
    the index into Chroma; the second is started once the first answers and finds it."""
    from contextlib import ExitStack

    home = tmp_path_factory.mktemp("deployment")
    with ExitStack() as stack:
        database = _fresh_pg_database(postgres_server)
        chroma = stack.enter_context(running_chroma(home / "chroma"))
        lms = stack.enter_context(_running_lms(home / "lti"))
        env = {
            "COACH_DATABASE_URL": database,
            "COACH_CHROMA_HOST": chroma["host"],
            "COACH_CHROMA_PORT": str(chroma["port"]),
            "COACH_TRAINER_PASSWORD": PASSWORD,
            "COACH_LTI_DIR": str(home / "lti"),  # one LMS registration for both servers
        }
        started = time.monotonic()
        a = stack.enter_context(coach_serve(home / "a", env))
        first = time.monotonic() - started
        b = stack.enter_context(coach_serve(home / "b", env))
        second = time.monotonic() - started - first
        print(f"\ncoach serve A ready in {first:.1f} s (index built), B in {second:.1f} s")
        yield {"a": a, "b": b, "database": database, "chroma": chroma, "home": home, "lms": lms}


@contextlib.contextmanager
def _running_lms(lti_dir: Path):
    """The test LMS (tests/lti_platform.py) on a free port, registered in ``lti_dir``."""
    from coach.settings import Settings
    from tests import lti_platform
    from ui.testing import serving

    lms = lti_platform.new_lms()
    lms.activities = {
        "practice": lti_platform.Activity(
            "practice", {"scenario": SCENARIO, "level": "hostile", "lang": "en"}
        )
    }
    with serving(lti_platform.build_lms(lms)) as url:
        lms.base = url.rstrip("/")
        lms.register_with(Settings(data_dir=lti_dir.parent, lti_dir=lti_dir))
        yield lms


# -- talking to the servers as the browser does ---------------------------------------------
def fn_indexes(url: str) -> dict[str, int]:
    """The app's event handlers by name (Gradio names a handler after its function, with _1,
    _2… for the same name again), from the page's own config: the browser's fn_index."""
    config = httpx.get(url + "config", timeout=30).json()
    return {dep["api_name"]: dep["id"] for dep in config["dependencies"] if dep.get("api_name")}


def learner_id() -> str:
    """A learner id as the page's load event makes it (``secrets.token_urlsafe``)."""
    import secrets

    return secrets.token_urlsafe(18)


def _choices(update) -> list:
    return [choice[1] for choice in update.get("choices", [])]


# -- the tests --------------------------------------------------------------------------------
def test_the_second_server_found_the_index_the_first_built(deployment):
    import chromadb

    chroma = deployment["chroma"]
    server = chromadb.HttpClient(host=chroma["host"], port=chroma["port"])
    names = sorted(c.name if hasattr(c, "name") else c for c in server.list_collections())
    builds = [n for n in names if n.startswith("coach-v")]
    assert len(builds) == 1, names  # B did not build its own
    for url in (deployment["a"], deployment["b"]):
        answer = Client(url, verbose=False).predict(
            "sales says our leads are garbage", api_name="/advise"
        )
        assert answer["kind"] == "advice" and answer["sources"]
    for name in ("a", "b"):  # nothing of the index in either data dir
        assert not (deployment["home"] / name / "index").exists()


def test_an_api_rehearsal_moves_between_servers_and_the_dashboard_on_b_shows_it(deployment):
    a, b = (Client(deployment[n], verbose=False) for n in ("a", "b"))
    started = a.predict(SCENARIO, "hostile", "en", api_name="/rehearse_start")
    sid = started["session_id"]
    got = [
        a.predict(sid, LINES[0], api_name="/rehearse_turn"),
        b.predict(sid, LINES[1], api_name="/rehearse_turn"),  # b never saw this rehearsal
        a.predict(sid, LINES[2], api_name="/rehearse_turn"),  # a's copy is one turn behind
    ]
    assert [g["turn"] for g in got] == [1, 2, 3]
    assert [g["finished"] for g in got] == [False, False, True]  # finished on A
    outcome, score = got[-1]["outcome"], got[-1]["scorecard"]["score"]
    assert outcome in ("escalated", "resolved", "turn_limit")
    with pytest.raises(Exception, match="has ended"):
        b.predict(sid, "One more thing.", api_name="/rehearse_turn")

    # A trainer opens the dashboard on B: the rehearsal finished on A is there.
    url = deployment["b"]
    fns = fn_indexes(url)
    session = uuid.uuid4().hex
    unlocked = call(url, fns["on_unlock"], [PASSWORD, "en"], session)
    assert unlocked[1]["visible"] is True  # the trainer panel shows
    note, scenarios, learners, *_ = call(
        url, fns["on_dashboard"], ["", "", "", "", None, "en"], session
    )
    assert note == ""
    rows = [dict(zip(scenarios["headers"], row, strict=True)) for row in scenarios["data"]]
    [row] = [r for r in rows if r["scenario"] == SCENARIO]
    assert (row["attempts"], row["learners"], row["finished"], row["median"]) == (1, 1, 1, score)
    assert row[outcome.replace("_", " ")] == 1  # escalated (or resolved…), as A said
    [learner] = [dict(zip(learners["headers"], r, strict=True)) for r in learners["data"]]
    assert (learner["attempts"], learner["last"]) == (1, score)

    # A wrong password on B shows nothing.
    other = uuid.uuid4().hex
    call(url, fns["on_unlock"], ["not-it", "en"], other)
    locked = call(url, fns["on_dashboard"], ["", "", "", "", None, "en"], other)
    assert locked[0] and not locked[1]["data"]


def test_a_question_asked_on_a_is_in_the_learners_past_conversations_on_b(deployment):
    a, b = deployment["a"], deployment["b"]
    fa, fb = fn_indexes(a), fn_indexes(b)
    learner, other = learner_id(), learner_id()
    question = f"Sales says our leads are garbage. What do I say? ({learner[:6]})"
    out = call(a, fa["on_ask"], [question, [], None, "en", learner], uuid.uuid4().hex)
    assert "lead" in json.dumps(out[0][1]["content"]).lower()  # answered on A
    [key] = _choices(out[6])

    # The same browser (its id kept in localStorage), now served by B, lists it and reopens it.
    session = uuid.uuid4().hex
    past = call(b, fb["views"], [learner, "en"], session)[0]
    assert _choices(past) == [key]
    reopened = call(b, fb["on_reopen"], [key, learner, "en"], session)
    assert reopened[0][0]["content"][0]["text"] == question
    # Another learner, on B, sees none of it.
    assert _choices(call(b, fb["views"], [other, "en"], uuid.uuid4().hex)[0]) == []


def test_a_vote_on_a_shows_in_the_dashboard_on_b(deployment):
    a, b = deployment["a"], deployment["b"]
    fa, fb = fn_indexes(a), fn_indexes(b)
    learner, session = learner_id(), uuid.uuid4().hex
    question = f"Nobody followed up the trade-show leads. ({learner[:6]})"
    call(a, fa["on_ask"], [question, [], None, "en", learner], session)
    liked = {"index": 1, "value": "x", "liked": False}
    call(a, fa["on_like"], [None, "en", learner], session, event_data=liked)  # thumbs down on A

    trainer = uuid.uuid4().hex
    call(b, fb["on_unlock"], [PASSWORD, "en"], trainer)
    tables = call(b, fb["on_dashboard"], ["", "", "", "", None, "en"], trainer)
    votes = tables[1 + list(DASHBOARD_COLUMNS).index("votes")]  # after the note
    rows = [dict(zip(votes["headers"], row, strict=True)) for row in votes["data"]]
    [row] = [r for r in rows if r["question"] == question]
    assert (row["helpful"], row["not helpful"]) == (0, 1)


def test_a_course_launch_started_on_a_lands_on_b_and_the_score_reaches_the_lms(deployment):
    """No sticky sessions: the LMS's login reaches A, its launch B (the nonce and state are on
    PostgreSQL); the same launch replayed on A is refused; the rehearsal played on B sends its
    score to the LMS's gradebook."""
    from urllib.parse import parse_qs, urlsplit

    a, b, lms = deployment["a"], deployment["b"], deployment["lms"]
    lms.tool = a.rstrip("/")
    fa, fb = fn_indexes(a), fn_indexes(b)
    with httpx.Client() as browser:
        login = browser.get(lms.login_url("practice", "alice") + "&lti1p3_new_window=1")
        assert login.status_code == 302, login.text
        preflight = {
            k: v[0] for k, v in parse_qs(urlsplit(login.headers["location"]).query).items()
        }
        form = lms.launch_message(preflight)
        assert form.pop("url") == a + "lti/launch"
        landed = browser.post(b + "lti/launch", data=form)  # the balancer picked B
        assert landed.status_code == 303, landed.text
        assert "scenario=" + SCENARIO in landed.headers["location"]
        replayed = browser.post(a + "lti/launch", data=form)
        assert replayed.status_code == 400 and "already used" in replayed.text
        cookies = dict(browser.cookies)
    loaded = call(a, fa["on_load"], [None], uuid.uuid4().hex, cookies=cookies)
    learner = loaded[-1] if isinstance(loaded[-1], str) else loaded[-1]["value"]
    session = uuid.uuid4().hex
    call(b, fb["on_start"], [SCENARIO, "hostile", "en", "en", learner], session)
    for line in LINES:
        call(b, fb["on_send"], [line, None, "en"], session)
    deadline = time.monotonic() + 60
    while not lms.scores and time.monotonic() < deadline:
        time.sleep(0.25)
    [(item, score)] = lms.scores
    assert item == "practice" and score["userId"] == "sub-alice"
    assert score["scoreMaximum"] == 100 and score["gradingProgress"] == "FullyGraded"

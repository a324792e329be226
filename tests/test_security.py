"""The server as an attacker meets it: every handler is reachable through Gradio's queue by
``fn_index``, whatever the UI shows. Each test is one finding of the security probe
(benchmarks/security.py) and failed before its fix."""

from __future__ import annotations

import json
import os
import socket
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ui.limits import Limits

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

PASSWORD = "correct horse battery staple"
LIMITS = Limits(sessions_per_client=60, header_timeout=1.0)


@pytest.fixture(scope="module")
def app(shipped_settings, coach):
    from ui.app import build_app, create_server
    from ui.testing import serving

    settings = shipped_settings.model_copy(update={"trainer_password": PASSWORD})
    demo = build_app(settings, coach=coach, limits=LIMITS)
    with serving(create_server(settings, demo, limits=LIMITS)) as url:
        yield url, demo


def fn_index(demo, name: str) -> int:
    return next(i for i, fn in demo.fns.items() if fn.name == name)


def call(url, index, data, session=None, client=None, event_data=None, timeout=60):
    """One event through the queue, as the browser sends it: the final message (a dict), or
    ``{"status": code, "text": ...}`` when the join itself is refused. Without ``client``,
    each call comes from an address of its own."""
    session = session or uuid.uuid4().hex
    client = client or "10.255.{}.{}".format(*uuid.uuid4().bytes[:2])
    headers = {"X-Forwarded-For": client}  # uvicorn trusts it from 127.0.0.1, as from a proxy
    body = {
        "data": data,
        "fn_index": index,
        "session_hash": session,
        "event_data": event_data,
        "trigger_id": None,
    }
    joined = httpx.post(url + "gradio_api/queue/join", json=body, headers=headers, timeout=timeout)
    if joined.status_code != 200:
        return {"status": joined.status_code, "text": joined.text}
    event_id = joined.json()["event_id"]
    stream_url = url + f"gradio_api/queue/data?session_hash={session}"
    with httpx.stream("GET", stream_url, headers=headers, timeout=timeout) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("event_id") == event_id and message.get("msg") == "process_completed":
                return message
    return {"status": 0, "text": "stream ended"}


def file_payload(path: str) -> dict:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}


def upload_folder() -> Path:
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")


def test_no_handler_hands_out_a_server_file(app, tmp_path):
    """Finding 1: a FileData with any path, at any input of any handler, through the queue."""
    url, demo = app
    secret = tmp_path / f"secret-{uuid.uuid4().hex}.txt"
    secret.write_text("COACH_TRAINER_PASSWORD=" + PASSWORD)
    history = [{"role": "user", "content": [{"type": "file", "file": file_payload(str(secret))}]}]
    # The issue's own repro: the advice chat's history input.
    learner = "L" * 24  # a learner id as the page keeps it in localStorage
    leaked = call(
        url, fn_index(demo, "on_ask"), ["hello there sales team", history, None, "en", learner]
    )
    assert leaked.get("success") is False and "not uploaded by a user" in json.dumps(leaked)
    for index, fn in demo.fns.items():
        for position in range(len(fn.inputs)):
            data = [None] * len(fn.inputs)
            data[position] = file_payload(str(secret))
            message = json.dumps(call(url, index, data))
            assert "file=" + str(secret) not in message, (fn.name, position)
            assert PASSWORD not in message, (fn.name, position)
    copies = list(upload_folder().rglob(secret.name)) if upload_folder().exists() else []
    assert copies == []  # nothing was copied into Gradio's cache either


def test_ui_handlers_are_not_routes_but_the_api_works(app):
    url, demo = app
    body = {"data": ["hello there sales team", [], None, "en"], "session_hash": "x1"}
    assert httpx.post(url + "gradio_api/run/on_ask_1", json=body).status_code == 404
    assert httpx.post(url + "gradio_api/run/on_unlock", json=body).status_code == 404
    client = Client(url, verbose=False)
    assert client.predict("sales says our leads are garbage", api_name="/advise")["sources"]


def test_password_guesses_are_limited_and_answered_at_once(app):
    """Findings 2 and 3: 60 parallel wrong guesses from one address get a handful of verdicts,
    and a flood of guesses from many addresses never keeps others from an answer."""
    url, demo = app
    unlock = fn_index(demo, "on_unlock")

    def guess(n, client="10.1.0.1"):
        message = call(url, unlock, [f"guess-{n}", "en"], client=client)
        return json.dumps(message, ensure_ascii=False)

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(guess, range(60)))
    verdicts = sum("That password is not right" in a for a in answers)
    limited = sum("Too many tries" in a for a in answers)
    assert verdicts <= LIMITS.password_burst and verdicts + limited == 60

    with ThreadPoolExecutor(16) as pool:
        flood = [pool.submit(guess, n, f"10.2.{n % 50}.1") for n in range(200)]
        answer = Client(url, verbose=False).predict("leads are garbage", api_name="/advise")
        assert answer["sources"]  # answered while the flood goes on
        results = [f.result() for f in flood]
    assert not any("Queue is full" in r for r in results)
    # The right password from a fresh address still opens the tab once the flood is over…
    overall = LIMITS.password_overall_every * 2
    time.sleep(overall)
    opened = json.dumps(call(url, unlock, [PASSWORD, "en"], client="10.3.0.1"))
    assert "That password is not right" not in opened and "Too many tries" not in opened


def test_a_trainer_pass_is_bound_to_its_address_and_can_be_locked(app):
    """Finding 7: the session hash travels in URLs; replaying it elsewhere gets nothing."""
    url, demo = app
    Client(url, verbose=False).predict("sales says our leads are garbage", api_name="/advise")
    session = uuid.uuid4().hex
    time.sleep(LIMITS.password_overall_every * 2)
    call(url, fn_index(demo, "on_unlock"), [PASSWORD, "en"], session=session, client="10.4.0.1")
    refresh = fn_index(demo, "on_refresh")
    mine = call(url, refresh, [None, "en"], session=session, client="10.4.0.1")
    assert "lead-quality" in json.dumps(mine)  # the trainer's table of questions asked
    stolen = call(url, refresh, [None, "en"], session=session, client="10.9.9.9")
    assert "lead-quality" not in json.dumps(stolen)
    call(url, fn_index(demo, "on_lock"), ["en"], session=session, client="10.4.0.1")
    after = call(url, refresh, [None, "en"], session=session, client="10.4.0.1")
    assert "lead-quality" not in json.dumps(after)


def test_a_request_body_over_the_limit_is_refused(app):
    """Finding 4."""
    url, demo = app
    big = {"data": ["x" * (LIMITS.max_body + 10)], "fn_index": 0, "session_hash": "big"}
    assert httpx.post(url + "gradio_api/queue/join", json=big).status_code == 413

    def chunks():  # no Content-Length: cut off at the limit all the same
        for _ in range(LIMITS.max_body // 65536 + 2):
            yield b"x" * 65536

    chunked = httpx.post(url + "gradio_api/queue/join", content=chunks())
    assert chunked.status_code == 413


def test_a_long_conversation_keeps_one_download_and_votes_count_once(app):
    """Finding 5: downloads written once per conversation; one vote per answer."""
    from sqlalchemy import func, select

    from coach.store.models import Person, Vote
    from ui import state

    url, demo = app
    session, learner = uuid.uuid4().hex, uuid.uuid4().hex  # 32 characters: a valid learner id
    ask = fn_index(demo, "on_ask")
    before = _files(upload_folder())
    history: list = []
    last = None
    for n in range(12):
        last = call(
            url,
            ask,
            [f"sales says our leads are garbage ({n})", history, None, "en", learner],
            session,
        )
        history = last["output"]["data"][0]
    folder = _download_of(last)
    assert folder.is_relative_to(state.DOWNLOADS)
    assert len([p for p in folder.parent.parent.rglob("*") if p.is_file()]) == 1
    assert _files(upload_folder()) - before <= 2  # no copy per question in Gradio's cache

    like = fn_index(demo, "on_like")
    store = demo.coach_services.store

    def votes_kept() -> int:  # the learner's votes in the app's database
        with store.session() as db:
            return db.scalar(
                select(func.count())
                .select_from(Vote)
                .join(Person, Person.id == Vote.person_id)
                .where(Person.key == f"learner:{learner}")
            )

    assert votes_kept() == 0
    answers = []
    for _ in range(20):
        message = call(
            url,
            like,
            [None, "en", learner],
            session,
            event_data={"index": 1, "value": "x", "liked": False},
        )
        answers.append(json.dumps(message, ensure_ascii=False))
    assert votes_kept() == 1
    assert sum("already saved" in a for a in answers) == 19


def _files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _download_of(message) -> Path:
    download = message["output"]["data"][4]
    return Path(download["value"]["path"] if "value" in download else download["path"])


def test_one_address_cannot_push_others_sessions_out(app):
    """Finding 6: fresh session hashes from one address stop at its share."""
    url, demo = app
    check = fn_index(demo, "on_check")
    refused = 0
    for _ in range(LIMITS.sessions_per_client + 10):
        message = call(url, check, ["ok", "en"], client="10.6.0.1")
        refused += message.get("status") == 429
    assert refused >= 10
    other = call(url, check, ["ok", "en"], client="10.6.0.2")
    assert other.get("success") is True


def test_one_client_starting_many_rehearsals_ends_only_its_own(app):
    url, demo = app
    theirs = Client(url, verbose=False, headers={"X-Forwarded-For": "10.7.0.2"})
    started = theirs.predict("campaign-without-sales", "calm", "en", api_name="/rehearse_start")
    store = demo.api_sessions
    for _ in range(store.cap + 20):
        store.add(object(), owner="10.7.0.1")  # what 520 /rehearse_start calls leave behind
    turn = theirs.predict(started["session_id"], "Can we talk about it?", api_name="/rehearse_turn")
    assert turn["counterpart"]


def test_the_gradio_state_snapshot_route_is_closed(app):
    url, _ = app
    answer = httpx.get(url + "gradio_api/deep_link", params={"session_hash": "x1"})
    assert answer.status_code == 404


def test_a_client_that_trickles_its_headers_is_cut_off(app):
    """Finding 9: slow headers hold a connection only for the header deadline."""
    url, _ = app
    host, port = url.split("//")[1].rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        for _ in range(20):  # one header a second for 20 s, unless cut off
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
            sock.settimeout(1.0)
            try:
                if sock.recv(1) == b"":
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        else:
            pytest.fail("the server held a connection that never finished its headers")


def test_an_english_rehearsal_says_a_long_turn_is_long_in_english(app):
    url, _ = app
    client = Client(url, verbose=False)
    started = client.predict("campaign-without-sales", "calm", "en", api_name="/rehearse_start")
    with pytest.raises(Exception, match="That turn is"):
        client.predict(started["session_id"], "¿Qué hacemos? " * 200, api_name="/rehearse_turn")


def test_advise_returns_markdown_that_fetches_nothing(app, tmp_path):
    from coach.text import safe_markdown
    from ui import trainer

    assert safe_markdown('See <img src="http://evil.example/x.png"> ![chart](http://e/x.png)') == (
        "See  chart"
    )
    bad = tmp_path / "evil.md"
    bad.write_text("---\nid: evil\n---\n<img src=http://evil.example/p.png>\n")
    result = trainer.add_file(None, bad, "evil.md")
    assert not result["ok"] and "HTML or an image" in result["error"]

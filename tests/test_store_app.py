"""The app on its database, through a real server: questions, votes and rehearsals land in the
database and the trainers' tables read them from there; the old JSONL logs are imported on
start."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from coach.store import Store, migrate, queries

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

PASSWORD = "trainer-pw"
OLD_QUESTION = "An old question from the JSONL days"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("store-app")
    old = {"time": "2026-11-01T09:00:00+00:00", "question": OLD_QUESTION, "kind": "clarify"}
    (folder / "asked.jsonl").write_text(json.dumps(old) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def app(shipped_settings, coach, data_dir):
    """The app over the session's coach, its data (and database) in a fresh folder."""
    from ui.app import build_app, create_server
    from ui.testing import serving

    settings = shipped_settings.model_copy(
        update={"trainer_password": PASSWORD, "data_dir": data_dir}
    )
    demo = build_app(settings, coach=coach)
    with serving(create_server(settings, demo)) as url:
        yield url, demo


@pytest.fixture(scope="module")
def db(app, data_dir):
    """A second connection to the app's database, as `coach db stats` would open it, once the
    app has upgraded it (on start, off the start-up path: a few tenths of a second)."""
    store = Store(f"sqlite:///{data_dir / 'coach.db'}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if migrate.current(store.engine) == migrate.head():
                break
        except OperationalError:  # the file is being created
            pass
        time.sleep(0.1)
    yield store
    store.close()


def fn_index(demo, name: str) -> int:
    return next(i for i, fn in demo.fns.items() if fn.name == name)


def call(url, index, data, session, event_data=None, client="10.9.8.7"):
    """One event through the queue, as the browser sends it: the final message."""
    headers = {"X-Forwarded-For": client}
    body = {"data": data, "fn_index": index, "session_hash": session, "event_data": event_data}
    joined = httpx.post(url + "gradio_api/queue/join", json=body, headers=headers, timeout=60)
    assert joined.status_code == 200, joined.text
    event_id = joined.json()["event_id"]
    stream = url + f"gradio_api/queue/data?session_hash={session}"
    with httpx.stream("GET", stream, headers=headers, timeout=60) as events:
        for line in events.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("event_id") == event_id and message["msg"] == "process_completed":
                    assert message.get("success"), message
                    return message["output"]["data"]
    raise AssertionError("the event never completed")


def test_the_app_upgraded_its_database_and_imported_the_old_log_on_start(db):
    stats = queries.stats(db)
    assert stats["revision"] == stats["head"]
    assert OLD_QUESTION in [row[1] for row in queries.asked_back(db)]


def test_a_question_and_a_vote_land_in_the_database_and_in_the_trainers_table(app, db):
    url, demo = app
    session = uuid.uuid4().hex
    question = f"Sales says our leads are garbage. What do I say? ({session[:6]})"
    chat, *_ = call(url, fn_index(demo, "on_ask"), [question, [], None, "en"], session)
    assert "lead" in json.dumps(chat[1]["content"]).lower()  # the answer, after the question
    status, _ = call(
        url,
        fn_index(demo, "on_like"),
        [None, "en"],  # the turns are in the session's state on the server
        session,
        event_data={"index": 1, "value": "x", "liked": True},
    )
    assert "saved" in status

    history = queries.history_for(db, f"session:{session}")
    [conversation] = history["conversations"]
    assert conversation["title"] == question
    [message] = conversation["messages"]
    assert message["answer"] and message["playbook"] == "lead-quality"
    assert message["fit"] in ("fits", "related", "none") and message["situation"]
    votes = {row["answer"]: row for row in queries.votes_table(db)}
    assert (votes[message["key"]]["up"], votes[message["key"]]["down"]) == (1, 0)

    # The trainer unlocks the tab: the vote and the question are in its tables.
    tables = call(url, fn_index(demo, "on_unlock"), [PASSWORD, "en"], uuid.uuid4().hex)
    votes_shown, asked_shown = tables[6]["data"], tables[7]["data"]
    up = {row[0]: row[2] for row in votes_shown}
    assert up.get("lead-quality", 0) >= 1
    assert any(row[0] == "lead-quality" for row in asked_shown)
    assert OLD_QUESTION in json.dumps(tables[8]["data"])  # the imported log, asked back


def test_an_api_answer_is_kept_for_the_asker(app, db):
    url, _ = app
    client = Client(url, verbose=False)
    question = f"Nobody followed up the trade-show leads ({uuid.uuid4().hex[:6]})"
    answer = client.predict(question, api_name="/advise")
    assert answer["kind"] == "advice"
    history = queries.history_for(db, f"session:{client.session_hash}")
    assert [c["title"] for c in history["conversations"]] == [question]


WEAK_LINES = (
    "You always blame marketing, your team is lazy.",
    "Honestly, your reps never call anyone back.",
    "Whatever. I'll loop in the CEO then.",
)


def test_a_finished_api_rehearsal_is_recorded_with_its_turns(app, db):
    url, _ = app
    client = Client(url, verbose=False)
    started = client.predict(
        "leads-garbage-missed-quarter", "hostile", "en", api_name="/rehearse_start"
    )
    results = []
    for line in WEAK_LINES:
        results.append(client.predict(started["session_id"], line, api_name="/rehearse_turn"))
        if results[-1]["finished"]:
            break
    assert results[-1]["finished"]
    [attempt] = queries.history_for(db, f"session:{client.session_hash}")["attempts"]
    assert (attempt["scenario"], attempt["level"], attempt["language"]) == (
        "leads-garbage-missed-quarter",
        "hostile",
        "en",
    )
    assert attempt["outcome"] == results[-1]["outcome"] != "in-progress"
    assert attempt["score"] == results[-1]["scorecard"]["score"]
    assert [t["said"] for t in attempt["turns"]] == list(WEAK_LINES[: len(results)])
    assert [t["score"] for t in attempt["turns"]] == [r["feedback"]["score"] for r in results]
    assert attempt["turns"][0]["flags"] and attempt["turns"][0]["tension"] == results[0]["tension"]


def test_a_rehearsal_in_the_tab_is_recorded_as_it_goes(app, db):
    url, demo = app
    session = uuid.uuid4().hex
    start = fn_index(demo, "on_start")
    send = fn_index(demo, "on_send")
    call(url, start, ["leads-garbage-missed-quarter", "hostile", "en", "en"], session)
    person = f"session:{session}"
    assert queries.history_for(db, person)["attempts"] == []  # nothing said yet
    for said, line in enumerate(WEAK_LINES, 1):
        out = call(url, send, [line, None, "en"], session)
        [attempt] = queries.history_for(db, person)["attempts"]
        assert len(attempt["turns"]) == said
        if "Scorecard" in str(out):
            break
    [attempt] = queries.history_for(db, person)["attempts"]
    assert attempt["finished_at"] and attempt["outcome"] == "escalated"
    assert attempt["scorecard"]["score"] == attempt["score"]
    scenario = queries.scenario_table(db)
    assert any(r["scenario"] == "leads-garbage-missed-quarter" and r["escalated"] for r in scenario)

"""The app on its database, through a real server: questions, votes and rehearsals land in the
database and the trainers' tables read them from there; the old JSONL logs are imported on
start."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

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


def call(url, index, data, session, event_data=None, client="10.9.8.7", cookies=None):
    """One event through the queue, as the browser sends it (with its ``cookies``): the final
    message."""
    headers = {"X-Forwarded-For": client}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
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


def learner_id() -> str:
    """A learner id as the page's load event makes it (``secrets.token_urlsafe``)."""
    import secrets

    return secrets.token_urlsafe(18)


def test_a_question_and_a_vote_land_in_the_database_and_in_the_trainers_table(app, db):
    url, demo = app
    session, learner = uuid.uuid4().hex, learner_id()
    question = f"Sales says our leads are garbage. What do I say? ({session[:6]})"
    chat, *_ = call(url, fn_index(demo, "on_ask"), [question, [], None, "en", learner], session)
    assert "lead" in json.dumps(chat[1]["content"]).lower()  # the answer, after the question
    status, _ = call(
        url,
        fn_index(demo, "on_like"),
        [None, "en", learner],  # the turns are in the session's state on the server
        session,
        event_data={"index": 1, "value": "x", "liked": True},
    )
    assert "saved" in status

    history = queries.history_for(db, f"learner:{learner}")
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
    session, learner = uuid.uuid4().hex, learner_id()
    start = fn_index(demo, "on_start")
    send = fn_index(demo, "on_send")
    call(url, start, ["leads-garbage-missed-quarter", "hostile", "en", "en", learner], session)
    person = f"learner:{learner}"
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


# -- the learner id kept in the browser, through the real server ---------------------------
def _views(url, demo, learner, session=None):
    """What the page shows after its load: past conversations, then the attempts view."""
    out = call(url, fn_index(demo, "views"), [learner, "en"], session or uuid.uuid4().hex)
    attempts = out[1].get("value") or {} if out[1].get("__type__") == "update" else out[1]
    return {"past": out[0], "attempts": attempts, "progress_empty": out[4]}


def _choices(update) -> list:
    return [choice[1] for choice in update.get("choices", [])]


def test_two_learners_never_see_each_others_history(app, db):
    url, demo = app
    ana, ben = learner_id(), learner_id()
    question = f"Sales ignores the webinar leads ({ana[:6]})"
    out = call(url, fn_index(demo, "on_ask"), [question, [], None, "en", ana], uuid.uuid4().hex)
    [key] = _choices(out[6])  # the new conversation is listed at once
    start, send = fn_index(demo, "on_start"), fn_index(demo, "on_send")
    session = uuid.uuid4().hex
    call(url, start, ["leads-garbage-missed-quarter", "hostile", "en", "en", ana], session)
    for line in WEAK_LINES:
        if "Scorecard" in str(call(url, send, [line, None, "en"], session)):
            break

    # A reload (a new Gradio session, the same id from localStorage) lists both.
    reload = uuid.uuid4().hex
    seen = _views(url, demo, ana, reload)
    assert _choices(seen["past"]) == [key]
    assert seen["attempts"]["data"][0][1] and "escalated" in seen["attempts"]["data"][0][4]
    reopened = call(url, fn_index(demo, "on_reopen"), [key, ana, "en"], reload)
    assert reopened[0][0]["content"][0]["text"] == question and "reopened" in reopened[1]

    # Another browser sees none of it, and cannot reopen it by its key, even in a session
    # whose list holds it.
    other = _views(url, demo, ben)
    assert _choices(other["past"]) == []
    assert not any(cell for row in other["attempts"].get("data") or [] for cell in row)
    assert "Practise a scenario" in json.dumps(other["progress_empty"])
    theirs = call(url, fn_index(demo, "on_reopen"), [key, ben, "en"], reload)
    assert "no longer kept" in theirs[1] and question not in json.dumps(theirs)


def test_a_bad_learner_id_gets_a_clear_message_and_nothing_is_kept(app, db):
    url, demo = app
    before = queries.stats(db)["rows"]["messages"]
    for bad in (None, "short", "x" * 65, "../../etc/passwd-is-long-enough", {"id": "a" * 20}, 7):
        out = call(
            url,
            fn_index(demo, "on_ask"),
            ["Sales ignores us", [], None, "en", bad],
            uuid.uuid4().hex,
        )
        assert "could not tell who you are" in out[1] and "Reload" in out[1]
        call(
            url,
            fn_index(demo, "on_start"),
            ["leads-garbage-missed-quarter", "hostile", "en", "en", bad],
            uuid.uuid4().hex,
        )
        shown = call(url, fn_index(demo, "on_delete"), [bad, "en"], uuid.uuid4().hex)
        assert "could not tell who you are" in shown[2]
    assert queries.stats(db)["rows"]["messages"] == before


def test_delete_my_data_asks_first_then_removes_every_row(app, db):
    url, demo = app
    ana, ben = learner_id(), learner_id()
    for who in (ana, ben):
        session = uuid.uuid4().hex
        call(
            url,
            fn_index(demo, "on_ask"),
            ["Sales says our leads are garbage.", [], None, "en", who],
            session,
        )
        call(
            url,
            fn_index(demo, "on_like"),
            [None, "en", who],
            session,
            event_data={"index": 1, "value": "x", "liked": False},
        )
        session = uuid.uuid4().hex
        call(
            url,
            fn_index(demo, "on_start"),
            ["leads-garbage-missed-quarter", "hostile", "en", "en", who],
            session,
        )
        call(url, fn_index(demo, "on_send"), [WEAK_LINES[0], None, "en"], session)

    exported = call(url, fn_index(demo, "on_export"), [ana, "en"], uuid.uuid4().hex)[0]
    path = exported["value"]["path"] if "value" in exported else exported["path"]
    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    assert saved["person"] == f"learner:{ana}" and len(saved["attempts"]) == 1

    asked = call(url, fn_index(demo, "on_delete"), [ana, "en"], uuid.uuid4().hex)
    assert "(conversations: 1, rehearsals: 1)" in asked[1] and "cannot be undone" in asked[1]
    assert queries.history_for(db, f"learner:{ana}")["attempts"]  # asking deleted nothing
    done = call(url, fn_index(demo, "on_yes"), [ana, "en"], uuid.uuid4().hex)
    assert "Deleted. Conversations: 1, rehearsals: 1, votes: 1." in done[1]
    with db.session() as session:
        from sqlalchemy import select

        from coach.store.models import Person

        assert session.scalar(select(Person.id).where(Person.key == f"learner:{ana}")) is None
    assert queries.history_for(db, f"learner:{ana}") == {"conversations": [], "attempts": []}
    assert _choices(_views(url, demo, ana)["past"]) == []
    kept = queries.history_for(db, f"learner:{ben}")  # someone else's stays
    assert len(kept["conversations"]) == 1 and len(kept["attempts"]) == 1


def test_the_trainers_dashboard_shows_real_attempts_behind_the_password(app, db):
    url, demo = app
    learner, session = learner_id(), uuid.uuid4().hex
    call(
        url,
        fn_index(demo, "on_start"),
        ["leads-garbage-missed-quarter", "hostile", "en", "en", learner],
        session,
    )
    for line in WEAK_LINES:
        if "Scorecard" in str(call(url, fn_index(demo, "on_send"), [line, None, "en"], session)):
            break
    dashboard = fn_index(demo, "on_dashboard")
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    filters = [today, today, "leads-garbage-missed-quarter", ""]

    # Locked: nothing shows, whatever the filters.
    locked = call(url, dashboard, [*filters, None, "en"], uuid.uuid4().hex)
    assert locked[0] == "Locked." and all(
        not table.get("data") or table["data"] == [[]]
        for table in locked[1:6]
        if isinstance(table, dict)
    )
    assert "leads-garbage" not in json.dumps(locked)

    trainer_session = uuid.uuid4().hex
    call(url, fn_index(demo, "on_unlock"), [PASSWORD, "en"], trainer_session)
    shown = call(url, dashboard, [*filters, None, "en"], trainer_session)
    assert shown[0] == ""
    [row] = shown[1]["data"]  # rehearsals by scenario, filtered to one
    assert row[0] == "leads-garbage-missed-quarter" and row[1] >= 1 and row[11] >= 1  # escalated
    assert shown[1]["headers"][:3] == ["scenario", "attempts", "learners"]
    learners = shown[2]["data"]
    assert all(r[0].startswith("learner-") and learner not in r[0] for r in learners)
    assert any("lazy" in r[0] for r in shown[3]["data"])  # the phrases flagged most
    from ui.trainer_tab import DASHBOARD_TABLES

    first_csv = shown[1 + len(DASHBOARD_TABLES)]  # the note, the tables, then their CSVs
    csv_file = first_csv["value"]["path"] if "value" in first_csv else first_csv["path"]
    lines = Path(csv_file).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("scenario,attempts,learners") and len(lines) == 2

    # A filter that excludes everything, and one a trainer mistyped.
    later = call(url, dashboard, ["2099-01-01", "", "", "", None, "en"], trainer_session)
    assert later[1]["data"] in ([], [[]], [["", "", "", "", "", "", "", "", "", "", "", "", ""]])
    typo = call(url, dashboard, ["28/11/2026", "", "", "", None, "en"], trainer_session)
    assert "must be a date like 2026-11-28" in typo[0]


# -- what a learner sees of their own past (ui.history) ------------------------------------
@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}")
    migrate.upgrade(store.engine)
    yield store
    store.close()


@pytest.fixture(scope="module")
def scenarios():
    from coach.rehearsal.scenarios import load_scenarios
    from tests.conftest import KNOWLEDGE

    return load_scenarios([KNOWLEDGE])


ANA = "learner:" + "a" * 22
BEN = "learner:" + "b" * 22


def _ask(coach, store, person, question, conversation):
    from coach.store import repo
    from ui import advice

    _, _, turn = list(advice.respond(coach, question, [], "en"))[-1]
    turn = {**turn, "id": uuid.uuid4().hex, "conversation": conversation}
    repo.record_question(store, person, turn)
    return turn


def _rehearse(scenarios, store, person, lines, level="hostile"):
    from ui import rehearse

    session = rehearse.start_session(
        scenarios,
        "leads-garbage-missed-quarter",
        level,
        "en",
        seed=3,
        recorder=rehearse.Recorder(store, person),
    )
    for line in lines:
        session.turn(line)
        rehearse.panel(session, "en")  # what the tab shows after each turn
        if session.finished:
            break
    return session


def test_a_learner_reopens_their_own_conversation_and_continues_it(coach, store):
    from ui import advice, history

    asked = _ask(coach, store, ANA, "Sales says our leads are garbage.", "c-ana")
    _ask(coach, store, ANA, "And if they refuse to meet?", "c-ana")
    _ask(coach, store, BEN, "Nobody followed up the trade-show leads.", "c-ben")
    assert history.conversation_choices(store, ANA) == [
        ("Sales says our leads are garbage.", "c-ana")
    ]
    messages, turns = history.reopen_conversation(store, ANA, "c-ana", "en")
    assert [m["content"] for m in messages if m["role"] == "user"] == [
        "Sales says our leads are garbage.",
        "And if they refuse to meet?",
    ]
    assert advice.turn_for_index(turns, turns[0]["first"])["id"] == asked["id"]  # votes work
    assert turns[0]["conversation"] == "c-ana"
    # The next question sees the reopened conversation as its history.
    assert [h["role"] for h in advice.coach_history(messages)] == ["user", "assistant"] * 2
    assert history.reopen_conversation(store, ANA, "c-ben", "en") == ([], [])  # not hers
    assert history.reopen_conversation(store, ANA, ["c-ana"], "en") == ([], [])
    with pytest.raises(ValueError, match="16–64"):
        history.learner_person("short")
    with pytest.raises(ValueError):
        history.learner_person({"id": "x" * 20})
    assert history.learner_person("A" * 22) == "learner:" + "A" * 22


def test_past_attempts_show_with_their_transcript_and_progress_feeds_native_plots(scenarios, store):
    import gradio as gr

    from ui import history

    weak = ["You always blame marketing, <b>lazy</b>.", "Your reps never call back.", "Whatever."]
    first = _rehearse(scenarios, store, ANA, weak)
    better = [
        "I hear you, the quarter was hard and the leads we sent did not convert.",
        "What would a good lead look like for your team?",
        "Shall we review fifty leads together on Friday, you and I, and agree a definition?",
    ]
    _rehearse(scenarios, store, ANA, better, level="tense")
    rows = history.attempt_rows(store, ANA, "en")
    assert len(rows) == 2 and rows[1][4].startswith("escalated")  # newest first
    text = history.attempt_markdown(store, ANA, rows[1][5], "en")
    assert "&lt;b&gt;lazy&lt;/b&gt;" in text and "<b>" not in text  # typed HTML stays text
    assert f"{first.scorecard()['score']}/100" in text
    assert history.attempt_markdown(store, BEN, rows[1][5], "en") == ""  # not his

    progress = history.progress_view(store, ANA, ["leads-garbage-missed-quarter", "other"])
    assert list(progress["points"]["score"]) == [r[3] for r in reversed(rows) if r[3] != ""]
    assert progress["table"][0][:2] == ["leads-garbage-missed-quarter", 2]
    assert progress["next"] == "other" and not progress["lost"].empty
    line = gr.LinePlot(progress["points"], x="time", y="score", color="scenario")
    assert line.postprocess(progress["points"]) is not None
    bar = gr.BarPlot(progress["lost"], x="principle", y="lost")
    assert bar.postprocess(progress["lost"]) is not None
    assert history.progress_view(store, BEN)["points"].empty


def test_a_learner_downloads_then_deletes_everything_kept_about_them(
    coach, scenarios, store, tmp_path
):
    from ui import history

    _ask(coach, store, ANA, "Sales says our leads are garbage.", "c-ana")
    _rehearse(scenarios, store, ANA, ["You always blame marketing.", "Whatever.", "Bye."])
    _ask(coach, store, BEN, "Nobody followed up the trade-show leads.", "c-ben")
    saved = json.loads(history.export_my_data(store, ANA, tmp_path).read_text(encoding="utf-8"))
    assert saved["person"] == ANA
    assert saved["conversations"][0]["messages"][0]["question"].startswith("Sales says")
    assert saved["attempts"][0]["turns"][0]["said"] == "You always blame marketing."
    gone = history.delete_my_data(store, ANA)
    assert gone["conversations"] == 1 and gone["attempts"] == 1
    assert history.conversation_choices(store, ANA) == []
    assert history.attempt_rows(store, ANA, "en") == []
    assert history.progress_view(store, ANA)["table"] == []
    assert history.conversation_choices(store, BEN)  # someone else's stays
    assert history.delete_my_data(None, ANA) is None  # no database: the tab must say so


# -- two app servers on one database -------------------------------------------------------
from tests.test_store import _fresh_pg_database, postgres_server  # noqa: E402, F401


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return _fresh_pg_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def two_servers(shipped_settings, coach, shared_url, tmp_path):
    """Two app servers (each its own data dir and memory) on one database."""
    from contextlib import ExitStack

    from ui.app import build_app, create_server
    from ui.testing import serving

    urls, services = [], []
    with ExitStack() as stack:
        for name in ("a", "b"):
            settings = shipped_settings.model_copy(
                update={"data_dir": tmp_path / name, "database_url": shared_url}
            )
            demo = build_app(settings, coach=coach)  # its API rehearsals resume from the DB
            urls.append(stack.enter_context(serving(create_server(settings, demo))))
            services.append(demo.coach_services)
        yield urls, services[0]


def test_a_rehearsal_started_on_one_server_continues_on_the_other(two_servers, shared_url):
    from ui import rehearse

    urls, services = two_servers
    a, b = (Client(url, verbose=False) for url in urls)
    started = a.predict("leads-garbage-missed-quarter", "tense", "en", api_name="/rehearse_start")
    lines = [
        "You always blame marketing for everything.",
        "I hear you, the quarter was hard and the leads we sent did not convert.",
        "What would a good lead look like for your team?",
    ]
    sid = started["session_id"]
    got = [
        a.predict(sid, lines[0], api_name="/rehearse_turn"),
        b.predict(sid, lines[1], api_name="/rehearse_turn"),  # b never saw this rehearsal
        a.predict(sid, lines[2], api_name="/rehearse_turn"),  # a's copy is one turn behind
    ]
    assert [g["turn"] for g in got] == [1, 2, 3]

    # The same lines in one process give the same replies, tension and scores.
    options = services.rehearsal_options()
    alone = rehearse.start_session(
        services.scenarios,
        "leads-garbage-missed-quarter",
        "tense",
        "en",
        seed=0,
        voice=options["voice"],
        reader=options["reader"],
    )
    for line, remote in zip(lines, got, strict=True):
        turn = alone.turn(line)
        assert (remote["counterpart"], remote["tension"], remote["feedback"]["score"]) == (
            turn.counterpart,
            turn.tension,
            turn.feedback.score,
        )
    db = Store(shared_url)
    found = queries.attempt_for_replay(db, sid)
    assert [said for said, _, _ in found["turns"]] == lines
    db.close()
    with pytest.raises(Exception, match="No such rehearsal"):
        b.predict("r-" + "x" * 16, "hello", api_name="/rehearse_turn")


def test_only_a_known_attempt_with_its_seed_is_resumed(scenarios, store):
    from coach.store import repo
    from ui import rehearse

    session = _rehearse(scenarios, store, ANA, ["You always blame marketing."], level="tense")
    key = session.recorder.key
    again = rehearse.resume_session(store, scenarios, key)
    assert [t.counterpart for t in again.turns] == [t.counterpart for t in session.turns]
    assert again.tension == session.tension and again.recorder.turns == 1
    repo.start_attempt(store, ANA, "no-seed", "leads-garbage-missed-quarter", "tense", "en")
    assert rehearse.resume_session(store, scenarios, "no-seed") is None
    assert rehearse.resume_session(store, scenarios, "unknown") is None
    assert rehearse.resume_session(store, scenarios, ["list"]) is None
    assert rehearse.resume_session(store, {}, key) is None  # its scenario is gone


# -- start-up: retention, and a database that is down --------------------------------------
def test_the_app_purges_rows_older_than_the_retention_on_start(shipped_settings, coach, tmp_path):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    from coach.store import open_store, repo
    from ui.state import Services

    settings = shipped_settings.model_copy(update={"data_dir": tmp_path, "retention_days": 30})
    store = open_store(settings)
    repo.record_question(store, ANA, {"id": "old", "question": "old one", "answer": "a"})
    repo.record_question(store, ANA, {"id": "new", "question": "new one", "answer": "a"})
    with store.session() as session:
        session.execute(
            text("UPDATE conversations SET started_at = :old WHERE title = 'old one'"),
            {"old": datetime.now(UTC) - timedelta(days=31)},
        )
    services = Services(settings, coach=coach)
    assert services.store is not None
    assert [c["title"] for c in queries.history_for(store, ANA)["conversations"]] == ["new one"]
    store.close()


def test_a_database_that_is_down_never_costs_an_answer(shipped_settings, coach, tmp_path, capfd):
    from ui import advice, trainer
    from ui.state import Services
    from ui.testing import free_port

    down = f"postgresql+psycopg://coach:pw@127.0.0.1:{free_port()}/coach"
    settings = shipped_settings.model_copy(update={"data_dir": tmp_path, "database_url": down})
    services = Services(settings, coach=coach)
    assert services.store is None
    assert "Cannot open the database" in capfd.readouterr().err
    result = advice.advise(coach, "sales says our leads are garbage", services.asked_path)
    assert result["kind"] == "advice" and result["sources"]
    # The question still reaches the trainers, through the JSONL log as before.
    data = trainer.summary(services.feedback_path, services.asked_path, coach.library)
    assert data["asked"][0][0] == "lead-quality"


# -- trainers: uploads noted, the dashboard's filters and CSV ------------------------------
def test_uploads_and_removals_are_noted_in_the_database(tmp_path, small_knowledge):
    from coach.settings import Settings
    from tests.conftest import FIXTURES
    from ui import trainer
    from ui.state import Services

    services = Services(Settings(data_dir=tmp_path / "data", knowledge_dirs=[small_knowledge]))
    text = (FIXTURES / "knowledge" / "en" / "weekly-sync.md").read_text(encoding="utf-8")
    upload = tmp_path / "Quarterly.md"
    upload.write_text(
        text.replace("id: weekly-sync", "id: quarterly").replace(
            "The weekly sync keeps getting skipped", "Quarterly planning happens without sales"
        ),
        encoding="utf-8",
    )
    results, _ = trainer.add_files(services, [(upload, upload.name)], by="10.1.2.3")
    assert results[0]["ok"]
    with services.store.session() as session:
        rows = session.execute(text_sql("SELECT path, kind, by, removed_at FROM uploads")).all()
    assert [tuple(r) for r in rows] == [
        ("playbooks/en/quarterly.md", "playbooks", "10.1.2.3", None)
    ]
    name, _ = trainer.remove_upload(services, "playbooks/en/quarterly.md")
    assert name == "playbooks/en/quarterly.md"
    with services.store.session() as session:
        removed = session.execute(text_sql("SELECT removed_at FROM uploads")).scalar_one()
    assert removed is not None


def text_sql(statement: str):
    from sqlalchemy import text

    return text(statement)


def test_the_dashboard_reads_real_attempts_filters_and_exports_csv(scenarios, store, tmp_path):
    import csv

    from ui import trainer

    _rehearse(scenarios, store, ANA, ["You always blame marketing.", "Whatever.", "Bye then."])
    _rehearse(scenarios, store, BEN, ['=HYPERLINK("http://x") you never call back.'])
    tables = trainer.dashboard(store, trainer.dashboard_filters())
    [row] = tables["scenarios"]
    columns = trainer.DASHBOARD_COLUMNS["scenarios"]
    assert dict(zip(columns, row, strict=True))["attempts"] == 2
    assert dict(zip(columns, row, strict=True))["learners"] == 2
    assert len(tables["learners"]) == 1  # only ana finished
    assert tables["flagged"]  # the phrases flagged in real turns

    later = trainer.dashboard_filters(since="2999-01-01")
    assert trainer.dashboard(store, later)["scenarios"] == []
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    same_day = trainer.dashboard_filters(since=today, until=today)  # "To" is inclusive
    assert trainer.dashboard(store, same_day)["scenarios"]
    for bad, message in [
        ({"since": "28/11/2026"}, "a date like"),
        ({"since": "2026-11-28", "until": "2026-11-01"}, "before"),
        ({"scenario": ["x"]}, "must be text"),
        ({"course": "c" * 101}, "longer than"),
    ]:
        with pytest.raises(ValueError, match=message):
            trainer.dashboard_filters(**bad)

    path = trainer.write_csv("flagged", tables["flagged"], tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read accents
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert (
        rows[0] == trainer.DASHBOARD_COLUMNS["flagged"] and len(rows) == len(tables["flagged"]) + 1
    )
    formula = '=HYPERLINK("http://x","click")'
    votes = trainer.write_csv("votes", [["a1", formula, 1, 0], ["a2", "-2+3", 0, 1]], tmp_path)
    rows = list(csv.reader(votes.read_text(encoding="utf-8-sig").splitlines()))
    assert [r[1] for r in rows[1:]] == ["'" + formula, "'-2+3"]  # text, not formulas
    with pytest.raises(ValueError):
        trainer.write_csv("../../etc", [], tmp_path)

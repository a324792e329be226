"""The database layer (coach.store) on SQLite and on a real PostgreSQL: migrations, the JSONL
import, every repository function, the dashboard's filters, the CLI."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text, update

from coach.settings import PROJECT_ROOT, Settings
from coach.store import Store, StoreError, migrate, open_store, queries, repo
from coach.store.importer import IMPORTED_PERSON, import_logs
from coach.store.models import Attempt
from coach.store.queries import Filters
from ui.testing import free_port

PG_DIRS = ["/usr/local/bin", *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]


def _pg_bin(name: str) -> str | None:
    for folder in PG_DIRS:
        path = Path(folder) / name
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    return None


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return args
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster on a free port (initdb + pg_ctl), yields its base URL."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip(
            "no PostgreSQL binaries (initdb, pg_ctl) in /usr/local/bin or "
            "/usr/lib/postgresql/*/bin: install Debian's postgresql (make postgres)"
        )
    home = Path(tempfile.mkdtemp(prefix="coach-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    data, port = home / "data", free_port()
    run = {"check": True, "capture_output": True, "text": True}
    subprocess.run(_as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "coach"]), **run)
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = home / "log"
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]),
        **run,
    )
    try:
        yield f"postgresql+psycopg://coach@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]))
        shutil.rmtree(home, ignore_errors=True)


def _fresh_pg_database(base: str) -> str:
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    dsn = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """An empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.db'}"
    return _fresh_pg_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def store(url):
    store = Store(url)
    migrate.upgrade(store.engine)
    yield store
    store.close()


def _turn(n: int, **more) -> dict:
    return {
        "id": f"answer-{n}",
        "question": f"Sales says our leads are garbage ({n})",
        "answer": f"Ask which leads ({n}).",
        "sources": ["lead-quality", "service-level-agreement"],
        "titles": {"lead-quality": "When sales calls leads garbage"},
        "language": "en",
        "backend": "offline",
        "kind": "advice",
        "situation": {"asker": "marketing", "stance": "defensive"},
        "fit": "fits",
        "playbook": "lead-quality",
        **more,
    }


def _attempt(store, person, key, scenario, scores, outcome="resolved", course=None, flags=()):
    repo.start_attempt(store, person, key, scenario, "tense", "en", title=scenario, course=course)
    for number, score in enumerate(scores, 1):
        flagged = [{"text": f, "why": "blames"} for f in flags] if number == 1 else []
        repo.record_turn(store, key, number, f"line {number}", "reply", score, 5.0, flagged)
    card = {"score": scores[-1], "by_principle": {"listen-first": 40, "one-team": 90}}
    repo.finish_attempt(store, key, outcome, scores[-1], card)


# -- migrations ----------------------------------------------------------------------------
def test_upgrade_from_an_empty_database_creates_every_table(url):
    store = Store(url)
    assert migrate.current(store.engine) is None
    migrate.upgrade(store.engine)
    assert migrate.current(store.engine) == migrate.head() == "0004"
    tables = set(inspect(store.engine).get_table_names())
    assert set(queries.TABLES) <= tables
    migrate.upgrade(store.engine)  # again: nothing to do, nothing breaks
    assert migrate.current(store.engine) == "0004"
    store.close()


def test_upgrade_from_the_previous_revision_keeps_the_rows(url):
    store = Store(url)
    migrate.upgrade(store.engine, "0001")
    assert "attempts" not in inspect(store.engine).get_table_names()
    repo.record_question(store, "ana", _turn(1), conversation="c1")
    repo.record_vote(store, "ana", "answer-1", True, _turn(1))
    migrate.upgrade(store.engine)
    assert migrate.current(store.engine) == "0004"
    history = queries.history_for(store, "ana")
    assert history["conversations"][0]["messages"][0]["question"].endswith("(1)")
    assert queries.votes_by_source(store)[0][:3] == ["lead-quality", "lead-quality", 1]
    _attempt(store, "ana", "r1", "leads-garbage", [40, 70])  # the new tables work
    assert queries.history_for(store, "ana")["attempts"][0]["score"] == 70
    store.close()


def test_upgrade_from_revision_0002_keeps_attempts_that_cannot_be_replayed(url):
    store = Store(url)
    migrate.upgrade(store.engine, "0002")
    repo.record_question(store, "ana", _turn(1))  # makes the person
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO attempts (key, person_id, scenario, title, level, language, "
                "started_at, outcome) SELECT 'old', id, 'leads-garbage', '', 'tense', 'en', "
                ":now, 'in-progress' FROM people"
            ),
            {"now": datetime.now(UTC)},
        )
        connection.execute(
            text(
                "INSERT INTO attempt_turns (attempt_id, number, said, reply, score, tension, "
                "flags, moves, created_at) SELECT id, 1, 'hello', 'hi', 50, 5.0, '[]', '[]', "
                ":now FROM attempts"
            ),
            {"now": datetime.now(UTC)},
        )
    migrate.upgrade(store.engine)
    assert migrate.current(store.engine) == "0004"
    found = queries.attempt_for_replay(store, "old")
    assert found["seed"] is None  # recorded before seeds: history, not resumable
    assert found["turns"] == [("hello", "hi", "script")]
    repo.start_attempt(store, "ana", "new", "leads-garbage", "tense", "en", seed=7)
    repo.record_turn(store, "new", 1, "hello", "hi", 50, 5.0, voice="model")
    assert queries.attempt_for_replay(store, "new")["seed"] == 7
    assert queries.attempt_for_replay(store, "new")["turns"] == [("hello", "hi", "model")]
    assert queries.attempt_for_replay(store, "missing") is None
    store.close()


# -- advice --------------------------------------------------------------------------------
def test_a_conversation_keeps_its_questions_answers_and_what_they_stood_on(store):
    repo.record_question(store, "ana", _turn(1), conversation="c1")
    repo.record_question(store, "ana", _turn(2), conversation="c1")
    repo.record_question(store, "ana", _turn(2), conversation="c1")  # the same answer again
    repo.record_question(store, "ana", _turn(3), conversation="c2")
    repo.record_question(store, "ben", _turn(4), conversation="c3")
    history = queries.history_for(store, "ana")
    assert [c["key"] for c in history["conversations"]] == ["c2", "c1"]  # newest first
    first = history["conversations"][1]
    assert first["title"] == "Sales says our leads are garbage (1)"
    assert [m["key"] for m in first["messages"]] == ["answer-1", "answer-2"]
    message = first["messages"][0]
    assert message["sources"] == ["lead-quality", "service-level-agreement"]
    assert message["situation"] == {"asker": "marketing", "stance": "defensive"}
    assert (message["fit"], message["playbook"]) == ("fits", "lead-quality")
    assert queries.history_for(store, "nobody") == {"conversations": [], "attempts": []}


def test_one_vote_per_person_per_answer_the_latest_counts(store):
    repo.record_question(store, "ana", _turn(1))
    repo.record_vote(store, "ana", "answer-1", True, _turn(1))
    repo.record_vote(store, "ana", "answer-1", False, _turn(1))  # changed her mind
    repo.record_vote(store, "ben", "answer-1", False, _turn(1))
    assert queries.votes_by_source(store, {"lead-quality": "Lead quality"}) == [
        ["lead-quality", "Lead quality", 0, 2],
        ["service-level-agreement", "service-level-agreement", 0, 2],
    ]
    assert queries.votes_table(store) == [
        {"answer": "answer-1", "question": _turn(1)["question"], "up": 0, "down": 2}
    ]


def test_trainers_tables_asked_most_asked_back_and_languages(store):
    for n in range(3):
        repo.record_question(store, "ana", _turn(n))
    repo.record_question(
        store,
        "ben",
        _turn(
            9, question="what's the weather?", kind="clarify", sources=[], fit="none", playbook=None
        ),
    )
    asked = queries.asked_most(store)
    assert asked == [["lead-quality", "When sales calls leads garbage", 3, _turn(2)["question"]]]
    back = queries.asked_back(store)
    assert [row[1] for row in back] == ["what's the weather?"]
    assert queries.questions_by_language(store) == {"en": 4}
    by_fit = {(r["playbook"], r["fit"]): r["questions"] for r in queries.advice_table(store)}
    assert by_fit == {("lead-quality", "fits"): 3, ("", "none"): 1}


# -- rehearsals ----------------------------------------------------------------------------
def test_an_attempt_keeps_its_turns_once_and_its_scorecard(store):
    repo.start_attempt(store, "ana", "r1", "leads-garbage", "hostile", "es", title="Leads")
    repo.start_attempt(store, "ana", "r1", "leads-garbage", "hostile", "es")  # twice: one
    flags = [{"text": "siempre", "why": "absolute"}]
    assert repo.record_turn(store, "r1", 1, "Siempre igual", "¿Perdón?", 20, 8.5, flags, ["jab"])
    assert repo.record_turn(store, "r1", 1, "Siempre igual", "¿Perdón?", 20, 8.5, flags)  # again
    assert repo.record_turn(store, "r1", 2, "Entiendo", "Vale", 80, 5.0)
    assert not repo.record_turn(store, "unknown", 1, "x", "y", 1, 1.0)
    assert repo.finish_attempt(store, "r1", "resolved", 64, {"score": 64, "debrief": {"a": 1}})
    [attempt] = queries.history_for(store, "ana")["attempts"]
    assert (attempt["scenario"], attempt["level"], attempt["language"]) == (
        "leads-garbage",
        "hostile",
        "es",
    )
    assert [t["number"] for t in attempt["turns"]] == [1, 2]
    assert attempt["turns"][0]["flags"] == flags and attempt["turns"][0]["moves"] == ["jab"]
    assert attempt["turns"][0]["tension"] == 8.5
    assert (attempt["outcome"], attempt["score"]) == ("resolved", 64)
    assert attempt["scorecard"]["debrief"] == {"a": 1} and attempt["finished_at"]


def test_progress_best_latest_weakest_principle_and_next_scenario(store):
    _attempt(store, "ana", "r1", "leads-garbage", [30, 50])
    _attempt(store, "ana", "r2", "leads-garbage", [60, 80])
    _attempt(store, "ana", "r3", "leads-garbage", [40, 65])
    _attempt(store, "ana", "r4", "budget-fight", [20, 30], outcome="escalated")
    repo.start_attempt(store, "ana", "r5", "budget-fight", "tense", "en")  # not finished
    progress = queries.progress_for(store, "ana", ["leads-garbage", "budget-fight", "new-one"])
    by = {e["scenario"]: e for e in progress["scenarios"]}
    assert by["leads-garbage"] == {
        "scenario": "leads-garbage",
        "attempts": 3,
        "best": 80,
        "latest": 65,
    }
    assert by["budget-fight"]["attempts"] == 1
    assert [p["score"] for p in progress["points"]] == [50, 80, 65, 30]
    assert progress["lost_most"][0] == {"principle": "listen-first", "lost": 60}
    assert progress["next"] == "new-one"  # never tried
    assert queries.progress_for(store, "ana", ["leads-garbage"])["next"] == "budget-fight"
    assert queries.progress_for(store, "nobody")["scenarios"] == []


# -- the dashboard -------------------------------------------------------------------------
def test_dashboard_tables_follow_the_scenario_course_and_date_filters(store):
    _attempt(store, "ana", "r1", "leads-garbage", [50, 70], course="north", flags=["you never"])
    _attempt(store, "ben", "r2", "leads-garbage", [20, 30], "escalated", "north", ["you never"])
    _attempt(store, "cid", "r3", "leads-garbage", [80, 90], course="south", flags=["whatever"])
    _attempt(store, "ana", "r4", "budget-fight", [60, 85], course="north")
    old = datetime.now(UTC) - timedelta(days=40)
    with store.session() as session:
        session.execute(update(Attempt).where(Attempt.key == "r3").values(started_at=old))

    [budget, leads] = queries.scenario_table(store)  # by name
    assert (leads["scenario"], leads["attempts"], leads["learners"]) == ("leads-garbage", 3, 3)
    assert leads["median"] == 70 and (leads["resolved"], leads["escalated"]) == (2, 1)
    assert leads["distribution"] == {"0-19": 0, "20-39": 1, "40-59": 0, "60-79": 1, "80-100": 1}
    assert budget["attempts"] == 1

    north = Filters(course="north")
    assert [r["attempts"] for r in queries.scenario_table(store, north)] == [1, 2]
    recent = Filters(since=datetime.now(UTC) - timedelta(days=7))
    assert queries.scenario_table(store, recent)[1]["median"] == 50  # r3 is older
    only = Filters(scenario="budget-fight")
    assert [r["scenario"] for r in queries.scenario_table(store, only)] == ["budget-fight"]

    learners = {r["learner"]: r for r in queries.learner_table(store)}
    ana = learners[queries.pseudonym("ana")]  # trainers never see the key itself
    assert ana["attempts"] == 2 and ana["trend"] == 15 and "ana" not in learners
    phrases = queries.flagged_phrases(store)
    assert phrases[0] == {"phrase": "you never", "count": 2, "why": "blames"}
    assert [p["phrase"] for p in queries.flagged_phrases(store, Filters(course="south"))] == [
        "whatever"
    ]


def test_an_lms_identity_names_the_learner_and_sets_the_course(store):
    repo.identify_person(store, "lti:42", name="Ana Gómez", course="sales-101")
    _attempt(store, "lti:42", "r1", "leads-garbage", [40, 70], course="sales-101")
    repo.record_question(store, "lti:42", _turn(1))
    repo.record_vote(store, "lti:42", "answer-1", True, _turn(1))
    repo.record_vote(store, "someone", "answer-1", False, _turn(1))
    assert [r["learner"] for r in queries.learner_table(store)] == ["Ana Gómez"]
    course = Filters(course="sales-101")
    assert queries.votes_table(store, course)[0]["up"] == 1
    assert queries.votes_table(store, course)[0]["down"] == 0  # the other vote has no course
    assert queries.advice_table(store, course)[0]["questions"] == 1
    assert queries.advice_table(store, Filters(course="other")) == []


# -- privacy -------------------------------------------------------------------------------
def test_delete_person_removes_everything_of_theirs_and_nothing_else(store):
    for person in ("ana", "ben"):
        repo.record_question(store, person, _turn(1, id=f"{person}-1"), conversation=person)
        repo.record_vote(store, person, f"{person}-1", True, _turn(1))
        _attempt(store, person, f"r-{person}", "leads-garbage", [40, 60])
    gone = repo.delete_person(store, "ana")
    assert gone == {"conversations": 1, "attempts": 1, "votes": 1}
    assert queries.history_for(store, "ana") == {"conversations": [], "attempts": []}
    assert len(queries.history_for(store, "ben")["attempts"]) == 1
    rows = queries.stats(store)["rows"]
    assert (rows["people"], rows["messages"], rows["attempt_turns"], rows["votes"]) == (1, 1, 2, 1)
    assert repo.delete_person(store, "ana") == {"conversations": 0, "attempts": 0, "votes": 0}


def test_purge_deletes_what_is_older_than_the_retention(store):
    _attempt(store, "ana", "old", "leads-garbage", [40])
    _attempt(store, "ana", "new", "leads-garbage", [60])
    repo.record_question(store, "ben", _turn(1))
    old = datetime.now(UTC) - timedelta(days=100)
    with store.session() as session:
        session.execute(update(Attempt).where(Attempt.key == "old").values(started_at=old))
        session.execute(text("UPDATE conversations SET started_at = :old"), {"old": old})
        session.execute(text("UPDATE people SET created_at = :old"), {"old": old})
    gone = repo.purge_older_than(store, 30)
    assert gone == {"conversations": 1, "attempts": 1, "votes": 0, "people": 1}  # ben: nothing left
    assert [a["key"] for a in queries.history_for(store, "ana")["attempts"]] == ["new"]
    assert queries.stats(store)["rows"]["messages"] == 0


# -- many writers --------------------------------------------------------------------------
def test_writers_at_once_all_land(store):
    def write(n: int) -> None:
        person = f"p{n % 5}"
        repo.record_question(store, person, _turn(n), conversation=f"c{n % 7}")
        repo.record_vote(store, person, f"answer-{n}", n % 2 == 0, _turn(n))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(60)))
    rows = queries.stats(store)["rows"]
    assert (rows["messages"], rows["votes"], rows["people"], rows["conversations"]) == (
        60,
        60,
        5,
        7,
    )


# -- the JSONL logs of earlier versions ----------------------------------------------------
def _old_logs(folder: Path) -> None:
    asked = [
        {"time": "2026-11-20T10:00:00+00:00", "question": "q1", "sources": ["lead-quality"]},
        {"time": "2026-11-21T10:00:00+00:00", "question": "q2", "sources": [], "kind": "clarify"},
    ]
    votes = [
        {"answer_id": "a1", "vote": "up", "question": "q1", "sources": ["lead-quality"]},
        {"answer_id": "a1", "vote": "down", "question": "q1", "sources": ["lead-quality"]},
        {"vote": "up", "question": "q0", "sources": ["sla"]},  # before answer ids existed
    ]
    (folder / "asked.jsonl").write_text(
        "\n".join(json.dumps(e) for e in asked) + "\nnot json\n", encoding="utf-8"
    )
    (folder / "feedback.jsonl").write_text(
        "\n".join(json.dumps(e) for e in votes) + "\n", encoding="utf-8"
    )


def test_the_old_logs_are_imported_once(store, tmp_path):
    _old_logs(tmp_path)
    assert import_logs(store, tmp_path) == {"asked.jsonl": 2, "feedback.jsonl": 3}
    assert import_logs(store, tmp_path) == {}  # marked done
    with store.session() as session:
        session.execute(text("DELETE FROM imports"))  # the marker lost: still no duplicates
    import_logs(store, tmp_path)
    rows = queries.stats(store)["rows"]
    assert (rows["messages"], rows["votes"]) == (2, 2)  # a1's latest vote, and the old one
    assert queries.votes_by_source(store) == [
        ["lead-quality", "lead-quality", 0, 1],
        ["sla", "sla", 1, 0],
    ]
    assert [r[1] for r in queries.asked_back(store)] == ["q2"]
    when = queries.history_for(store, IMPORTED_PERSON)["conversations"][-1]["started_at"]
    assert when.startswith("2026-11-20T10:00:00")


def test_opening_a_fresh_data_dir_marks_the_logs_so_later_lines_stay_out(tmp_path):
    """A log that appears after the first upgrade (an app with ``ui.state.KEEP_JSONL`` on
    writes both) holds lines already in the database, never imported again."""
    settings = Settings(data_dir=tmp_path)
    open_store(settings).close()
    _old_logs(tmp_path)
    store = open_store(settings)
    assert queries.stats(store)["rows"]["messages"] == 0
    store.close()


# -- opening and the CLI -------------------------------------------------------------------
def test_a_bad_or_unreachable_database_is_one_line(tmp_path):
    with pytest.raises(StoreError, match="not a database URL"):
        open_store(Settings(data_dir=tmp_path, database_url="nonsense"))
    port = free_port()
    with pytest.raises(StoreError, match=f"Cannot open the database .*{port}.*refused") as caught:
        open_store(
            Settings(
                data_dir=tmp_path, database_url=f"postgresql+psycopg://u:secret@127.0.0.1:{port}/x"
            )
        )
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)


def _coach(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coach.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=PROJECT_ROOT,
        timeout=120,
    )


def test_cli_db_upgrade_stats_and_purge(url, tmp_path):
    env = {"COACH_DATA_DIR": str(tmp_path), "COACH_DATABASE_URL": url}
    _old_logs(tmp_path)
    before = _coach("db", "stats", env=env)
    assert before.returncode == 0 and "run `coach db upgrade`" in before.stdout
    upgraded = _coach("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "at revision 0004" in upgraded.stdout
    assert "2 lines of asked.jsonl, 3 lines of feedback.jsonl" in upgraded.stdout
    again = _coach("db", "upgrade", env=env)
    assert "Imported" not in again.stdout  # once
    stats = json.loads(_coach("db", "stats", "--json", env=env).stdout)
    assert stats["revision"] == stats["head"] == "0004"
    assert stats["rows"]["messages"] == 2 and stats["rows"]["votes"] == 2
    purged = _coach("db", "purge", env={**env, "COACH_RETENTION_DAYS": "1"})
    assert purged.returncode == 0 and "2 conversations" in purged.stdout  # imported in November
    none = _coach("db", "purge", env=env)
    assert none.returncode == 1 and "COACH_RETENTION_DAYS" in none.stderr
    assert "Traceback" not in none.stderr
    down = f"postgresql+psycopg://coach:secret@127.0.0.1:{free_port()}/coach"
    for command in (("db", "stats"), ("db", "upgrade")):
        failed = _coach(*command, env={**env, "COACH_DATABASE_URL": down})
        assert failed.returncode == 1 and "Traceback" not in failed.stderr
        assert "Cannot" in failed.stderr and "secret" not in failed.stderr

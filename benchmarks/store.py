"""Storage on a database: what it costs an answer, how it takes many writers, how fast the
trainers' dashboard reads a large history.

- answer latency (offline coach, warm), p50 and p95, with the question logged: nowhere, to the
  JSONL file only (before issue 13), to the database (SQLite in the data dir; since session 7
  the JSONL line is no longer appended while the database works, ``ui.state.KEEP_JSONL``);
- 50 users at once on one SQLite file, each asking, voting and finishing a rehearsal
  (4 turns): errors, write latency p50/p95, writes per second (threads in one process, as one
  app server with a large queue);
- the dashboard over 10,000 synthetic finished attempts (5 turns each) from 500 learners in
  8 scenarios: each query's time and all five tables together;
- with ``--app``: 50 users asking 3 questions each at once of a real `coach serve` over HTTP
  (each user its own client address), on SQLite (and on ``--postgres``): errors, latency,
  and whether every answered question is in the database.

    python benchmarks/store.py [--attempts 10000] [--users 50] [--questions 60] [--app]
                               [--postgres postgresql+psycopg://user@host:port/db]

Writes benchmarks/results/store.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coach.settings import PROJECT_ROOT, Settings, quiet_telemetry

quiet_telemetry()

from running import QUESTIONS, ask, coach_serve  # noqa: E402 - benchmarks/running.py, next to this script

from coach.store import Store, migrate, queries, repo  # noqa: E402
from coach.store.models import Attempt, AttemptTurn, Person  # noqa: E402

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "store.json"
PHRASES = ["you always", "your team never", "whatever", "lazy", "as I said", "obviously"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(pct(values, 0.95) * 1000, 2),
        "n": len(values),
    }


# -- 1. the answer, with and without storage -----------------------------------------------
def answer_latency(rounds: int) -> dict:
    from coach.answer import Coach
    from ui import advice
    from ui.state import Services

    folder = Path(tempfile.mkdtemp(prefix="coach-bench-store-"))
    settings = Settings(data_dir=folder / "data")
    coach = Coach(settings)
    services = Services(settings, coach=coach)
    assert services.store is not None, "the database did not open"
    jsonl_only = folder / "elsewhere" / "asked.jsonl"  # no app serves this folder: JSONL only
    modes = {"none": None, "jsonl": jsonl_only, "database": services.asked_path}
    for question in QUESTIONS:  # warm every path once
        for log in modes.values():
            advice.advise(coach, question, log, person="bench")
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for n in range(rounds):  # interleaved, so machine noise hits every mode alike
        question = QUESTIONS[n % len(QUESTIONS)]
        for mode, log in modes.items():
            started = time.perf_counter()
            advice.advise(coach, question, log, person=f"bench-{n % 10}")
            times[mode].append(time.perf_counter() - started)
    result = {mode: ms(values) for mode, values in times.items()}
    # The write alone, without the answer around it: what storage adds, free of the noise that
    # a 30 ms answer on a shared machine carries.
    turn = {"question": QUESTIONS[0], "answer": "…" * 1500, "sources": ["a", "b", "c"]}
    writes = []
    for n in range(300):
        started = time.perf_counter()
        repo.record_question(services.store, f"w-{n % 10}", {**turn, "id": f"w-{n}"})
        writes.append(time.perf_counter() - started)
    result["record_question_alone"] = ms(writes)
    result["database_minus_none_p50_ms"] = round(
        result["database"]["p50_ms"] - result["none"]["p50_ms"], 2
    )
    result["database_minus_jsonl_p50_ms"] = round(
        result["database"]["p50_ms"] - result["jsonl"]["p50_ms"], 2
    )
    return result


# -- 2. many writers -----------------------------------------------------------------------
def one_user(store: Store, number: int, rounds: int) -> tuple[list[float], int]:
    times, errors = [], 0

    def timed(write, *args, **kwargs) -> None:
        nonlocal errors
        started = time.perf_counter()
        try:
            write(*args, **kwargs)
        except Exception as exc:  # counted, and the first few shown
            errors += 1
            if errors <= 3:
                print(f"user {number}: {type(exc).__name__}: {exc}", file=sys.stderr)
        times.append(time.perf_counter() - started)

    person = f"user-{number}"
    for n in range(rounds):
        key = f"{person}-{n}"
        turn = {
            "id": key,
            "question": QUESTIONS[n % len(QUESTIONS)],
            "answer": "…" * 200,
            "sources": ["lead-quality", "service-level-agreement"],
            "language": "en",
            "fit": "fits",
            "playbook": "lead-quality",
        }
        timed(repo.record_question, store, person, turn, conversation=person)
        timed(repo.record_vote, store, person, key, n % 3 != 0, turn)
        timed(repo.start_attempt, store, person, key, "leads-garbage", "tense", "en")
        for number_ in range(1, 5):
            flags = [{"text": "you always", "why": "blames"}] if number_ == 1 else []
            timed(repo.record_turn, store, key, number_, "a line", "a reply", 60, 5.0, flags)
        timed(repo.finish_attempt, store, key, "resolved", 70, {"score": 70})
    return times, errors


def many_writers(url: str, users: int, rounds: int) -> dict:
    store = Store(url)
    migrate.upgrade(store.engine)
    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        results = list(pool.map(lambda n: one_user(store, n, rounds), range(users)))
    wall = time.perf_counter() - started
    times = [t for user_times, _ in results for t in user_times]
    errors = sum(e for _, e in results)
    rows = queries.stats(store)["rows"]
    store.close()
    return {
        "users": users,
        "rounds_per_user": rounds,
        "writes": len(times),
        "errors": errors,
        "writes_per_second": round(len(times) / wall, 1),
        "wall_s": round(wall, 2),
        **ms(times),
        "attempts_kept": rows["attempts"],
        "turns_kept": rows["attempt_turns"],
    }


# -- 3. the dashboard over a large history -------------------------------------------------
def fill(store: Store, attempts: int, seed: int = 13) -> float:
    """``attempts`` finished attempts with 5 turns each, in bulk; returns seconds taken."""
    rng = random.Random(seed)
    started = time.perf_counter()
    now = datetime.now(UTC)
    learners = max(1, attempts // 20)
    with store.session() as session:
        session.execute(
            Person.__table__.insert(),
            [
                {
                    "key": f"learner-{n}",
                    "kind": "anonymous",
                    "course": f"course-{n % 4}",
                    "created_at": now,
                }
                for n in range(learners)
            ],
        )
        ids = [
            row[0]
            for row in session.execute(Person.__table__.select().with_only_columns(Person.id))
        ]
    batch = 2000
    for offset in range(0, attempts, batch):
        rows, turns = [], []
        for n in range(offset, min(attempts, offset + batch)):
            when = now - timedelta(minutes=rng.randrange(60 * 24 * 90))
            score = rng.randrange(0, 101)
            rows.append(
                {
                    "key": f"a-{n}",
                    "person_id": ids[n % len(ids)],
                    "scenario": f"scenario-{n % 8}",
                    "title": f"Scenario {n % 8}",
                    "level": "tense",
                    "language": "en",
                    "course": f"course-{n % 4}",
                    "started_at": when,
                    "finished_at": when + timedelta(minutes=6),
                    "outcome": rng.choice(["resolved", "escalated", "turn-limit"]),
                    "score": score,
                    "scorecard": {"score": score, "by_principle": {"listen-first": score}},
                }
            )
        with store.session() as session:
            session.execute(Attempt.__table__.insert(), rows)
            found = dict(
                session.execute(
                    Attempt.__table__.select()
                    .with_only_columns(Attempt.key, Attempt.id)
                    .where(Attempt.key.in_([r["key"] for r in rows]))
                ).all()
            )
            for row in rows:
                for number in range(1, 6):
                    flagged = rng.random() < 0.3
                    turns.append(
                        {
                            "attempt_id": found[row["key"]],
                            "number": number,
                            "said": "a line the learner said",
                            "reply": "what the counterpart answered",
                            "score": rng.randrange(0, 101),
                            "tension": 5.0,
                            "flags": [{"text": rng.choice(PHRASES), "why": "blames"}]
                            if flagged
                            else [],
                            "moves": [],
                            "created_at": row["started_at"],
                        }
                    )
            session.execute(AttemptTurn.__table__.insert(), turns)
    return time.perf_counter() - started


def dashboard_times(url: str, attempts: int) -> dict:
    from ui import trainer

    store = Store(url)
    migrate.upgrade(store.engine)
    filled = fill(store, attempts)
    everything = queries.Filters()
    one_course = queries.Filters(course="course-1", since=datetime.now(UTC) - timedelta(days=30))
    result: dict = {"attempts": attempts, "turns": attempts * 5, "fill_s": round(filled, 1)}
    for name, query in (
        ("scenario_table", queries.scenario_table),
        ("learner_table", queries.learner_table),
        ("flagged_phrases", queries.flagged_phrases),
        ("advice_table", queries.advice_table),
        ("votes_table", queries.votes_table),
    ):
        query(store, everything)  # warm
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            query(store, everything)
            runs.append(time.perf_counter() - started)
        result[f"{name}_ms"] = round(statistics.median(runs) * 1000, 1)
    for label, filters in (("all_tables_ms", everything), ("all_tables_filtered_ms", one_course)):
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            trainer.dashboard(store, filters)
            runs.append(time.perf_counter() - started)
        result[label] = round(statistics.median(runs) * 1000, 1)
    store.close()
    return result


# -- 4. the app: many users at once, every question kept ----------------------------------
@contextmanager
def serving(data_dir: Path, port: int, database_url: str | None = None):
    """`coach serve` on ``data_dir`` (its index built there once), optionally on a database."""
    env = {"COACH_DATABASE_URL": database_url} if database_url else {}
    with coach_serve(port, data_dir=data_dir, env=env, timeout=300) as url:
        yield url.rstrip("/")


def app_round(data_dir: Path, port: int, users: int, database_url: str | None = None) -> dict:
    url = database_url or f"sqlite:///{data_dir / 'coach.db'}"
    problems: list[str] = []

    def user(number: int) -> list[float]:
        times = []
        for n in range(3):
            try:
                times.append(ask(base, QUESTIONS[(number + n) % 6], client=f"10.42.0.{number + 1}"))
            except Exception as exc:
                problems.append(f"{type(exc).__name__}: {str(exc)[:200]}")
        return times

    with serving(data_dir, port, database_url) as base:
        ask(base, QUESTIONS[0], client="10.42.1.1")  # warm
        store = Store(url)
        before = queries.stats(store)["rows"]["messages"]
        started = time.perf_counter()
        with ThreadPoolExecutor(users) as pool:
            done = [t for times in pool.map(user, range(users)) for t in times]
        wall = time.perf_counter() - started
        time.sleep(0.5)
        kept = queries.stats(store)["rows"]["messages"] - before
        store.close()
    for problem in problems[:3]:
        print(problem, file=sys.stderr)
    return {
        "users": users,
        "answers": len(done),
        "errors": len(problems),
        "wall_s": round(wall, 2),
        "answers_per_s": round(len(done) / wall, 1),
        "p50_s": round(statistics.median(done), 3) if done else None,
        "p95_s": round(pct(done, 0.95), 3) if done else None,
        "questions_kept": kept,
    }


@contextmanager
def fresh_database(url: str):
    """An empty database on the server of ``url`` for one part of the benchmark."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = "coach_bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4, help="per user, in the writers test")
    parser.add_argument("--questions", type=int, default=60, help="answers per mode")
    parser.add_argument("--app", action="store_true", help="also load a real coach serve")
    parser.add_argument("--port", type=int, default=7897)
    parser.add_argument(
        "--postgres",
        help="also run the writers and dashboard on this server (a URL whose user may create "
        "databases: each part gets a fresh one, dropped after)",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="coach-bench-db-"))
    import os

    results: dict = {
        "machine": "2 cores, shared (noisy: ±20 % between minutes)",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],  # > 2: others running
    }
    print("answer latency…", flush=True)
    results["answer"] = answer_latency(args.questions)
    print(json.dumps(results["answer"]), flush=True)
    print(f"{args.users} users writing at once on SQLite…", flush=True)
    results["writers_sqlite"] = many_writers(
        f"sqlite:///{folder / 'writers.db'}", args.users, args.rounds
    )
    print(json.dumps(results["writers_sqlite"]), flush=True)
    print(f"dashboard over {args.attempts} attempts on SQLite…", flush=True)
    results["dashboard_sqlite"] = dashboard_times(f"sqlite:///{folder / 'dash.db'}", args.attempts)
    print(json.dumps(results["dashboard_sqlite"]), flush=True)
    if args.postgres:
        with fresh_database(args.postgres) as url:
            results["writers_postgres"] = many_writers(url, args.users, args.rounds)
        print(json.dumps(results["writers_postgres"]), flush=True)
        with fresh_database(args.postgres) as url:
            results["dashboard_postgres"] = dashboard_times(url, args.attempts)
        print(json.dumps(results["dashboard_postgres"]), flush=True)
    if args.app:
        data = folder / "app"
        print(f"{args.users} users at once on coach serve (SQLite)…", flush=True)
        results["app_sqlite"] = app_round(data, args.port, args.users)
        print(json.dumps(results["app_sqlite"]), flush=True)
        if args.postgres:
            with fresh_database(args.postgres) as url:
                results["app_postgres"] = app_round(data, args.port, args.users, url)
            print(json.dumps(results["app_postgres"]), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()

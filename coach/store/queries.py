"""Reads: a person's history and progress, the trainers' tables, the dashboard, stats.

Aggregates that differ between SQLite and PostgreSQL (medians, JSON arrays) are done in Python
over narrow rows: 10,000 attempts are a few hundred kilobytes.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, func, select

from coach.store.base import Store
from coach.store.models import (
    KEY,
    Attempt,
    AttemptTurn,
    Conversation,
    Imported,
    Message,
    Person,
    Upload,
    Vote,
)

BUCKETS = ("0-19", "20-39", "40-59", "60-79", "80-100")


@dataclass(frozen=True)
class Filters:
    """What a trainer narrows the dashboard to; None = everything."""

    since: datetime | None = None
    until: datetime | None = None
    scenario: str | None = None
    course: str | None = None

    def attempts(self, query):
        if self.since is not None:
            query = query.where(Attempt.started_at >= self.since)
        if self.until is not None:
            query = query.where(Attempt.started_at < self.until)
        if self.scenario:
            query = query.where(Attempt.scenario == self.scenario)
        if self.course:
            query = query.where(Attempt.course == self.course)
        return query

    def messages(self, query):
        if self.since is not None:
            query = query.where(Message.created_at >= self.since)
        if self.until is not None:
            query = query.where(Message.created_at < self.until)
        if self.course:
            query = query.where(Person.course == self.course)
        return query


EVERYTHING = Filters()


# -- one person ----------------------------------------------------------------------------
def _person(session, person: str) -> int | None:
    return session.scalar(select(Person.id).where(Person.key == str(person)[:KEY]))


def history_for(store: Store, person: str) -> dict:
    """``{"conversations": [...], "attempts": [...]}``, newest first, each with its messages or
    turns: what the learner sees of their past, and what "download my data" gives."""
    with store.session() as session:
        who = _person(session, person)
        if who is None:
            return {"conversations": [], "attempts": []}
        conversations = session.scalars(
            select(Conversation)
            .where(Conversation.person_id == who)
            .order_by(Conversation.started_at.desc(), Conversation.id.desc())
        ).all()
        attempts = session.scalars(
            select(Attempt)
            .where(Attempt.person_id == who)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        ).all()
        return {
            "conversations": [_conversation(c) for c in conversations],
            "attempts": [_attempt(a) for a in attempts],
        }


def conversation_titles(store: Store, person: str) -> list[tuple[str, str]]:
    """``(key, title)`` of the person's conversations, newest first, without their messages:
    what the "past conversations" list needs, read after every new conversation."""
    with store.session() as session:
        who = _person(session, person)
        if who is None:
            return []
        rows = session.execute(
            select(Conversation.key, Conversation.title)
            .where(Conversation.person_id == who)
            .order_by(Conversation.started_at.desc(), Conversation.id.desc())
        ).all()
    return [(key, title) for key, title in rows]


def _conversation(c: Conversation) -> dict:
    return {
        "key": c.key,
        "title": c.title,
        "started_at": c.started_at.isoformat(),
        "messages": [
            {
                "key": m.key,
                "question": m.question,
                "answer": m.answer,
                "language": m.language,
                "kind": m.kind,
                "sources": m.sources,
                "titles": m.titles,
                "situation": m.situation,
                "fit": m.fit,
                "playbook": m.playbook,
                "time": m.created_at.isoformat(),
            }
            for m in c.messages
        ],
    }


def _attempt(a: Attempt) -> dict:
    return {
        "key": a.key,
        "scenario": a.scenario,
        "title": a.title,
        "level": a.level,
        "language": a.language,
        "started_at": a.started_at.isoformat(),
        "finished_at": a.finished_at.isoformat() if a.finished_at else None,
        "outcome": a.outcome,
        "score": a.score,
        "scorecard": a.scorecard,
        "turns": [
            {
                "number": t.number,
                "said": t.said,
                "reply": t.reply,
                "score": t.score,
                "tension": t.tension,
                "flags": t.flags,
                "moves": t.moves,
            }
            for t in a.turns
        ],
    }


def attempt_for_replay(store: Store, key: str) -> dict | None:
    """What rebuilding a rehearsal needs: who, the scenario, level, language, seed, outcome
    and each turn's line, reply and voice (None for an unknown key)."""
    with store.session() as session:
        attempt = session.scalar(select(Attempt).where(Attempt.key == str(key)[:KEY]))
        if attempt is None:
            return None
        person = session.scalar(select(Person.key).where(Person.id == attempt.person_id))
        return {
            "person": person,
            "scenario": attempt.scenario,
            "level": attempt.level,
            "language": attempt.language,
            "seed": attempt.seed,
            "outcome": attempt.outcome,
            "course": attempt.course,
            "turns": [(t.said, t.reply, t.voice or "script") for t in attempt.turns],
        }


def turns_recorded(store: Store, key: str) -> int:
    with store.session() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(AttemptTurn)
                .join(Attempt, Attempt.id == AttemptTurn.attempt_id)
                .where(Attempt.key == str(key)[:KEY])
            )
            or 0
        )


def progress_for(store: Store, person: str, scenarios: list[str] | None = None) -> dict:
    """Per scenario: attempts, best and latest score; scores over time; the principles where
    points were lost most; the next scenario to try (one never tried from ``scenarios``, else
    the one with the lowest best score)."""
    with store.session() as session:
        who = _person(session, person)
        rows = (
            session.execute(
                select(Attempt.scenario, Attempt.finished_at, Attempt.score, Attempt.scorecard)
                .where(Attempt.person_id == who, Attempt.finished_at.is_not(None))
                .order_by(Attempt.finished_at, Attempt.id)
            ).all()
            if who is not None
            else []
        )
    per: dict[str, dict] = {}
    lost: dict[str, list[int]] = defaultdict(list)
    points = []
    for scenario, finished, score, card in rows:
        entry = per.setdefault(scenario, {"scenario": scenario, "attempts": 0, "best": 0})
        entry["attempts"] += 1
        entry["best"] = max(entry["best"], score or 0)
        entry["latest"] = score
        points.append({"time": finished.isoformat(), "scenario": scenario, "score": score})
        for principle, value in ((card or {}).get("by_principle") or {}).items():
            lost[principle].append(100 - int(value))
    weakest = sorted(lost, key=lambda p: (-statistics.fmean(lost[p]), p))
    untried = [s for s in scenarios or [] if s not in per]
    if untried:
        next_one = untried[0]
    elif per:
        next_one = min(per.values(), key=lambda e: (e["best"], e["scenario"]))["scenario"]
    else:
        next_one = None
    return {
        "scenarios": sorted(per.values(), key=lambda e: e["scenario"]),
        "points": points,
        "lost_most": [{"principle": p, "lost": round(statistics.fmean(lost[p]))} for p in weakest],
        "next": next_one,
    }


# -- the trainers' tables ------------------------------------------------------------------
def votes_by_source(store: Store, titles: dict[str, str] | None = None) -> list[list]:
    """``[source id, title, 👍, 👎]`` per source, most voted first (one vote per person per
    answer: the schema keeps only the latest)."""
    titles = titles or {}
    up: Counter = Counter()
    down: Counter = Counter()
    with store.session() as session:
        for vote, sources in session.execute(select(Vote.vote, Vote.sources)):
            counter = up if vote == "up" else down
            for source in dict.fromkeys(sources or []):
                counter[source] += 1
    ids = sorted(set(up) | set(down), key=lambda s: (-(up[s] + down[s]), -down[s], s))
    return [[s, titles.get(s, s), up[s], down[s]] for s in ids]


def asked_most(store: Store, titles: dict[str, str] | None = None, top: int = 10) -> list[list]:
    """``[playbook id, title, questions, latest question]``: the situations asked most."""
    titles = dict(titles or {})
    counts: Counter = Counter()
    latest: dict[str, str] = {}
    with store.session() as session:
        rows = session.execute(
            select(Message.sources, Message.titles, Message.question).order_by(
                Message.created_at, Message.id
            )
        )
        for sources, named, question in rows:
            if not sources:
                continue
            first = sources[0]
            counts[first] += 1
            latest[first] = question
            titles.setdefault(first, (named or {}).get(first, first))
    return [[s, titles.get(s, s), n, latest[s]] for s, n in counts.most_common(top)]


def asked_back(store: Store, top: int = 20) -> list[tuple[datetime, str, str]]:
    """``(time, question, language)``, newest first, of questions coach answered by asking for
    more: where the knowledge has gaps."""
    with store.session() as session:
        rows = session.execute(
            select(Message.created_at, Message.question, Message.language)
            .where(Message.kind == "clarify")
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(top)
        ).all()
    return [(when, question, language or "") for when, question, language in rows]


def questions_by_language(store: Store) -> dict[str, int]:
    with store.session() as session:
        rows = session.execute(
            select(Message.language, func.count()).group_by(Message.language)
        ).all()
    return {language or "?": n for language, n in rows}


# -- the dashboard -------------------------------------------------------------------------
def _bucket(score: int) -> str:
    return BUCKETS[min(4, max(0, score) // 20)]


def scenario_table(store: Store, filters: Filters = EVERYTHING) -> list[dict]:
    """Per scenario: attempts, learners, finished, median score, the score distribution and
    the outcomes (resolved / escalated / turn limit)."""
    with store.session() as session:
        rows = session.execute(
            filters.attempts(
                select(Attempt.scenario, Attempt.person_id, Attempt.score, Attempt.outcome)
            )
        ).all()
    per: dict[str, dict] = {}
    for scenario, person, score, outcome in rows:
        entry = per.setdefault(
            scenario,
            {"scenario": scenario, "attempts": 0, "people": set(), "scores": [], "outcomes": {}},
        )
        entry["attempts"] += 1
        entry["people"].add(person)
        if score is not None:
            entry["scores"].append(score)
        entry["outcomes"][outcome] = entry["outcomes"].get(outcome, 0) + 1
    table = []
    for scenario in sorted(per):
        entry = per[scenario]
        scores = entry["scores"]
        distribution = Counter(_bucket(s) for s in scores)
        table.append(
            {
                "scenario": scenario,
                "attempts": entry["attempts"],
                "learners": len(entry["people"]),
                "finished": len(scores),
                "median": statistics.median(scores) if scores else None,
                "distribution": {b: distribution.get(b, 0) for b in BUCKETS},
                "resolved": entry["outcomes"].get("resolved", 0),
                "escalated": entry["outcomes"].get("escalated", 0),
                "turn_limit": entry["outcomes"].get("turn-limit", 0),
            }
        )
    return table


def pseudonym(key: str) -> str:
    """How trainers see a learner without an LMS name: a short digest, never the key itself
    (a Gradio session hash or an API rehearsal id would let its holder act as the learner)."""
    import hashlib

    return "learner-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def learner_table(store: Store, filters: Filters = EVERYTHING) -> list[dict]:
    """Per learner (LMS name, else a pseudonym): attempts, average, first and last score and
    the trend (last minus first)."""
    with store.session() as session:
        rows = session.execute(
            filters.attempts(
                select(Person.key, Person.name, Attempt.score)
                .join(Person, Person.id == Attempt.person_id)
                .where(Attempt.score.is_not(None))
                .order_by(Attempt.finished_at, Attempt.id)
            )
        ).all()
        # A course's members from its LMS who have not practised yet (no scenario filter:
        # those are learners of the course, not of a scenario).
        members = []
        if filters.course and not filters.scenario:
            members = session.execute(
                select(Person.key, Person.name).where(
                    Person.course == filters.course, Person.kind == "lms"
                )
            ).all()
    per: dict[str, dict] = {}
    for key, name, score in rows:
        entry = per.setdefault(key, {"learner": name or pseudonym(key), "scores": []})
        entry["scores"].append(score)
    for key, name in members:
        per.setdefault(key, {"learner": name or pseudonym(key), "scores": []})
    return [_learner_row(e) for _, e in sorted(per.items(), key=lambda item: item[1]["learner"])]


def _learner_row(entry: dict) -> dict:
    scores = entry["scores"]
    if not scores:
        return {
            "learner": entry["learner"],
            "attempts": 0,
            "average": None,
            "first": None,
            "last": None,
            "trend": None,
        }
    return {
        "learner": entry["learner"],
        "attempts": len(scores),
        "average": round(statistics.fmean(scores), 1),
        "first": scores[0],
        "last": scores[-1],
        "trend": scores[-1] - scores[0],
    }


def flagged_phrases(store: Store, filters: Filters = EVERYTHING, top: int = 20) -> list[dict]:
    """The phrases flagged most in rehearsal turns, with why (the first reason seen)."""
    counts: Counter = Counter()
    why: dict[str, str] = {}
    with store.session() as session:
        rows = session.execute(
            filters.attempts(
                select(AttemptTurn.flags)
                .join(Attempt, Attempt.id == AttemptTurn.attempt_id)
                .where(cast(AttemptTurn.flags, String) != "[]")  # most turns flag nothing
            )
        )
        for (flags,) in rows:
            for flag in flags or []:
                phrase = str(flag.get("text", "")).strip().lower()
                if phrase:
                    counts[phrase] += 1
                    why.setdefault(phrase, str(flag.get("why", "")))
    return [{"phrase": p, "count": n, "why": why[p]} for p, n in counts.most_common(top)]


def advice_table(store: Store, filters: Filters = EVERYTHING) -> list[dict]:
    """Advice questions by playbook and fit (``none`` rows are what the library lacks)."""
    with store.session() as session:
        rows = session.execute(
            filters.messages(
                select(Message.playbook, Message.fit, func.count())
                .join(Conversation, Conversation.id == Message.conversation_id)
                .join(Person, Person.id == Conversation.person_id)
                .group_by(Message.playbook, Message.fit)
            )
        ).all()
    return sorted(
        ({"playbook": p or "", "fit": f or "", "questions": n} for p, f, n in rows),
        key=lambda r: (-r["questions"], r["playbook"], r["fit"]),
    )


def votes_table(store: Store, filters: Filters = EVERYTHING) -> list[dict]:
    """Per answer: its question, 👍 and 👎 (one vote per person)."""
    query = select(Vote.answer_key, Vote.question, Vote.vote)
    if filters.since is not None:
        query = query.where(Vote.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(Vote.created_at < filters.until)
    if filters.course:
        query = query.join(Person, Person.id == Vote.person_id).where(
            Person.course == filters.course
        )
    per: dict[str, dict] = {}
    with store.session() as session:
        for key, question, vote in session.execute(query):
            entry = per.setdefault(key, {"answer": key, "question": question, "up": 0, "down": 0})
            entry["up" if vote == "up" else "down"] += 1
    return sorted(per.values(), key=lambda e: (-(e["up"] + e["down"]), e["answer"]))


# -- stats ---------------------------------------------------------------------------------
TABLES = {
    "people": Person,
    "conversations": Conversation,
    "messages": Message,
    "votes": Vote,
    "attempts": Attempt,
    "attempt_turns": AttemptTurn,
    "uploads": Upload,
    "imports": Imported,
}


def stats(store: Store) -> dict:
    """Rows per table, the schema revision and the database (password hidden)."""
    from coach.store import migrate

    revision = migrate.current(store.engine)
    rows = {}
    if revision is not None:  # an empty database has no tables yet
        with store.session() as session:
            rows = {
                name: session.scalar(select(func.count()).select_from(model)) or 0
                for name, model in TABLES.items()
                if revision >= "0002" or model.__tablename__ not in ("attempts", "attempt_turns")
            }
    return {
        "database": store.shown_url,
        "revision": revision,
        "head": migrate.head(),
        "rows": rows,
    }

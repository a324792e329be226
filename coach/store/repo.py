"""Writes, one job per function. Each opens its own unit of work and is safe to call from
several threads and several app servers at once (unique keys + ON CONFLICT)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update

from coach.store.base import Store
from coach.store.models import (
    KEY,
    Attempt,
    AttemptTurn,
    Conversation,
    Message,
    Person,
    Upload,
    Vote,
    utcnow,
)

MAX_QUESTION = 4000
MAX_ANSWER = 20_000


def person_id(session, key: str, kind: str = "anonymous", name=None, course=None) -> int:
    """The id of the person with ``key``, added on first sight."""
    key = str(key)[:KEY]
    found = session.scalar(select(Person.id).where(Person.key == key))
    if found is not None:
        return found
    store_insert = _insert_for(session, Person)
    session.execute(
        store_insert.values(
            key=key, kind=kind, name=name, course=course, created_at=utcnow()
        ).on_conflict_do_nothing(index_elements=["key"])
    )
    return session.scalar(select(Person.id).where(Person.key == key))


def identify_person(
    store: Store, person: str, kind: str = "lms", name: str | None = None, course=None
) -> None:
    """What an LMS says about a person (their display name, the course they came from): the
    trainers' dashboard shows the name and filters by course."""
    with store.session() as session:
        who = person_id(session, person, kind, name, course)
        session.execute(
            update(Person)
            .where(Person.id == who)
            .values(kind=kind, name=(name or None) and name[:200], course=course)
        )


def _insert_for(session, model):
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _conversation_id(session, key: str, person: int, title: str, when: datetime) -> int:
    key = str(key)[:KEY]
    found = session.scalar(select(Conversation.id).where(Conversation.key == key))
    if found is not None:
        return found
    session.execute(
        _insert_for(session, Conversation)
        .values(key=key, person_id=person, title=title[:500], started_at=when)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return session.scalar(select(Conversation.id).where(Conversation.key == key))


def record_question(
    store: Store,
    person: str,
    turn: dict,
    conversation: str | None = None,
    when: datetime | None = None,
) -> str:
    """Keep one question and its answer (``turn``: what ``ui.advice.turn_of`` makes, with
    ``id`` and ``conversation`` keys when the app gave them). Returns the message key."""
    when = when or utcnow()
    key = str(turn.get("id") or f"m-{when.timestamp():.6f}-{id(turn)}")[:KEY]
    conversation = str(conversation or turn.get("conversation") or f"c-{key}")
    question = str(turn.get("question") or "")[:MAX_QUESTION]
    with store.session() as session:
        who = person_id(session, person)
        convo = _conversation_id(session, conversation, who, question, when)
        session.execute(
            _insert_for(session, Message)
            .values(
                key=key,
                conversation_id=convo,
                question=question,
                answer=str(turn.get("answer") or "")[:MAX_ANSWER],
                language=turn.get("language"),
                backend=turn.get("backend"),
                kind=turn.get("kind") or "advice",
                sources=list(turn.get("sources") or []),
                titles=dict(turn.get("titles") or {}),
                situation=turn.get("situation"),
                fit=turn.get("fit"),
                playbook=turn.get("playbook")
                or (list(turn.get("sources") or [None])[0] if turn.get("sources") else None),
                created_at=when,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
    return key


def record_vote(
    store: Store, person: str, answer_key: str, liked: bool, turn: dict | None = None
) -> None:
    """One vote per person per answer: a second one replaces the first."""
    turn = turn or {}
    values = {
        "answer_key": str(answer_key)[:KEY],
        "vote": "up" if liked else "down",
        "question": str(turn.get("question") or "")[:MAX_QUESTION],
        "sources": list(turn.get("sources") or []),
        "language": turn.get("language"),
        "created_at": utcnow(),
    }
    with store.session() as session:
        who = person_id(session, person)
        statement = _insert_for(session, Vote).values(person_id=who, **values)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["person_id", "answer_key"],
                set_={"vote": values["vote"], "created_at": values["created_at"]},
            )
        )


def start_attempt(
    store: Store,
    person: str,
    key: str,
    scenario: str,
    level: str,
    language: str,
    title: str = "",
    course: str | None = None,
    seed: int | None = None,
) -> str:
    """A rehearsal begins (idempotent: starting the same key twice keeps one attempt).
    ``seed`` with the turns lets any app server rebuild the session. Without ``course``, the
    attempt takes the person's course (an LMS launch sets it)."""
    with store.session() as session:
        who = person_id(session, person)
        if course is None:
            course = session.scalar(select(Person.course).where(Person.id == who))
        session.execute(
            _insert_for(session, Attempt)
            .values(
                key=str(key)[:KEY],
                person_id=who,
                scenario=scenario,
                title=title[:300],
                level=level,
                language=language,
                course=course,
                started_at=utcnow(),
                outcome="in-progress",
                seed=seed,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
    return key


def record_turn(
    store: Store,
    attempt_key: str,
    number: int,
    said: str,
    reply: str,
    score: int,
    tension: float,
    flags: list | None = None,
    moves: list | None = None,
    voice: str | None = None,
) -> bool:
    """Turn ``number`` (1, 2, …) of an attempt; recording the same turn twice keeps one.
    False when the attempt is unknown."""
    with store.session() as session:
        attempt = session.scalar(select(Attempt.id).where(Attempt.key == attempt_key))
        if attempt is None:
            return False
        session.execute(
            _insert_for(session, AttemptTurn)
            .values(
                attempt_id=attempt,
                number=number,
                said=said[:MAX_QUESTION],
                reply=reply[:MAX_ANSWER],
                score=int(score),
                tension=float(tension),
                flags=list(flags or []),
                moves=sorted(moves or []),
                voice=voice,
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["attempt_id", "number"])
        )
    return True


def finish_attempt(
    store: Store, attempt_key: str, outcome: str, score: int, scorecard: dict | None
) -> bool:
    with store.session() as session:
        done = session.execute(
            update(Attempt)
            .where(Attempt.key == attempt_key)
            .values(outcome=outcome, score=int(score), scorecard=scorecard, finished_at=utcnow())
        )
    return done.rowcount > 0


def record_upload(store: Store, path: str, kind: str, by: str | None = None) -> None:
    with store.session() as session:
        session.add(Upload(path=path[:500], kind=kind, by=by, created_at=utcnow()))


def record_removal(store: Store, path: str) -> None:
    with store.session() as session:
        session.execute(
            update(Upload)
            .where(Upload.path == path, Upload.removed_at.is_(None))
            .values(removed_at=utcnow())
        )


def delete_person(store: Store, person: str) -> dict[str, int]:
    """Everything kept about ``person``: their conversations, attempts and votes. Returns how
    many rows of each went."""
    with store.session() as session:
        who = session.scalar(select(Person.id).where(Person.key == str(person)[:KEY]))
        if who is None:
            return {"conversations": 0, "attempts": 0, "votes": 0}
        counts = _delete_rows(session, Conversation.person_id == who, Attempt.person_id == who)
        counts["votes"] = session.execute(delete(Vote).where(Vote.person_id == who)).rowcount
        session.execute(delete(Person).where(Person.id == who))
    return counts


def _delete_rows(session, conversations, attempts) -> dict[str, int]:
    """Children first: cascades are in the schema, but a bulk delete does not rely on them."""
    convo_ids = select(Conversation.id).where(conversations)
    attempt_ids = select(Attempt.id).where(attempts)
    session.execute(delete(Message).where(Message.conversation_id.in_(convo_ids)))
    session.execute(delete(AttemptTurn).where(AttemptTurn.attempt_id.in_(attempt_ids)))
    return {
        "conversations": session.execute(delete(Conversation).where(conversations)).rowcount,
        "attempts": session.execute(delete(Attempt).where(attempts)).rowcount,
    }


def purge_older_than(store: Store, days: int) -> dict[str, int]:
    """Rows older than ``days`` (by when they started), then people left with nothing."""
    cutoff = utcnow() - timedelta(days=days)
    with store.session() as session:
        counts = _delete_rows(
            session, Conversation.started_at < cutoff, Attempt.started_at < cutoff
        )
        counts["votes"] = session.execute(delete(Vote).where(Vote.created_at < cutoff)).rowcount
        empty = (
            select(Person.id)
            .where(Person.created_at < cutoff)
            .where(~select(Conversation.id).where(Conversation.person_id == Person.id).exists())
            .where(~select(Attempt.id).where(Attempt.person_id == Person.id).exists())
            .where(~select(Vote.id).where(Vote.person_id == Person.id).exists())
        )
        counts["people"] = session.execute(
            delete(Person).where(Person.id.in_(empty)).execution_options(synchronize_session=False)
        ).rowcount
    return counts


def count(store: Store, model) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0

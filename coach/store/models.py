"""The tables: who (people), what they asked (conversations, messages), how they practised
(attempts, turns), what they thought of answers (votes), what trainers added (uploads).

Times are UTC. JSON columns hold what the app already shapes as dicts and lists (sources,
situation, scorecard), so a change in those shapes needs no migration.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

KEY = 100  # the longest key kept: learner ids, LMS identities, answer and conversation ids


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Person(Base):
    """An anonymous learner id kept in the browser, a session, or an identity from an LMS."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="anonymous")  # anonymous | lms | import
    name: Mapped[str | None] = mapped_column(String(200))  # an LMS display name, if any
    course: Mapped[str | None] = mapped_column(String(200), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500), default="")  # the first question
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id"
    )


class Message(Base):
    """One question and the answer it got, with what the answer stood on."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)  # the answer id votes refer to
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(10))
    backend: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default="advice")  # advice | clarify
    sources: Mapped[list] = mapped_column(JSON, default=list)
    titles: Mapped[dict] = mapped_column(JSON, default=dict)
    situation: Mapped[dict | None] = mapped_column(JSON)
    fit: Mapped[str | None] = mapped_column(String(20), index=True)  # fits | related | none
    playbook: Mapped[str | None] = mapped_column(String(KEY), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Vote(Base):
    """A thumbs up or down on an answer: one per person per answer (a changed mind replaces it)."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("person_id", "answer_key", name="uq_vote_person_answer"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    answer_key: Mapped[str] = mapped_column(String(KEY), index=True)
    vote: Mapped[str] = mapped_column(String(4))  # up | down
    question: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Upload(Base):
    """A knowledge file a trainer added (the file itself stays in the uploads folder)."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(500), index=True)  # inside the uploads folder
    kind: Mapped[str] = mapped_column(String(20))  # playbooks | scenarios
    by: Mapped[str | None] = mapped_column(String(KEY))  # the trainer's address or identity
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Imported(Base):
    """A log file already imported: the import runs once per file."""

    __tablename__ = "imports"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attempt(Base):
    """One rehearsal of a scenario, from the first turn to its outcome."""

    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    scenario: Mapped[str] = mapped_column(String(KEY), index=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    level: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    course: Mapped[str | None] = mapped_column(String(200), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str] = mapped_column(String(20), default="in-progress")
    score: Mapped[int | None] = mapped_column(Integer)
    scorecard: Mapped[dict | None] = mapped_column(JSON)
    seed: Mapped[int | None] = mapped_column(Integer)  # with the turns, replays the session
    turns: Mapped[list[AttemptTurn]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptTurn.number"
    )


class AttemptTurn(Base):
    __tablename__ = "attempt_turns"
    __table_args__ = (UniqueConstraint("attempt_id", "number", name="uq_turn_attempt_number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, …
    said: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int] = mapped_column(Integer)
    tension: Mapped[float] = mapped_column(Float)
    flags: Mapped[list] = mapped_column(JSON, default=list)
    moves: Mapped[list] = mapped_column(JSON, default=list)
    voice: Mapped[str | None] = mapped_column(String(10))  # who spoke the reply: script | model
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempt: Mapped[Attempt] = relationship(back_populates="turns")


# -- LTI 1.3 (coach.lti): the LMS side of a person, their launches and the grades owed ----------
class LtiValue(Base):
    """What pylti1p3 keeps between the login and the launch (nonces, state, launch data), so
    that any app server can take the launch. A nonce is deleted when it is used."""

    __tablename__ = "lti_values"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LtiUser(Base):
    """An LMS identity (issuer + subject) and the learner id it plays under in the app."""

    __tablename__ = "lti_users"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_lti_user"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    learner_id: Mapped[str] = mapped_column(String(KEY), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LtiLaunch(Base):
    """One validated launch, named by a random token kept in an HttpOnly cookie: who, in which
    course and activity, and where that activity's grades go. Bound here, never in a URL."""

    __tablename__ = "lti_launches"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    learner_id: Mapped[str] = mapped_column(String(KEY), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    course: Mapped[str | None] = mapped_column(String(200), index=True)
    resource_link: Mapped[str | None] = mapped_column(String(255))
    instructor: Mapped[bool] = mapped_column(default=False)
    custom: Mapped[dict] = mapped_column(JSON, default=dict)
    ags: Mapped[dict | None] = mapped_column(JSON)  # the launch's AGS claim (scopes, lineitem)
    nrps: Mapped[str | None] = mapped_column(String(1000))  # the memberships URL
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LtiGrade(Base):
    """A score owed to an LMS gradebook: queued when a launched rehearsal ends, sent, retried
    on failure and shown to trainers until it is accepted."""

    __tablename__ = "lti_grades"
    __table_args__ = (UniqueConstraint("launch", "attempt_key", name="uq_lti_grade"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    launch: Mapped[str] = mapped_column(String(64), index=True)
    attempt_key: Mapped[str] = mapped_column(String(KEY))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""Scores for the LMS gradebook (Assignment and Grade Services).

A rehearsal started from an LMS activity that points at its scenario owes that activity a
score when it ends. The score is queued on the database first (``lti_grades``), then sent; a
send that fails stays queued with its error, is retried with a growing pause, and shows in the
trainers' dashboard until the LMS accepts it. Nothing is lost when the LMS is down.
"""

from __future__ import annotations

import sys
import threading
from datetime import timedelta

from sqlalchemy import func, or_, select, update

from coach.lti.launches import Activity
from coach.store.models import Attempt, LtiGrade, LtiLaunch, Person, utcnow
from coach.store.repo import _insert_for

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
MAX_TRIES = 8
GRADE_DAYS = 7  # a launch older than this no longer collects grades
COMMENT = {
    "en": "coach rehearsal “{title}”: {outcome}, {score}/100.",
    "es": "Ensayo de coach «{title}»: {outcome}, {score}/100.",
}
OUTCOME = {
    "en": {"resolved": "agreement reached", "escalated": "escalated", "turn-limit": "no agreement"},
    "es": {"resolved": "acuerdo", "escalated": "escalada", "turn-limit": "sin acuerdo"},
}


def _gradable(launch: LtiLaunch) -> bool:
    ags = launch.ags or {}
    return bool(ags.get("lineitem")) and SCORE_SCOPE in (ags.get("scope") or [])


def queue(store, learner_id: str, attempt_key: str) -> int:
    """Queue the score of a finished attempt for every launched activity of this learner that
    points at its scenario (the latest launch of each). Returns how many were queued."""
    with store.session() as session:
        attempt = session.execute(
            select(Attempt, Person.key)
            .join(Person, Person.id == Attempt.person_id)
            .where(Attempt.key == attempt_key)
        ).first()
        if attempt is None or attempt[1] != f"learner:{learner_id}":
            return 0  # not this learner's attempt: nothing is owed to their launches
        attempt = attempt[0]
        if attempt.score is None:
            return 0
        launches = session.scalars(
            select(LtiLaunch)
            .where(
                LtiLaunch.learner_id == learner_id,
                LtiLaunch.instructor.is_(False),
                LtiLaunch.created_at >= utcnow() - timedelta(days=GRADE_DAYS),
            )
            .order_by(LtiLaunch.created_at.desc())
        ).all()
        latest: dict[tuple, LtiLaunch] = {}
        for launch in launches:
            if Activity.from_custom(launch.custom).scenario != attempt.scenario:
                continue
            if _gradable(launch):
                latest.setdefault((launch.issuer, launch.resource_link), launch)
        queued = 0
        for launch in latest.values():
            activity = Activity.from_custom(launch.custom)
            score = attempt.score
            if activity.policy == "best":
                score = max(score, _best(session, attempt.person_id, attempt.scenario))
            lang = attempt.language if attempt.language in COMMENT else "en"
            outcome = OUTCOME[lang].get(attempt.outcome, attempt.outcome)
            comment = COMMENT[lang].format(title=attempt.title, outcome=outcome, score=score)
            session.execute(
                _insert_for(session, LtiGrade)
                .values(
                    launch=launch.token,
                    attempt_key=attempt.key,
                    score=score,
                    comment=comment,
                    status="pending",
                    tries=0,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["launch", "attempt_key"])
            )
            queued += 1
        return queued


def _best(session, person_id: int, scenario: str) -> int:
    found = session.scalar(
        select(func.max(Attempt.score)).where(
            Attempt.person_id == person_id, Attempt.scenario == scenario
        )
    )
    return int(found or 0)


def _due(grade: LtiGrade) -> bool:
    """Pending now; a failed send waits 2^tries seconds (capped at an hour) before the next."""
    if grade.status == "pending":
        return True
    wait = timedelta(seconds=min(3600, 2**grade.tries))
    return (
        grade.status == "failed"
        and grade.tries < MAX_TRIES
        and grade.sent_at is None
        and (grade.created_at + wait <= utcnow())
    )


def send_due(store, settings) -> dict[str, int]:
    """Send every grade that is due. Returns how many were sent and how many failed."""
    with store.session() as session:
        rows = session.execute(
            select(LtiGrade, LtiLaunch)
            .join(LtiLaunch, LtiLaunch.token == LtiGrade.launch)
            .where(or_(LtiGrade.status == "pending", LtiGrade.status == "failed"))
            .where(LtiGrade.tries < MAX_TRIES)
            .order_by(LtiGrade.id)
            .limit(100)
        ).all()
    done = {"sent": 0, "failed": 0}
    conf = None
    for grade, launch in rows:
        if not _due(grade):
            continue
        try:
            if conf is None:
                from coach.lti.config import tool_conf

                conf = tool_conf(settings)
            _send(conf, grade, launch)
        except Exception as exc:  # noqa: BLE001 - any failure is kept and retried, never lost
            _mark(store, grade.id, "failed", _why(exc))
            done["failed"] += 1
        else:
            _mark(store, grade.id, "sent", None)
            done["sent"] += 1
    return done


def _send(conf, grade: LtiGrade, launch: LtiLaunch) -> None:
    from pylti1p3.assignments_grades import AssignmentsGradesService
    from pylti1p3.grade import Grade
    from pylti1p3.service_connector import ServiceConnector

    registration = conf.find_registration_by_params(launch.issuer, launch.client_id)
    if registration is None:
        raise RuntimeError(f"{launch.issuer} is no longer registered")
    ags = AssignmentsGradesService(ServiceConnector(registration), launch.ags)
    score = (
        Grade()
        .set_score_given(grade.score)
        .set_score_maximum(100)
        .set_timestamp(utcnow().isoformat())
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_user_id(launch.subject)
        .set_comment(grade.comment)
    )
    ags.put_grade(score)


def _why(exc: Exception) -> str:
    response = exc.args[0] if exc.args else None
    status = getattr(response, "status_code", None)
    if status is not None:
        return f"the LMS answered {status}: {str(getattr(response, 'text', ''))[:200]}"
    return (str(exc) or type(exc).__name__).splitlines()[0][:300]


def _mark(store, grade_id: int, status: str, error: str | None) -> None:
    with store.session() as session:
        values = {"status": status, "error": error, "tries": LtiGrade.tries + 1}
        if status == "sent":
            values["sent_at"] = utcnow()
        else:
            values["created_at"] = utcnow()  # the pause before the next try counts from now
        session.execute(update(LtiGrade).where(LtiGrade.id == grade_id).values(**values))


def status_rows(store, course: str | None = None) -> list[dict]:
    """For the dashboard: each grade owed to a gradebook, newest first, with its state."""
    with store.session() as session:
        query = (
            select(LtiGrade, LtiLaunch, Person.name, Attempt.title)
            .join(LtiLaunch, LtiLaunch.token == LtiGrade.launch)
            .join(Attempt, Attempt.key == LtiGrade.attempt_key)
            .join(Person, Person.id == Attempt.person_id)
            .order_by(LtiGrade.id.desc())
            .limit(500)
        )
        if course:
            query = query.where(LtiLaunch.course == course)
        rows = session.execute(query).all()
    return [
        {
            "learner": name or "—",
            "scenario": title,
            "score": grade.score,
            "status": grade.status,
            "tries": grade.tries,
            "error": grade.error or "",
        }
        for grade, launch, name, title in rows
    ]


class Sender:
    """Sends due grades in the background: at once when a rehearsal ends, and every
    ``every`` seconds for the ones that failed."""

    def __init__(self, store, settings, every: float = 30.0) -> None:
        self.store, self.settings, self.every = store, settings, every
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="coach-lti-grades", daemon=True)
        self._thread.start()

    def finished(self, learner_id: str, attempt_key: str) -> None:
        try:
            if queue(self.store, learner_id, attempt_key):
                self._wake.set()
        except Exception as exc:  # noqa: BLE001 - the rehearsal itself must not fail
            print(f"coach: could not queue a grade: {_why(exc)}", file=sys.stderr)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.every)
            self._wake.clear()
            try:
                send_due(self.store, self.settings)
            except Exception as exc:  # noqa: BLE001 - try again at the next round
                print(f"coach: could not send grades: {_why(exc)}", file=sys.stderr)

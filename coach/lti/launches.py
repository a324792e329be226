"""From a validated LTI launch to a person, a course and an activity in coach.

Each LMS identity (issuer + ``sub``) gets one learner id, random and kept in ``lti_users``; the
app runs under it like under any browser's id, so history, progress and "My data" work as they
do outside the LMS. The launch itself is kept under a random token that only the learner's
browser holds (an HttpOnly cookie): the grade goes to the line item of *that* launch, for
*that* person, whatever a request names.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import select

from coach.store.models import LtiLaunch, LtiUser, utcnow
from coach.store.repo import _insert_for, identify_person

COOKIE = "coach-lti"
LAUNCH_HOURS = 12  # a course session; the LMS launches again next time
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
TEACHING = ("#Instructor", "#Administrator", "#ContentDeveloper", "#TeachingAssistant", "/Mentor")
TABS = ("advice", "rehearse", "check")
LEVELS = ("calm", "tense", "hostile")
POLICIES = ("best", "latest")


@dataclass(frozen=True)
class Activity:
    """What an LMS activity points at, from its custom parameters (set by deep linking)."""

    tab: str = "advice"
    scenario: str | None = None
    level: str | None = None
    lang: str | None = None
    policy: str = "best"

    @classmethod
    def from_custom(cls, custom: dict | None) -> Activity:
        custom = {str(k): str(v).strip() for k, v in (custom or {}).items() if v is not None}
        scenario = custom.get("scenario") or None
        tab = custom.get("tab", "").lower()
        tab = tab if tab in TABS else ("rehearse" if scenario else "advice")
        level = custom.get("level", "").lower()
        lang = custom.get("lang", "").lower()
        policy = custom.get("grade_policy", "").lower()
        return cls(
            tab=tab,
            scenario=scenario[:100] if scenario else None,
            level=level if level in LEVELS else None,
            lang=lang if lang in ("en", "es") else None,
            policy=policy if policy in POLICIES else "best",
        )

    def custom(self) -> dict[str, str]:
        """Back to custom parameters (what a deep-linking response puts on the link)."""
        found = {"tab": self.tab, "scenario": self.scenario, "level": self.level}
        found |= {"lang": self.lang, "grade_policy": self.policy if self.scenario else None}
        return {k: v for k, v in found.items() if v}


def is_instructor(roles: list | None) -> bool:
    return any(str(role).endswith(TEACHING) for role in roles or [])


def learner_for(store, issuer: str, subject: str) -> str:
    """The learner id of an LMS identity, made on its first launch."""
    with store.session() as session:
        session.execute(
            _insert_for(session, LtiUser)
            .values(
                issuer=issuer[:255],
                subject=subject[:255],
                learner_id=secrets.token_urlsafe(18),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing(index_elements=["issuer", "subject"])
        )
        return session.scalar(
            select(LtiUser.learner_id).where(
                LtiUser.issuer == issuer[:255], LtiUser.subject == subject[:255]
            )
        )


def record_launch(store, body: dict) -> LtiLaunch:
    """Keep a validated resource launch; the person gets their LMS name and course."""
    issuer, subject = str(body["iss"]), str(body.get("sub") or "")
    if not subject:
        raise ValueError("The LMS launched without a user (anonymous launches are not supported).")
    aud = body.get("aud")
    context = body.get(CLAIM + "context") or {}
    link = body.get(CLAIM + "resource_link") or {}
    learner_id = learner_for(store, issuer, subject)
    course = str(context.get("id"))[:200] if context.get("id") else None
    launch = LtiLaunch(
        token=secrets.token_urlsafe(32),
        learner_id=learner_id,
        issuer=issuer[:255],
        client_id=str(aud[0] if isinstance(aud, list) else aud)[:255],
        subject=subject[:255],
        course=course,
        resource_link=str(link.get("id"))[:255] if link.get("id") else None,
        instructor=is_instructor(body.get(CLAIM + "roles")),
        custom=dict(body.get(CLAIM + "custom") or {}),
        ags=body.get(AGS_CLAIM),
        nrps=(body.get(NRPS_CLAIM) or {}).get("context_memberships_url"),
        created_at=utcnow(),
        expires_at=utcnow() + timedelta(hours=LAUNCH_HOURS),
    )
    with store.session() as session:
        session.add(launch)
    name = body.get("name") or " ".join(
        str(body.get(k)) for k in ("given_name", "family_name") if body.get(k)
    )
    kind = "lms-staff" if launch.instructor else "lms"  # staff are not the course's learners
    identify_person(store, f"learner:{learner_id}", kind, name or None, course)
    return launch


def launch_for(store, token: object) -> LtiLaunch | None:
    """The live launch a cookie names, or None (no cookie, unknown, expired)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    with store.session() as session:
        launch = session.get(LtiLaunch, token)
    if launch is None or launch.expires_at <= utcnow():
        return None
    return launch


def is_lms_learner(store, learner_id: object) -> bool:
    """Whether ``learner_id`` is an LMS identity's. Outside a live launch such an id is not
    used: on a shared computer, the next person opening coach must not see the last
    learner's history."""
    if not isinstance(learner_id, str):
        return False
    with store.session() as session:
        found = session.scalar(select(LtiUser.id).where(LtiUser.learner_id == learner_id))
    return found is not None


def landing(launch: LtiLaunch, root: str = "") -> str:
    """Where the launch opens the app: the activity's tab, scenario, level and language; an
    instructor gets the trainers' dashboard for their course."""
    activity = Activity.from_custom(launch.custom)
    query = {"lti": "1"}
    if launch.instructor:
        query |= {"tab": "trainer"}
    else:
        query |= {"tab": activity.tab}
        if activity.tab == "rehearse" and activity.scenario:
            query |= {"scenario": activity.scenario, "level": activity.level or "tense"}
    if activity.lang:
        query["lang"] = activity.lang
    return f"{root.rstrip('/')}/?{urlencode(query)}"


def sync_members(store, settings, launch: LtiLaunch) -> int:
    """The course's learners from the LMS (Names and Role Provisioning): each becomes a person
    of the course, so the dashboard lists those who never practised. Returns how many."""
    from pylti1p3.names_roles import NamesRolesProvisioningService
    from pylti1p3.service_connector import ServiceConnector

    from coach.lti.config import tool_conf

    registration = tool_conf(settings).find_registration_by_params(launch.issuer, launch.client_id)
    service = NamesRolesProvisioningService(
        ServiceConnector(registration), {"context_memberships_url": launch.nrps}
    )
    count = 0
    for member in service.get_members():
        if not member.get("user_id") or is_instructor(member.get("roles")):
            continue
        if str(member.get("status", "Active")).lower() != "active":
            continue
        learner_id = learner_for(store, launch.issuer, str(member["user_id"]))
        name = member.get("name") or " ".join(
            str(member.get(k)) for k in ("given_name", "family_name") if member.get(k)
        )
        identify_person(store, f"learner:{learner_id}", "lms", name or None, launch.course)
        count += 1
    return count

"""A small LMS for the LTI tests, built on ``lti1p3platform`` and served on a free port: it
signs launches (resource links and deep-linking requests), serves its keys, issues service
tokens, and keeps a gradebook (AGS scores), a roster (NRPS) and what deep linking returned.

``course_page`` is what a learner's browser gets from the LMS: an iframe that starts the tool's
login, like Moodle and Canvas do.
"""

from __future__ import annotations

import html
import json
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration

from coach.lti.config import _new_pair

ISSUER = "https://lms.test.example"
CLIENT_ID = "coach-client"
DEPLOYMENT = "deployment-1"
COURSE = "course-101"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


@dataclass
class Activity:
    id: str
    custom: dict
    deep_link: bool = False


@dataclass
class User:
    sub: str
    name: str
    roles: list


@dataclass
class Lms:
    """The platform's state, read by the tests."""

    base: str = ""
    tool: str = ""
    private_key: str = ""
    public_key: str = ""
    users: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    scores: list = field(default_factory=list)  # (lineitem id, score body)
    deep_linked: list = field(default_factory=list)  # content items returned by the tool
    fail_scores: int = 0  # answer the next N score posts with 503

    def registration(self) -> Registration:
        return (
            Registration()
            .set_iss(ISSUER)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT)
            .set_oidc_login_url(f"{self.tool}/lti/login")
            .set_launch_url(f"{self.tool}/lti/launch")
            .set_deeplink_launch_url(f"{self.tool}/lti/launch")
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.private_key)
            .set_tool_key_set_url(f"{self.tool}/lti/jwks")
        )

    def register_with(self, settings) -> None:
        """What an admin does with `coach lti keys` and `coach lti add-platform`."""
        from coach.lti import config

        config.make_keys(settings)
        config.add_platform(
            settings,
            config.Platform(
                issuer=ISSUER,
                client_id=CLIENT_ID,
                deployment_ids=[DEPLOYMENT],
                auth_login_url=f"{self.base}/auth",
                auth_token_url=f"{self.base}/token",
                key_set_url=f"{self.base}/jwks",
            ),
        )

    def login_url(self, activity: str, user: str) -> str:
        """Where the LMS sends the browser to open ``activity`` as ``user``."""
        query = {
            "iss": ISSUER,
            "login_hint": user,
            "target_link_uri": f"{self.tool}/lti/launch",
            "lti_message_hint": activity,
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT,
        }
        return f"{self.tool}/lti/login?{urlencode(query)}"

    def launch_message(self, preflight: dict, **changes) -> dict:
        """The signed form an LMS posts to the tool, for the tool's auth request ``preflight``.
        ``changes`` alter the claims before signing (``aud``, ``exp``…); ``key`` signs with
        another private key (a forged launch)."""
        key = changes.pop("key", None)
        launch = _Launch(_Config(self), preflight)
        activity = self.activities[preflight["lti_message_hint"]]
        user = self.users[preflight["login_hint"]]
        launch.set_user_data(user.sub, user.roles, full_name=user.name)
        launch.set_launch_context_claim(COURSE, context_title="Marketing & Sales 101")
        launch.set_resource_link_claim(activity.id, title=activity.id)
        launch.set_custom_parameters_claim(activity.custom)
        launch.set_ags(
            lineitems_url=f"{self.base}/lineitems",
            lineitem_url=f"{self.base}/lineitems/{activity.id}/lineitem",
            allow_creating_lineitems=True,
        )
        launch.set_nrps(f"{self.base}/members")
        if activity.deep_link:
            launch.set_dl(f"{self.base}/deep-link-return", title="Add coach")
        launch._registration = self.registration()
        launch.validate_preflight_response(preflight)
        if not changes and key is None:
            return {**launch.generate_launch_request(), "url": preflight["redirect_uri"]}
        message, state = launch.get_launch_data()
        if activity.deep_link:
            message[f"{_CLAIM}message_type"] = "LtiDeepLinkingRequest"
            message.update(launch._deep_linking_launch_data or {})
        message = {**message, **changes}
        exp = message.pop("exp", None)
        signed = Registration.encode_and_sign(
            {**message, "exp": exp} if exp is not None else message,
            key or self.private_key,
            headers={"kid": Registration.get_jwk(self.public_key)["kid"]},
            expiration=None if exp is not None else 300,
        )
        return {"id_token": signed, "state": state, "url": preflight["redirect_uri"]}


_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"


class _Config(LTI1P3PlatformConfAbstract):
    def __init__(self, lms: Lms) -> None:
        self.lms = lms
        super().__init__()

    def init_platform_config(self, **kwargs) -> None:
        pass

    def get_registration_by_params(self, **kwargs) -> Registration:
        return self.lms.registration()


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def __init__(self, config: _Config, preflight: dict) -> None:
        super().__init__(None, config)
        self.preflight = preflight
        self._registration = config.get_registration()

    def get_preflight_response(self) -> dict:
        return self.preflight

    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


def auto_post(data: dict) -> str:
    fields = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}">'
        for k, v in data.items()
        if k != "url"
    )
    return (
        f'<form id="post" method="post" action="{html.escape(data["url"])}">{fields}</form>'
        "<script>document.getElementById('post').submit();</script>"
    )


def build_lms(lms: Lms) -> FastAPI:
    app = FastAPI()

    @app.get("/jwks")
    def jwks():
        return {"keys": lms.registration().get_jwks()}

    @app.get("/auth")
    def auth(request: Request):
        """The OIDC authorization endpoint: answers with the auto-posting launch form."""
        preflight = dict(request.query_params)
        if preflight.get("redirect_uri") != f"{lms.tool}/lti/launch":
            return Response("unknown redirect_uri", 400)
        return HTMLResponse(auto_post(lms.launch_message(preflight)))

    @app.post("/token")
    async def token(request: Request):
        config = _Config(lms)
        config.get_registration()
        form = dict(await request.form())
        return JSONResponse(config.get_access_token(form))

    def authorised(request: Request, scope: str) -> bool:
        config = _Config(lms)
        config.get_registration()
        auth = request.headers.get("authorization", "").split()
        try:
            return len(auth) == 2 and config.validate_token(auth[1], [scope])
        except Exception:  # noqa: BLE001 - any bad token is a 401
            return False

    @app.post("/lineitems/{item}/lineitem/scores")
    async def score(item: str, request: Request):
        if not authorised(request, "https://purl.imsglobal.org/spec/lti-ags/scope/score"):
            return Response("unauthorised", 401)
        if lms.fail_scores:
            lms.fail_scores -= 1
            return Response("gradebook is down", 503)
        lms.scores.append((item, json.loads(await request.body())))
        return JSONResponse({})

    @app.get("/members")
    def members(request: Request):
        scope = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
        if not authorised(request, scope):
            return Response("unauthorised", 401)
        found = [
            {"user_id": u.sub, "name": u.name, "roles": u.roles, "status": "Active"}
            for u in lms.users.values()
        ]
        return JSONResponse({"id": "members", "context": {"id": COURSE}, "members": found})

    @app.post("/deep-link-return")
    async def deep_link_return(request: Request):
        config = _Config(lms)
        config.get_registration()
        form = dict(await request.form())
        items = config.validate_deeplinking_resp(form)
        lms.deep_linked.extend(items)
        return HTMLResponse("<p id='added'>Added to the course.</p>")

    @app.get("/course/{activity}")
    def course_page(activity: str, user: str):
        src = html.escape(lms.login_url(activity, user))
        return HTMLResponse(
            "<!doctype html><title>Course</title><h1>Marketing &amp; Sales 101</h1>"
            f'<iframe id="tool" src="{src}" width="420" height="900"></iframe>'
        )

    return app


def new_lms() -> Lms:
    private, public = _new_pair()
    lms = Lms(private_key=private, public_key=public)
    lms.users = {
        "alice": User("sub-alice", "Alice Romero", [LEARNER_ROLE]),
        "bob": User("sub-bob", "Bob Stone", [LEARNER_ROLE]),
        "carla": User("sub-carla", "Carla Nieto", [LEARNER_ROLE]),
        "dan": User("sub-dan", "Dan Ortiz", [LEARNER_ROLE]),  # never practises
        "erin": User("sub-erin", "Erin Walsh", [LEARNER_ROLE]),
        "teacher": User("sub-teacher", "Tomás Vidal", [INSTRUCTOR_ROLE]),
    }
    return lms


def unique() -> str:
    return uuid.uuid4().hex[:8]

"""The tool's endpoints, mounted next to the app by ``coach serve``:

- ``/lti/login``: OIDC login initiation (the LMS calls it first);
- ``/lti/launch``: the launch (redirect URI): validated, then the learner lands in the activity;
- ``/lti/jwks``: the tool's public keys;
- ``/lti/deep-link``: the instructor's pick (scenario, level, language) sent back to the LMS;
- ``/lti/config`` and ``/lti/config.json``: what an LMS admin pastes (the JSON is Canvas's).

pylti1p3 blocks (it fetches the platform's keys): it runs in a worker thread. Every refusal is
a short page saying what went wrong and what to do, never a stack trace.
"""

from __future__ import annotations

import html
import secrets
import sys
import threading
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from coach.lti import config, launches
from coach.lti.adapter import Launch, Login, LtiRequest, is_secure, set_cookie

DEEP_LINK_COOKIE = "coach-lti-dl"
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;
color:#1f2937}}label{{display:block;margin:.8rem 0 .2rem;font-weight:600}}select,button{{font:inherit;
padding:.4rem;min-height:44px;width:100%}}button{{margin-top:1.2rem;background:#1d4ed8;color:#fff;
border:0;border-radius:6px}}code{{word-break:break-all}}th{{text-align:left;padding-right:1rem}}</style>
</head><body><main><h1>{title}</h1>{body}</main></body></html>"""


def page(title: str, body: str, status: int = 200, lang: str = "en") -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body, lang=lang), status)


def refused(why: str, status: int = 400) -> HTMLResponse:
    body = (
        f"<p>{html.escape(why)}</p><p>Open the activity again from your course. If this keeps "
        "happening inside the course page, your browser may be blocking coach's cookies there: "
        "open the activity in a new window, or ask your LMS admin to check the coach "
        "registration (<code>coach lti add-platform</code>).</p>"
    )
    return page("coach could not open this activity", body, status)


def base_url(settings, request: Request) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    root = request.scope.get("root_path", "")
    return f"{request.url.scheme}://{request.url.netloc}{root}".rstrip("/")


def build_router(settings, store: Callable, scenarios: Callable, on_members=None) -> APIRouter:
    """``store()`` gives the open store (or None); ``scenarios()`` the current scenarios."""
    router = APIRouter(prefix="/lti")
    behind_tls = str(settings.public_url or "").startswith("https://")
    # pylti1p3 raises its own exceptions, and a bare Exception for an unknown issuer/client:
    # every one of them is a refusal page, never a stack trace.
    troubles = Exception

    def the_store():
        found = store()
        if found is None:
            raise config.LtiConfigError("The database is not available right now; try again.")
        return found

    @router.api_route("/login", methods=["GET", "POST"], include_in_schema=False)
    async def login(request: Request) -> Response:
        lti_request = await LtiRequest.read(request, behind_tls)
        target = f"{base_url(settings, request)}/lti/launch"

        def start():
            oidc = Login(lti_request, config.tool_conf(settings), the_store())
            oidc.enable_check_cookies(
                main_msg="Your browser blocks coach's cookies inside the course page.",
                click_msg="Open the activity in a new window",
            )
            return oidc.redirect(target)

        try:
            return await run_in_threadpool(start)
        except troubles as exc:
            return refused(_plain(exc))

    @router.post("/launch", include_in_schema=False)
    async def launch(request: Request) -> Response:
        lti_request = await LtiRequest.read(request, behind_tls)

        def validate():
            message = Launch(lti_request, config.tool_conf(settings), the_store())
            body = message.get_launch_data()  # validates: state, signature, nonce, deployment
            return message, body

        try:
            message, body = await run_in_threadpool(validate)
        except troubles as exc:
            return refused(_plain(exc))
        if message.is_deep_link_launch():
            return _deep_link_page(request, message, body)
        if not message.is_resource_launch():
            return refused("coach only opens activities and deep-linking requests.")
        try:
            kept = await run_in_threadpool(launches.record_launch, the_store(), body)
        except troubles as exc:
            return refused(_plain(exc))
        if kept.instructor and kept.nrps and on_members is not None:
            threading.Thread(target=on_members, args=(kept,), daemon=True).start()
        root = request.scope.get("root_path", "")
        response = RedirectResponse(launches.landing(kept, root), status_code=303)
        set_cookie(
            response,
            launches.COOKIE,
            kept.token,
            launches.LAUNCH_HOURS * 3600,
            behind_tls or is_secure(request),
        )
        return response

    def _deep_link_page(request: Request, message, body: dict) -> Response:
        lang = str(body.get("locale") or "en")[:2]
        check = secrets.token_urlsafe(16)
        options = "".join(
            f'<option value="{html.escape(sid)}">{html.escape(title)}</option>'
            for sid, title in _scenario_titles(scenarios(), lang)
        )
        form = f"""<p>Pick what this activity opens. Rehearsals send their score to the
gradebook (out of 100).</p>
<form method="post" action="{html.escape(base_url(settings, request))}/lti/deep-link">
<input type="hidden" name="launch_id" value="{html.escape(message.get_launch_id())}">
<input type="hidden" name="check" value="{check}">
<label for="scenario">Scenario</label><select id="scenario" name="scenario">
<option value="">— Advice chat (no grade) —</option>{options}</select>
<label for="level">Level</label><select id="level" name="level">
<option value="calm">Calm</option><option value="tense" selected>Tense</option>
<option value="hostile">Hostile</option></select>
<label for="lang">Language</label><select id="lang" name="lang">
<option value="">The learner's</option><option value="en">English</option>
<option value="es">Español</option></select>
<label for="grade_policy">Grade</label><select id="grade_policy" name="grade_policy">
<option value="best">Best attempt</option><option value="latest">Latest attempt</option></select>
<button type="submit">Add to the course</button></form>"""
        response = page("Add a coach activity", form, lang="es" if lang == "es" else "en")
        set_cookie(response, DEEP_LINK_COOKIE, check, 3600, behind_tls or is_secure(request))
        return response

    @router.post("/deep-link", include_in_schema=False)
    async def deep_link(request: Request) -> Response:
        lti_request = await LtiRequest.read(request, behind_tls)
        check = lti_request.get_param("check")
        if not check or check != request.cookies.get(DEEP_LINK_COOKIE):
            return refused("This form was not opened by your course (or it expired).")
        scenario_id = (lti_request.get_param("scenario") or "").strip()
        known = dict(_scenario_titles(scenarios(), lti_request.get_param("lang") or "en"))
        if scenario_id and scenario_id not in known:
            return refused("That scenario is not in coach any more; pick another.")
        activity = launches.Activity.from_custom(
            {
                "tab": "rehearse" if scenario_id else "advice",
                "scenario": scenario_id,
                "level": lti_request.get_param("level"),
                "lang": lti_request.get_param("lang"),
                "grade_policy": lti_request.get_param("grade_policy"),
            }
        )
        title = f"coach: {known[scenario_id]}" if scenario_id else "coach: advice"
        target = f"{base_url(settings, request)}/lti/launch"

        def respond():
            from pylti1p3.deep_link_resource import DeepLinkResource
            from pylti1p3.lineitem import LineItem

            message = Launch.restore(
                lti_request.get_param("launch_id") or "",
                lti_request,
                config.tool_conf(settings),
                the_store(),
            )
            resource = (
                DeepLinkResource()
                .set_url(target)
                .set_title(title[:200])
                .set_custom_params(activity.custom())
            )
            if activity.scenario:
                item = LineItem().set_score_maximum(100).set_label(title[:200])
                resource.set_lineitem(item.set_tag(f"coach:{activity.scenario}"))
            return message.get_deep_link().output_response_form([resource])

        try:
            return HTMLResponse(await run_in_threadpool(respond))
        except troubles as exc:
            return refused(_plain(exc))

    @router.get("/jwks", include_in_schema=False)
    def jwks() -> JSONResponse:
        return JSONResponse(config.jwks(settings), headers={"Cache-Control": "max-age=300"})

    @router.get("/config.json", include_in_schema=False)
    def config_json(request: Request) -> JSONResponse:
        return JSONResponse(canvas_config(base_url(settings, request)))

    @router.get("/config", include_in_schema=False)
    def config_page(request: Request) -> HTMLResponse:
        base = base_url(settings, request)
        rows = "".join(
            f"<tr><th>{html.escape(name)}</th><td><code>{html.escape(value)}</code></td></tr>"
            for name, value in tool_urls(base).items()
        )
        body = (
            "<p>Register coach in your LMS as an LTI 1.3 tool with these values, then run "
            "<code>coach lti add-platform</code> with what the LMS gives you back (see README, "
            f"“Courses (LTI 1.3)”).</p><table>{rows}</table>"
            f'<p>Canvas: paste <a href="{html.escape(base)}/lti/config.json">this JSON URL</a> '
            "into a new LTI developer key.</p>"
        )
        return page("coach as an LTI 1.3 tool", body)

    return router


def tool_urls(base: str) -> dict[str, str]:
    return {
        "Tool URL / Target link URI": f"{base}/lti/launch",
        "Initiate login URL": f"{base}/lti/login",
        "Redirection URI(s)": f"{base}/lti/launch",
        "Public keyset URL (JWKS)": f"{base}/lti/jwks",
        "Deep linking URL": f"{base}/lti/launch",
    }


def canvas_config(base: str) -> dict:
    launch = f"{base}/lti/launch"
    placements = [
        {"placement": p, "message_type": "LtiDeepLinkingRequest", "target_link_uri": launch}
        for p in ("assignment_selection", "link_selection")
    ]
    return {
        "title": "coach",
        "description": "Practise difficult conversations between marketing and sales.",
        "oidc_initiation_url": f"{base}/lti/login",
        "target_link_uri": launch,
        "public_jwk_url": f"{base}/lti/jwks",
        "scopes": [
            "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
            "https://purl.imsglobal.org/spec/lti-ags/scope/score",
            "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        ],
        "extensions": [
            {
                "platform": "canvas.instructure.com",
                "privacy_level": "public",
                "settings": {"placements": placements},
            }
        ],
        "custom_fields": {},
    }


def _scenario_titles(scenarios: dict, lang: str) -> list[tuple[str, str]]:
    titles: dict[str, str] = {}
    for (sid, slang), scenario in sorted(scenarios.items()):
        if slang == lang or sid not in titles:
            titles[sid] = scenario.title
    return sorted(titles.items(), key=lambda item: item[1].lower())


def _plain(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    print(f"coach: LTI refused: {text}", file=sys.stderr)
    known = {
        "State not found": "This launch did not start from this browser (or it expired).",
        "Invalid Nonce": "This launch was already used; open the activity again.",
        "Unable to find deployment": "This deployment of coach is not registered.",
        "Registration not found.": "This LMS is not registered with coach.",
        "Could not find registration details": "This LMS is not registered with coach.",
        "iss ": "This LMS (or its client id) is not registered with coach.",
    }
    for start, said in known.items():
        if text.startswith(start):
            return said
    if text.startswith("Can't decode id_token"):
        return "The launch's signature or dates are not valid: " + text.split(": ", 1)[-1] + "."
    return text

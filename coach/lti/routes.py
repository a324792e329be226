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
from coach.lti.pages import TEXT, language, page, picker, refused

DEEP_LINK_COOKIE = "coach-lti-dl"


def base_url(settings, request: Request) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    root = request.scope.get("root_path", "")
    return f"{request.url.scheme}://{request.url.netloc}{root}".rstrip("/")


def build_router(settings, store: Callable, scenarios: Callable, on_members=None) -> APIRouter:
    """``store()`` gives the open store (or None); ``scenarios()`` the current scenarios."""
    router = APIRouter(prefix="/lti")
    behind_tls = str(settings.public_url or "").startswith("https://")

    def the_store():
        found = store()
        if found is None:
            raise config.LtiConfigError("The database is not available right now; try again.")
        return found

    @router.api_route("/login", methods=["GET", "POST"], include_in_schema=False)
    async def login(request: Request) -> Response:
        lti_request = await LtiRequest.read(request, behind_tls)
        target = f"{base_url(settings, request)}/lti/launch"
        lang = language(request.headers.get("accept-language"))

        def start():
            oidc = Login(lti_request, config.tool_conf(settings), the_store())
            words = TEXT[lang]
            oidc.enable_check_cookies(
                main_msg=words["cookies_blocked"], click_msg=words["new_window"]
            )
            return oidc.redirect(target)

        try:
            return await run_in_threadpool(start)
        except Exception as exc:  # pylti1p3 also raises bare Exception: all are a refusal page
            return _refusal(exc, lang)

    @router.post("/launch", include_in_schema=False)
    async def launch(request: Request) -> Response:
        lti_request = await LtiRequest.read(request, behind_tls)
        lang = language(request.headers.get("accept-language"))

        def validate():
            message = Launch(lti_request, config.tool_conf(settings), the_store())
            body = message.get_launch_data()  # validates: state, signature, nonce, deployment
            return message, body

        try:
            message, body = await run_in_threadpool(validate)
        except Exception as exc:  # pylti1p3 also raises bare Exception: all are a refusal page
            return _refusal(exc, lang)
        if message.is_deep_link_launch():
            return _deep_link_page(request, message, body)
        if not message.is_resource_launch():
            return refused("kind", lang)
        try:
            kept = await run_in_threadpool(launches.record_launch, the_store(), body)
        except Exception as exc:  # pylti1p3 also raises bare Exception: all are a refusal page
            return _refusal(exc, lang)
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
        lang = language(body.get("locale") or request.headers.get("accept-language"))
        check = secrets.token_urlsafe(16)
        action = f"{base_url(settings, request)}/lti/deep-link"
        found = _scenario_titles(scenarios(), lang)
        response = picker(action, message.get_launch_id(), check, found, lang)
        set_cookie(response, DEEP_LINK_COOKIE, check, 3600, behind_tls or is_secure(request))
        return response

    @router.post("/deep-link", include_in_schema=False)
    async def deep_link(request: Request) -> Response:
        lti_request = await LtiRequest.read(request, behind_tls)
        lang = language(request.headers.get("accept-language"))
        check = lti_request.get_param("check")
        if not check or check != request.cookies.get(DEEP_LINK_COOKIE):
            return refused("form", lang)
        scenario_id = (lti_request.get_param("scenario") or "").strip()
        known = dict(_scenario_titles(scenarios(), lti_request.get_param("lang") or "en"))
        if scenario_id and scenario_id not in known:
            return refused("gone", lang)
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
        except Exception as exc:  # pylti1p3 also raises bare Exception: all are a refusal page
            return _refusal(exc, lang)

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


def _refusal(exc: BaseException, lang: str) -> HTMLResponse:
    key, detail = _plain(exc)
    return refused(key, lang, detail)


def _plain(exc: BaseException) -> tuple[str, str]:
    """(a key of ``pages.TEXT``, or the library's own words; a detail) for a refusal."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    print(f"coach: LTI refused: {text}", file=sys.stderr)
    known = {
        "State not found": "state",
        "Missing state": "state",
        "Invalid Nonce": "nonce",
        "Unable to find deployment": "deployment",
        "Registration not found": "registration",
        "Could not find registration details": "registration",
        "iss ": "registration",
    }
    for start, key in known.items():
        if text.startswith(start):
            return key, ""
    if text.startswith("Can't decode id_token"):
        return "signature", text.split(": ", 1)[-1]
    return text, ""

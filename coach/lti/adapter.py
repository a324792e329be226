"""pylti1p3 on Starlette (it ships adapters for Django and Flask only).

The request's form, query and cookies are read first (async), then pylti1p3 runs on them in a
worker thread: it fetches the platform's keys over HTTP and blocks. Cookies set on the way (the
OIDC state) go on the response: ``SameSite=None; Secure; Partitioned`` over https, so they work
inside the LMS's iframe, and ``SameSite=Lax`` over plain http (a laptop or a test).
"""

from __future__ import annotations

from pylti1p3.cookie import CookieService
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.request import Request
from starlette.requests import Request as StarletteRequest
from starlette.responses import HTMLResponse, RedirectResponse, Response

from coach.lti.storage import OnceSessionService


class LtiRequest(Request):
    def __init__(self, params: dict, cookies: dict, secure: bool) -> None:
        self.params, self.cookies, self.secure = params, cookies, secure

    @classmethod
    async def read(cls, request: StarletteRequest, secure: bool = False) -> LtiRequest:
        """``secure``: served over https even if this hop is plain http (a TLS proxy)."""
        params = dict(request.query_params)
        if request.method == "POST":
            form = await request.form()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        return cls(params, dict(request.cookies), secure or is_secure(request))

    @property
    def session(self):
        return {}

    def is_secure(self) -> bool:
        return self.secure

    def get_param(self, key: str):
        return self.params.get(key)


def is_secure(request: StarletteRequest) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Response, key: str, value: str, max_age: int, secure: bool) -> None:
    """A cookie that survives inside an LMS iframe when the site is served over https."""
    response.set_cookie(
        key,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=secure,
        samesite="none" if secure else "lax",
        partitioned=secure,
    )


class CookieJar(CookieService):
    def __init__(self, request: LtiRequest) -> None:
        self.request = request
        self.pending: dict[str, tuple[str, int]] = {}

    def _key(self, name: str) -> str:
        return f"{self._cookie_prefix}-{name}"

    def get_cookie(self, name: str):
        return self.request.cookies.get(self._key(name))

    def set_cookie(self, name: str, value, exp: int | None = 3600):
        self.pending[self._key(name)] = (str(value), exp or 3600)

    def apply(self, response: Response) -> Response:
        for key, (value, exp) in self.pending.items():
            set_cookie(response, key, value, exp, self.request.is_secure())
        return response


class StarletteRedirect(Redirect):
    def __init__(self, location: str, cookies: CookieJar) -> None:
        self.location, self.cookies = location, cookies

    def do_redirect(self) -> Response:
        return self.cookies.apply(RedirectResponse(self.location, status_code=302))

    def do_js_redirect(self) -> Response:
        import json

        script = f"<script>window.location={json.dumps(self.location)};</script>"
        return self.cookies.apply(HTMLResponse(script))

    def set_redirect_url(self, location: str):
        self.location = location

    def get_redirect_url(self) -> str:
        return self.location


class Login(OIDCLogin):
    def __init__(self, request: LtiRequest, tool_config, store) -> None:
        self.cookies = CookieJar(request)
        super().__init__(request, tool_config, OnceSessionService(request, store), self.cookies)

    def get_redirect(self, url: str) -> StarletteRedirect:
        return StarletteRedirect(url, self.cookies)

    def get_response(self, html: str) -> Response:
        return self.cookies.apply(HTMLResponse(html))


class Launch(MessageLaunch):
    # The LMS's public keys are fetched once per 10 minutes, not at every launch; a key the LMS
    # adds is picked up within that time.
    KEYS_SECONDS = 600

    def __init__(self, request: LtiRequest, tool_config, store) -> None:
        from coach.lti.storage import DatabaseStorage

        self.cookies = CookieJar(request)
        super().__init__(request, tool_config, OnceSessionService(request, store), self.cookies)
        keys = DatabaseStorage(store)
        keys.set_request(request)
        self.set_public_key_caching(keys, self.KEYS_SECONDS)

    def _get_request_param(self, key: str):
        return self._request.get_param(key)

    @classmethod
    def restore(cls, launch_id: str, request: LtiRequest, tool_config, store) -> Launch:
        """A launch validated earlier (a deep-linking request, while the instructor picks)."""
        from pylti1p3.exception import LtiException

        launch = cls(request, tool_config, store)
        body = launch.get_session_service().get_launch_data(launch_id) if launch_id else None
        if not body:
            raise LtiException("Launch data not found")
        launch.set_launch_id(launch_id).set_auto_validation(enable=False)
        return launch.set_jwt({"body": body}).set_restored().validate_registration()

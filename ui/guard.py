"""The server's outer wall: request sizes, per-client shares of the queue and of sessions,
Gradio routes the app does not use, and a deadline for request headers.

Gradio registers every event handler as a route reachable through its queue, so the tabs check
who may do what inside each handler; this layer bounds what any one client can cost the others
before a request reaches Gradio at all.
"""

from __future__ import annotations

import asyncio
import json

from ui.limits import Limits, SessionQuota

# Gradio's "share this state" snapshot (`/gradio_api/deep_link?session_hash=…`): the app's deep
# links are query parameters, and this one hands any session's chat to whoever names its hash.
CLOSED_ROUTES = ("/gradio_api/deep_link",)
_JOINS = ("/gradio_api/queue/join", "/gradio_api/run/", "/gradio_api/api/", "/gradio_api/call/")


def _plain(status: int, message: str):
    body = json.dumps({"error": message, "detail": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return status, headers, body


class TooLarge(Exception):
    pass


class Guard:
    """ASGI middleware in front of the app (see the module docstring)."""

    def __init__(self, app, *, limits: Limits, blocks=None) -> None:
        self.app, self.limits, self.blocks = app, limits, blocks
        self.sessions = SessionQuota(limits.sessions_per_client, limits.session_window)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        if any(path.endswith(route) for route in CLOSED_ROUTES):
            return await self._reply(send, *_plain(404, "Not found."))
        upload = "/gradio_api/upload" in path
        limit = self.limits.max_upload_body if upload else self.limits.max_body
        length = _content_length(scope)
        if length is not None and length > limit:
            return await self._reply(
                send, *_plain(413, f"The request is larger than {limit // 1024} KB.")
            )
        if scope.get("method") == "POST" and any(j in path for j in _JOINS):
            return await self._join(scope, receive, send, limit)
        return await self.app(scope, _capped(receive, limit), send)

    async def _join(self, scope, receive, send, limit):
        """A call that starts work: read the (small) body to see its session, then apply the
        per-client shares before Gradio queues it."""
        try:
            body = await _read_all(receive, limit)
        except TooLarge:
            return await self._reply(
                send, *_plain(413, f"The request is larger than {limit // 1024} KB.")
            )
        client = (scope.get("client") or ("unknown", 0))[0]
        session = _session_hash(body)
        if session is not None and not self.sessions.admit(client, session):
            return await self._reply(
                send,
                *_plain(429, "Too many sessions from your address; try again later."),
            )
        if self._waiting(client) >= self.limits.waiting_per_client:
            return await self._reply(
                send,
                *_plain(429, "You have too many requests waiting; try again in a moment."),
            )
        return await self.app(scope, _replay(body, receive), send)

    def _waiting(self, client: str) -> int:
        """Events of this address waiting in Gradio's queue (not yet running)."""
        queue = getattr(self.blocks, "_queue", None)
        queues = getattr(queue, "event_queue_per_concurrency_id", None) or {}
        count = 0
        for event_queue in list(queues.values()):
            for event in list(event_queue.queue):
                peer = getattr(getattr(event, "request", None), "client", None)
                if getattr(peer, "host", None) == client:
                    count += 1
        return count

    @staticmethod
    async def _reply(send, status, headers, body):
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _session_hash(body: bytes) -> str | None:
    try:
        value = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    session = value.get("session_hash") if isinstance(value, dict) else None
    return session if isinstance(session, str) and session else None


async def _read_all(receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _capped(receive, limit: int):
    """A body without a Content-Length (chunked) is cut off at ``limit`` bytes."""
    seen = 0

    async def capped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                return {"type": "http.disconnect"}
        return message

    return capped


def header_timeout_protocol(seconds: float):
    """uvicorn's HTTP protocol with a deadline for each request's headers: uvicorn times out
    idle keep-alive connections but waits without end for a client that sends its headers a
    byte at a time, and a few hundred such connections exhaust the server."""
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class HeaderDeadline(HttpToolsProtocol):
        _deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            if self._deadline is None:
                self._deadline = self.loop.call_later(seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._arm()

        def on_headers_complete(self) -> None:
            self._disarm()
            super().on_headers_complete()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderDeadline


def server_config(app, *, host: str, port: int, limits: Limits | None = None, **options):
    """The uvicorn configuration ``coach serve`` and the tests use: the header deadline, and
    keep-alive connections closed after 5 s idle."""
    import uvicorn

    limits = limits or Limits()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=header_timeout_protocol(limits.header_timeout),
        timeout_keep_alive=5,
        **options,
    )

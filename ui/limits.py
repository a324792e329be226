"""Limits that keep one client from taking the app from the others.

Plain, thread-safe objects with no web framework in them: token buckets for password guesses,
and a count of the sessions each client address has opened. ``ui.guard`` and the tabs use them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """The numbers, in one place (SECURITY.md explains each)."""

    max_body: int = 2 * 1024 * 1024  # a JSON request; a 40-turn chat is ~200 KB
    max_upload_body: int = 8 * 1024 * 1024  # a multipart upload (files are ≤ 1 MB each)
    waiting_per_client: int = 20  # queued events one address may have waiting (the queue: 100)
    sessions_per_client: int = 300  # live sessions per address (a classroom behind one NAT)
    session_window: float = 3600.0  # a session counts as live this long after its last call
    header_timeout: float = 10.0  # seconds to send a request's headers
    password_burst: int = 5  # guesses an address may make at once…
    password_every: float = 12.0  # …then one per this many seconds
    password_overall_burst: int = 20  # and the whole server, from every address together
    password_overall_every: float = 2.0


class TokenBuckets:
    """A token bucket per key (a client's address) and one shared by every key.

    ``take(key)`` spends a token from both and returns 0, or returns the seconds to wait and
    spends nothing. Buckets that are full again are forgotten, so memory follows the number of
    addresses active in the last few minutes."""

    def __init__(self, burst: int, every: float, overall_burst: int, overall_every: float) -> None:
        self.burst, self.every = burst, every
        self.overall_burst, self.overall_every = overall_burst, overall_every
        self._tokens: dict[str, tuple[float, float]] = {}
        self._overall = (float(overall_burst), time.monotonic())
        self._lock = threading.Lock()

    @staticmethod
    def _refill(state: tuple[float, float], burst: int, every: float, now: float) -> float:
        tokens, at = state
        return min(float(burst), tokens + (now - at) / every)

    def take(self, key: str) -> float:
        now = time.monotonic()
        with self._lock:
            mine = self._refill(
                self._tokens.get(key, (self.burst, now)), self.burst, self.every, now
            )
            overall = self._refill(self._overall, self.overall_burst, self.overall_every, now)
            if mine < 1 or overall < 1:
                wait_mine = (1 - mine) * self.every if mine < 1 else 0.0
                wait_all = (1 - overall) * self.overall_every if overall < 1 else 0.0
                return max(wait_mine, wait_all, 0.1)
            self._tokens[key] = (mine - 1, now)
            self._overall = (overall - 1, now)
            if len(self._tokens) > 1000:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        full = [
            k
            for k, s in self._tokens.items()
            if self._refill(s, self.burst, self.every, now) >= self.burst
        ]
        for key in full:
            del self._tokens[key]


class SessionQuota:
    """Which address opened which session (Gradio's ``session_hash``), for ``window`` seconds
    after its last call. An address at its quota cannot open another one: without this, a few
    thousand cheap calls with fresh session hashes push every other user's chat and rehearsal
    out of Gradio's session store (it keeps the most recent 2000)."""

    def __init__(self, per_client: int, window: float, max_tracked: int = 50_000) -> None:
        self.per_client, self.window, self.max_tracked = per_client, window, max_tracked
        self._sessions: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._count: dict[str, int] = {}
        self._lock = threading.Lock()

    def admit(self, client: str, session: str) -> bool:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            known = self._sessions.get(session)
            if known is not None and known[0] == client:
                self._sessions[session] = (client, now)
                self._sessions.move_to_end(session)
                return True
            if self._count.get(client, 0) >= self.per_client:
                return False
            if known is not None:  # the same session from a new address (a phone on the move)
                self._drop(session)
            self._sessions[session] = (client, now)
            self._count[client] = self._count.get(client, 0) + 1
            while len(self._sessions) > self.max_tracked:
                self._drop(next(iter(self._sessions)))
            return True

    def _expire(self, now: float) -> None:
        while self._sessions:
            session, (_, at) = next(iter(self._sessions.items()))
            if now - at <= self.window:
                break
            self._drop(session)

    def _drop(self, session: str) -> None:
        client, _ = self._sessions.pop(session)
        left = self._count.get(client, 1) - 1
        if left > 0:
            self._count[client] = left
        else:
            self._count.pop(client, None)


def client_address(request) -> str:
    """The caller's address from a Starlette/Gradio request (uvicorn has already applied a
    trusted proxy's ``X-Forwarded-For``); "unknown" when there is none (an in-process call)."""
    client = getattr(request, "client", None)
    host = getattr(client, "host", None)
    return str(host) if host else "unknown"

"""What pylti1p3 keeps between an LMS's login request and its launch, on the database, so the
launch may reach any app server; and a nonce that works once.

pylti1p3 alone only asks whether a nonce was ever issued: the same signed id_token posted again
(a replay, from a browser history or a proxy log) would launch again. Here the nonce is deleted
in the statement that checks it, so of two launches with one id_token exactly one gets in.
"""

from __future__ import annotations

from datetime import timedelta

from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.session import SessionService
from sqlalchemy import delete

from coach.store.models import LtiValue, utcnow
from coach.store.repo import _insert_for

DEFAULT_SECONDS = 3600


class DatabaseStorage(LaunchDataStorage):
    """pylti1p3's key-value storage on the ``lti_values`` table. Keys carry no browser session
    prefix: the state cookie ties a launch to the browser that logged in."""

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def get_session_cookie_name(self):
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str):
        with self.store.session() as session:
            row = session.get(LtiValue, self._prepare_key(key)[:255])
            if row is None or _expired(row):
                return None
            return row.value

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        until = utcnow() + timedelta(seconds=exp or DEFAULT_SECONDS)
        key = self._prepare_key(key)[:255]
        with self.store.session() as session:
            insert = _insert_for(session, LtiValue).values(key=key, value=value, expires_at=until)
            session.execute(
                insert.on_conflict_do_update(
                    index_elements=["key"], set_={"value": value, "expires_at": until}
                )
            )

    def check_value(self, key: str) -> bool:
        return self.get_value(key) is not None

    def take_value(self, key: str) -> bool:
        """Delete ``key``; True only for the one caller that found it (and in time)."""
        key = self._prepare_key(key)[:255]
        with self.store.session() as session:
            gone = session.execute(
                delete(LtiValue).where(LtiValue.key == key, LtiValue.expires_at > utcnow())
            )
        return gone.rowcount == 1

    def purge(self) -> int:
        with self.store.session() as session:
            return session.execute(delete(LtiValue).where(LtiValue.expires_at <= utcnow())).rowcount


def _expired(row: LtiValue) -> bool:
    when = row.expires_at
    return when is not None and when <= utcnow()


class OnceSessionService(SessionService):
    """pylti1p3's session service on ``DatabaseStorage``, with nonces used once."""

    def __init__(self, request, store) -> None:
        super().__init__(request)
        storage = DatabaseStorage(store)
        storage.set_request(request)
        self.set_data_storage(storage)

    def check_nonce(self, nonce: str) -> bool:
        return self.data_storage.take_value(self._get_key("nonce", nonce))

"""Which database, and a connection pool tuned for it.

SQLite (the default, ``data_dir/coach.db``): WAL so readers never wait for the writer, a busy
timeout so concurrent writers queue instead of failing, foreign keys on (they are off by
default in SQLite, and deleting a person relies on cascades). PostgreSQL when
``COACH_DATABASE_URL`` names one: several app servers share it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DB_FILE = "coach.db"
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 5  # a database host that drops packets must not hold a request for minutes


def database_url(settings) -> str:
    """``COACH_DATABASE_URL`` when set, else a SQLite file in the data dir."""
    if getattr(settings, "database_url", None):
        return settings.database_url
    return f"sqlite:///{Path(settings.data_dir) / DB_FILE}"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect = (
        {"connect_timeout": CONNECT_TIMEOUT_S} if parsed.get_backend_name() == "postgresql" else {}
    )
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=connect
    )


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a commit costs no fsync
    cursor.close()


def shown_url(url: str) -> str:
    """The URL without its password, for messages and ``coach db stats``."""
    return make_url(url).render_as_string(hide_password=True)

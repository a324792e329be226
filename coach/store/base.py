"""The ``Store``: one engine and its sessions, opened (and upgraded) from the settings."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from coach.errors import CoachError
from coach.store.engine import database_url, make_engine, shown_url


class StoreError(CoachError):
    """The database cannot be opened, reached or upgraded: one line saying which and why."""


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.imported: dict[str, int] = {}  # rows per JSONL log imported when it was opened

    @contextmanager
    def session(self):
        """A unit of work: committed when the block ends, rolled back when it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @property
    def shown_url(self) -> str:
        return shown_url(self.url)

    def close(self) -> None:
        self.engine.dispose()


def open_store(settings, upgrade: bool = True, data_dir: Path | None = None) -> Store:
    """The store the settings name; with ``upgrade``, its schema brought to the newest revision
    and the JSONL logs found in the data dir imported (once)."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from coach.store import importer, migrate

    url = database_url(settings)
    try:
        store = Store(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise StoreError(f"COACH_DATABASE_URL is not a database URL coach can use: {exc}") from None
    try:
        if upgrade:
            migrate.upgrade(store.engine)
            store.imported = importer.import_logs(store, Path(data_dir or settings.data_dir))
    except (SQLAlchemyError, OSError) as exc:
        store.close()
        raise StoreError(f"Cannot open the database {shown_url(url)}: {one_line(exc)}") from None
    return store


def one_line(exc: BaseException) -> str:
    """The first line of a driver's error, without SQLAlchemy's background link."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__

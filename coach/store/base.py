"""The ``Store``: one engine and its sessions, opened (and upgraded) from the settings."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from coach.store.engine import database_url, make_engine, shown_url


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

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
    from coach.store import importer, migrate

    store = Store(database_url(settings))
    if upgrade:
        migrate.upgrade(store.engine)
        importer.import_logs(store, Path(data_dir or settings.data_dir))
    return store

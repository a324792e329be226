"""Storage on a real database: SQLite in the data dir by default, PostgreSQL by URL.

``open_store(settings)`` gives a ``Store`` (engine + sessions) with its schema upgraded;
``coach.store.repo`` writes, ``coach.store.queries`` reads, ``coach.store.importer`` brings
in the JSONL logs of earlier versions once.
"""

from __future__ import annotations

from coach.store.base import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]

"""What the app shares between requests, and nothing per user: the coach, the scenarios, the
database.

Per-user state lives in the browser session (``gr.State``); API rehearsals live in a
``SessionStore`` keyed by a random id, capped so that a busy server cannot grow without end.
What lasts (questions, votes, rehearsals) goes to the database (``coach.store``): the app's
``Services`` opens it, and the log paths the tabs pass (``services.asked_path``…) lead to it
through ``store_for``. A log path with no app behind it is still a JSONL file.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import sys
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.errors import CoachError
from coach.settings import Settings

DOWNLOADS = Path(tempfile.gettempdir()) / "coach-downloads"
DOWNLOAD_MAX_AGE = 6 * 3600
FOLLOW_INDEX_SECONDS = 5.0  # how often requests look for an index rebuilt by someone else
FEEDBACK_FILE = "feedback.jsonl"
ASKED_FILE = "asked.jsonl"
# With a database, the JSONL logs are no longer written: "Delete my data" could not reach lines
# in them. Logs from before the database are imported once on the first upgrade.
KEEP_JSONL = False
STORE_RETRY_SECONDS = 30.0  # a database that could not be opened is tried again after this

_append_lock = threading.Lock()
_services_by_dir: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def current_person() -> str:
    """Who an API call comes from (``/advise``, ``/rehearse_start``: no browser, no learner id):
    the Gradio session (``session:<hash>``), or ``anonymous`` outside a request. The tabs pass
    the browser's learner id instead (``learner:<id>``, see ``ui.history_tab``)."""
    try:
        from gradio.context import LocalContext
    except ImportError:  # pragma: no cover - the app always has Gradio
        return "anonymous"
    request = LocalContext.request.get(None)
    session = getattr(request, "session_hash", None)
    return f"session:{session}" if isinstance(session, str) and session else "anonymous"


def store_for(log_path: Path):
    """The database of the app whose data dir holds ``log_path`` (None: no app, or its database
    cannot be opened; the caller then writes the JSONL file as before)."""
    try:
        services = _services_by_dir.get(Path(log_path).resolve().parent)
    except (OSError, TypeError):
        return None
    return services.store if services is not None else None


def keep(write, *args, **kwargs):
    """Run a database write; on failure, a line on stderr and None. Storage is for history and
    trainers: a locked or unreachable database must not cost a user the answer or the turn."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        result = write(*args, **kwargs)
    except (SQLAlchemyError, OSError) as exc:
        from coach.store.base import one_line

        print(f"coach: could not write to the database: {one_line(exc)}", file=sys.stderr)
        return None
    return True if result is None else result


def download_folder(key: str) -> Path:
    """A fresh version folder under the download folder of one conversation or rehearsal
    (``key``, unguessable). Earlier versions are removed first, so a long conversation keeps
    one copy on disk instead of one per question; folders untouched for a few hours go too."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in DOWNLOADS.iterdir():
        try:
            if now - old.stat().st_mtime > DOWNLOAD_MAX_AGE:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    home = DOWNLOADS / key
    if home.is_dir():
        for version in home.iterdir():
            shutil.rmtree(version, ignore_errors=True)
    folder = home / secrets.token_hex(4)  # a new URL, so no browser serves the old copy
    folder.mkdir(parents=True)
    return folder


def download_key() -> str:
    return secrets.token_hex(8)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def append_jsonl(path: Path, entry: dict) -> bool:
    """Append one JSON line; safe when several requests write at once.

    The logs are for trainers: a full or read-only disk must not cost a user the answer, so
    the failure is reported on stderr and ``False`` returned. A line an earlier full disk cut
    short is ended first, so it does not swallow this one."""
    line = json.dumps(entry, ensure_ascii=False) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _append_lock, path.open("ab") as handle:
            if handle.tell() and not _ends_with_newline(path):
                line = "\n" + line
            handle.write(line.encode("utf-8"))
    except OSError as exc:
        print(f"coach: could not write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as tail:
        tail.seek(-1, 2)
        return tail.read(1) == b"\n"


def save_download(write, *args, key: str):
    """``write(*args, folder)`` into the download folder of ``key``, replacing what was there:
    the path(s) it returns, or None when the disk is full or read-only (the answer or turn
    still shows, without a download)."""
    try:
        return write(*args, download_folder(key))
    except OSError as exc:
        print(f"coach: could not write a download: {exc.strerror or exc}", file=sys.stderr)
        return None


def read_jsonl(path: Path) -> list[dict]:
    """Every well-formed JSON object line of ``path`` (a damaged line is skipped)."""
    if not path.is_file():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict):
            entries.append(value)
    return entries


class Services:
    """The coach and the scenarios, built once at start and swapped after trainers add knowledge."""

    def __init__(self, settings: Settings, coach=None, on_build=None) -> None:
        from coach.answer import Coach

        self.settings = settings
        self._lock = threading.Lock()
        self._coach = coach if coach is not None else Coach(settings, on_build=on_build)
        self._checked = time.monotonic()
        self._reader = None  # built on first use: see rehearsal_options
        self.scenarios = self._load_scenarios()
        self._store = None
        self._store_lock = threading.Lock()
        self._store_failed_at: float | None = None
        self._grades = None  # coach.lti.grades.Sender, once an LMS is registered
        _services_by_dir[Path(settings.data_dir).resolve()] = self
        # Upgrade (and purge) now, off the start-up path; the first write waits for it.
        threading.Thread(target=lambda: self.store, name="coach-store-open", daemon=True).start()

    @property
    def store(self):
        """The database, upgraded to the newest schema on first use (SQLite: this process is
        the only writer; PostgreSQL: upgrades are serialised by an advisory lock), old rows
        purged when ``COACH_RETENTION_DAYS`` is set. None while it cannot be opened."""
        if self._store is not None:
            return self._store
        with self._store_lock:
            failed = self._store_failed_at
            if self._store is None and (
                failed is None or time.monotonic() - failed > STORE_RETRY_SECONDS
            ):
                self._store = self._open_store()
        return self._store

    def _open_store(self):
        from coach.store import StoreError, open_store, repo

        try:
            store = open_store(self.settings)
        except StoreError as exc:
            self._store_failed_at = time.monotonic()
            print(f"coach: {exc} (history and trainers' tables are off)", file=sys.stderr)
            return None
        if self.settings.retention_days:
            keep(repo.purge_older_than, store, self.settings.retention_days)
        return store

    @property
    def coach(self):
        """The coach over the current index build. Someone may have re-indexed behind the app's
        back (`coach index`, another app server on the same Chroma server): at most every few
        seconds, a request looks at the index pointer and, if it moved, swaps in a new coach."""
        if time.monotonic() - self._checked > FOLLOW_INDEX_SECONDS and self._lock.acquire(False):
            try:
                self._checked = time.monotonic()
                active, _ = self._coach.index.active()
                if active and active != self._coach.collection:
                    self._swap()
            except CoachError:
                pass  # the index cannot be read right now: the answer will say so
            finally:
                self._lock.release()
        return self._coach

    def rehearsal_options(self, person: str | None = None) -> dict:
        """Who plays the counterpart (the model, when there is one), how they read a turn
        (triggers and calmers by meaning) and where the attempt is recorded, as ``person``
        (default: the current Gradio session): the same for the tab, deep links and the API."""
        from coach.embeddings import get_embedder
        from coach.rehearsal.reading import Reader
        from coach.rehearsal.voices import voice_for
        from ui.rehearse import Recorder

        if self._reader is None:
            self._reader = Reader.for_embedder(get_embedder(self.settings.embedder)) or False
        store = self.store
        recorder = None
        if store is not None:
            recorder = Recorder(store, person or current_person(), on_finish=self.finished)
        return {
            "voice": voice_for(self.coach.backend),
            "reader": self._reader or None,
            "recorder": recorder,
        }

    # -- courses (LTI 1.3) ---------------------------------------------------------------------
    def finished(self, person: str, attempt_key: str) -> None:
        """A recorded rehearsal ended: a score may be owed to a course's gradebook."""
        sender = self.grade_sender()
        if sender is not None and person.startswith("learner:"):
            sender.finished(person.removeprefix("learner:"), attempt_key)

    def grade_sender(self):
        """The background sender of LMS grades, started once an LMS is registered."""
        from coach.lti.config import LtiConfigError, read_platforms

        if self._grades is None and self.store is not None:
            try:
                registered = bool(read_platforms(self.settings))
            except LtiConfigError:
                registered = False
            if registered:
                from coach.lti.grades import Sender

                with self._store_lock:
                    if self._grades is None:
                        self._grades = Sender(self.store, self.settings)
        return self._grades

    def sync_members(self, launch) -> None:
        """The course's learners from the LMS, for the dashboard (in the background)."""
        from coach.lti.launches import sync_members

        try:
            sync_members(self.store, self.settings, launch)
        except Exception as exc:  # noqa: BLE001 - the dashboard lists who practised anyway
            print(f"coach: could not read the course's members: {exc}", file=sys.stderr)

    def _swap(self) -> None:
        from coach.answer import Coach

        coach, scenarios = Coach(self.settings), self._load_scenarios()
        self._coach, self.scenarios = coach, scenarios  # requests in flight keep the old ones

    def _load_scenarios(self) -> dict:
        from coach.rehearsal.scenarios import load_scenarios

        return load_scenarios(self.settings.all_knowledge_dirs)

    @property
    def feedback_path(self) -> Path:
        return self.settings.data_dir / FEEDBACK_FILE

    @property
    def asked_path(self) -> Path:
        return self.settings.data_dir / ASKED_FILE

    def reload(self):
        """Re-index the knowledge folders and swap in a coach and scenarios that see the change."""
        with self._lock:
            report = self._coach.index.update(progress=False)
            self._swap()
            self._checked = time.monotonic()
        return report


class SessionStore:
    """Objects by random id, at most ``cap`` of them, each with the owner (a client's address)
    that made it. When full, the least recently used object *of the owner holding the most*
    goes first: a client that starts hundreds of rehearsals only ends its own."""

    def __init__(self, cap: int = 500, ttl_seconds: float = 6 * 3600, loader=None) -> None:
        """``loader(key)``: the object for a key this store does not hold (None if there is
        none), e.g. an API rehearsal rebuilt from the database (``ui.rehearse.resumer``)."""
        self.cap = cap
        self.ttl = ttl_seconds
        self.loader = loader
        self._items: OrderedDict[str, tuple[float, Any, threading.Lock, str]] = OrderedDict()
        self._owned: dict[str, int] = {}
        self._lock = threading.Lock()

    def add(self, value: Any, owner: str = "", key: str | None = None) -> str:
        """Keep ``value`` under a new random key (or ``key``: an unguessable id made elsewhere,
        e.g. the rehearsal's id in the database)."""
        key = key or secrets.token_urlsafe(12)
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic(), value, threading.Lock(), owner)
            self._owned[owner] = self._owned.get(owner, 0) + 1
            self._prune()
        return key

    def replace(self, key: str, value: Any) -> None:
        """A fresher copy of the object under ``key`` (same owner and turn lock)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items[key] = (time.monotonic(), value, *item[2:])

    def get(self, key: str) -> Any | None:
        item = self._item(key)
        return None if item is None else item[1]

    @contextlib.contextmanager
    def hold(self, key: str):
        """The object under ``key`` (None when unknown), used by one caller at a time: two
        turns sent at once on one rehearsal would otherwise both pass its turn limit."""
        item = self._item(key)
        if item is None:
            yield None
            return
        with item[2]:
            yield item[1]

    def _item(self, key: str) -> tuple | None:
        if not isinstance(key, str):
            return None  # a forged id of another JSON type (a list is not even hashable)
        with self._lock:
            item = self._items.get(key)
        if item is None and self.loader is not None and len(key) <= 100:
            loaded = self.loader(key)  # outside the lock: it reads the database
            if loaded is not None:
                self.add(loaded, key=key)
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if time.monotonic() - item[0] > self.ttl:
                self._drop(key)
                return None
            self._items[key] = (time.monotonic(), *item[1:])
            self._items.move_to_end(key)
            return item

    def __len__(self) -> int:
        return len(self._items)

    def _drop(self, key: str) -> None:
        owner = self._items.pop(key)[3]
        left = self._owned.get(owner, 1) - 1
        if left > 0:
            self._owned[owner] = left
        else:
            self._owned.pop(owner, None)

    def _prune(self) -> None:
        now = time.monotonic()
        for key in [k for k, (at, *_) in self._items.items() if now - at > self.ttl]:
            self._drop(key)
        while len(self._items) > self.cap:
            greedy = max(self._owned, key=self._owned.__getitem__)
            oldest = next(k for k, item in self._items.items() if item[3] == greedy)
            self._drop(oldest)

"""The JSONL logs of earlier versions (``feedback.jsonl``, ``asked.jsonl`` in the data dir),
brought in once. Each imported row's key comes from its line (number and text), so even an
import run twice (the marker lost) adds nothing new; the files are left where they were."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from coach.store import repo
from coach.store.base import Store
from coach.store.models import Imported, utcnow

FEEDBACK_FILE = "feedback.jsonl"
ASKED_FILE = "asked.jsonl"
IMPORTED_PERSON = "import:jsonl"  # the logs never said who asked: one pseudonymous person


def _lines(path: Path):
    """``(key, entry)`` per well-formed JSON object line; a damaged line is skipped."""
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict):
            digest = hashlib.sha256(f"{path.name}:{number}:{line}".encode()).hexdigest()[:24]
            yield digest, entry


def _when(stamp) -> datetime:
    try:
        moment = datetime.fromisoformat(str(stamp))
    except ValueError:
        return utcnow()
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _done(store: Store, name: str) -> bool:
    with store.session() as session:
        return session.scalar(select(Imported.name).where(Imported.name == name)) is not None


def _mark(store: Store, name: str, rows: int) -> None:
    with store.session() as session:
        session.merge(Imported(name=name, rows=rows, imported_at=utcnow()))


def import_asked(store: Store, path: Path) -> int:
    rows = 0
    for key, entry in _lines(path):
        turn = {**entry, "id": f"jsonl-{key}", "answer": entry.get("answer", "")}
        repo.record_question(
            store, IMPORTED_PERSON, turn, conversation=f"jsonl-{key}", when=_when(entry.get("time"))
        )
        rows += 1
    return rows


def import_feedback(store: Store, path: Path) -> int:
    rows = 0
    for key, entry in _lines(path):
        if entry.get("vote") not in ("up", "down"):
            continue
        answer = entry.get("answer_id")
        answer = answer if isinstance(answer, str) and answer else f"jsonl-{key}"
        repo.record_vote(store, IMPORTED_PERSON, answer, entry["vote"] == "up", entry)
        rows += 1
    return rows


def import_logs(store: Store, data_dir: Path) -> dict[str, int]:
    """Import each log of ``data_dir`` not imported before; rows per file. A log that does not
    exist yet is marked done too: lines an app appends after this (``ui.state.KEEP_JSONL``, now
    off) are already in the database and must never be imported a second time."""
    done = {}
    for name, load in ((ASKED_FILE, import_asked), (FEEDBACK_FILE, import_feedback)):
        if _done(store, name):
            continue
        path = Path(data_dir) / name
        done[name] = load(store, path) if path.is_file() else 0
        _mark(store, name, done[name])
    return done

"""The trainers' Knowledge tab as plain functions: password, uploads, re-index, feedback summary,
the dashboard's tables and their CSV export.

Uploads are validated exactly as ``coach index`` validates (``coach.knowledge.load_file`` for
Markdown playbooks, ``load_scenario`` for YAML scenarios), saved under a safe name into
``settings.uploads_dir/{playbooks,scenarios}/<lang>/``, and re-indexed without a restart.
A file that fails is not kept; the others still go in.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from coach.errors import CoachError, KnowledgeError
from coach.knowledge import knowledge_files, load_file
from coach.rehearsal.scenarios import load_scenario
from coach.text import markup_found
from ui.state import keep, read_jsonl, store_for
from ui.strings import inert, t

MAX_UPLOAD_BYTES = 512 * 1024
PLAYBOOK_EXT = (".md",)
SCENARIO_EXT = (".yaml", ".yml")


TRAINER_SESSION_SECONDS = 2 * 3600


@dataclass(frozen=True)
class TrainerPass:
    """What an unlocked Knowledge tab holds (server-side, in the session's state): the address
    that unlocked it and until when. Gradio's session hash travels in URLs, so a hash replayed
    from another address, or after the pass expired, gets the locked tab. An instructor
    launched from an LMS gets a pass for their ``course``: its dashboard, and nothing else."""

    address: str
    until: float
    course: str | None = None

    @classmethod
    def issue(cls, address: str, course: str | None = None) -> TrainerPass:
        return cls(address, time.time() + TRAINER_SESSION_SECONDS, course)

    def valid_for(self, address: str) -> bool:
        return address == self.address and time.time() < self.until


def has_pass(value: object, address: str) -> bool:
    return isinstance(value, TrainerPass) and value.valid_for(address)


def has_full_pass(value: object, address: str) -> bool:
    """A pass from the trainer password: knowledge can be changed (not only a course's view)."""
    return has_pass(value, address) and value.course is None


def password_ok(expected: str | None, given: str | None) -> bool:
    """True only when a trainer password is configured and ``given`` matches it."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def safe_name(name: str) -> str:
    """A file name of letters (any script), digits and ``-_.``: no folders, no leading dot,
    a known extension. Accents are dropped ("Reunión" → "reunion"); other scripts stay.

    Raises ``ValueError`` when the extension is not .md/.yaml/.yml.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base)
    base = "".join(c for c in base if unicodedata.category(c) != "Mn").lower()
    base = re.sub(r"\s+", "-", base.strip())
    base = re.sub(r"[^\w.-]", "", base)
    base = re.sub(r"\.{2,}", ".", base)
    stem, dot, ext = base.rpartition(".")
    if not dot or f".{ext}" not in PLAYBOOK_EXT + SCENARIO_EXT:
        raise ValueError("only .md playbooks and .yaml scenarios can be added")
    if ext == "yml":
        ext = "yaml"
    stem = stem.strip("._-")
    if not stem:
        digest = hashlib.sha256((name or "").encode("utf-8", "replace")).hexdigest()[:8]
        stem = f"upload-{digest}"
    return f"{stem[:80]}.{ext}"


def _shown(path: Path, settings) -> str:
    """A path as a trainer should see it: inside the uploads or a knowledge folder, not the
    server's absolute path."""
    for root in (settings.uploads_dir, *settings.knowledge_dirs):
        if path.resolve().is_relative_to(Path(root).resolve()):
            return str(path.resolve().relative_to(Path(root).resolve().parent))
    return path.name


def _clash(settings, kind: str, doc_id: str, lang: str, target: Path) -> Path | None:
    """Another file (not ``target``, which this upload replaces) with the same id and language."""
    if kind == "scenarios":
        found = _existing_scenarios(settings.all_knowledge_dirs, skip=target)
        return found.get((doc_id, lang))
    for path, root in knowledge_files(settings.all_knowledge_dirs):
        if path.resolve() == target.resolve():
            continue
        try:
            doc = load_file(path, root.parent)
        except KnowledgeError:
            continue  # someone else's problem: `coach index` names it
        if (doc.id, doc.language) == (doc_id, lang):
            return path
    return None


def _existing_scenarios(dirs: list[Path], skip: Path) -> dict[tuple[str, str], Path]:
    found = {}
    for root in dirs:
        for path in sorted(Path(root).rglob("*.y*ml")):
            if path.resolve() == skip.resolve() or path.suffix not in SCENARIO_EXT:
                continue
            try:
                scenario = load_scenario(path)
            except KnowledgeError:
                continue
            found[(scenario.id, scenario.language)] = path
    return found


def add_file(settings, source: Path, original_name: str) -> dict:
    """Validate one uploaded file and save it into the uploads folder.

    Returns ``{"file", "ok", "saved" | "error" and "error_es"}``; never raises for a bad file.
    Nothing is written unless the file passes, so a refused upload never touches the knowledge.
    """
    result: dict = {"file": Path(original_name or source.name).name, "ok": False}
    try:
        name = safe_name(original_name or source.name)
    except ValueError as exc:
        return {
            **result,
            **_error(str(exc), "solo se pueden agregar playbooks .md y escenarios .yaml"),
        }
    if source.stat().st_size > MAX_UPLOAD_BYTES:
        size = MAX_UPLOAD_BYTES // 1024
        return {**result, **_error(f"larger than {size} KB", f"pesa más de {size} KB")}
    markup = markup_found(source.read_bytes().decode("utf-8", errors="replace"))
    if markup:  # it would load in every learner's browser that shows this source
        shown = markup[:60]
        return {
            **result,
            **_error(
                f"contains HTML or an image ({shown}); knowledge files are plain Markdown text",
                f"contiene HTML o una imagen ({shown}); los archivos de conocimiento son Markdown de solo texto",
            ),
        }
    try:
        return _stage_and_save(settings, source, name, result)
    except OSError as exc:  # a full or read-only disk: say so, for this file only
        why = exc.strerror or str(exc)
        return {**result, **_error(f"could not be saved ({why})", f"no se pudo guardar ({why})")}


def _error(en: str, es: str) -> dict:
    return {"error": en, "error_es": es}


def _stage_and_save(settings, source: Path, name: str, result: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / name
        shutil.copyfile(source, staged)
        try:
            if name.endswith(".md"):
                kind, loaded = "playbooks", load_file(staged)
            else:
                kind, loaded = "scenarios", load_scenario(staged)
            target = settings.uploads_dir / kind / loaded.language / name
            other = _clash(settings, kind, loaded.id, loaded.language, target)
        except KnowledgeError as exc:
            return {**result, **_error(exc.problem, exc.problem_es)}
        if other is not None:
            doc, where = f"'{loaded.id}' ({loaded.language})", _shown(other, settings)
            return {
                **result,
                **_error(
                    f"id {doc} is already used by {where}; give this one another id",
                    f"el id {doc} ya lo usa {where}; dale otro id a este",
                ),
            }
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(staged, target)
    return {**result, "ok": True, "saved": str(target.relative_to(settings.uploads_dir))}


def _replace(staged: Path, target: Path) -> None:
    """Copy ``staged`` over ``target`` all at once: a disk that fills up mid-copy must not leave
    the previous version of a playbook cut short. The part file's name is one that neither
    `coach index` nor the scenario loader reads."""
    handle, part = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
    os.close(handle)
    try:
        os.chmod(part, 0o644)  # mkstemp makes it private; other app servers read uploads too
        shutil.copyfile(staged, part)
        os.replace(part, target)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise


def add_files(
    services, files: list[tuple[Path, str]], by: str | None = None
) -> tuple[list[dict], object | None]:
    """Add every file that passes, then re-index once; returns per-file results and the report.
    Each saved file is noted in the database with who added it (``by``: an address or name)."""
    results = [add_file(services.settings, Path(path), name) for path, name in files]
    if not any(r["ok"] for r in results):
        return results, None
    _note_uploads(services, [r["saved"] for r in results if r["ok"]], by)
    try:
        return results, services.reload()
    except CoachError as exc:  # another file broken by hand, the index busy or unreachable
        return results, exc  # the files are saved; answers keep the previous index


def list_uploads(settings) -> list[tuple[str, str]]:
    """``(label, path inside the uploads folder)`` for every file trainers uploaded, by path."""
    root = settings.uploads_dir
    found = []
    for kind, ext in (("playbooks", PLAYBOOK_EXT), ("scenarios", SCENARIO_EXT)):
        for path in sorted((root / kind).glob("*/*")):
            if path.suffix not in ext or path.name.startswith("."):
                continue  # ".upload-*.part": a save in progress
            try:
                loaded = load_file(path) if kind == "playbooks" else load_scenario(path)
                label = f"{loaded.title} ({loaded.language}) · {path.name}"
            except KnowledgeError:
                label = path.name
            found.append((label, str(path.relative_to(root))))
    return found


def remove_upload(services, relative: str | None) -> tuple[str | None, object | None]:
    """Delete one uploaded file and re-index; returns (its name or None when ``relative`` is not
    one of the uploads, the re-index report or the error that stopped it). Only a path that
    ``list_uploads`` lists can be removed, so no other file on the server can be reached."""
    known = {path for _, path in list_uploads(services.settings)}
    if relative not in known:
        return None, None
    (services.settings.uploads_dir / relative).unlink(missing_ok=True)
    store = getattr(services, "store", None)
    if store is not None:
        from coach.store import repo

        keep(repo.record_removal, store, relative)
    try:
        return relative, services.reload()
    except CoachError as exc:
        return relative, exc


def _note_uploads(services, saved: list[str], by: str | None) -> None:
    store = getattr(services, "store", None)
    if store is None:
        return
    from coach.store import repo

    for relative in saved:
        keep(repo.record_upload, store, relative, relative.split("/", 1)[0], by)


def removal_markdown(name: str | None, report, lang: str) -> str:
    if name is None:
        return t(lang, "remove_none")
    lines = [t(lang, "removed", name=name)]
    if isinstance(report, Exception):
        lines += ["", t(lang, "reindex_failed", problem=str(report))]
    return "\n".join(lines)


def results_markdown(results: list[dict], report, lang: str) -> str:
    lines = []
    for r in results:
        if r["ok"]:
            lines.append(f"- ✓ **{r['file']}**: " + t(lang, "upload_ok", name=r["saved"]))
        else:
            problem = r.get("error_es", r["error"]) if lang == "es" else r["error"]
            lines.append(f"- ✗ **{r['file']}**: " + t(lang, "upload_error", problem=problem))
    if isinstance(report, Exception):
        lines += ["", t(lang, "reindex_failed", problem=str(report))]
    elif report is not None:
        lines += ["", t(lang, "reindexed", added=len(report.added), updated=len(report.updated))]
    return "\n".join(lines)


# -- feedback summary ----------------------------------------------------------------------
def titles_from(library) -> dict[str, str]:
    titles: dict[str, str] = {}
    for (doc_id, _), sections in getattr(library, "sections", {}).items():
        for hit in sections.values():
            titles.setdefault(doc_id, hit.title)
            break
    return titles


def votes_by_source(feedback_path: Path, titles: dict[str, str] | None = None) -> list[list]:
    """``[source id, title, 👍, 👎]`` per source, most voted first."""
    titles = titles or {}
    up: Counter = Counter()
    down: Counter = Counter()
    last: dict[str, dict] = {}  # one vote per answer: the session's latest (a changed mind)
    for entry in read_jsonl(feedback_path):
        key = entry.get("answer_id")
        last[key if isinstance(key, str) and key else f"line-{len(last)}"] = entry
    for entry in last.values():
        counter = up if entry.get("vote") == "up" else down if entry.get("vote") == "down" else None
        if counter is None:
            continue
        for source in dict.fromkeys(entry.get("sources") or []):
            counter[source] += 1
    ids = sorted(set(up) | set(down), key=lambda s: (-(up[s] + down[s]), -down[s], s))
    return [[s, titles.get(s, s), up[s], down[s]] for s in ids]


def asked_most(asked_path: Path, titles: dict[str, str] | None = None, top: int = 10) -> list[list]:
    """``[playbook id, title, questions, latest question]``: the situations asked most."""
    titles = dict(titles or {})
    counts: Counter = Counter()
    latest: dict[str, str] = {}
    for entry in read_jsonl(asked_path):
        sources = entry.get("sources") or []
        if not sources:
            continue
        first = sources[0]
        counts[first] += 1
        latest[first] = entry.get("question", "")
        titles.setdefault(first, (entry.get("titles") or {}).get(first, first))
    return [[s, titles.get(s, s), n, latest[s]] for s, n in counts.most_common(top)]


def when(stamp: str) -> str:
    """``2026-11-27T12:01:11+00:00`` as a person reads it (``2026-11-27 12:01 UTC``): the raw
    stamp wraps into five lines in a narrow table."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo is not None else "")


def asked_back(asked_path: Path, top: int = 20) -> list[list]:
    """``[time, question, language]``, newest first: questions coach answered by asking for more
    (too thin, another language, no playbook near): where the knowledge has gaps."""
    rows = [
        [when(entry.get("time", "")), entry.get("question", ""), entry.get("language", "")]
        for entry in read_jsonl(asked_path)
        if entry.get("kind") == "clarify"
    ]
    return rows[::-1][:top]


def summary(feedback_path: Path, asked_path: Path, library=None) -> dict:
    """The trainers' tables: from the app's database when an app serves the logs' data dir
    (see ``ui.state.store_for``), else from the JSONL files."""
    titles = titles_from(library)
    store = store_for(feedback_path)
    if store is not None:
        return summary_from_store(store, titles)
    by_lang: dict[str, int] = defaultdict(int)
    for entry in read_jsonl(asked_path):
        by_lang[entry.get("language", "?")] += 1
    return {
        "votes": votes_by_source(feedback_path, titles),
        "asked": asked_most(asked_path, titles),
        "asked_back": asked_back(asked_path),
        "questions_by_language": dict(by_lang),
    }


def summary_from_store(store, titles: dict[str, str] | None = None) -> dict:
    """``summary`` read from the database (empty tables when it cannot be read)."""
    from sqlalchemy.exc import SQLAlchemyError

    from coach.store import queries

    try:
        return {
            "votes": queries.votes_by_source(store, titles),
            "asked": queries.asked_most(store, titles),
            "asked_back": [
                [when(moment.isoformat()), question, language]
                for moment, question, language in queries.asked_back(store)
            ],
            "questions_by_language": queries.questions_by_language(store),
        }
    except SQLAlchemyError as exc:
        from coach.store.base import one_line

        print(f"coach: could not read the database: {one_line(exc)}", file=sys.stderr)
        return {"votes": [], "asked": [], "asked_back": [], "questions_by_language": {}}


# -- the dashboard (for the Trainer tab) ---------------------------------------------------
MAX_FILTER_CHARS = 100
DASHBOARD_COLUMNS = {
    "scenarios": [
        "scenario",
        "attempts",
        "learners",
        "finished",
        "median",
        *(f"score {b}" for b in ("0-19", "20-39", "40-59", "60-79", "80-100")),
        "resolved",
        "escalated",
        "turn_limit",
    ],
    "learners": ["learner", "attempts", "average", "first", "last", "trend"],
    "flagged": ["phrase", "count", "why"],
    "advice": ["playbook", "fit", "questions"],
    "votes": ["answer", "question", "up", "down"],
    "grades": ["learner", "scenario", "score", "status", "tries", "error"],
}


def dashboard_filters(since=None, until=None, scenario=None, course=None, lang="en"):
    """The dashboard's filters from what a trainer typed (dates as ``YYYY-MM-DD``; ``until`` is
    inclusive). Raises ``ValueError`` with a message, in ``lang``, a trainer can act on."""
    from datetime import timedelta

    from coach.store.queries import Filters

    def text(key, value):
        name = t(lang, key).split(" (")[0]
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise ValueError(t(lang, "dash_err_text", name=name))
        if len(value) > MAX_FILTER_CHARS:
            raise ValueError(t(lang, "dash_err_long", name=name, limit=MAX_FILTER_CHARS))
        return value.strip() or None

    def day(key, value):
        value = text(key, value)
        if value is None:
            return None
        try:
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            name = t(lang, key).split(" (")[0]
            raise ValueError(t(lang, "dash_err_date", name=name, value=inert(value[:20]))) from None

    start, end = day("dash_from", since), day("dash_to", until)
    if start and end and end < start:
        raise ValueError(t(lang, "dash_err_order"))
    return Filters(
        since=start,
        until=end + timedelta(days=1) if end else None,
        scenario=text("dash_scenario", scenario),
        course=text("dash_course", course),
    )


def dashboard(store, filters) -> dict[str, list[list]]:
    """Every dashboard table as rows in ``DASHBOARD_COLUMNS`` order (ready for a Dataframe)."""
    from coach.store import queries

    scenarios = [
        [
            r["scenario"],
            r["attempts"],
            r["learners"],
            r["finished"],
            r["median"],
            *r["distribution"].values(),
            r["resolved"],
            r["escalated"],
            r["turn_limit"],
        ]
        for r in queries.scenario_table(store, filters)
    ]
    pick = {
        "learners": queries.learner_table,
        "flagged": queries.flagged_phrases,
        "advice": queries.advice_table,
        "votes": queries.votes_table,
        "grades": lambda store, filters: grade_status(store, filters.course),
    }
    tables = {"scenarios": scenarios}
    for name, query in pick.items():
        tables[name] = [[row[c] for c in DASHBOARD_COLUMNS[name]] for row in query(store, filters)]
    return tables


def grade_status(store, course: str | None) -> list[dict]:
    """Scores owed to LMS gradebooks (LTI) and whether each got there; none without LTI."""
    from coach.lti.grades import status_rows

    return status_rows(store, course)


def write_csv(name: str, rows: list[list], folder: Path) -> Path:
    """One dashboard table as a CSV file (UTF-8 with a BOM, so spreadsheets read accents).
    Cells that a spreadsheet would run as a formula are quoted as text."""
    import csv

    if name not in DASHBOARD_COLUMNS:
        raise ValueError(f"No table '{name}'.")
    path = Path(folder) / f"coach-{name}.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DASHBOARD_COLUMNS[name])
        writer.writerows([[_cell(value) for value in row] for row in rows])
    return path


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

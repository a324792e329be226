"""What a learner sees of their own past, as plain functions for the tabs: conversations to
reopen, rehearsal attempts with their transcripts, progress for native Gradio plots, and their
data to download or delete.

Every function takes the person's key and reads only that person's rows: a handler passes the
key it got for the browser (``learner_person``), never one a request names for someone else.
Database failures come back as empty views (and a line on stderr), never as a stack trace.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
from pathlib import Path

from coach.text import safe_markdown
from ui.advice import without_sources_list
from ui.strings import inert, norm_lang, t

LEARNER_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PLOT_COLUMNS = ["time", "score", "scenario"]


def learner_person(learner_id: object) -> str:
    """The person key for a learner id kept in the browser (random, 16–64 URL-safe
    characters). ``ValueError`` for anything else: a handler says so instead of storing it."""
    if not isinstance(learner_id, str) or not LEARNER_ID.match(learner_id):
        raise ValueError("The learner id must be 16–64 letters, digits, '-' or '_'.")
    return f"learner:{learner_id}"


def _read(query, *args, empty):
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return query(*args)
    except SQLAlchemyError as exc:
        from coach.store.base import one_line

        print(f"coach: could not read the database: {one_line(exc)}", file=sys.stderr)
        return empty


def _history(store, person: str) -> dict:
    from coach.store import queries

    empty = {"conversations": [], "attempts": []}
    return empty if store is None else _read(queries.history_for, store, person, empty=empty)


# -- conversations -------------------------------------------------------------------------
def conversation_choices(store, person: str) -> list[tuple[str, str]]:
    """``(first question, key)`` per past conversation, newest first (for a dropdown)."""
    from coach.store import queries

    if store is None:
        return []
    found = _read(queries.conversation_titles, store, person, empty=[])
    return [(_label(title), key) for key, title in found]


def _label(title: str, limit: int = 80) -> str:
    flat = " ".join(title.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def reopen_conversation(store, person: str, key: object, lang: str) -> tuple[list, list]:
    """``(chat messages, turns)`` of one of the person's conversations, ready to continue:
    the turns carry the ids votes and the next question use. Unknown keys (or another
    person's) give an empty chat."""
    found = next((c for c in _history(store, person)["conversations"] if c["key"] == key), None)
    if found is None:
        return [], []
    messages, turns = [], []
    for m in found["messages"]:
        messages.append({"role": "user", "content": inert(m["question"])})
        first = len(messages)
        messages.append(
            {"role": "assistant", "content": safe_markdown(without_sources_list(m["answer"]))}
        )
        if m["sources"]:
            titles = m.get("titles") or {}
            listed = "\n".join(
                f"- [{n}] {safe_markdown(titles.get(s, s))}" for n, s in enumerate(m["sources"], 1)
            )
            messages.append(
                {
                    "role": "assistant",
                    "content": listed,
                    "metadata": {
                        "title": f"{t(m.get('language') or lang, 'sources_title')} "
                        f"({len(m['sources'])})",
                        "id": f"sources-{first}",
                        "status": "done",
                    },
                }
            )
        turns.append(
            {
                "id": m["key"],
                "conversation": found["key"],
                "question": m["question"],
                "answer": m["answer"],
                "sources": m["sources"],
                "titles": m.get("titles") or {},
                "language": m["language"],
                "kind": m["kind"],
                "first": first,
                "last": len(messages) - 1,
            }
        )
    return messages, turns


# -- rehearsals ----------------------------------------------------------------------------
def attempt_rows(store, person: str, lang: str) -> list[list]:
    """``[when, scenario, level, score, outcome, key]`` per attempt, newest first."""
    from ui.trainer import when

    return [
        [
            when(a["started_at"]),
            a["title"] or a["scenario"],
            a["level"],
            a["score"] if a["score"] is not None else "",
            t(lang, "outcome_" + a["outcome"])
            if a["outcome"] in ("resolved", "escalated", "turn-limit", "in-progress")
            else a["outcome"],
            a["key"],
        ]
        for a in _history(store, person)["attempts"]
    ]


def attempt_markdown(store, person: str, key: object, lang: str) -> str:
    """One of the person's attempts: each line said, the reply, the turn's score and flags,
    then the overall score (empty for an unknown key)."""
    found = next((a for a in _history(store, person)["attempts"] if a["key"] == key), None)
    if found is None:
        return ""
    lang = norm_lang(lang)
    lines = [f"### {safe_markdown(found['title'] or found['scenario'])}", ""]
    for turn in found["turns"]:
        lines.append(f"**{t(lang, 'you')}:** {inert(turn['said'])}  ")
        lines.append(f"→ {safe_markdown(turn['reply'])}  ")
        flags = ", ".join(f"“{inert(f.get('text', ''))}”" for f in turn["flags"])
        lines.append(
            f"*{t(lang, 'score')}: {turn['score']}/100*" + (f" · {flags}" if flags else "")
        )
        lines.append("")
    if found["score"] is not None:
        outcome = t(lang, "outcome_" + found["outcome"]) if found["outcome"] else ""
        lines.append(f"**{t(lang, 'overall')}: {found['score']}/100** · {outcome}")
        lines += _card_lines(found.get("scorecard") or {}, found.get("language") or lang, lang)
    return "\n".join(lines)


def _card_lines(card: dict, plang: str, lang: str) -> list[str]:
    """The stored scorecard's principles, alternatives and debrief, as the tab showed them."""
    from coach.principles import PRINCIPLES
    from coach.rehearsal.debrief import debrief_markdown

    plang, lines = norm_lang(plang), []
    by_principle = card.get("by_principle") if isinstance(card, dict) else None
    if isinstance(by_principle, dict) and by_principle:
        lines += ["", f"**{t(lang, 'by_principle')}**"]
        for pid, value in by_principle.items():
            name = PRINCIPLES[pid].label(plang) if pid in PRINCIPLES else safe_markdown(pid)
            lines.append(f"- {name}: {value}/100")
    alternatives = card.get("alternatives") if isinstance(card, dict) else None
    if isinstance(alternatives, list) and alternatives:
        lines += ["", f"**{t(lang, 'alternatives')}**"]
        for alt in alternatives:
            if isinstance(alt, dict):
                lines.append(
                    f"- {t(lang, 'turn')} {alt.get('turn')}: “{inert(str(alt.get('user', '')))}” → "
                    f"“{inert(str(alt.get('suggestion', '')))}”"
                )
    debrief = card.get("debrief") if isinstance(card, dict) else None
    if isinstance(debrief, dict) and debrief:
        with contextlib.suppress(KeyError, TypeError, ValueError):  # an older version's card
            lines += ["", debrief_markdown(debrief, norm_lang(lang), quote=inert)]
    return lines


# -- progress ------------------------------------------------------------------------------
def progress_view(store, person: str, scenarios: list[str] | None = None) -> dict:
    """For "My progress": ``points`` (a DataFrame of time, score, scenario for
    ``gr.LinePlot``), ``table`` (attempts, best, latest per scenario), ``lost`` (a DataFrame of
    principle and points lost for ``gr.BarPlot``) and ``next`` (a scenario id or None)."""
    import pandas as pd

    from coach.store import queries

    empty = {"scenarios": [], "points": [], "lost_most": [], "next": None}
    data = (
        empty
        if store is None
        else _read(queries.progress_for, store, person, scenarios, empty=empty)
    )
    points = pd.DataFrame(data["points"], columns=PLOT_COLUMNS)
    points["time"] = pd.to_datetime(points["time"], utc=True)
    return {
        "points": points,
        "table": [
            [e["scenario"], e["attempts"], e["best"], e["latest"]] for e in data["scenarios"]
        ],
        "lost": pd.DataFrame(data["lost_most"], columns=["principle", "lost"]),
        "next": data["next"],
    }


# -- their data ----------------------------------------------------------------------------
def export_my_data(store, person: str, folder: Path) -> Path:
    """Everything kept about the person, as one JSON file (for "Download my data")."""
    path = Path(folder) / "coach-my-data.json"
    data = {"person": person, **_history(store, person)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def kept_counts(store, person: str) -> dict[str, int]:
    """How many conversations and rehearsal attempts are kept about the person."""
    kept = _history(store, person)
    return {"conversations": len(kept["conversations"]), "attempts": len(kept["attempts"])}


def delete_my_data(store, person: str) -> dict[str, int] | None:
    """Delete everything kept about the person; how many rows went (None: the database could
    not be written, so nothing was deleted and the learner must be told)."""
    from coach.store import repo
    from ui.state import keep

    if store is None:
        return None
    return keep(repo.delete_person, store, person)

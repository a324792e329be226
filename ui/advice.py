"""The advice tab as plain functions: chat messages, sources with excerpts, votes, the API answer."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path

from coach.errors import CoachError
from coach.knowledge import PLAYBOOK_SECTIONS
from coach.principles import PRINCIPLES
from coach.text import safe_markdown
from ui import state
from ui.state import append_jsonl, current_person, download_key, keep, now_iso, store_for
from ui.strings import error_text, inert, norm_lang, t

EXCERPT_CHARS = 300
MAX_LOGGED_QUESTION = 500
MAX_CONVERSATION_TURNS = 40  # then the chat asks to start a new one (bounds state and requests)

EXAMPLES = {
    "en": [
        "Sales says our leads are garbage. What do I say in tomorrow's meeting?",
        "Nobody followed up the trade-show leads: marketing thought sales had them.",
        "My peer in sales criticised my campaign in front of the whole team and it hurt.",
        "Marketing and sales can't agree on the discount budget and the deadline is Friday.",
    ],
    "es": [
        "Ventas dice que nuestros leads son basura. ¿Qué digo mañana en la reunión?",
        "Nadie dio seguimiento a los leads de la feria: marketing creía que ventas los tenía.",
        "Un compañero de ventas criticó mi campaña delante de todo el equipo y me dolió.",
        "Marketing y ventas no se ponen de acuerdo con el presupuesto de descuentos y el plazo es el viernes.",
    ],
}


# -- messages ------------------------------------------------------------------------------
def message_text(content: object) -> str:
    """The plain text of a chat message's content: a string, a text block, or a list of blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        if content.get("type", "text") == "text":
            return str(content.get("text", ""))
        return ""
    if isinstance(content, list | tuple):
        return "\n".join(p for p in (message_text(part) for part in content) if p)
    return str(getattr(content, "text", "") or "")


def coach_history(messages: list[dict] | None) -> list[dict]:
    """The chat as ``coach.stream`` wants it: user and assistant turns, without source entries."""
    history = []
    for message in messages or []:
        if not isinstance(message, dict) or message.get("role") not in ("user", "assistant"):
            continue
        if (message.get("metadata") or {}).get("title"):
            continue  # a collapsible source entry, not something anyone said
        text = message_text(message.get("content")).strip()
        if message["role"] == "user":
            text = html.unescape(text)  # shown escaped (``inert``), meant as typed
        if text:
            history.append({"role": message["role"], "content": text})
    return history


# -- sources -------------------------------------------------------------------------------
def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """``text`` as one paragraph of at most ``limit`` characters, cut at a word."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


def excerpt(library, source, limit: int = EXCERPT_CHARS) -> str:
    """A short excerpt of the section a source points at (its situation when that is missing)."""
    sections = library.doc(source.id, source.language) if library is not None else {}
    for key in (source.section, "situation", "steps"):
        hit = sections.get(key)
        if hit is not None and hit.text.strip():
            return shorten(hit.text, limit)
    return ""


def playbook_markdown(library, doc_id: str, language: str) -> str:
    """The whole playbook as Markdown, its sections in their usual order and in ``language``
    when it is written in it: what "read the whole playbook" opens under a source. Built from
    the index (never from a path), and empty for the article, which is not a playbook."""
    sections = library.doc(doc_id, language) if library is not None else {}
    parts = []
    for key in PLAYBOOK_SECTIONS:
        hit = sections.get(key)
        if hit is not None and hit.text.strip():
            parts.append(
                f"**{PLAYBOOK_SECTIONS[key][norm_lang(hit.language)]}**\n\n{hit.text.strip()}"
            )
    return "\n\n".join(parts) if len(parts) > 1 else ""


# The article's sections are numbered in its own language ("punto 6"); the answer names them in
# the reader's ("(article, point 6)"), and so must the source entry under it.
_ARTICLE_PART = re.compile(r"^(punto|párrafo|point|paragraph)\s+(\d+)$", re.IGNORECASE)
_ARTICLE_PARTS = {
    "punto": "point",
    "point": "point",
    "párrafo": "paragraph",
    "paragraph": "paragraph",
}


def section_label(section: str, lang: str) -> str:
    """A section's name in ``lang``: playbook headings and the article's numbered parts."""
    names = PLAYBOOK_SECTIONS.get(section)
    if names:
        return names[norm_lang(lang)]
    part = _ARTICLE_PART.match(section.strip())
    if part:
        return f"{t(lang, 'section_' + _ARTICLE_PARTS[part[1].lower()])} {part[2]}"
    return section


def source_entries(record, library) -> list[dict]:
    """Each source of an answer with what a reader needs: title, section, principles, excerpt."""
    lang = record.language
    entries = []
    for source in record.sources:
        entries.append(
            {
                "id": source.id,
                "title": safe_markdown(source.title),
                "language": source.language,
                "section": section_label(source.section, lang),
                "principles": [
                    PRINCIPLES[p].label(lang) for p in source.principles if p in PRINCIPLES
                ],
                "excerpt": safe_markdown(excerpt(library, source)),
                "playbook": safe_markdown(playbook_markdown(library, source.id, source.language)),
                "file": source.path,  # not "path": gradio_client would fetch it as a file
                "score": source.score,
            }
        )
    return entries


def source_messages(entries: list[dict], lang: str, group: str = "sources") -> list[dict]:
    """The sources as collapsible chat entries inside one open "Sources" block.

    Each entry's title (number, title, section) is always visible; its principles and an
    excerpt open on click. ``group`` must be unique in the chat (it ties entries to the block).
    """
    if not entries:
        return []
    messages = [
        {
            "role": "assistant",
            "content": "",
            "metadata": {"title": f"{t(lang, 'sources_title')} ({len(entries)})", "id": group},
        }
    ]
    for number, entry in enumerate(entries, 1):
        title = entry["title"]
        if entry.get("language") and norm_lang(entry["language"]) != norm_lang(lang):
            title += f" ({t(lang, 'in_' + norm_lang(entry['language']))})"  # only in one language
        lines = [f"**{t(lang, 'source_section')}:** {entry['section']}"]
        if entry["principles"]:
            lines.append(f"**{t(lang, 'source_principles')}:** {', '.join(entry['principles'])}")
        if entry["excerpt"]:
            lines += ["", f"> {entry['excerpt']}"]
        lines += ["", f"`{entry['file']}`"]
        messages.append(
            {
                "role": "assistant",
                "content": "\n".join(lines),
                "metadata": {
                    "title": f"[{number}] {title} · {entry['section']}",
                    "id": f"{group}-{number}",
                    "parent_id": group,
                    "status": "done",
                },
            }
        )
        if entry.get("playbook"):  # the whole playbook, one click further, inside its source
            messages.append(
                {
                    "role": "assistant",
                    "content": entry["playbook"],
                    "metadata": {
                        "title": f"{t(lang, 'whole_playbook')}: {entry['title']}",
                        "id": f"{group}-{number}-whole",
                        "parent_id": f"{group}-{number}",
                        "status": "done",
                    },
                }
            )
    return messages


_SOURCES_LIST = re.compile(
    r"\n\*\*(?:Sources|Fuentes)\*\*\n(?:\s*\n|- \[\d+\][^\n]*(?:\n|\Z))*\s*\Z"
)


def without_sources_list(text: str) -> str:
    """The answer without the numbered sources list it ends with: the chat shows those same
    numbers as collapsible entries under the answer, with their excerpts."""
    return _SOURCES_LIST.sub("", text).rstrip() if text else text


def status_line(record, lang: str) -> str:
    """Which backend answered, how fast, and why the model was not used when it fell back."""
    backend = (
        t(lang, f"backend_{record.backend}")
        if record.backend in ("offline", "openai")
        else record.backend
    )
    line = t(lang, "answered_by", backend=backend, ms=round(record.latency_ms))
    if record.fallback_reason:
        line += "  \n⚠ " + t(lang, "fallback", reason=record.fallback_reason)
    return line


# -- the chat turn -------------------------------------------------------------------------
def respond(coach, question: str, messages: list[dict] | None, lang: str) -> Iterator[tuple]:
    """Stream one chat turn: yields ``(messages, status, turn)``; ``turn`` is set when done.

    ``turn`` is ``turn_of(record)`` plus ``first`` and ``last``: the chat messages (the answer and
    its source entries) that a vote refers to.
    A question coach refuses (empty, too long) leaves the chat as it was and says why.
    """
    messages = list(messages or [])
    question = (question or "").strip()
    try:
        events = coach.stream(question, coach_history(messages))
        first = next(events)  # validation happens here, before the chat changes
    except CoachError as exc:
        yield messages, f"⚠ {error_text(exc, lang)}", None
        return
    messages.append({"role": "user", "content": inert(question)})
    answer = {"role": "assistant", "content": ""}
    messages.append(answer)
    index = len(messages) - 1
    for event in _chain(first, events):
        if event.kind == "token":
            answer = {**answer, "content": answer["content"] + event.text}
        elif event.kind == "replace":
            answer = {**answer, "content": event.text}
        elif event.kind == "done":
            record = event.record
            answer = {
                "role": "assistant",
                "content": safe_markdown(without_sources_list(record.answer)),
            }
            messages[index] = answer
            entries = source_entries(record, coach.library)
            messages.extend(source_messages(entries, record.language, group=f"sources-{index}"))
            turn = {**turn_of(record), "first": index, "last": len(messages) - 1}
            yield messages, status_line(record, lang), turn
            return
        messages[index] = {
            **answer,
            "content": safe_markdown(without_sources_list(answer["content"])),
        }
        yield messages, t(lang, "thinking"), None


def _chain(first, rest):
    yield first
    yield from rest


def turn_for_index(turns: list[dict], index: int) -> dict | None:
    """The turn a chat message belongs to (the answer or one of its source entries)."""
    for turn in turns or []:
        if turn["first"] <= index <= turn["last"]:
            return turn
    return None


# -- logs for trainers ---------------------------------------------------------------------
# The tabs pass a log path (``services.feedback_path``, ``services.asked_path``): when an app
# (``ui.state.Services``) serves that data dir, the entry goes to its database, as ``person``
# (default: the current Gradio session); otherwise to the JSONL file, as before.
def record_vote(path: Path, turn: dict, liked: bool, person: str | None = None) -> dict | None:
    """Store a thumbs up/down with the question, answer and source ids; one vote per person
    per answer (a later one replaces it). None when it could not be written (a full or
    read-only disk, a database that is down)."""
    entry = {
        "time": now_iso(),
        "answer_id": turn.get("id"),  # one vote per answer: a later one replaces it
        "vote": "up" if liked else "down",
        "question": turn["question"],
        "answer": turn["answer"],
        "sources": list(turn["sources"]),
        "language": turn.get("language"),
        "backend": turn.get("backend"),
    }
    store = store_for(path)
    if store is None:
        return entry if append_jsonl(path, entry) else None
    from coach.store import repo

    if state.KEEP_JSONL:
        append_jsonl(path, entry)
    written = keep(
        repo.record_vote, store, person or current_person(), answer_key(turn), liked, turn
    )
    return entry if written else None


def answer_key(turn: dict) -> str:
    """The id votes use for an answer: the app's id, else one made from what was said."""
    if turn.get("id"):
        return str(turn["id"])
    said = f"{turn.get('question', '')}\n{turn.get('answer', '')}"
    return "a-" + hashlib.sha256(said.encode("utf-8", "replace")).hexdigest()[:20]


def turn_of(record) -> dict:
    """What the app keeps of an answer: enough to store a vote or log the question."""
    return {
        "question": record.question,
        "answer": record.answer,
        "sources": [s.id for s in record.sources],
        "titles": {s.id: s.title for s in record.sources},
        "language": record.language,
        "backend": record.backend,
        "kind": record.kind,
        "situation": getattr(record, "situation", None),
        "fit": getattr(record, "fit", None),
        "playbook": getattr(record, "playbook", None),
    }


def log_question(path: Path, turn: dict, person: str | None = None) -> None:
    """What was asked, the answer and which playbook answered it: the learner's history and
    the trainers' 'asked most' list."""
    store = store_for(path)
    if store is not None:
        from coach.store import repo

        kept = {**turn, "question": turn["question"][:MAX_LOGGED_QUESTION]}
        kept["id"] = kept.get("id") or download_key()
        keep(repo.record_question, store, person or current_person(), kept)
        if not state.KEEP_JSONL:
            return
    append_jsonl(
        path,
        {
            "time": now_iso(),
            "question": turn["question"][:MAX_LOGGED_QUESTION],
            "language": turn.get("language"),
            "sources": list(turn.get("sources") or []),
            "titles": dict(turn.get("titles") or {}),
            "backend": turn.get("backend"),
            "kind": turn.get("kind", "advice"),
        },
    )


def conversation_markdown(turns: list[dict], lang: str) -> str:
    """The conversation so far as Markdown, each answer followed by its numbered sources."""
    lines = [f"# {t(lang, 'chat_title')}", "", f"*{now_iso()}*", ""]
    for turn in turns:
        lines += [f"## {t(lang, 'you')}", "", turn["question"], "", "## coach", ""]
        lines += [without_sources_list(turn["answer"]), ""]
        if turn.get("sources"):
            lines += [f"**{t(turn.get('language', lang), 'sources_title')}**", ""]
            titles = turn.get("titles") or {}
            lines += [
                f"- [{n}] {titles.get(source, source)} (`{source}`)"
                for n, source in enumerate(turn["sources"], 1)
            ]
            lines.append("")
    return "\n".join(lines)


def write_conversation(turns: list[dict], lang: str, folder: Path) -> Path:
    path = folder / "coach-conversation.md"
    path.write_text(conversation_markdown(turns, lang), encoding="utf-8")
    return path


# -- the API -------------------------------------------------------------------------------
def answer_dict(record, library) -> dict:
    """The answer record with its sources and excerpts: what ``/advise`` returns."""
    result = {
        "question": record.question,
        "answer": safe_markdown(record.answer),
        "kind": record.kind,  # advice | clarify (coach asks for more instead of answering)
        "language": record.language,
        "backend": record.backend,
        "sources": source_entries(record, library),
        "latency_ms": record.latency_ms,
    }
    for field in ("situation", "fit", "playbook", "parts"):  # the reading and the fit (issue 10)
        if getattr(record, field) is not None:
            result[field] = getattr(record, field)
    if record.fallback_reason:
        result["fallback_reason"] = record.fallback_reason
    return result


def advise(coach, question: str, asked_log: Path | None = None, person: str | None = None) -> dict:
    """Answer one question (no history); log it for trainers when ``asked_log`` is given."""
    record = coach.ask(question)
    if asked_log is not None:
        log_question(asked_log, turn_of(record), person)
    return answer_dict(record, coach.library)

"""The one path every answer takes: language, condensing, retrieval, backend, guard, record.

``Coach.stream`` yields events as the answer is produced: ``token`` pieces, an optional
``replace`` (the guard repaired the text, or the offline coach stepped in), and ``done`` with the
record. ``Coach.ask`` is the same path without the streaming.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from langchain_core.embeddings import Embeddings
from pydantic import BaseModel

from coach import fit_reader
from coach.backends import AnswerContext, BackendUnavailable, get_backend
from coach.clarify import after_retrieval, before_retrieval
from coach.embeddings import require_embedder
from coach.fit import choose
from coach.harm import harmful_request
from coach.index import IndexReport, KnowledgeIndex
from coach.language import detect_language
from coach.learned import EMBEDDER as READER_EMBEDDER
from coach.parts import SIDE_QUESTION, decline, side_question
from coach.retrieve import Library, Ranking, Retriever
from coach.settings import Settings
from coach.situation import objection_in, read_side_reply, read_situation
from coach.situation_reader import reader as situation_reader
from coach.text import user_text
from coach.tone import analyze

MAX_QUESTION = 2000
# The learned reader of side and role fills what the rules leave null (coach/situation_reader.py).
LEARNED_READER = True
_CITATION = re.compile(r"\s?\[([a-z][a-z0-9-]*)\]")


class Source(BaseModel):
    id: str
    title: str
    path: str
    section: str
    language: str
    principles: list[str]
    score: float


class AnswerRecord(BaseModel):
    question: str
    answer: str
    language: str
    backend: str
    sources: list[Source]
    tone: dict
    latency_ms: float
    first_token_ms: float | None = None
    kind: str = "advice"  # advice | clarify (coach asks for more) | decline (a harmful request)
    situation: dict | None = None  # asker, stance, counterpart, channel, when (coach.situation)
    fit: str | None = None  # fits | related | none (coach.fit)
    playbook: str | None = None  # the playbook the answer is built on
    parts: dict | None = None  # acknowledge, steps, phrases, question (coach.parts)
    guard: str = "passed"  # passed | repaired | replaced
    fallback_reason: str | None = None
    removed_citations: list[str] | None = None

    def public(self) -> dict:
        """The JSON record: ``fallback_reason`` only when there was a fallback."""
        return self.model_dump(exclude_none=True)


@dataclass
class Event:
    kind: str  # token | replace | done
    text: str = ""
    record: AnswerRecord | None = None


_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
_NOT_A_FIGURE = re.compile(
    r"(?m)(?:^|(?<=\s))\d{1,2}\. (?=[A-ZÁÉÍÓÚÑ¿*\[])|\[\d+\]|\((?:article, point|artículo, punto) \d+\)"
)


def invented_figures(text: str, given: str) -> set[str]:
    """Numbers in ``text`` that ``given`` (the question and the conversation) never had; list
    numbering, citations and the article's points are not figures."""
    return set(_FIGURE.findall(_NOT_A_FIGURE.sub("", text))) - set(_FIGURE.findall(given))


def check_citations(text: str, allowed: set[str]) -> tuple[str, list[str]]:
    """Remove ``[id]`` citations that name no retrieved source; return the text and what went."""
    removed: list[str] = []

    def keep_or_drop(match: re.Match) -> str:
        if match.group(1) in allowed:
            return match.group(0)
        removed.append(match.group(1))
        return ""

    return _CITATION.sub(keep_or_drop, text), removed


class _RememberedQueries(Embeddings):
    """The last few query vectors, so the learned reader of the situation and retrieval embed a
    question once between them."""

    def __init__(self, inner: Embeddings, size: int = 64) -> None:
        self.inner = inner
        self._size = size
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            if text in self._vectors:
                self._vectors.move_to_end(text)
                return self._vectors[text]
        vector = self.inner.embed_query(text)
        with self._lock:
            self._vectors[text] = vector
            while len(self._vectors) > self._size:
                self._vectors.popitem(last=False)
        return vector

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def __getattr__(self, name: str):  # far_below, hot_above…
        return getattr(self.inner, name)


class Coach:
    """Answers questions from the index. Opening it builds the index if there is none yet."""

    def __init__(self, settings: Settings, on_build=None) -> None:
        self.settings = settings
        # Names first: a typo in COACH_BACKEND or COACH_EMBEDDER should not cost an index build.
        self.offline = get_backend("offline", settings)
        self.backend = (
            self.offline
            if settings.backend == "offline"
            else get_backend(settings.backend, settings)
        )
        self.far_below = getattr(require_embedder(settings.embedder), "far_below", None)
        self.learned = self._read_learned if LEARNED_READER else None
        self.index = KnowledgeIndex(settings)
        self.build_report: IndexReport | None = None
        if not self.index.exists():
            if on_build:
                on_build()
            self.build_report = self.index.update()
        self.collection, _ = self.index.active()  # the build this coach reads
        store = self.index.store()
        self._queries: _RememberedQueries | None = None
        inner = getattr(store, "_embedding_function", None)
        if isinstance(inner, Embeddings) and settings.embedder == READER_EMBEDDER:
            store._embedding_function = self._queries = _RememberedQueries(inner)
        self.library = Library(store)
        self.retriever = Retriever(
            store, self.library, k=settings.top_k, lexical_weight=settings.lexical_weight
        )

    def _query_vector(self, text: str):
        """The vector retrieval uses for ``text`` (embedded once for it and the learned readers),
        or None when the readers' embedder is not retrieval's."""
        return self._queries.embed_query(text) if self._queries is not None else None

    def _read_learned(self, text: str) -> dict:
        """The side reader's shares, on the vector retrieval will use for the same text."""
        return situation_reader().read(text, self._query_vector(text))

    def _read_fit(self, text: str) -> dict[str, float]:
        """The fit reader's shares, on the vector retrieval used for the same text."""
        return fit_reader.read(text, self._query_vector(text))

    def rank(self, question: str) -> Ranking:
        return self.retriever.rank(question)

    def ask(self, question: str, history: list[dict] | None = None) -> AnswerRecord:
        for event in self.stream(question, history):
            if event.kind == "done":
                return event.record
        raise AssertionError("the answer stream ended without a record")  # pragma: no cover

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[Event]:
        started = time.perf_counter()
        question = self._validate(question)
        history = list(history or [])
        language = detect_language(question)
        situation = read_situation(question, history, self.learned)
        asked, history, situation = self._side_answered(question, history, situation)
        # before any backend: the same guard for a model (on the vector retrieval will use)
        if harmful_request(question, self._query_vector(question)):
            text, parts = decline(language)
            yield Event("token", text)
            record = self._clarification(question, text, language, started)
            yield Event(
                "done",
                record=record.model_copy(
                    update={
                        "kind": "decline",
                        "situation": situation.to_dict(),
                        "parts": parts.to_dict(),
                    }
                ),
            )
            return
        backend, reason, guard, removed = self.backend, None, "passed", []
        try:
            standalone = backend.condense(asked, history, language) if history else asked
        except BackendUnavailable as exc:
            backend, reason = self.offline, str(exc)
            standalone = backend.condense(asked, history, language)
        ranking = None if history else self.rank(standalone)
        clarify = None
        if not history:  # a follow-up may be short ("and if he says no?"): it has context
            clarify = before_retrieval(asked, language) or after_retrieval(
                asked, ranking.closeness, self.far_below, language
            )
        if clarify is not None:
            yield Event("token", clarify)
            yield Event("done", record=self._clarification(question, clarify, language, started))
            return
        ranking = ranking or self.rank(standalone)
        objection = objection_in(asked) if history else None
        # a short follow-up is chosen for with the question it follows (its words, its reading)
        chosen_for = standalone if history else asked
        choice = self._choose(chosen_for, history, ranking, situation, language, objection)
        if choice.fit == "ask-side":  # only the asker knows which side of it they are on
            text = side_question(situation, language)
            yield Event("token", text)
            record = self._clarification(question, text, language, started)
            update = {"situation": situation.to_dict(), "fit": "none"}
            yield Event("done", record=record.model_copy(update=update))
            return
        context = AnswerContext(
            asked,
            language,
            ranking,
            self.library,
            history,
            standalone,
            situation=situation,
            choice=choice,
            objection=objection,
        )
        pieces: list[str] = []
        first_token_ms = None
        try:
            reply = backend.answer(context)
            for piece in reply.chunks:
                if first_token_ms is None:
                    first_token_ms = round((time.perf_counter() - started) * 1000, 1)
                pieces.append(piece)
                yield Event("token", piece)
            sources = reply.sources
            text, guard, removed = self._guard(backend, "".join(pieces), sources, context)
        except (BackendUnavailable, _Replace) as exc:
            reply = self.offline.answer(context)
            text, sources = "".join(reply.chunks), reply.sources
            if isinstance(exc, BackendUnavailable):
                backend, reason = self.offline, str(exc)
            else:
                guard = "replaced"
        if pieces and text != "".join(pieces):
            yield Event("replace", text)
        elif not pieces:
            yield Event("token", text)
        record = AnswerRecord(
            question=question,
            answer=text,
            language=language,
            backend=backend.name,
            sources=[Source(**s) for s in sources],
            tone=analyze(text, language).to_dict(),
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            first_token_ms=first_token_ms,
            guard=guard,
            fallback_reason=reason,
            removed_citations=removed or None,
            situation=situation.to_dict(),
            fit=choice.fit,
            playbook=choice.playbook,
            parts=reply.parts.to_dict() if reply.parts else None,
        )
        yield Event("done", record=record)

    def _side_answered(self, question: str, history: list[dict], situation):
        """After coach asked which side the user is on, a reply that says so ("it was said to
        me", "fui yo") answers the question before it, from that side. Returns what to answer,
        the history before it, and the situation."""
        assistant = [m for m in history if m.get("role") == "assistant"]
        users = [m for m in history if m.get("role") == "user"]
        last = str(assistant[-1].get("content", "")) if assistant else ""
        if not users or not any(q[1:] in last for q in SIDE_QUESTION.values()):
            return question, history, situation
        original = str(users[-1].get("content", ""))
        before = history[: max(i for i, m in enumerate(history) if m is users[-1])]
        side = read_side_reply(question)
        if side is None:  # not an answer to it: a question of its own, without the one left open
            return question, before, read_situation(question, before, self.learned)
        return (
            original,
            before,
            replace(
                read_situation(original, before, self.learned), stance=side, stance_learned=False
            ),
        )

    def _choose(self, question, history, ranking, situation, language, objection):
        """The playbook for the asker's side. A follow-up about a next turn ("and if she says
        no?") stays on the playbook of the question before it."""
        if history and objection:
            earlier = [m["content"] for m in history if m.get("role") == "user"]
            if earlier:
                before = read_situation(earlier[-1], None, self.learned)
                ranking, question, situation = self.rank(earlier[-1]), earlier[-1], before
        reading = self._read_fit(question) if LEARNED_READER else None
        return choose(ranking, self.library, situation, language, question, reading)

    def _clarification(self, question: str, text: str, language: str, started: float):
        return AnswerRecord(
            question=question,
            answer=text,
            language=language,
            backend=self.offline.name,
            sources=[],
            tone=analyze(text, language).to_dict(),
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            kind="clarify",
        )

    def _guard(self, backend, text: str, sources: list[dict], context: AnswerContext):
        """Citations checked; a flagged model answer gets one repair round, then gives way."""
        allowed = {s["id"] for s in sources}
        text, removed = check_citations(text, allowed)
        if backend is self.offline:  # the composer already left out every flagged piece
            return text, "passed", removed
        flags = self._problems(text, context)
        if not flags:
            return text, "passed", removed
        text, more = check_citations(backend.repair(text, flags, context), allowed)
        if self._problems(text, context):
            raise _Replace("the answer still carried blaming phrases or invented figures")
        return text, "repaired", removed + more

    @staticmethod
    def _problems(text: str, context: AnswerContext) -> list[dict]:
        """What the guard holds a model's answer to: no blaming or personal phrases, and no
        figure the user never gave ("12 of the 40 leads" said out loud to a colleague)."""
        flags = analyze(text, context.language).to_dict()["flags"]
        said = [m.get("content", "") for m in context.history if m.get("role") == "user"]
        given = " ".join([context.question, *said])
        why = {
            "en": "a figure the user never gave: use a placeholder in brackets instead",
            "es": "una cifra que la persona no dio: usa un espacio entre corchetes",
        }[context.language]
        return flags + [
            {"kind": "invented-figure", "text": figure, "why": why}
            for figure in sorted(invented_figures(text, given))
        ]

    @staticmethod
    def _validate(question: str) -> str:
        return user_text(question, "question", MAX_QUESTION)


class _Replace(Exception):
    """The guard gave up on the model's text: the offline answer is shown instead."""

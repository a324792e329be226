"""The one path every answer takes: language, retrieval, backend, tone check, record."""

from __future__ import annotations

import time

from pydantic import BaseModel

from coach.backends import AnswerContext, get_backend
from coach.errors import CoachError
from coach.index import IndexReport, KnowledgeIndex
from coach.language import detect_language
from coach.retrieve import Library, Ranking, Retriever
from coach.settings import Settings
from coach.tone import analyze

MAX_QUESTION = 2000


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


class Coach:
    """Answers questions from the index. Opening it builds the index if there is none yet."""

    def __init__(self, settings: Settings, on_build=None) -> None:
        self.settings = settings
        self.index = KnowledgeIndex(settings)
        self.build_report: IndexReport | None = None
        if not self.index.exists():
            if on_build:
                on_build()
            self.build_report = self.index.update()
        store = self.index.store()
        self.library = Library(store)
        self.retriever = Retriever(
            store, self.library, k=settings.top_k, lexical_weight=settings.lexical_weight
        )
        self.backend = get_backend(settings.backend)

    def rank(self, question: str) -> Ranking:
        return self.retriever.rank(question)

    def ask(self, question: str) -> AnswerRecord:
        started = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise CoachError("Describe the situation you want advice on.")
        if len(question) > MAX_QUESTION:
            raise CoachError(
                f"That is {len(question)} characters; please keep it under {MAX_QUESTION} "
                "(the situation in a few sentences)."
            )
        language = detect_language(question)
        context = AnswerContext(question, language, self.rank(question), self.library)
        draft = self.backend.draft(context)
        return AnswerRecord(
            question=question,
            answer=draft.text,
            language=language,
            backend=self.backend.name,
            sources=[Source(**s) for s in draft.sources],
            tone=analyze(draft.text, language).to_dict(),
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )

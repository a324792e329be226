"""Find the knowledge that fits a question: vector search over Chroma, ranked by playbook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from langchain_chroma import Chroma

from coach.principles import ARTICLE_ID


@dataclass(frozen=True)
class Hit:
    """One retrieved section and how well it matches the question (cosine similarity)."""

    doc_id: str
    title: str
    kind: str
    path: str
    section: str
    language: str
    principles: tuple[str, ...]
    text: str
    score: float

    @classmethod
    def from_record(cls, text: str, meta: dict, score: float) -> Hit:
        principles = tuple(p for p in meta.get("principles", "").split(",") if p)
        return cls(
            meta["doc_id"],
            meta["title"],
            meta["kind"],
            meta["path"],
            meta["section"],
            meta["language"],
            principles,
            text,
            round(float(score), 4),
        )


class Library:
    """Every indexed section, held in memory so an answer can use a whole playbook."""

    def __init__(self, store: Chroma) -> None:
        records = store.get(include=["documents", "metadatas"])
        self.sections: dict[tuple[str, str], dict[str, Hit]] = defaultdict(dict)
        for text, meta in zip(records["documents"], records["metadatas"], strict=True):
            hit = Hit.from_record(text, meta, 0.0)
            self.sections[(hit.doc_id, hit.language)][hit.section] = hit

    def doc(self, doc_id: str, language: str) -> dict[str, Hit]:
        """The sections of ``doc_id`` in ``language``, or in any language it exists in."""
        if (doc_id, language) in self.sections:
            return self.sections[(doc_id, language)]
        return next((s for (d, _), s in self.sections.items() if d == doc_id), {})

    def ids(self) -> set[str]:
        return {d for d, _ in self.sections}


@dataclass
class Ranking:
    """Retrieval results for one question: sections, and playbooks ranked by their best section."""

    hits: list[Hit]
    playbooks: list[tuple[str, float]]
    article: list[Hit]


class Retriever:
    def __init__(self, store: Chroma, k: int = 8) -> None:
        self.store = store
        self.k = k

    def _search(self, vector: list[float], k: int, where: dict | None = None) -> list[Hit]:
        results = self.store.similarity_search_by_vector_with_relevance_scores(
            vector, k=k, filter=where
        )
        # Collections are built with cosine space: distance = 1 - cosine similarity.
        return [
            Hit.from_record(doc.page_content, doc.metadata, 1.0 - dist) for doc, dist in results
        ]

    def rank(self, question: str) -> Ranking:
        vector = self.store.embeddings.embed_query(question)
        hits = self._search(vector, k=max(self.k * 4, 24))
        best: dict[str, float] = {}
        for hit in hits:
            if hit.kind == "playbook":
                best[hit.doc_id] = max(best.get(hit.doc_id, -1.0), hit.score)
        playbooks = sorted(best.items(), key=lambda item: -item[1])
        article = self._search(vector, k=16, where={"doc_id": ARTICLE_ID})
        return Ranking(hits[: self.k], playbooks, article)

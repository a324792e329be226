"""Find the knowledge that fits a question: vector search over Chroma, ranked by playbook."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from langchain_chroma import Chroma

from coach.errors import IndexNotReady
from coach.principles import ARTICLE_ID
from coach.tone import fold


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
    for_asker: tuple[str, ...] = ()  # who the playbook is written for; empty: anyone
    for_stance: tuple[str, ...] = ()

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
            tuple(a for a in meta.get("for_asker", "").split(",") if a),
            tuple(a for a in meta.get("for_stance", "").split(",") if a),
        )


class Library:
    """Every indexed section, held in memory so an answer can use a whole playbook."""

    def __init__(self, store: Chroma) -> None:
        from coach.index import iter_records

        self.sections: dict[tuple[str, str], dict[str, Hit]] = defaultdict(dict)
        for _, record in iter_records(store, ["documents", "metadatas"]):
            hit = Hit.from_record(record["documents"], record["metadatas"], 0.0)
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
    closeness: float | None = None  # cosine of the closest playbook section (no BM25 share)


_TOKEN = re.compile(r"[a-z0-9]+")
_STOPWORDS = set(
    "the a an and or of to in on for with is are was were be it this that i we you they my our "
    "your their what how do does did at by from as so but not no me us them el la los las un una "
    "de del y o en con por para es son que se lo le les mi tu su nos me te al como pero".split()
)


def tokens(text: str) -> list[str]:
    """Accent-folded words without stopwords, for the lexical (BM25) side of retrieval."""
    return [t for t in _TOKEN.findall(fold(text)) if t not in _STOPWORDS and len(t) > 1]


class LexicalIndex:
    """BM25 over every playbook section; scores are per playbook id, scaled to 0..1."""

    def __init__(self, library: Library) -> None:
        import bm25s

        self.doc_ids: list[str] = []
        corpus: list[list[str]] = []
        for (doc_id, _), sections in library.sections.items():
            for hit in sections.values():
                if hit.kind == "playbook":
                    self.doc_ids.append(doc_id)
                    corpus.append(tokens(f"{hit.title} {hit.text}") or ["_"])
        self.bm25 = bm25s.BM25() if corpus else None  # knowledge may hold no playbook at all
        if self.bm25:
            self.bm25.index(corpus, show_progress=False)

    def playbook_scores(self, question: str) -> dict[str, float]:
        if self.bm25 is None:
            return {}
        query = [t for t in tokens(question) if t in self.bm25.vocab_dict]
        if not query:
            return {}
        scores = self.bm25.get_scores(query)
        best: dict[str, float] = {}
        for doc_id, score in zip(self.doc_ids, scores, strict=True):
            best[doc_id] = max(best.get(doc_id, 0.0), float(score))
        top = max(best.values()) or 1.0
        return {d: s / top for d, s in best.items()}


class Retriever:
    """Vector search in Chroma, optionally blended with BM25 (``lexical_weight`` > 0)."""

    def __init__(
        self, store: Chroma, library: Library | None = None, k: int = 8, lexical_weight: float = 0.0
    ) -> None:
        self.store = store
        self.k = k
        self.lexical_weight = lexical_weight
        self.lexical = LexicalIndex(library) if library and lexical_weight > 0 else None

    def _search(self, vector: list[float], k: int, where: dict | None = None) -> list[Hit]:
        try:
            results = self.store.similarity_search_by_vector_with_relevance_scores(
                vector, k=k, filter=where
            )
        except Exception as exc:  # e.g. the Chroma server went away: say so, in one line
            raise IndexNotReady(
                f"The knowledge index cannot be searched right now: {exc}"
            ) from None
        # Collections are built with cosine space: distance = 1 - cosine similarity.
        return [
            Hit.from_record(doc.page_content, doc.metadata, 1.0 - dist) for doc, dist in results
        ]

    def rank(self, question: str) -> Ranking:
        vector = self.store.embeddings.embed_query(question)
        hits = self._search(vector, k=max(self.k * 8, 64))
        best: dict[str, float] = {}
        for hit in hits:
            if hit.kind == "playbook":
                best[hit.doc_id] = max(best.get(hit.doc_id, -1.0), hit.score)
        closeness = max(best.values(), default=None)  # None: no playbook indexed at all
        if self.lexical is not None:
            lexical = self.lexical.playbook_scores(question)
            for doc_id in best:
                best[doc_id] += self.lexical_weight * lexical.get(doc_id, 0.0)
        playbooks = sorted(best.items(), key=lambda item: -item[1])
        article = self._search(vector, k=16, where={"doc_id": ARTICLE_ID})
        return Ranking(hits[: self.k], playbooks, article, closeness)

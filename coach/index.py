"""The Chroma index of the knowledge: incremental, atomic re-indexing.

Each build writes a new collection (``<name>-v<timestamp>``); the collection named ``<name>`` holds
no records, only a pointer to the active build in its metadata. Unchanged files are copied over
with their stored embeddings (no embedding work); only new and changed files are embedded. The
pointer moves only after the new build is complete, so a failed run leaves the previous index in
use. The same code serves an embedded Chroma on disk and a Chroma server.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import chromadb
from chromadb.config import Settings as ChromaSettings

from coach.embeddings import get_embedder
from coach.errors import IndexBusy, IndexNotReady
from coach.knowledge import KnowledgeDoc, Section, load_knowledge
from coach.settings import Settings

if TYPE_CHECKING:
    from langchain_chroma import Chroma

BATCH = 64
PAGE = 2000  # records read from Chroma at once
LOCK_WAIT_SECONDS = 120  # how long a second writer waits for the first


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    collection: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def open_client(settings: Settings) -> chromadb.ClientAPI:
    """An embedded Chroma in the data dir, or the Chroma server the settings name."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except Exception as exc:  # chromadb says ValueError, httpx may say ConnectError
            raise IndexNotReady(
                f"Cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} "
                f"(COACH_CHROMA_HOST, COACH_CHROMA_PORT): {exc}"
            ) from None
    from filelock import FileLock

    settings.index_dir.mkdir(parents=True, exist_ok=True)
    # Chroma sets up a fresh on-disk database without a lock: two processes opening it at once
    # (`coach index` while the app starts) make one fail with "table collections already exists".
    with FileLock(settings.data_dir / "open.lock", timeout=LOCK_WAIT_SECONDS):
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)


def iter_records(collection, include: list[str], where: dict | None = None):
    """Yield ``(id, {field: value})`` for every record, reading ``page`` records at a time.

    One ``get`` of a whole collection makes Chroma hold every row in native memory at once (about
    400 MB more at 17,000 sections); pages keep that to one page. A build is never written after
    its pointer moves, so its order is stable between pages.
    """
    offset, page = 0, PAGE
    while True:
        batch = collection.get(where=where, include=include, limit=page, offset=offset)
        for row, record_id in enumerate(batch["ids"]):
            yield record_id, {field: batch[field][row] for field in include}
        if len(batch["ids"]) < page:
            return
        offset += page


def section_metadata(doc: KnowledgeDoc, section: Section) -> dict:
    return {
        "doc_id": doc.id,
        "title": doc.title,
        # A next turn is read by key, never ranked against the question.
        "kind": "turn" if section.key.startswith("turn-") else doc.kind,
        "path": doc.display_path,
        "section": section.key,
        "heading": section.heading,
        "language": doc.language,
        "principles": ",".join(section.principles),
        "for_asker": ",".join(doc.for_asker),
        "for_stance": ",".join(doc.for_stance),
        "source_path": str(doc.path),
        "source_hash": doc.sha256,
    }


class KnowledgeIndex:
    """Builds and opens the index described by ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = open_client(settings)
        self.name = settings.collection

    # -- the pointer -------------------------------------------------------------------------
    def _pointer(self):
        return self.client.get_or_create_collection(
            self.name, metadata={"coach": "pointer"}, embedding_function=None
        )

    def active(self) -> tuple[str | None, str | None]:
        """(active collection name, embedder it was built with), or (None, None)."""
        meta = self._pointer().metadata or {}
        name = meta.get("active")
        if name and name in {c.name for c in self.client.list_collections()}:
            return name, meta.get("embedder")
        return None, None

    def exists(self) -> bool:
        return self.active()[0] is not None

    def store(self) -> Chroma:
        """The LangChain vector store over the active build."""
        name, embedder = self.active()
        if name is None:
            raise IndexNotReady("The index has not been built yet: run `coach index`.")
        if embedder != self.settings.embedder:
            raise IndexNotReady(
                f"The index was built with the '{embedder}' embedder; run `coach index` to rebuild "
                f"it for '{self.settings.embedder}'."
            )
        return self._langchain_store(name)

    def _langchain_store(self, name: str) -> Chroma:
        from langchain_chroma import Chroma  # heavy import, only needed to embed or answer

        return Chroma(
            collection_name=name,
            embedding_function=get_embedder(self.settings.embedder),
            client=self.client,
            create_collection_if_not_exists=False,
        )

    # -- building ----------------------------------------------------------------------------
    def update(
        self, docs: list[KnowledgeDoc] | None = None, progress: bool | None = None
    ) -> IndexReport:
        """Bring the index in line with the knowledge folders; a no-op when nothing changed.

        One writer at a time per data dir (``coach index``, a trainer's upload, a first start):
        the next one waits, then finds the work done."""
        started = time.perf_counter()
        if docs is None:
            docs = load_knowledge(self.settings.all_knowledge_dirs)  # validates before any write
        with self._writer_lock():
            return self._update(docs, progress, started)

    def _writer_lock(self):
        from filelock import FileLock, Timeout

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.settings.data_dir / "index.lock", timeout=LOCK_WAIT_SECONDS)
        try:
            return lock.acquire()
        except Timeout:
            raise IndexBusy(
                f"Another coach is re-indexing {self.settings.data_dir} and has not finished "
                f"in {LOCK_WAIT_SECONDS} s; try again when it is done."
            ) from None

    def _update(self, docs: list[KnowledgeDoc], progress: bool | None, started: float):
        report = IndexReport(chunks=sum(len(d.sections) for d in docs))
        active, built_with = self.active()
        current: dict[str, str] = {}  # source path -> hash in the active build
        if active and built_with == self.settings.embedder:
            built = self.client.get_collection(active, embedding_function=None)
            for _, record in iter_records(built, ["metadatas"]):
                current[record["metadatas"]["source_path"]] = record["metadatas"]["source_hash"]
        wanted = {str(d.path): d for d in docs}
        keep = [p for p, d in wanted.items() if current.get(p) == d.sha256]
        fresh = [d for p, d in wanted.items() if current.get(p) != d.sha256]
        report.added = sorted(d.display_path for d in fresh if str(d.path) not in current)
        report.updated = sorted(d.display_path for d in fresh if str(d.path) in current)
        report.removed = sorted(p for p in current if p not in wanted)
        report.unchanged = len(keep)
        report.collection = active or ""
        if active and not report.changed:
            report.seconds = time.perf_counter() - started
            return report

        name = f"{self.name}-v{datetime.now(UTC).strftime('%Y%m%d%H%M%S%f')}"
        target = self.client.create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"coach": "build"},
            embedding_function=None,
        )
        try:
            if keep:
                self._copy(active, target, keep)
            report.embedded = self._embed(target, fresh, progress)
            self._pointer().modify(
                metadata={"coach": "pointer", "active": name, "embedder": self.settings.embedder}
            )
        except BaseException:
            self.client.delete_collection(name)
            raise
        self._drop_old_builds(keep={name, active})
        report.collection = name
        report.seconds = time.perf_counter() - started
        return report

    def _copy(self, source: str, target, paths: list[str]) -> None:
        old = self.client.get_collection(source, embedding_function=None)
        fields = ["embeddings", "documents", "metadatas"]
        records = iter_records(old, fields, where={"source_path": {"$in": paths}})
        while batch := list(itertools.islice(records, PAGE)):
            target.add(
                ids=[record_id for record_id, _ in batch],
                **{field: [record[field] for _, record in batch] for field in fields},
            )

    def _embed(self, target, docs: list[KnowledgeDoc], progress: bool | None) -> int:
        items = [(doc, section) for doc in docs for section in doc.sections]
        if not items:
            return 0
        from tqdm import tqdm

        store = self._langchain_store(target.name)  # LangChain embeds and writes the sections
        bar = tqdm(
            total=len(items),
            desc="Embedding",
            unit="section",
            disable=None if progress is None else not progress,
        )
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            store.add_texts(
                [s.text for _, s in batch],
                metadatas=[section_metadata(d, s) for d, s in batch],
                ids=[s.chunk_id for _, s in batch],
            )
            bar.update(len(batch))
        bar.close()
        return len(items)

    def _drop_old_builds(self, keep: set) -> None:
        """Drop builds older than the two kept: the new one and the one before it (a question
        being answered from it while the pointer moves still finds its collection). Newer builds
        belong to another writer still at work (two app servers on one Chroma server)."""
        keep = {name for name in keep if name}
        oldest_kept = min(keep)
        for collection in self.client.list_collections():
            name = collection.name
            if name.startswith(f"{self.name}-v") and name not in keep and name < oldest_kept:
                self.client.delete_collection(name)

    def documents(self) -> list[dict]:
        """What is indexed: one entry per knowledge file, with its number of sections."""
        name, _ = self.active()
        if name is None:
            return []
        docs: dict[str, dict] = {}
        built = self.client.get_collection(name, embedding_function=None)
        for meta in (record["metadatas"] for _, record in iter_records(built, ["metadatas"])):
            entry = docs.setdefault(
                meta["source_path"],
                {
                    "id": meta["doc_id"],
                    "language": meta["language"],
                    "kind": meta["kind"],
                    "title": meta["title"],
                    "path": meta["path"],
                    "sections": 0,
                },
            )
            entry["sections"] += 1
        return sorted(docs.values(), key=lambda d: (d["kind"] != "article", d["id"], d["language"]))

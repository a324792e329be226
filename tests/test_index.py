"""Indexing into a real on-disk Chroma: incremental, atomic, and honest about problems."""

import pytest

from coach.answer import Coach
from coach.errors import KnowledgeError
from coach.index import KnowledgeIndex
from coach.settings import Settings


@pytest.fixture
def settings(tmp_path, small_knowledge):
    return Settings(data_dir=tmp_path / "data", knowledge_dirs=[small_knowledge])


def test_first_build_embeds_everything(settings):
    report = KnowledgeIndex(settings).update(progress=False)
    assert len(report.added) == 2 and report.embedded == report.chunks > 20
    docs = KnowledgeIndex(settings).documents()
    assert {d["id"] for d in docs} == {"article", "weekly-sync"}


def test_unchanged_files_cost_no_embedding_work(settings):
    index = KnowledgeIndex(settings)
    first = index.update(progress=False)
    again = index.update(progress=False)
    assert not again.changed and again.embedded == 0
    assert again.collection == first.collection  # nothing was rebuilt


def test_a_changed_file_is_re_embedded_alone(settings, small_knowledge):
    index = KnowledgeIndex(settings)
    index.update(progress=False)
    playbook = small_knowledge / "en" / "weekly-sync.md"
    playbook.write_text(playbook.read_text().replace("20 minutes.", "25 minutes."))
    report = index.update(progress=False)
    assert report.updated == ["knowledge/en/weekly-sync.md"]
    assert report.embedded == 9  # that playbook's sections only, not the article's
    store = index.store()
    steps = store.get(where={"section": "steps"})["documents"][0]
    assert "25 minutes" in steps


def test_a_removed_file_leaves_the_index(settings, small_knowledge):
    index = KnowledgeIndex(settings)
    index.update(progress=False)
    (small_knowledge / "en" / "weekly-sync.md").unlink()
    report = index.update(progress=False)
    assert report.removed and report.embedded == 0
    assert {d["id"] for d in index.documents()} == {"article"}


def test_a_malformed_file_stops_the_run_and_keeps_the_old_index(settings, small_knowledge):
    index = KnowledgeIndex(settings)
    index.update(progress=False)
    before = index.documents()
    (small_knowledge / "en" / "broken.md").write_text("---\nid: x\n---\n")
    with pytest.raises(KnowledgeError, match="broken.md"):
        index.update(progress=False)
    assert index.documents() == before


def test_a_crash_while_embedding_leaves_the_previous_index_usable(
    settings, small_knowledge, monkeypatch
):
    coach = Coach(settings)
    before = coach.ask("the weekly sync got cancelled again").answer
    playbook = small_knowledge / "en" / "weekly-sync.md"
    playbook.write_text(playbook.read_text().replace("20 minutes.", "15 minutes."))

    index = KnowledgeIndex(settings)

    def fail(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(index, "_embed", fail)
    with pytest.raises(RuntimeError):
        index.update(progress=False)
    monkeypatch.undo()
    assert Coach(settings).ask("the weekly sync got cancelled again").answer == before
    names = [c.name for c in index.client.list_collections()]
    assert len([n for n in names if n.startswith("coach-v")]) == 1  # no half-built leftovers


def test_switching_embedder_rebuilds(settings):
    KnowledgeIndex(settings).update(progress=False)
    other = settings.model_copy(update={"embedder": "e5-small"})
    with pytest.raises(Exception, match="rebuild"):
        KnowledgeIndex(other).store()
    report = KnowledgeIndex(other).update(progress=False)
    assert report.embedded == report.chunks
    assert KnowledgeIndex(other).store() is not None


def test_indexing_and_answering_never_touch_the_network(settings, monkeypatch):
    """Offline by default: any attempt to open a network connection fails the test."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    record = Coach(settings).ask("nobody comes to the weekly sync")
    assert record.sources and record.tone["ok"]


def test_the_previous_build_stays_readable_while_the_pointer_moves(settings, small_knowledge):
    index = KnowledgeIndex(settings)
    index.update(progress=False)
    old_store = index.store()  # e.g. a question being answered when a trainer uploads a file
    playbook = small_knowledge / "en" / "weekly-sync.md"
    playbook.write_text(playbook.read_text().replace("20 minutes.", "25 minutes.", 1))
    index.update(progress=False)
    assert "20 minutes" in old_store.get(where={"section": "steps"})["documents"][0]
    assert "25 minutes" in index.store().get(where={"section": "steps"})["documents"][0]
    playbook.write_text(playbook.read_text().replace("25 minutes.", "30 minutes.", 1))
    index.update(progress=False)
    builds = [c.name for c in index.client.list_collections() if c.name.startswith("coach-v")]
    assert len(builds) == 2  # the newest and the one before it; older builds are dropped


def test_two_coach_index_runs_at_once_leave_one_complete_index(tmp_path, small_knowledge):
    """E.g. a trainer's upload re-indexes while someone runs `coach index` on the same data."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "COACH_DATA_DIR": str(tmp_path / "shared-data"),
        "COACH_KNOWLEDGE_DIRS": str(small_knowledge),
    }
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "index", "--quiet"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert sum("up to date" in out for out in outputs) == 2  # the others waited, then had no work
    shared = Settings(data_dir=tmp_path / "shared-data", knowledge_dirs=[small_knowledge])
    index = KnowledgeIndex(shared)
    assert {d["id"] for d in index.documents()} == {"article", "weekly-sync"}
    assert Coach(shared).ask("nobody comes to the weekly sync").sources


def _open_index(data_dir: str) -> str:
    try:
        KnowledgeIndex(Settings(data_dir=data_dir)).exists()
        return "ok"
    except Exception as exc:  # what a second process starting at the same moment would see
        return f"{type(exc).__name__}: {exc}"


def test_processes_opening_a_fresh_index_at_once_all_succeed(tmp_path):
    """`coach index` run while the app starts on a new data dir: Chroma's first-time database
    set-up is not safe across processes, so opening it is serialised."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        for round_ in range(12):
            data_dir = str(tmp_path / f"fresh-{round_}")
            assert pool.map(_open_index, [data_dir] * 4, chunksize=1) == ["ok"] * 4


def test_a_writer_that_waits_too_long_gets_a_clear_message(settings, monkeypatch):
    from filelock import FileLock

    from coach import index as index_module
    from coach.errors import IndexBusy

    monkeypatch.setattr(index_module, "LOCK_WAIT_SECONDS", 0.2)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    held = FileLock(settings.data_dir / "index.lock")  # as another process mid-build holds it
    with held, pytest.raises(IndexBusy, match="Another coach is re-indexing"):
        KnowledgeIndex(settings).update(progress=False)
    assert KnowledgeIndex(settings).update(progress=False).embedded > 0  # free again


def test_a_newer_build_of_another_writer_is_never_dropped(settings, small_knowledge):
    """Two app servers on one Chroma server cannot share a file lock: cleaning up after a build
    must not delete a build another server has started since."""
    index = KnowledgeIndex(settings)
    index.update(progress=False)
    in_progress = index.client.create_collection("coach-v99990101000000000000")
    playbook = small_knowledge / "en" / "weekly-sync.md"
    playbook.write_text(playbook.read_text().replace("20 minutes.", "25 minutes.", 1))
    index.update(progress=False)
    names = {c.name for c in index.client.list_collections()}
    assert in_progress.name in names
    assert "25 minutes" in index.store().get(where={"section": "steps"})["documents"][0]


def test_knowledge_with_only_the_article_answers_without_crashing(tmp_path):
    """A trainer's deployment whose folders hold no playbook yet: coach says it found nothing
    that fits and asks for more, instead of failing inside the lexical ranking."""
    import shutil

    from tests.conftest import FIXTURES

    folder = tmp_path / "only-article"
    folder.mkdir()
    shutil.copy(FIXTURES / "knowledge" / "article.md", folder / "article.md")
    settings = Settings(data_dir=tmp_path / "data", knowledge_dirs=[folder])
    KnowledgeIndex(settings).update(progress=False)
    record = Coach(settings).ask("sales says our leads are garbage, what do I say tomorrow?")
    assert "none of my playbooks covers this situation" in record.answer.lower()
    assert record.fit == "none" and record.playbook is None


def test_a_big_index_is_read_page_by_page_without_losing_a_record(
    settings, small_knowledge, monkeypatch
):
    """Large knowledge bases are read from Chroma in pages (memory); with tiny pages, the copy of
    unchanged files, the list of documents and the answers still see every section once."""
    from coach import index as index_module
    from coach.retrieve import Library

    index = KnowledgeIndex(settings)
    index.update(progress=False)
    whole = index.store().get(include=["documents"])
    monkeypatch.setattr(index_module, "PAGE", 7)
    playbook = small_knowledge / "en" / "weekly-sync.md"
    playbook.write_text(playbook.read_text().replace("20 minutes.", "25 minutes.", 1))
    report = index.update(progress=False)  # copies the unchanged article, 7 records at a time
    assert report.unchanged == 1
    store = index.store()
    assert sorted(store.get()["ids"]) == sorted(whole["ids"])
    assert {d["id"]: d["sections"] for d in index.documents()} == {
        "article": sum(i.startswith("article") for i in whole["ids"]),
        "weekly-sync": sum(i.startswith("weekly-sync") for i in whole["ids"]),
    }
    library = Library(store)
    assert sum(len(s) for s in library.sections.values()) == len(whole["ids"])

"""Server mode: the index lives in a real Chroma server (`chroma run`), not in the data dir."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from coach.answer import Coach
from coach.errors import IndexNotReady
from coach.index import KnowledgeIndex
from coach.settings import Settings

CHROMA = shutil.which("chroma", path=os.path.dirname(sys.executable)) or shutil.which("chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_chroma(path: Path):
    """`chroma run` on a free port with its data under ``path``; yields host, port, process."""
    if CHROMA is None:
        pytest.fail("the `chroma` command (package chromadb) is not installed")
    port = free_port()
    path.mkdir(parents=True, exist_ok=True)
    with open(path / "server.log", "w") as log:
        server = subprocess.Popen(
            [CHROMA, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
                    httpx.get(url, timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(
                            "chroma run did not start:\n" + (path / "server.log").read_text()
                        )
                    time.sleep(0.2)
            yield {"host": "127.0.0.1", "port": port, "process": server}
        finally:
            server.terminate()
            server.wait(timeout=30)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    with running_chroma(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server


@pytest.fixture
def server_settings(chroma_server, tmp_path, small_knowledge, request):
    collection = "coach" + request.node.name.replace("test_", "")[:20].replace("_", "")
    return Settings(
        data_dir=tmp_path / "data",
        knowledge_dirs=[small_knowledge],
        chroma_host=chroma_server["host"],
        chroma_port=chroma_server["port"],
        collection=collection,
    )


def test_index_and_answer_from_a_chroma_server(server_settings):
    report = KnowledgeIndex(server_settings).update(progress=False)
    assert report.embedded == report.chunks > 20
    record = Coach(server_settings).ask("nobody comes to the weekly sync")
    assert "weekly-sync" in [s.id for s in record.sources]
    assert not server_settings.index_dir.exists()  # nothing was written to the local data dir


def test_re_indexing_on_the_server_is_incremental(server_settings, small_knowledge):
    index = KnowledgeIndex(server_settings)
    first = index.update(progress=False)
    assert not index.update(progress=False).changed
    playbook = small_knowledge / "en" / "weekly-sync.md"
    playbook.write_text(playbook.read_text().replace("20 minutes.", "25 minutes.", 1))
    report = index.update(progress=False)
    assert report.updated == ["knowledge/en/weekly-sync.md"] and report.embedded == 9
    assert report.collection != first.collection
    assert "25 minutes" in index.store().get(where={"section": "steps"})["documents"][0]


def test_two_app_servers_share_one_chroma_server(server_settings, tmp_path):
    """A second app server (its own data dir) opens the index the first one built."""
    KnowledgeIndex(server_settings).update(progress=False)
    other = server_settings.model_copy(update={"data_dir": tmp_path / "other-server"})
    coach = Coach(other)
    assert coach.build_report is None  # found, not rebuilt
    assert coach.ask("the weekly sync keeps getting skipped").sources


def test_the_cli_indexes_into_the_server(server_settings, small_knowledge):
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(server_settings.data_dir),
        "COACH_KNOWLEDGE_DIRS": str(small_knowledge),
        "COACH_CHROMA_HOST": server_settings.chroma_host,
        "COACH_CHROMA_PORT": str(server_settings.chroma_port),
        "COACH_COLLECTION": server_settings.collection,
    }
    run = [sys.executable, "-m", "coach.cli"]
    indexed = subprocess.run([*run, "index", "--quiet"], env=env, capture_output=True, text=True)
    assert indexed.returncode == 0, indexed.stderr
    asked = subprocess.run(
        [*run, "ask", "--json", "nobody comes to the weekly sync"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert asked.returncode == 0, asked.stderr
    assert '"weekly-sync"' in asked.stdout


def test_an_unreachable_chroma_server_is_a_one_line_error(tmp_path, small_knowledge):
    settings = Settings(
        data_dir=tmp_path / "data",
        knowledge_dirs=[small_knowledge],
        chroma_host="127.0.0.1",
        chroma_port=free_port(),  # nothing listens there
    )
    with pytest.raises(IndexNotReady, match="Cannot reach the Chroma server at 127.0.0.1"):
        KnowledgeIndex(settings)
    env = {
        **os.environ,
        "COACH_DATA_DIR": str(tmp_path / "data"),
        "COACH_CHROMA_HOST": "127.0.0.1",
        "COACH_CHROMA_PORT": str(settings.chroma_port),
    }
    result = subprocess.run(
        [sys.executable, "-m", "coach.cli", "ask", "leads are garbage"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Cannot reach the Chroma server" in result.stderr and "Traceback" not in result.stderr


def test_a_chroma_server_that_goes_away_gives_a_clear_message(tmp_path, small_knowledge):
    with running_chroma(tmp_path / "short-lived") as server:
        settings = Settings(
            data_dir=tmp_path / "data",
            knowledge_dirs=[small_knowledge],
            chroma_host=server["host"],
            chroma_port=server["port"],
        )
        coach = Coach(settings)
        assert coach.ask("nobody comes to the weekly sync").sources
    with pytest.raises(IndexNotReady, match="cannot be searched right now"):
        coach.ask("nobody comes to the weekly sync")


def test_app_servers_sharing_an_uploads_folder_keep_each_others_uploads(
    server_settings, small_knowledge, tmp_path
):
    """Two app servers on one Chroma server, each with its own data dir, and COACH_UPLOADS_DIR
    on a folder both can reach: a trainer's upload on one survives a re-index by the other."""
    from ui import trainer

    shared = tmp_path / "shared-uploads"
    first = server_settings.model_copy(update={"uploads_dir": shared})
    second = first.model_copy(update={"data_dir": tmp_path / "second-server"})
    source = small_knowledge / "en" / "weekly-sync.md"
    for settings, doc_id in ((first, "upload-one"), (second, "upload-two")):
        upload = tmp_path / f"{doc_id}.md"
        upload.write_text(source.read_text().replace("id: weekly-sync", f"id: {doc_id}", 1))
        assert trainer.add_file(settings, upload, upload.name)["ok"]
        KnowledgeIndex(settings).update(progress=False)
    indexed = {d["id"] for d in KnowledgeIndex(first).documents()}
    assert {"upload-one", "upload-two", "weekly-sync"} <= indexed

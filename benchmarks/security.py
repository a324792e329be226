"""The security probe of issue 9 as one script: each finding tried against a real `coach serve`
(trainer password set, its own data dir and temp dir), with a before/after table.

    .venv/bin/python benchmarks/security.py                      # this checkout only
    .venv/bin/python benchmarks/security.py --before e3add50     # also a git worktree of e3add50
    .venv/bin/python benchmarks/security.py --project DIR        # another checkout as "after"

The server runs from the checkout (cwd and PYTHONPATH), so that checkout's code is what answers.
Handlers are reached as an attacker reaches them: through Gradio's queue by ``fn_index`` (read
from ``/config``), through ``/gradio_api/run/<name>``, and as the documented API with
gradio_client. uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1, which is how the probe speaks
from many client addresses. Each cell is one measured result; a probe that fails says
"error: …" in its cell. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "probe-Pa55word-" + uuid.uuid4().hex[:8]
WORKERS = 12  # concurrent requests at most (the machine is shared); 16 for the floods
FLOOD_WORKERS = 16
SCENARIO = "campaign-without-sales"
QUESTION = "sales says our leads are garbage"


def log(message: str) -> None:
    print(f"[security] {message}", file=sys.stderr, flush=True)


# -- the server ------------------------------------------------------------------------------
@dataclass
class Server:
    url: str
    port: int
    data: Path  # COACH_DATA_DIR
    tmp: Path  # the server's TMPDIR (Gradio's cache and the downloads live under it)
    root: Path  # a scratch folder of the probe's own, outside the server's folders
    fns: dict[str, int]  # handler name -> fn_index
    inputs: dict[str, int]  # handler name -> number of inputs

    def fn(self, name: str) -> int:
        return self.fns[name]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def coach_serve(project: Path) -> Iterator[Server]:
    """`coach serve` from ``project`` (as benchmarks/running.py, with the trainer password and a
    TMPDIR of its own), until the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory(prefix="coach-security-") as scratch:
        base = Path(scratch)
        data, tmp, root = base / "data", base / "tmp", base / "probe"
        for folder in (tmp, root):
            folder.mkdir()
        env = {
            **os.environ,
            "COACH_DATA_DIR": str(data),
            "COACH_TRAINER_PASSWORD": PASSWORD,
            "TMPDIR": str(tmp),
            "PYTHONPATH": str(project),
        }
        env.pop("GRADIO_TEMP_DIR", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "coach.cli", "serve", "--port", str(port)],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("coach serve did not start")
                time.sleep(0.3)
            config = httpx.get(url + "config", timeout=30).json()
            fns = {d["api_name"]: d["id"] for d in config["dependencies"] if d.get("api_name")}
            inputs = {d["api_name"]: len(d["inputs"]) for d in config["dependencies"]}
            yield Server(url, port, data, tmp, root, fns, inputs)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


# -- talking to it ---------------------------------------------------------------------------
def address(*parts: int) -> str:
    return "10." + ".".join(str(p) for p in parts)


def join(server: Server, name: str, data, *, session: str, client: str, event_data=None):
    body = {
        "data": data,
        "fn_index": server.fn(name),
        "session_hash": session,
        "event_data": event_data,
        "trigger_id": None,
    }
    headers = {"X-Forwarded-For": client}
    return httpx.post(server.url + "gradio_api/queue/join", json=body, headers=headers, timeout=60)


@dataclass
class Outcome:
    status: int  # of the join (200 when queued)
    messages: list[dict]  # every stream message of the event
    text: str = ""  # the join's body when refused

    @property
    def final(self) -> dict:
        done = [m for m in self.messages if m.get("msg") == "process_completed"]
        return done[-1] if done else {}

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.final.get("success") is True

    @property
    def data(self) -> list:
        return (self.final.get("output") or {}).get("data") or []

    def dump(self) -> str:
        return json.dumps(self.messages, ensure_ascii=False) + self.text

    def why(self) -> str:
        if self.status != 200:
            return f"HTTP {self.status}: {_detail(self.text)}"
        error = (self.final.get("output") or {}).get("error") or self.final.get("title") or ""
        return short(str(error)) or "no answer"


def call(
    server: Server,
    name: str,
    data,
    *,
    session: str | None = None,
    client: str,
    event_data=None,
    timeout: float = 120,
) -> Outcome:
    """One event through the queue, as the browser sends it, and every message it produced."""
    session = session or uuid.uuid4().hex
    joined = join(server, name, data, session=session, client=client, event_data=event_data)
    if joined.status_code != 200:
        return Outcome(joined.status_code, [], joined.text)
    event_id = joined.json()["event_id"]
    messages: list[dict] = []
    stream_url = server.url + f"gradio_api/queue/data?session_hash={session}"
    headers = {"X-Forwarded-For": client}
    with httpx.stream("GET", stream_url, headers=headers, timeout=timeout) as stream:
        for line in stream.iter_lines():
            if not line.startswith("data:"):
                continue
            message = json.loads(line[5:])
            if message.get("event_id") != event_id:
                continue
            messages.append(message)
            if message.get("msg") == "process_completed":
                break
    return Outcome(200, messages)


def client_for(server: Server, client: str):
    from gradio_client import Client

    return Client(server.url, verbose=False, headers={"X-Forwarded-For": client})


def short(text: str, size: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _detail(body: str) -> str:
    with contextlib.suppress(ValueError, AttributeError):
        value = json.loads(body)
        return short(value.get("detail") or value.get("error") or body, 50)
    return short(body, 50)


def size_of(folder: Path) -> int:
    if not folder.exists():
        return 0
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def human(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(size) < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def file_urls(value) -> list[str]:
    """Every file URL in a Gradio response, wherever it sits."""
    found: list[str] = []
    if isinstance(value, dict):
        if isinstance(value.get("url"), str) and "file=" in value["url"]:
            found.append(value["url"])
        for item in value.values():
            found += file_urls(item)
    elif isinstance(value, list):
        for item in value:
            found += file_urls(item)
    return found


def fetched(urls: list[str]) -> str:
    texts = []
    for url in urls:
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(url, timeout=30)
            if answer.status_code == 200:
                texts.append(answer.content.decode("utf-8", errors="replace"))
    return "\n".join(texts)


# -- the probes ------------------------------------------------------------------------------
# Each returns the text of one cell. They run in the order of PROBES (the ones that open the
# trainer tab before the password floods, the flood that can jam the queue last).
def secret_file(server: Server) -> Path:
    secret = server.root / f"secret-{uuid.uuid4().hex[:8]}.txt"
    secret.write_text("COACH_TRAINER_PASSWORD=" + PASSWORD + "\n", encoding="utf-8")
    return secret


def history_with(*paths: str) -> list[dict]:
    return [
        {
            "role": "user",
            "content": [
                {"type": "file", "file": {"path": p, "meta": {"_type": "gradio.FileData"}}}
            ],
        }
        for p in paths
    ]


def leaked(response) -> list[str]:
    """What the file URLs handed out in ``response`` gave away."""
    urls = file_urls(response)
    if not urls:
        return []
    content = fetched(urls)
    read = []
    if "COACH_DATA_DIR=" in content and PASSWORD in content:
        read.append("/proc/self/environ (password)")
    if f"COACH_TRAINER_PASSWORD={PASSWORD}\n" in content:
        read.append("the secret file")
    return read or [f"{len(urls)} file URL(s) handed out, not readable"]


def refusal(reason: str) -> str:
    if "not uploaded by a user" in reason or "Cannot move" in reason:
        return "refused: 'not uploaded by a user'"
    return f"refused ({reason})"


def probe_file_run(server: Server) -> str:
    secret = secret_file(server)
    read, refused = [], []
    for path in ("/proc/self/environ", str(secret)):
        body = {
            "data": ["hello there sales team", history_with(path), None, "en"],
            "session_hash": uuid.uuid4().hex,
        }
        answer = httpx.post(
            server.url + "gradio_api/run/on_ask_1",
            json=body,
            headers={"X-Forwarded-For": address(1, 0, 1)},
            timeout=60,
        )
        if answer.status_code != 200:
            refused.append(f"HTTP {answer.status_code}")
            continue
        found = leaked(answer.json())
        read += found
        if not found:
            refused.append(_detail(answer.text))
    if read:
        return "READ: " + ", ".join(read)
    return refusal(_merge(refused))


def probe_file_queue(server: Server) -> str:
    secret = secret_file(server)
    history = history_with("/proc/self/environ", str(secret))
    outcome = call(
        server,
        "on_ask",
        ["hello there sales team", history, None, "en", LEARNER],
        client=address(1, 0, 2),
    )
    if not outcome.ok:
        return refusal(outcome.why())
    found = leaked(outcome.final)
    return ("READ: " + ", ".join(found)) if found else "answered, no file handed out"


def _merge(cells: list[str]) -> str:
    return "; ".join(dict.fromkeys(cells))


WRONG = "That password is not right"
TOO_MANY = "Too many tries"


def probe_guesses_queue(server: Server) -> str:
    def guess(n: int) -> str:
        try:
            return call(server, "on_unlock", [f"guess-{n}", "en"], client=address(2, 0, 1)).dump()
        except httpx.HTTPError as exc:
            return f"error: {exc}"

    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(guess, range(60)))
    seconds = time.monotonic() - started
    verdicts = sum(WRONG in a for a in answers)
    limited = sum(TOO_MANY in a for a in answers)
    other = 60 - verdicts - limited
    cell = f"{verdicts}/60 verdicts"
    if limited:
        cell += f", {limited} 'too many tries'"
    if other:
        cell += f", {other} other"
    return cell + f" ({seconds:.0f} s)"


def probe_guesses_run(server: Server) -> str:
    def guess(n: int) -> tuple[int, str]:
        body = {"data": [f"run-guess-{n}", "en"], "session_hash": uuid.uuid4().hex}
        answer = httpx.post(
            server.url + "gradio_api/run/on_unlock",
            json=body,
            headers={"X-Forwarded-For": address(2, 0, 2)},
            timeout=120,
        )
        return answer.status_code, answer.text

    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(guess, range(60)))
    seconds = time.monotonic() - started
    verdicts = sum(WRONG in text for _, text in answers)
    statuses = sorted({status for status, _ in answers})
    if verdicts:
        return f"{verdicts}/60 verdicts in {seconds:.1f} s"
    return f"0 verdicts (HTTP {', '.join(map(str, statuses))})"


def probe_flood(server: Server) -> str:
    """~150 wrong guesses from 50 addresses (joined, not waited for, as an attacker would),
    and meanwhile one /advise from another address."""
    advisor = client_for(server, address(3, 0, 1))
    counts = {"joined": 0, "full": 0, "other": 0}
    lock = threading.Lock()
    done_joining = threading.Event()

    def guess(n: int) -> None:
        try:
            answer = join(
                server,
                "on_unlock",
                [f"flood-{n}", "en"],
                session=uuid.uuid4().hex,
                client=address(3, 1 + n % 50, 1),
            )
            kind = "joined" if answer.status_code == 200 else "other"
            if "queue is full" in answer.text.lower():
                kind = "full"
        except httpx.HTTPError:
            kind = "other"
        with lock:
            counts[kind] += 1

    with ThreadPoolExecutor(FLOOD_WORKERS) as pool:
        futures = [pool.submit(guess, n) for n in range(150)]

        def watch():
            for future in futures:
                future.result()
            done_joining.set()

        threading.Thread(target=watch, daemon=True).start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not done_joining.is_set():
            with lock:
                if counts["joined"] + counts["full"] >= 105:
                    break
            time.sleep(0.05)
        started = time.monotonic()
        try:
            answer = advisor.predict(QUESTION, api_name="/advise")
            seconds = time.monotonic() - started
            advice = f"yes, {seconds:.1f} s" if answer.get("sources") else "answer without sources"
        except Exception as exc:  # noqa: BLE001 - the cell says what went wrong
            seconds = time.monotonic() - started
            advice = f"NO, {seconds:.1f} s: {short(str(exc), 24)}"
    flood = f"flood: {counts['joined']} queued"
    if counts["full"]:
        flood += f", {counts['full']} 'queue full'"
    if counts["other"]:
        flood += f", {counts['other']} refused"
    return f"{advice} ({flood})"


def probe_big_body(server: Server) -> str:
    pad = "x" * (20 * 1024 * 1024)
    body = json.dumps(
        {
            "data": ["ok"],
            "fn_index": server.fn("check"),
            "session_hash": uuid.uuid4().hex,
            "event_data": None,
            "trigger_id": None,
            "pad": pad,
        }
    ).encode()
    started = time.monotonic()
    answer = httpx.post(
        server.url + "gradio_api/queue/join",
        content=body,
        headers={"Content-Type": "application/json", "X-Forwarded-For": address(4, 0, 1)},
        timeout=120,
    )
    seconds = time.monotonic() - started
    verdict = "accepted" if answer.status_code == 200 else "refused"
    return f"HTTP {answer.status_code}, {verdict} ({seconds:.1f} s)"


@dataclass
class Conversation:
    session: str = ""
    client: str = ""
    answered: int = 0


CONVERSATION = Conversation()
LEARNER = uuid.uuid4().hex  # the browser's learner id the probes send (a valid one)


def rows_in(server: Server, table: str) -> int:
    """Rows of ``table`` in the server's SQLite database (read directly, not through coach)."""
    path = server.data / "coach.db"
    if not path.is_file():
        return 0
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def stored_questions(server: Server, marker: str) -> list[str]:
    with contextlib.closing(sqlite3.connect(server.data / "coach.db")) as db:
        found = db.execute("SELECT question FROM messages WHERE question LIKE ?", (f"%{marker}%",))
        return [
            row[0] for row in found
        ]  # the session of probe_disk, reused by the votes and deep links


def probe_disk(server: Server) -> str:
    downloads, cache = server.tmp / "coach-downloads", server.tmp / "gradio"
    before = size_of(downloads), size_of(cache)
    session, client = uuid.uuid4().hex, address(5, 0, 1)
    CONVERSATION.session, CONVERSATION.client = session, client
    history: list = []
    answered = full = 0
    for n in range(60):
        outcome = call(
            server,
            "on_ask",
            [f"{QUESTION} ({n})", history, None, "en", LEARNER],
            session=session,
            client=client,
        )
        if not outcome.ok:
            return f"error: question {n + 1}: {outcome.why()}"
        messages = outcome.data[0]
        if isinstance(messages, list) and len(messages) > len(history):
            history = messages
            answered += 1
        else:
            full += 1
    CONVERSATION.answered = answered
    added = size_of(downloads) - before[0], size_of(cache) - before[1]
    cell = f"downloads +{human(added[0])}, Gradio cache +{human(added[1])} ({answered} answered"
    return cell + (f", {full} refused as too long)" if full else ")")


def probe_votes(server: Server) -> str:
    if not CONVERSATION.answered:
        return "error: no conversation to vote on"
    before = rows_in(server, "votes")
    for _ in range(50):
        call(
            server,
            "on_like",
            [None, "en", LEARNER],
            session=CONVERSATION.session,
            client=CONVERSATION.client,
            event_data={"index": 1, "value": "x", "liked": False},
        )
    added = rows_in(server, "votes") - before
    return f"+{added} vote{'' if added == 1 else 's'} stored"


def probe_deep_link(server: Server) -> str:
    answer = httpx.get(
        server.url + "gradio_api/deep_link",
        params={"session_hash": CONVERSATION.session},
        headers={"X-Forwarded-For": address(7, 0, 9)},
        timeout=30,
    )
    cell = f"HTTP {answer.status_code}"
    if answer.status_code != 200:
        return cell
    link = answer.json() if answer.text.startswith('"') else ""
    if not link:
        return cell + ", no link"
    page = httpx.get(server.url, params={"deep_link": link}, timeout=30).text
    shown = f"{QUESTION} (0)" in page
    return cell + (", link shows that user's question" if shown else ", link made")


TRAINER = Conversation()  # an unlocked trainer session (probe_trainer_replay, probe_upload)


def unlock(server: Server, session: str, client: str) -> Outcome:
    for _ in range(10):  # the password limits may still be refilling
        outcome = call(server, "on_unlock", [PASSWORD, "en"], session=session, client=client)
        if TOO_MANY not in outcome.dump():
            return outcome
        time.sleep(2.5)
    return outcome


def probe_trainer_replay(server: Server) -> str:
    client_for(server, address(7, 0, 3)).predict(QUESTION, api_name="/advise")  # a row to show
    session, client = uuid.uuid4().hex, address(7, 0, 1)
    opened = unlock(server, session, client)
    if not opened.ok or WRONG in opened.dump():
        return f"error: could not unlock ({opened.why()})"
    TRAINER.session, TRAINER.client = session, client

    def shown(outcome: Outcome) -> bool:
        return outcome.ok and QUESTION in json.dumps(outcome.data, ensure_ascii=False)

    owner = call(server, "on_refresh", [None, "en"], session=session, client=client)
    stolen = call(server, "on_refresh", [None, "en"], session=session, client=address(7, 0, 2))
    verdict = "YES, tables returned" if shown(stolen) else "no, empty tables"
    return verdict + (" (owner: data)" if shown(owner) else " (owner: none either)")


def playbook_with_remote_image(project: Path) -> tuple[str, bytes]:
    folder = project / "knowledge" / "playbooks" / "en"
    source = sorted(folder.glob("*.md"))[0].read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", "id: probe-remote-image", source, count=1)
    head_end = text.index("\n---", 3) + len("\n---\n")
    image = '<img src="http://127.0.0.1:9/probe.png"> ![chart](http://127.0.0.1:9/chart.png)\n\n'
    return "probe-remote-image.md", (text[:head_end] + "\n" + image + text[head_end:]).encode()


def probe_upload(server: Server, project: Path) -> str:
    if not TRAINER.session:
        return "error: no unlocked trainer session"
    name, content = playbook_with_remote_image(project)
    uploaded = httpx.post(
        server.url + "gradio_api/upload",
        files=[("files", (name, content, "text/markdown"))],
        headers={"X-Forwarded-For": TRAINER.client},
        timeout=60,
    )
    if uploaded.status_code != 200:
        return f"refused at upload (HTTP {uploaded.status_code})"
    path = uploaded.json()[0]
    files = [{"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}]
    outcome = call(
        server, "on_upload", [files, None, "en"], session=TRAINER.session, client=TRAINER.client
    )
    saved = [p for p in server.data.rglob("probe-remote-image*") if p.is_file()]
    if saved:
        kept = "<img" in saved[0].read_text(encoding="utf-8")
        return "SAVED" + (", <img> kept" if kept else ", <img> stripped")
    if not outcome.ok:
        return f"refused ({outcome.why()})"
    said = str(outcome.data[0]) if outcome.data else ""
    match = re.search(r"✗ \*\*[^*]+\*\*: (.*)", said)
    reason = re.sub(r"^not added: ", "", match.group(1) if match else said)
    return "refused: " + short(reason, 45)


def probe_sessions(server: Server) -> str:
    """A browser-style rehearsal in session S, then 2100 cheap calls with fresh session hashes
    from one other address, then S's next turn."""
    session, client = uuid.uuid4().hex, address(6, 0, 2)
    started = call(
        server, "on_start", [SCENARIO, "calm", "en", "en", LEARNER], session=session, client=client
    )
    if not started.ok:
        return f"error: on_start: {started.why()}"

    def cheap(_: int) -> int:
        try:
            return call(server, "on_clear", [], client=address(6, 0, 1)).status
        except httpx.HTTPError:
            return -1

    begun = time.monotonic()
    with ThreadPoolExecutor(FLOOD_WORKERS) as pool:
        statuses = Counter(pool.map(cheap, range(2100)))
    seconds = time.monotonic() - begun
    turn = call(
        server, "on_send", ["Can we talk about it?", None, "en"], session=session, client=client
    )
    lost = "Pick a scenario" in turn.dump() or not turn.ok
    accepted = statuses.get(200, 0)
    refused = 2100 - accepted
    flood = f"{accepted} accepted" + (f", {refused} refused" if refused else "")
    return ("LOST" if lost else "kept") + f" ({flood}, {seconds:.0f} s)"


def probe_api_rehearsals(server: Server) -> str:
    theirs = client_for(server, address(6, 1, 2))
    started = theirs.predict(SCENARIO, "calm", "en", api_name="/rehearse_start")
    sessions = [uuid.uuid4().hex for _ in range(FLOOD_WORKERS)]

    def start(n: int) -> int:
        try:
            outcome = call(
                server,
                "rehearse_start",
                [SCENARIO, "calm", "en"],
                session=sessions[n % len(sessions)],
                client=address(6, 1, 1),
            )
        except httpx.HTTPError:
            return -1
        return outcome.status if outcome.status != 200 or outcome.ok else 0

    statuses: Counter[int] = Counter()
    with ThreadPoolExecutor(FLOOD_WORKERS) as pool:
        # Batches of one call per session hash, so no two streams of one session overlap.
        for chunk in range(0, 510, FLOOD_WORKERS):
            statuses.update(pool.map(start, range(chunk, min(chunk + FLOOD_WORKERS, 510))))
    try:
        turn = theirs.predict(
            started["session_id"], "Can we talk about it?", api_name="/rehearse_turn"
        )
        verdict = "answers" if turn.get("counterpart") else "empty answer"
    except Exception as exc:  # noqa: BLE001 - the cell says what went wrong
        verdict = "GONE: " + short(str(exc), 36)
    return f"{verdict} ({statuses.get(200, 0)}/510 started)"


def probe_controls(server: Server) -> str:
    marker = uuid.uuid4().hex[:8]
    question = f"{QUESTION} \u202ereversed\u202c and \x9bcontrol {marker}"
    client_for(server, address(9, 0, 1)).predict(question, api_name="/advise")
    rows = stored_questions(server, marker)
    if not rows:
        return "question not stored"
    text = json.dumps(rows[-1], ensure_ascii=True)
    found = [name for name, code in (("U+202E", "\\u202e"), ("C1", "\\u009b")) if code in text]
    return ("REACH the log: " + ", ".join(found)) if found else "both removed"


def probe_long_turn(server: Server) -> str:
    client = client_for(server, address(9, 0, 2))
    started = client.predict(SCENARIO, "calm", "en", api_name="/rehearse_start")
    text = ("¿Qué hacemos con los leads? " * 200)[:5000]
    try:
        client.predict(started["session_id"], text, api_name="/rehearse_turn")
    except Exception as exc:  # noqa: BLE001 - the error is the result
        message = str(exc)
        match = re.search(r"(That turn[^.]*\.|Ese turno[^.]*\.|Tu turno[^.]*\.)", message)
        said = match.group(1) if match else message
        english = "turn is" in said.lower() or said.startswith("That")
        return ("English" if english else "NOT English") + f": '{short(said, 40)}'"
    return "accepted (no error)"


def probe_slow_headers(server: Server, cap: float = 20.0) -> str:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(1.0)
        while time.monotonic() - started < cap:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                if sock.recv(1) == b"":
                    break
            except TimeoutError:
                continue
            except OSError:
                break
        else:
            return f"HELD for the whole probe ({cap:.0f} s)"
    return f"cut off after {time.monotonic() - started:.0f} s"


# -- the table -------------------------------------------------------------------------------
@dataclass
class Row:
    finding: str
    lines: list[tuple[str, str]]  # (probe key, what was tried)


ROWS = [
    Row(
        "1 server files",
        [
            ("file_run", "/proc/self/environ + a secret file in a chat history, /run/on_ask_1"),
            ("file_queue", "the same through the queue (on_ask by fn_index)"),
        ],
    ),
    Row(
        "2 password pause",
        [
            ("guess_queue", "60 parallel wrong guesses from one address (queue)"),
            ("guess_run", "60 parallel wrong guesses via /gradio_api/run/on_unlock"),
        ],
    ),
    Row(
        "3 guesses jam app",
        [("flood", "150 wrong guesses from 50 addresses; /advise from another: answered?")],
    ),
    Row("4 body size", [("big_body", "a 20 MB JSON body to /gradio_api/queue/join")]),
    Row(
        "5 disk, stats",
        [
            ("disk", "60 questions in one session: bytes added on disk"),
            ("votes", "50 identical thumbs-down on one answer: votes stored"),
        ],
    ),
    Row(
        "6 sessions wiped",
        [
            ("sessions", "rehearsal in S; 2100 fresh-session calls from 1 address; turn in S"),
            ("api_rehearsals", "510 /rehearse_start from 1 address; another's earlier rehearsal"),
        ],
    ),
    Row(
        "7 session hash",
        [
            ("deep_link", "/gradio_api/deep_link?session_hash=<another user's session>"),
            ("replay", "unlocked trainer session hash replayed from another address"),
        ],
    ),
    Row("8 outside URLs", [("upload", "upload a playbook with <img src=http://…> (unlocked)")]),
    Row(
        "9 low",
        [
            ("controls", "/advise with U+202E and a C1 control: in the database?"),
            ("long_turn", "5000-char turn in an English API rehearsal: error language"),
            ("slow_headers", "a connection sending one header line a second (cap 20 s)"),
        ],
    ),
]


def probes(project: Path) -> list[tuple[str, Callable[[Server], str]]]:
    """In running order: the trainer session is opened before the password floods, the flood
    that can fill the queue comes last."""
    return [
        ("file_run", probe_file_run),
        ("file_queue", probe_file_queue),
        ("disk", probe_disk),
        ("votes", probe_votes),
        ("deep_link", probe_deep_link),
        ("replay", probe_trainer_replay),
        ("upload", lambda server: probe_upload(server, project)),
        ("controls", probe_controls),
        ("long_turn", probe_long_turn),
        ("big_body", probe_big_body),
        ("api_rehearsals", probe_api_rehearsals),
        ("sessions", probe_sessions),
        ("guess_queue", probe_guesses_queue),
        ("guess_run", probe_guesses_run),
        ("flood", probe_flood),
    ]


def guarded(probe: Callable[[Server], str], server: Server) -> str:
    try:
        return probe(server)
    except Exception as exc:  # noqa: BLE001 - one failing probe must not end the run
        return f"error: {short(f'{type(exc).__name__}: {exc}', 70)}"


def run_column(project: Path, label: str) -> dict[str, str]:
    CONVERSATION.__init__()
    TRAINER.__init__()
    log(f"{label}: starting coach serve from {project}")
    started = time.monotonic()
    results: dict[str, str] = {}
    try:
        with coach_serve(project) as server:
            log(f"{label}: serving on {server.url} ({time.monotonic() - started:.0f} s)")
            slow: dict[str, str] = {}
            slow_thread = threading.Thread(
                target=lambda: slow.update(slow_headers=guarded(probe_slow_headers, server)),
                daemon=True,
            )
            slow_thread.start()  # it only waits, so it runs beside the others
            for key, probe in probes(project):
                begun = time.monotonic()
                results[key] = guarded(probe, server)
                log(f"{label}: {key}: {results[key]} ({time.monotonic() - begun:.0f} s)")
            slow_thread.join(30)
            results.update(slow or {"slow_headers": "error: no result"})
    except Exception as exc:  # noqa: BLE001 - the column says the server did not start
        reason = f"error: {short(str(exc), 50)}"
        return {key: results.get(key, reason) for row in ROWS for key, _ in row.lines}
    log(f"{label}: done in {time.monotonic() - started:.0f} s")
    return results


@contextlib.contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A temporary `git worktree` of ``rev``, removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="coach-before-"))
    folder.rmdir()
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(folder), rev],
        check=True,
        capture_output=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(folder)],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], capture_output=True)


def revision(project: Path) -> str:
    answer = subprocess.run(
        ["git", "-C", str(project), "log", "-1", "--format=%h"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(project), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    )
    return (answer.stdout.strip() or "?") + ("+changes" if dirty.stdout.strip() else "")


def table(columns: list[tuple[str, dict[str, str]]], width: int):
    from rich.console import Console
    from rich.table import Table

    grid = Table(title="coach security probe (issue 9)")
    grid.add_column("finding", no_wrap=True)
    grid.add_column("what was tried", ratio=3)
    for label, _ in columns:
        grid.add_column(label, ratio=3)
    for row in ROWS:
        for n, (key, tried) in enumerate(row.lines):
            cells = [results.get(key, "-") for _, results in columns]
            finding = row.finding if n == 0 else ""
            grid.add_row(finding, tried, *cells, end_section=n == len(row.lines) - 1)
    Console(width=width, soft_wrap=False).print(grid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=REPO, help="checkout to probe (after)")
    parser.add_argument("--before", metavar="REV", help="also probe a worktree of REV (before)")
    parser.add_argument("--width", type=int, default=170, help="table width in characters")
    args = parser.parse_args()
    project = args.project.resolve()
    columns: list[tuple[str, dict[str, str]]] = []
    if args.before:
        try:
            with worktree(args.before) as before:
                columns.append((f"before ({revision(before)})", run_column(before, "before")))
        except subprocess.CalledProcessError as exc:
            reason = short((exc.stderr or b"").decode(errors="replace") or str(exc), 50)
            columns.append(
                (
                    f"before ({args.before})",
                    {k: f"error: {reason}" for r in ROWS for k, _ in r.lines},
                )
            )
    columns.append((f"after ({revision(project)})", run_column(project, "after")))
    table(columns, args.width)


if __name__ == "__main__":
    main()

"""The `coach` command line."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from coach.settings import quiet_telemetry

quiet_telemetry()  # before Chroma or Gradio are imported below

from coach.errors import CoachError  # noqa: E402
from coach.settings import get_settings  # noqa: E402

app = typer.Typer(
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    help="A coach for Marketing and Sales teams that work as one.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
rich_text = Console()  # Markdown answers, wrapped to the terminal


def _emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _open_coach():
    from coach.answer import Coach

    return Coach(
        get_settings(),
        on_build=lambda: err.print(
            "[dim]Building the index for the first time (about a minute)…[/dim]"
        ),
    )


@app.command()
def index(quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False):
    """Index the knowledge folders (only new or changed files are embedded)."""
    from coach.index import KnowledgeIndex

    report = KnowledgeIndex(get_settings()).update(progress=False if quiet else None)
    if not report.changed and report.embedded == 0:
        out.print(
            f"Index up to date ({report.unchanged} files, {report.chunks} sections, "
            f"{report.seconds:.2f} s)."
        )
        return
    out.print(
        f"Indexed {report.unchanged + len(report.added) + len(report.updated)} files "
        f"({report.chunks} sections): {len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.removed)} removed, {report.unchanged} unchanged; embedded {report.embedded} "
        f"sections in {report.seconds:.1f} s."
    )


def _batch(path: Path):
    """Yield (line number, question or None, problem or None) per non-empty line of a JSONL file."""
    try:
        raw_lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise CoachError(f"Cannot read {path}: {exc}") from None
    for number, raw in enumerate(raw_lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:  # one bad line, not the whole file
            yield number, None, "not UTF-8 text"
            continue
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield number, None, f"not JSON ({exc})"
            continue
        if not isinstance(row, dict) or "q" not in row:
            yield number, None, 'expected a JSON object with a question: {"q": "..."}'
        elif not isinstance(row["q"], str) or not row["q"].strip():
            yield number, None, "'q' must be a non-empty string"
        else:
            yield number, row["q"], None


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="Your situation, in your words.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer record as JSON.")
    ] = False,
    batch: Annotated[Path | None, typer.Option(help='JSONL file, one {"q": ...} per line.')] = None,
    stream: Annotated[
        bool, typer.Option("--stream", help="Print the answer as it is written.")
    ] = False,
):
    """Ask for advice on a situation (Spanish or English)."""
    if batch is None and not (question and question.strip()):
        raise CoachError('Ask a question, e.g. coach ask "sales says our leads are garbage".')
    coach = _open_coach()
    if batch is not None:
        for number, q, problem in _batch(batch):
            if q:
                try:
                    record = coach.ask(q).public()
                except CoachError as exc:
                    record = {"error": f"line {number}: {exc}"}
            else:
                record = {"error": f"line {number}: {problem}"}
            if as_json:
                _emit(record)
            else:
                out.print(record.get("answer") or f"[red]{record['error']}[/red]")
                out.rule()
        return
    record = _stream_answer(coach, question, as_json) if stream else coach.ask(question)
    if record.fallback_reason:
        err.print(f"[yellow]{record.fallback_reason}[/yellow] Showing the offline coach's answer.")
    if stream and not as_json:
        return
    if as_json:
        _emit(record.public())
    elif out.is_terminal:
        rich_text.print(Markdown(record.answer))
    else:
        out.print(record.answer, markup=False, highlight=False)


def _stream_answer(coach, question: str, as_json: bool):
    """Print tokens as they arrive; if the guard or the fallback replaces the text, say so."""
    record = None
    for event in coach.stream(question):
        if event.kind == "token" and not as_json:
            sys.stdout.write(event.text)
            sys.stdout.flush()
        elif event.kind == "token":
            _emit({"event": "token", "text": event.text})
        elif event.kind == "replace" and not as_json:
            err.print("\n[yellow]The answer above was replaced:[/yellow]")
            sys.stdout.write(event.text)
        elif event.kind == "replace":
            _emit({"event": "replace", "text": event.text})
        elif event.kind == "done":
            record = event.record
    if not as_json:
        sys.stdout.write("\n")
    return record


def _typed_lines():
    """What the user types at a `> ` prompt, until an empty line, Ctrl-D or Ctrl-C."""
    while True:
        try:
            line = out.input("[bold cyan]> [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            return
        if not line.strip():
            return
        yield line


@app.command()
def chat():
    """Ask questions one after another in the terminal (empty line or Ctrl-D to quit)."""
    coach = _open_coach()
    out.print(
        "[bold]coach[/bold]: describe a situation between Marketing and Sales "
        "(Spanish or English). Empty line to quit."
    )
    for question in _typed_lines():
        try:
            rich_text.print(Markdown(coach.ask(question).answer))
        except CoachError as exc:  # one question that can't be answered doesn't end the chat
            err.print(f"[yellow]{exc}[/yellow]", highlight=False)
        out.print()


@app.command()
def check(
    draft: Annotated[str, typer.Argument(help="The message you are about to send.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
):
    """Check a draft for blaming or personal phrases and get a rewrite."""
    from coach.checker import check_message

    settings = get_settings()
    backend = None
    if settings.backend != "offline":
        from coach.backends import get_backend

        backend = get_backend(settings.backend, settings)
    result = check_message(draft, backend)
    if as_json:
        _emit(result)
        return
    flags = result["tone"]["flags"]
    if not flags:
        out.print("No blaming or personal phrases found.")
    for flag in flags:
        out.print(
            f"[bold red]{flag['kind']}[/bold red] “{flag['text']}”: {flag['why']}", highlight=False
        )
    out.print("\n[bold]Rewrite[/bold]")
    out.print(result["rewrite"], markup=False, highlight=False)


@app.command()
def sources(as_json: Annotated[bool, typer.Option("--json")] = False):
    """List what is indexed."""
    from coach.index import KnowledgeIndex

    index = KnowledgeIndex(get_settings())
    if not index.exists():
        index.update()
    docs = index.documents()
    if as_json:
        for doc in docs:
            _emit(doc)
        return
    table = Table("id", "lang", "kind", "title", "sections", "path")
    for doc in docs:
        table.add_row(
            doc["id"], doc["language"], doc["kind"], doc["title"], str(doc["sections"]), doc["path"]
        )
    out.print(table)


@app.command(name="eval")
def evaluate(
    file: Annotated[Path | None, typer.Option(help="Eval set (JSONL).")] = None,
    split: Annotated[str, typer.Option(help="dev, holdout or all.")] = "all",
    as_json: Annotated[bool, typer.Option("--json")] = False,
):
    """Measure retrieval and answers on the labelled question set."""
    from coach.evaluate import DEFAULT_EVAL_FILE, load_cases, run_eval

    result = run_eval(_open_coach(), load_cases(file or DEFAULT_EVAL_FILE, split))
    if as_json:
        _emit(result)
        return
    table = Table("metric", "value")
    for key, value in result.items():
        if key != "rows":
            table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    out.print(table)
    misses = [r for r in result["rows"] if not r["playbook_hit3"]]
    for row in misses:
        out.print(
            f"[yellow]miss[/yellow] {row['q']} → {row['top']} (expected {row['expected']})",
            highlight=False,
        )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 7860,
    root_path: Annotated[str, typer.Option(help="URL prefix when behind a reverse proxy.")] = "",
):
    """Serve the web app (advice chat, rehearsal, check my message)."""
    from coach.embeddings import preload_embedder

    settings = get_settings()
    loading = preload_embedder(settings.embedder)  # while the web framework is imported
    threading.Thread(target=_warm_readers, args=(loading,), name="readers", daemon=True).start()
    from ui.app import serve as serve_app

    serve_app(settings, host=host, port=port, root_path=root_path)


def _warm_readers(loading: threading.Thread) -> None:
    """Train (or read the cached weights of) the learned readers once the embedder is loaded,
    so the first question does not wait for them (a few seconds on a new data dir)."""
    import contextlib

    loading.join()
    with contextlib.suppress(Exception):  # a reader that cannot train leaves the rules alone
        from coach import backstop, fit_reader
        from coach.situation_reader import reader

        reader().warm()
        fit_reader.warm()
        for language in ("en", "es"):
            backstop.scores(["warm"], language)


def _scenario(scenario_id: str, lang: str | None):
    from coach.rehearsal.scenarios import load_scenarios

    scenarios = load_scenarios(get_settings().all_knowledge_dirs)
    language = lang or "en"
    if (scenario_id, language) in scenarios:
        return scenarios[(scenario_id, language)]
    if lang is None:
        match = next((s for (i, _), s in sorted(scenarios.items()) if i == scenario_id), None)
        if match:
            return match
    known = ", ".join(sorted({i for i, _ in scenarios}))
    raise CoachError(f"No scenario '{scenario_id}' in '{language}'. Known scenarios: {known}.")


@app.command()
def scenarios(as_json: Annotated[bool, typer.Option("--json")] = False):
    """List the rehearsal scenarios."""
    from coach.rehearsal.scenarios import load_scenarios

    found = load_scenarios(get_settings().all_knowledge_dirs)
    if as_json:
        for _, scenario in sorted(found.items()):
            _emit(scenario.summary_dict())
        return
    table = Table("id", "lang", "title", "counterpart", "principles")
    for _, s in sorted(found.items()):
        table.add_row(
            s.id,
            s.language,
            s.title,
            f"{s.counterpart.name}, {s.counterpart.role}",
            ", ".join(s.principles),
        )
    out.print(table)


@app.command()
def rehearse(
    scenario_id: Annotated[
        str, typer.Argument(metavar="ID", help="Scenario id (see `coach scenarios`).")
    ],
    level: Annotated[str, typer.Option(help="calm, tense or hostile.")] = "tense",
    lang: Annotated[str | None, typer.Option(help="es or en (default en).")] = None,
    script: Annotated[
        Path | None, typer.Option(help="Text file: one turn of yours per line.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    seed: Annotated[int, typer.Option(help="Same seed, same replies.")] = 0,
    transcript: Annotated[
        Path | None, typer.Option(help="Save the transcript (.md or .json).")
    ] = None,
):
    """Practise a difficult conversation; the coach plays the counterpart."""
    from coach.rehearsal.engine import MAX_TURN_CHARS, Session
    from coach.rehearsal.scenarios import LEVELS
    from coach.text import user_text

    if level not in LEVELS:
        raise CoachError(f"--level must be one of: {', '.join(LEVELS)}.")
    if lang is not None and lang not in ("es", "en"):
        raise CoachError("--lang must be es or en.")
    if transcript is not None and not transcript.parent.is_dir():
        raise CoachError(
            f"Cannot save the transcript to {transcript}: no folder {transcript.parent}."
        )
    from coach.backends import get_backend
    from coach.embeddings import get_embedder
    from coach.rehearsal.reading import Reader
    from coach.rehearsal.voices import voice_for

    settings = get_settings()
    session = Session(
        _scenario(scenario_id, lang),
        level=level,
        seed=seed,
        voice=voice_for(get_backend(settings.backend, settings)),
        reader=Reader.for_embedder(get_embedder(settings.embedder)),
    )
    if script is not None:
        try:
            lines = [line.strip() for line in script.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            raise CoachError(f"Cannot read {script}: {exc}") from None
        if not any(lines):
            raise CoachError(f"{script} has no lines to say: write one turn per line.")
        for number, line in enumerate(lines, 1):
            try:
                user_text(line or "-", "turn", MAX_TURN_CHARS)  # every line, before playing any
            except CoachError as exc:
                raise CoachError(f"{script}, line {number}: {exc}") from None
        unplayed = []
        for line in filter(None, lines):
            if session.finished:
                unplayed.append(line)
            else:
                _show_turn(session, session.turn(line), quiet=as_json)
        record = {
            "scenario": session.scenario.id,
            "opening": session.opening,
            "turns": [t.to_dict() for t in session.turns],
            "scorecard": session.scorecard(),
            "unplayed": unplayed,
        }
        if as_json:
            _emit(record)
        else:
            _show_scorecard(session)
    else:
        _interactive(session)
    if transcript is not None:
        text = (
            session.transcript_json()
            if transcript.suffix == ".json"
            else session.transcript_markdown()
        )
        try:
            transcript.write_text(text, encoding="utf-8")
        except OSError as exc:  # the rehearsal is not lost: it goes to the screen instead
            sys.stdout.write(text)
            raise CoachError(
                f"Cannot save the transcript to {transcript} ({exc}); printed above."
            ) from None
        err.print(f"Transcript saved to {transcript}")


def _show_turn(session, turn, quiet: bool = False) -> None:
    if quiet:
        return
    name = session.scenario.counterpart.name
    out.print(f"[bold]{name}:[/bold] {turn.counterpart}", highlight=False)
    fb = turn.feedback
    out.print(f"[dim]score {fb.score}/100 · tension {turn.tension}/10[/dim]")
    for flag in fb.flags:
        out.print(f"  [red]“{flag['text']}”[/red] {flag['why']}", highlight=False)
    for strength in fb.strengths:
        out.print(f"  [green]+[/green] {strength}", highlight=False)
    out.print(f"  [cyan]Try:[/cyan] {fb.suggestion}", highlight=False)


def _show_scorecard(session) -> None:
    card = session.scorecard()
    out.rule("Scorecard")
    out.print(f"Score {card['score']}/100 · outcome: {card['outcome']}")
    for pid, value in card["by_principle"].items():
        out.print(f"  {pid}: {value}/100")
    if card["first_turn"]:
        out.print(
            f"First turn {card['first_turn']['score']} → best turn {card['best_turn']['score']}"
        )
    for alt in card["alternatives"]:
        out.print(f"  Turn {alt['turn']}: {alt['suggestion']}", highlight=False)
    if card.get("debrief"):
        from coach.rehearsal.debrief import debrief_markdown

        out.print(debrief_markdown(card["debrief"], session.language), highlight=False)


def _interactive(session) -> None:
    s = session.scenario
    out.print(
        f"[bold]{s.title}[/bold]\n{s.summary}\n[dim]You are: {s.learner_role}. "
        f"Empty line to stop.[/dim]\n",
        highlight=False,
    )
    out.print(f"[bold]{s.counterpart.name}:[/bold] {session.opening}", highlight=False)
    for text in _typed_lines():
        try:
            _show_turn(session, session.turn(text))
        except ValueError as exc:  # e.g. a turn too long to be a turn: say so, keep going
            err.print(f"[yellow]{exc}[/yellow]", highlight=False)
            continue
        if session.finished:
            break
    _show_scorecard(session)


# -- the database --------------------------------------------------------------------------
db_app = typer.Typer(no_args_is_help=True, help="The database: upgrade, stats, purge.")
app.add_typer(db_app, name="db")


def _store(upgrade: bool):
    from coach.store import open_store

    return open_store(get_settings(), upgrade=upgrade)


@db_app.command("upgrade")
def db_upgrade():
    """Bring the database schema to the newest revision and import the old JSONL logs (once)."""
    from coach.store import migrate

    store = _store(upgrade=True)
    out.print(f"Database {store.shown_url} at revision {migrate.current(store.engine)}.")
    if any(store.imported.values()):
        out.print(
            "Imported once from the JSONL logs: "
            + ", ".join(f"{n} lines of {name}" for name, n in store.imported.items())
            + "."
        )


@db_app.command("stats")
def db_stats(as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False):
    """Rows per table, the schema revision and where the database is."""
    from sqlalchemy.exc import SQLAlchemyError

    from coach.store import StoreError, queries
    from coach.store.base import one_line

    store = _store(upgrade=False)
    try:
        data = queries.stats(store)
    except SQLAlchemyError as exc:
        raise StoreError(f"Cannot read the database {store.shown_url}: {one_line(exc)}") from None
    if as_json:
        _emit(data)
        return
    behind = (
        ""
        if data["revision"] == data["head"]
        else f" (newest {data['head']}: run `coach db upgrade`)"
    )
    out.print(
        f"Database {data['database']}, revision {data['revision'] or 'none (empty)'}{behind}",
        highlight=False,
    )
    table = Table("table", "rows")
    for name, rows in data["rows"].items():
        table.add_row(name, str(rows))
    out.print(table)


@db_app.command("purge")
def db_purge(
    days: Annotated[
        int | None, typer.Option(help="Older than this; default COACH_RETENTION_DAYS.", min=1)
    ] = None,
):
    """Delete conversations, rehearsals and votes older than the retention period."""
    from coach.store import repo

    days = days or get_settings().retention_days
    if not days:
        raise CoachError("Say how old: --days N, or set COACH_RETENTION_DAYS.")
    gone = repo.purge_older_than(_store(upgrade=True), days)
    out.print(
        f"Deleted what was older than {days} days: "
        + ", ".join(f"{n} {name}" for name, n in gone.items())
        + "."
    )


# -- courses (LTI 1.3) -----------------------------------------------------------------------
lti_app = typer.Typer(
    no_args_is_help=True, help="Courses: coach as an LTI 1.3 tool in Moodle, Canvas and others."
)
app.add_typer(lti_app, name="lti")


@lti_app.command("keys")
def lti_keys(
    rotate: Annotated[
        bool, typer.Option(help="Make a new pair; the old public key stays in the JWKS.")
    ] = False,
):
    """Make the tool's key pair (kept in the data dir; printed again if there is one)."""
    from coach.lti import config

    settings = get_settings()
    kid = config.make_keys(settings, rotate=rotate)
    out.print(f"Tool key {kid} in {config.lti_dir(settings)} (public keys at /lti/jwks).")


@lti_app.command("add-platform")
def lti_add_platform(
    issuer: Annotated[str, typer.Option(help="The LMS's issuer (Moodle: its address).")],
    client_id: Annotated[str, typer.Option(help="The client id the LMS gave coach.")],
    deployment_id: Annotated[
        list[str], typer.Option(help="A deployment id the LMS gave (repeat for several).")
    ],
    auth_login_url: Annotated[str, typer.Option(help="The LMS's authentication request URL.")],
    auth_token_url: Annotated[str, typer.Option(help="The LMS's access token URL.")],
    key_set_url: Annotated[str, typer.Option(help="The LMS's public keyset (JWKS) URL.")],
    name: Annotated[str, typer.Option(help="A name for you to recognise it.")] = "",
):
    """Register an LMS (what its admin gets when adding coach as an LTI 1.3 tool)."""
    from pydantic import ValidationError

    from coach.lti import config

    settings = get_settings()
    try:
        platform = config.Platform(
            issuer=issuer,
            client_id=client_id,
            deployment_ids=deployment_id,
            auth_login_url=auth_login_url,
            auth_token_url=auth_token_url,
            key_set_url=key_set_url,
            name=name,
        )
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"]).replace("_", "-")
        raise CoachError(f"--{where}: {problem['msg']}.") from None
    replaced = config.add_platform(settings, platform)
    kid = config.make_keys(settings)
    out.print(
        f"{'Updated' if replaced else 'Registered'} {issuer} (client {client_id}); tool key {kid}."
    )


@lti_app.command("platforms")
def lti_platforms(as_json: Annotated[bool, typer.Option("--json")] = False):
    """The registered LMSs."""
    from coach.lti import config

    found = config.read_platforms(get_settings())
    if as_json:
        for platform in found:
            _emit(platform.model_dump(mode="json"))
        return
    table = Table("issuer", "client id", "deployments", "name")
    for p in found:
        table.add_row(p.issuer, p.client_id, ", ".join(p.deployment_ids), p.name)
    out.print(table if found else "No LMS registered yet: `coach lti add-platform --help`.")


@lti_app.command("config")
def lti_config(
    url: Annotated[str, typer.Option(help="The https address coach is served at.")],
):
    """What to paste into the LMS when adding coach (also at /lti/config on the server)."""
    from coach.lti.routes import tool_urls

    for name, value in tool_urls(url.rstrip("/")).items():
        out.print(f"{name}: {value}", highlight=False)
    out.print(f"Canvas developer key JSON: {url.rstrip('/')}/lti/config.json", highlight=False)


@lti_app.command("grades")
def lti_grades(
    send: Annotated[bool, typer.Option(help="Send the grades that are due now.")] = False,
):
    """Scores owed to LMS gradebooks and whether each got there."""
    from coach.lti import grades

    settings = get_settings()
    store = _store(upgrade=True)
    if send:
        done = grades.send_due(store, settings)
        out.print(f"Sent {done['sent']}, failed {done['failed']}.")
    table = Table("learner", "scenario", "score", "status", "tries", "error")
    for row in grades.status_rows(store):
        table.add_row(
            *(str(row[k]) for k in ("learner", "scenario", "score", "status", "tries")),
            row["error"],
        )
    out.print(table)


def main() -> None:
    try:
        app()
    except CoachError as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise SystemExit(1) from None
    except Exception as exc:  # a bug: one line for the user, the trace only on request
        if os.environ.get("COACH_DEBUG"):
            raise
        err.print(
            f"[red]Unexpected error:[/red] {type(exc).__name__}: {exc} "
            "(run with COACH_DEBUG=1 to see the details)",
            highlight=False,
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()

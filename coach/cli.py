"""The `coach` command line."""

from __future__ import annotations

import json
import sys
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
    no_args_is_help=True,
    add_completion=False,
    help="A coach for Marketing and Sales teams that work as one.",
)
out = Console()
err = Console(stderr=True)


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
    """Yield (question or None, error or None) per non-empty line of a JSONL file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CoachError(f"Cannot read {path}: {exc}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            question = row["q"]
            if not isinstance(question, str) or not question.strip():
                raise ValueError("'q' must be a non-empty string")
        except (ValueError, KeyError, TypeError) as exc:
            problem = "missing key 'q'" if isinstance(exc, KeyError) else str(exc)
            yield None, f"line {number}: {problem}"
            continue
        yield question, None


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="Your situation, in your words.")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer record as JSON.")
    ] = False,
    batch: Annotated[Path | None, typer.Option(help='JSONL file, one {"q": ...} per line.')] = None,
):
    """Ask for advice on a situation (Spanish or English)."""
    if batch is None and not (question and question.strip()):
        raise CoachError('Ask a question, e.g. coach ask "sales says our leads are garbage".')
    coach = _open_coach()
    if batch is not None:
        for q, problem in _batch(batch):
            record = coach.ask(q).model_dump() if q else {"error": problem}
            if as_json:
                _emit(record)
            else:
                out.print(record.get("answer") or f"[red]{problem}[/red]")
                out.rule()
        return
    record = coach.ask(question)
    if as_json:
        _emit(record.model_dump())
    elif out.is_terminal:
        out.print(Markdown(record.answer))
    else:
        out.print(record.answer, markup=False, highlight=False)


@app.command()
def chat():
    """Ask questions one after another in the terminal (empty line or Ctrl-D to quit)."""
    coach = _open_coach()
    out.print("[bold]coach[/bold]: describe a situation between Marketing and Sales "
              "(Spanish or English). Empty line to quit.")
    while True:
        try:
            question = out.input("[bold cyan]> [/bold cyan]")
        except (EOFError, KeyboardInterrupt):
            break
        if not question.strip():
            break
        out.print(Markdown(coach.ask(question).answer))
        out.print()


@app.command()
def check(
    draft: Annotated[str, typer.Argument(help="The message you are about to send.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
):
    """Check a draft for blaming or personal phrases and get a rewrite."""
    from coach.checker import check_message

    result = check_message(draft)
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


def main() -> None:
    try:
        app()
    except CoachError as exc:
        err.print(f"[red]Error:[/red] {exc}", highlight=False)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()

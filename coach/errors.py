"""The few errors coach raises on purpose; the CLI and UI turn them into one-line messages."""

from __future__ import annotations

from pathlib import Path


class CoachError(Exception):
    """Base class: ``str(error)`` is a message a user can act on."""


class KnowledgeError(CoachError):
    """A knowledge file cannot be indexed; names the file and the problem (in English, and in
    Spanish for the trainers' tab when ``problem_es`` is given)."""

    def __init__(self, path: Path | str, problem: str, problem_es: str | None = None) -> None:
        self.path = Path(path)
        self.problem = problem
        self.problem_es = problem_es or problem
        super().__init__(f"{path}: {problem}")

    def problem_in(self, lang: str) -> str:
        return self.problem_es if lang == "es" else self.problem


class KnowledgeProblems(KnowledgeError):
    """Several knowledge files cannot be indexed; names each (up to ``SHOWN``) and its problem."""

    SHOWN = 20

    def __init__(self, problems: list[KnowledgeError]) -> None:
        self.problems = problems
        lines = [str(p) for p in problems[: self.SHOWN]]
        if len(problems) > self.SHOWN:
            lines.append(f"… and {len(problems) - self.SHOWN} more")
        CoachError.__init__(
            self, f"{len(problems)} knowledge files cannot be indexed:\n  " + "\n  ".join(lines)
        )
        first = problems[0]
        self.path, self.problem, self.problem_es = first.path, first.problem, first.problem_es


class IndexNotReady(CoachError):
    """The index is missing, was built with another embedder, or cannot be opened."""


class IndexBusy(CoachError):
    """Another process has been re-indexing the same data dir for too long."""


class ConfigError(CoachError):
    """A setting names something that does not exist (a backend, an embedder)."""

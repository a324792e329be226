"""The backend seam: something that turns a question and its retrieved knowledge into an answer.

A backend is a small class registered by name with ``@register``. ``answer(context)`` returns a
``Reply``: the sources the answer rests on (known before any text is generated) and the text as
an iterator of pieces, so a model can stream. The offline composer is one backend like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from coach.errors import CoachError, ConfigError
from coach.fit import Choice
from coach.parts import Parts
from coach.retrieve import Library, Ranking
from coach.situation import Situation


class BackendUnavailable(CoachError):
    """The model could not answer (bad key, rate limit, server down, timeout, unknown model)."""


@dataclass
class AnswerContext:
    question: str
    language: str
    ranking: Ranking
    library: Library
    history: list[dict] = field(default_factory=list)
    standalone: str = ""  # the question rewritten to stand alone, when there is history
    situation: Situation | None = None  # who asks, from which side (coach.situation)
    choice: Choice | None = None  # the playbook for that side and how well it fits
    objection: str | None = None  # a follow-up about one of the usual next turns


@dataclass
class Reply:
    sources: list[dict]
    chunks: Iterator[str]
    parts: Parts | None = None


class Backend(Protocol):
    name: str

    def answer(self, context: AnswerContext) -> Reply: ...

    def condense(self, question: str, history: list[dict], language: str) -> str: ...

    def repair(self, text: str, flags: list[dict], context: AnswerContext) -> str: ...


BACKENDS: dict[str, Callable[..., Backend]] = {}


def register(name: str) -> Callable[[type], type]:
    def decorate(cls: type) -> type:
        cls.name = name
        BACKENDS[name] = cls
        return cls

    return decorate


def get_backend(name: str, settings=None) -> Backend:
    from coach.backends import offline, openai  # noqa: F401  (each registers itself)

    try:
        factory = BACKENDS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown backend '{name}'. Set COACH_BACKEND to one of: {', '.join(sorted(BACKENDS))}."
        ) from None
    return factory(settings)

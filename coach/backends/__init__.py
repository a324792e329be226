"""The backend seam: something that turns a question and its retrieved knowledge into an answer.

A backend is a small class with a ``name`` and a ``stream(context)`` generator, registered with
``@register``. The offline composer is one backend like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from coach.errors import ConfigError
from coach.retrieve import Library, Ranking


@dataclass
class AnswerContext:
    question: str
    language: str
    ranking: Ranking
    library: Library
    history: list[dict] = field(default_factory=list)


@dataclass
class Draft:
    """What a backend produced: the text, and the sources it rests on (best first)."""

    text: str
    sources: list[dict]


class Backend(Protocol):
    name: str

    def draft(self, context: AnswerContext) -> Draft: ...

    def stream(self, context: AnswerContext) -> Iterator[str]: ...


BACKENDS: dict[str, Callable[..., Backend]] = {}


def register(name: str) -> Callable[[type], type]:
    def decorate(cls: type) -> type:
        cls.name = name
        BACKENDS[name] = cls
        return cls

    return decorate


def get_backend(name: str, **options) -> Backend:
    from coach.backends import offline  # noqa: F401  (registers itself)

    try:
        return BACKENDS[name](**options)
    except KeyError:
        raise ConfigError(
            f"Unknown backend '{name}'. Set COACH_BACKEND to one of: {', '.join(sorted(BACKENDS))}."
        ) from None

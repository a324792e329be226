"""Prompts live in prompts/<name>.<lang>.md, one per prompt and language, checked at start-up.

A prompt file has a ``## system`` and a ``## user`` part; ``{placeholders}`` are filled by code.
Each prompt declares the placeholders it takes: a missing file, a missing part, or an unknown or
missing placeholder is a ConfigError naming the file.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from pathlib import Path

from coach.errors import ConfigError
from coach.language import LANGUAGES
from coach.settings import PROJECT_ROOT

PROMPTS_DIR = PROJECT_ROOT / "prompts"

PLACEHOLDERS: dict[str, set[str]] = {
    "advice": {"context", "question", "reading"},
    "condense": {"history", "question"},
    "rewrite": {"draft", "flags"},
    "repair": {"context", "answer", "flags"},
    "persona": {
        "name",
        "role",
        "interests",
        "owed",
        "leverage",
        "triggers",
        "calmers",
        "summary",
        "tension",
        "mood",
        "text",
    },
}

_PART = re.compile(r"^## (system|user)\s*$", re.MULTILINE)


def _parts(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise ConfigError(f"Prompt file {path} is missing.")
    text = path.read_text(encoding="utf-8")
    pieces = _PART.split(text)
    parts = {pieces[i]: pieces[i + 1].strip() for i in range(1, len(pieces) - 1, 2)}
    if set(parts) != {"system", "user"}:
        raise ConfigError(f"{path}: needs a '## system' and a '## user' part.")
    return parts


def load_prompt(name: str, language: str, directory: Path = PROMPTS_DIR) -> dict[str, str]:
    """The system and user templates of one prompt, with its placeholders checked."""
    path = directory / f"{name}.{language}.md"
    parts = _parts(path)
    found = {
        field
        for part in parts.values()
        for _, field, _, _ in string.Formatter().parse(part)
        if field
    }
    expected = PLACEHOLDERS[name]
    if found - expected:
        raise ConfigError(f"{path}: unknown placeholder {{{sorted(found - expected)[0]}}}.")
    if expected - found:
        raise ConfigError(f"{path}: missing placeholder {{{sorted(expected - found)[0]}}}.")
    return parts


@lru_cache(maxsize=4)
def load_prompts(directory: Path = PROMPTS_DIR) -> dict[tuple[str, str], dict[str, str]]:
    """Every prompt in every language; raises at start-up if any is missing or malformed."""
    return {
        (name, lang): load_prompt(name, lang, directory)
        for name in PLACEHOLDERS
        for lang in LANGUAGES
    }


def chat_prompt(name: str, language: str, with_history: bool = False):
    """The prompt as a LangChain ChatPromptTemplate (history goes between system and user)."""
    from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

    parts = load_prompts()[(name, language)]
    messages = [("system", parts["system"])]
    if with_history:
        messages.append(MessagesPlaceholder("history_messages"))
    messages.append(("human", parts["user"]))
    return ChatPromptTemplate.from_messages(messages)

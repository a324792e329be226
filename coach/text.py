"""What people type, made safe to work with, and the one message for text that can't be used.

Every surface (question, draft, rehearsal turn; CLI, app, API) passes user text through
``user_text``: it repairs what would crash a tokenizer later (lone surrogates, control
characters), and refuses empty or over-long text with a message in the user's language.
"""

from __future__ import annotations

import re
import unicodedata

from coach.errors import CoachError
from coach.language import detect_language

# Lone surrogates (valid pairs are already single code points in a str); control characters
# other than tab and newline, C1 controls included; and the bidirectional overrides and
# isolates, which make a logged line read differently from what it holds ("txt.exe" shown as
# "exe.txt").
_BROKEN = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Markup that makes a reader's browser act: HTML tags (an <img src=…> fetches a remote URL) and
# Markdown images. Knowledge may hold neither; what the app shows is passed through
# ``safe_markdown`` as well.
_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\s*(?:\([^)]*\)|\[[^\]]*\])")

MESSAGES = {
    "question-empty": {
        "en": "Describe the situation you want advice on.",
        "es": "Describe la situación sobre la que quieres consejo.",
    },
    "question-long": {
        "en": "That is {n} characters; please keep it to {limit} at most "
        "(the situation in a few sentences).",
        "es": "Son {n} caracteres; el máximo es {limit} (la situación en pocas frases).",
    },
    "draft-empty": {
        "en": "Paste the message you want to check.",
        "es": "Pega el mensaje que quieres revisar.",
    },
    "draft-long": {
        "en": "The message is too long to check ({n} characters; the limit is {limit}).",
        "es": "El mensaje es demasiado largo para revisarlo ({n} caracteres; el máximo es {limit}).",
    },
    "turn-empty": {
        "en": "Say something to the counterpart first.",
        "es": "Primero dile algo a la otra persona.",
    },
    "turn-long": {
        "en": "That turn is {n} characters; in a conversation, keep it to {limit} at most.",
        "es": "Ese turno tiene {n} caracteres; en una conversación, el máximo es {limit}.",
    },
}


class InputError(CoachError, ValueError):
    """Text that can't be used. ``str()`` is in the text's language (English when there is no
    text to tell); ``message(lang)`` gives it in the interface's language."""

    def __init__(self, key: str, lang: str = "en", **params: object) -> None:
        self.key, self.params = key, params
        super().__init__(self.message(lang))

    def message(self, lang: str) -> str:
        texts = MESSAGES[self.key]
        return texts.get(lang, texts["en"]).format(**self.params)


def clean(text: str | None) -> str:
    """``text`` without what breaks later steps: lone surrogates become U+FFFD, control
    characters go, and the Unicode form is NFC (so "é" is one character however it was typed)."""
    text = _BROKEN.sub("\ufffd", text or "")
    return unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()


def markup_found(text: str) -> str | None:
    """The first HTML tag or Markdown image in ``text``, or None."""
    found = _HTML_TAG.search(text) or _MD_IMAGE.search(text)
    return found.group(0) if found else None


def safe_markdown(text: str | None) -> str:
    """Markdown that renders without fetching anything: HTML tags removed, images reduced to
    their alt text. Links stay (a reader chooses to follow one)."""
    return _HTML_TAG.sub("", _MD_IMAGE.sub(r"\1", text or ""))


def user_text(text: str | None, kind: str, limit: int) -> str:
    """Cleaned ``text``, or an InputError ("question", "draft" or "turn") if empty or too long."""
    text = clean(text)
    if not text:
        raise InputError(f"{kind}-empty")
    if len(text) > limit:
        raise InputError(f"{kind}-long", detect_language(text[:2000]), n=len(text), limit=limit)
    return text

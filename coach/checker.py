"""Check my message: the flags in a draft and a rewritten, non-personal version."""

from __future__ import annotations

from coach.errors import CoachError
from coach.language import detect_language
from coach.rewrite import rewrite
from coach.tone import analyze

MAX_DRAFT = 5000


def check_message(draft: str) -> dict:
    """The record of `coach check`: ``{"language", "tone", "rewrite"}``."""
    if not draft or not draft.strip():
        raise CoachError("Paste the message you want to check.")
    if len(draft) > MAX_DRAFT:
        raise CoachError(
            f"The message is too long to check ({len(draft)} characters; the limit is {MAX_DRAFT})."
        )
    language = detect_language(draft)
    report = analyze(draft, language)
    return {
        "language": language,
        "tone": report.to_dict(),
        "rewrite": rewrite(draft, language) if not report.ok else draft.strip(),
    }

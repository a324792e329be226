"""Check my message: the flags in a draft and a rewritten, non-personal version."""

from __future__ import annotations

from coach.errors import CoachError
from coach.language import detect_language
from coach.rewrite import rewrite
from coach.text import user_text
from coach.tone import analyze

MAX_DRAFT = 5000


def check_message(draft: str, backend=None) -> dict:
    """The record of `coach check`: ``{"language", "tone", "rewrite"}``.

    With a model ``backend`` the rewrite is the model's, kept only if the tone checker passes it;
    otherwise (and offline) the rule-based rewrite is used.
    """
    draft = user_text(draft, "draft", MAX_DRAFT)
    language = detect_language(draft)
    report = analyze(draft, language, backstop=True)  # what the rewrite acts on, shown
    result = {"language": language, "tone": report.to_dict(), "rewrite": draft.strip()}
    if report.ok:
        return result
    result["rewrite"] = rewrite(draft, language)
    if backend is not None and hasattr(backend, "rewrite_message"):
        try:
            candidate = backend.rewrite_message(draft, result["tone"]["flags"], language)
        except CoachError:
            candidate = ""
        if candidate and analyze(candidate, language).ok and detect_language(candidate) == language:
            result["rewrite"] = candidate
    return result

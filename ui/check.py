"""The check-my-message tab as plain functions: highlighted flags, why each hurts, the rewrite."""

from __future__ import annotations

from coach.checker import check_message
from ui.strings import inert, kind_label, t


def highlight(text: str, flags: list[dict], lang: str = "en") -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, kind label or None) for gr.HighlightedText.

    Overlapping flags merge into the first; the pieces join back into ``text`` exactly.
    """
    spans = sorted(
        (max(0, int(f["start"])), min(len(text), int(f["end"])), f["kind"])
        for f in flags
        if int(f["end"]) > int(f["start"])
    )
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for start, end, kind in spans:
        if end <= at:
            continue  # inside a flag already shown
        start = max(start, at)
        if start > at:
            pieces.append((text[at:start], None))
        pieces.append((text[start:end], kind_label(kind, lang)))
        at = end
    if at < len(text):
        pieces.append((text[at:], None))
    return pieces


def flags_markdown(flags: list[dict], lang: str, kind_lang: str | None = None) -> str:
    """One line per flagged phrase: the phrase, its kind, why it hurts."""
    if not flags:
        return "✓ " + t(lang, "all_clear")
    return "\n".join(
        f"- **“{inert(f['text'])}”** · *{kind_label(f['kind'], kind_lang or lang)}* — {f['why']}"
        for f in flags
    )


def check(draft: str, backend=None) -> dict:
    """What ``/check`` returns: ``{"language", "ok", "flags", "rewrite", "solution_markers"}``.

    With a model ``backend`` the rewrite is the model's when the tone checker passes it."""
    result = check_message(draft, backend)
    tone = result["tone"]
    return {
        "language": result["language"],
        "ok": tone["ok"],
        "flags": tone["flags"],
        "rewrite": result["rewrite"],
        "solution_markers": tone.get("solution_markers", {}),
    }


def check_view(draft: str, lang: str, backend=None) -> tuple[list, str, str]:
    """The tab's three outputs: highlighted draft, the why list, the rewrite."""
    result = check(draft, backend)
    return (
        highlight(draft, result["flags"], result["language"]),
        flags_markdown(result["flags"], lang, result["language"]),
        result["rewrite"],
    )

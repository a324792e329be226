"""Which playbook answers a situation, and how well: ``fits``, ``related`` or ``none``.

Retrieval ranks playbooks by meaning; this step prefers, among the close ones, the playbook
written for the asker's side and stance (``for:`` in its front matter), and says honestly when
the best one was written for someone else or nothing is close: a neighbouring playbook presented
as the answer tells a manager to do what does not fit them.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.retrieve import Library, Ranking
from coach.situation import Situation

# Calibrated on the dev half of benchmarks/eval/situations.jsonl (grid search over the first
# questions): the side counts for a lot, and under 0.75 (cosine + BM25 share + side) the closest
# playbook is shown as related, not as the answer. Scores alone tell "nothing fits" from "fits"
# poorly (see NOTES), so "none" is kept for questions far from everything; the old eval's short
# questions ("who calls the ebook leads?") score about 0.5 and still get their playbook.
SIDE_BONUS = 0.15  # a playbook written for this side beats a closer one written for another
CANDIDATES = 5
FITS_ABOVE = 0.75  # the chosen playbook's score for "fits" (and written for this side)
RELATED_ABOVE = 0.45  # below this, nothing is close: answer from the principles


@dataclass(frozen=True)
class Choice:
    playbook: str | None
    fit: str  # fits | related | none
    score: float
    side: int  # 1 written for this side, 0 unknown, -1 written for another side


def side_match(for_asker: tuple[str, ...], for_stance: tuple[str, ...], s: Situation) -> int:
    """1 when the playbook is written for the asker's side and stance, -1 when the reading
    says it is for someone else, 0 when the reading or the playbook does not say."""
    checks = []
    if s.asker and for_asker:
        checks.append(s.asker in for_asker)
    if s.stance and for_stance:
        checks.append(s.stance in for_stance)
    if not checks:
        return 0
    return 1 if all(checks) else -1


def choose(ranking: Ranking, library: Library, situation: Situation, language: str) -> Choice:
    best: Choice | None = None
    for doc_id, score in ranking.playbooks[:CANDIDATES]:
        sections = library.doc(doc_id, language)
        if not sections:
            continue
        first = next(iter(sections.values()))
        side = side_match(first.for_asker, first.for_stance, situation)
        adjusted = score + SIDE_BONUS * max(side, 0)  # no penalty: "related" already says it
        if best is None or adjusted > best.score:
            best = Choice(doc_id, "fits", adjusted, side)
    if best is None or best.score < RELATED_ABOVE:
        return Choice(None, "none", best.score if best else 0.0, 0)
    fit = "fits" if best.score >= FITS_ABOVE and best.side >= 0 else "related"
    return Choice(best.playbook, fit, round(best.score, 4), best.side)

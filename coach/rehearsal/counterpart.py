"""The counterpart answers what was said: a proposal in its own terms, a good question with the
interest it earned, a vague turn with a request for something concrete, a jab coolly.

Lines come from the scenario first (its lines for the tension band, its interests' reveals, its
remedies and objections), then from ``replies.yaml`` with slots filled from the learner's own
words. A rehearsal never hears the same line twice: every line said is remembered.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from coach.rehearsal.agreement import restate
from coach.rehearsal.moves import Moves, Proposal
from coach.rehearsal.scenarios import Interest, Scenario
from coach.rehearsal.topic import stems
from coach.tone import fold

REPLIES = Path(__file__).with_name("replies.yaml")
SETTLE_AT = 4.5  # a complete proposal settles it only when the tension is this low or lower


@cache
def replies(language: str) -> dict[str, list[str]]:
    return yaml.safe_load(REPLIES.read_text("utf-8"))[language]


@dataclass
class Memory:
    """What the counterpart remembers across a rehearsal."""

    said: set[str] = field(default_factory=set)
    revealed: list[int] = field(default_factory=list)  # indexes into counterpart.interests
    proposal: Proposal | None = None  # the proposal on the table

    def copy(self) -> Memory:
        return Memory(set(self.said), list(self.revealed), self.proposal)


@dataclass
class Reply:
    line: str
    kind: str  # cold | repair | reveal | acknowledge | ask-concrete | leading | object | amend | refuse | agree
    outcome: str | None = None  # resolved | escalated | None
    revealed: Interest | None = None
    agreement: dict | None = None


def _short(text: str, words: int = 9) -> str:
    cut = text.strip().rstrip("?.!").split()
    return " ".join(cut[:words]) + ("…" if len(cut) > words else "")


def _what(proposal: Proposal, language: str) -> str:
    """The proposal, short, as the counterpart would say it back ("you pull forty leads…")."""
    said = restate(proposal, language) if language == "en" else proposal.text
    if language == "es":
        said = said.lstrip("¿¡").split("?")[0]
    said = _short(said)
    return said[:1].lower() + said[1:] if language == "en" and not said.startswith("I ") else said


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _pick(pool: list[str], memory: Memory, rng: random.Random, **slots) -> str | None:
    fresh = []
    for line in pool:
        try:
            filled = line.format(**slots) if slots else line
        except (KeyError, IndexError):
            continue
        if filled not in memory.said:
            fresh.append(filled)
    if not fresh:
        return None
    line = rng.choice(fresh)
    memory.said.add(line)
    return line


def _first(memory: Memory, rng: random.Random, *pools_and_slots) -> str:
    """The first pool with a line not said yet."""
    for pool, slots in pools_and_slots:
        line = _pick(pool, memory, rng, **slots)
        if line:
            return line
    return "…"


def _matches(text: str, keywords: list[str]) -> bool:
    folded = fold(text)
    return any(re.search(rf"\b{re.escape(fold(k))}", folded) for k in keywords)


def best_interest(scenario: Scenario, text: str, memory: Memory, embedder=None) -> int | None:
    """The unrevealed interest ``text`` is closest to (by meaning when an embedder is given)."""
    left = [i for i in range(len(scenario.counterpart.interests)) if i not in memory.revealed]
    if not left:
        return None
    interests = scenario.counterpart.interests
    if embedder is not None:
        import numpy as np

        q = np.asarray(embedder.embed_query(text))
        best, score = left[0], -1.0
        for i in left:
            docs = [interests[i].want] + interests[i].earned_by
            sims = np.asarray(embedder.embed_documents(docs)) @ q
            if sims.max() > score:
                best, score = i, float(sims.max())
        return best
    words = stems(text)
    return max(
        left,
        key=lambda i: len(words & stems(" ".join([interests[i].want, *interests[i].earned_by]))),
    )


def respond(
    scenario: Scenario,
    moves: Moves,
    text: str,
    tension: float,
    band: str,
    acknowledged: bool,
    memory: Memory,
    rng: random.Random,
    embedder=None,
    wandered: bool = False,
) -> Reply:
    """What the counterpart says to ``text`` (read as ``moves``) at ``tension``. ``wandered``:
    the turn is about something else; they wait for the real subject."""
    lang = scenario.language
    r = replies(lang)
    own = scenario.line
    if tension >= 10:
        return Reply(
            _first(memory, rng, (scenario.closing.escalated, {}), (r["cold"], {"quote": ""})),
            "cold",
            "escalated",
        )
    if moves.jabbed:
        quote = _short(next(iter(moves.jabs.values())), 6)
        pools = [(own(band, "attack"), {}), (r["cold"], {"quote": quote})]
        if band == "open":  # cooler and shorter: the friendly band's lines do not fit a jab
            pools = [(r["cold"], {"quote": quote}), (own("tense", "attack"), {})]
        return Reply(_first(memory, rng, *pools), "cold")
    if wandered:
        return Reply(
            _first(memory, rng, (own(band, "neutral"), {}), (r["ask_concrete"], {})), "ask-concrete"
        )
    if "repair" in moves.kinds:
        return Reply(
            _first(memory, rng, (r["repair"], {}), (own(band, "acknowledge"), {})), "repair"
        )
    proposal = moves.proposal
    if proposal is not None:
        return _answer_proposal(scenario, moves, proposal, tension, band, acknowledged, memory, rng)
    if "open-question" in moves.kinds:
        index = best_interest(scenario, moves.question or text, memory, embedder)
        if index is not None:
            interest = scenario.counterpart.interests[index]
            memory.revealed.append(index)
            pools = [([interest.reveal], {})] if interest.reveal else []
            pools += [
                (own(band, "ask"), {}),
                (r["unrevealed"], {"want": _lower_first(interest.want)}),
            ]
            return Reply(_first(memory, rng, *pools), "reveal", revealed=interest)
        return Reply(_first(memory, rng, (own(band, "ask"), {}), (r["ask_concrete"], {})), "reveal")
    if "leading-question" in moves.kinds:
        return Reply(_first(memory, rng, (r["leading"], {}), (own(band, "neutral"), {})), "leading")
    if "acknowledge" in moves.kinds and "pleasantry" not in moves.kinds:
        return Reply(
            _first(memory, rng, (own(band, "acknowledge"), {}), (r["repair"], {})), "acknowledge"
        )
    return Reply(
        _first(memory, rng, (r["ask_concrete"], {}), (own(band, "neutral"), {})), "ask-concrete"
    )


def _answer_proposal(scenario, moves, proposal, tension, band, acknowledged, memory, rng) -> Reply:
    lang = scenario.language
    r = replies(lang)
    what = _what(proposal, lang)
    days = [d.capitalize() if d.isalpha() and lang == "en" else d for d in proposal.when]
    when = ", ".join(days) or ("next week" if lang == "en" else "la semana que viene")
    refused = [x for x in scenario.remedies.refuse if _matches(proposal.text, x.keywords)]
    if refused:
        reason = refused[0].reason
        return Reply(_first(memory, rng, (r["refuse"], {"reason": reason})), "refuse")
    if not proposal.when and not proposal.fuzzy_when:
        pool = scenario.objections.when + r["object_when"]
        return Reply(_first(memory, rng, (pool, {"what": what})), "object")
    if not proposal.who:
        pool = scenario.objections.who + r["object_who"]
        return Reply(_first(memory, rng, (pool, {"what": what})), "object")
    memory.proposal = proposal
    settles = proposal.complete and acknowledged and tension <= SETTLE_AT
    if settles:
        restated = restate(proposal, lang)
        agreement = {**proposal.to_dict(), "text": ""}
        line = _first(memory, rng, (r["agree"], {"restated": restated}))
        agreement["text"] = line
        return Reply(line, "agree", "resolved", agreement=agreement)
    amended = [x for x in scenario.remedies.amend if _matches(proposal.text, x.keywords)]
    left = [i for i in range(len(scenario.counterpart.interests)) if i not in memory.revealed]
    if amended:
        condition = amended[0].amendment
    elif not acknowledged:
        condition = (
            "I'd like to hear that you see what this has cost us first."
            if lang == "en"
            else "primero me gustaría oír que ves lo que esto nos ha costado."
        )
    elif left:
        condition = _lower_first(scenario.counterpart.interests[left[0]].want) + (
            " has to be part of it." if lang == "en" else ": eso tiene que entrar."
        )
    else:
        condition = "we write it down today." if lang == "en" else "lo dejamos por escrito hoy."
    pools = [
        (r["amend"], {"what": what, "when": when, "condition": condition}),
        (scenario.line(band, "propose"), {}),
    ]
    return Reply(_first(memory, rng, *pools), "amend")

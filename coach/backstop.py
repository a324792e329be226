"""The backstop: a second reader by meaning, a linear classifier over the bundled embedder.

The rules catch what they name; people find other words for the same reproach. A sentence no rule
flagged is embedded (use-m3, offline) and read by a logistic regression trained, at first use and
in about a second, on labelled sentences: every rule's ``flag`` and ``pass`` examples, the clean
list of ``coach/rules/backstop-<lang>.yaml`` and the sentences written for it in
``coach/rules/learned-<lang>.yaml`` (independent of the rules and of every eval set). Above
``threshold`` (a probability), the sentence gets one flag of kind ``tone`` with a plain why. It
can only add flags. The threshold is set on the dev drafts (benchmarks/check.py), never on the
held-out ones. If the embedder cannot load, the backstop is silent and the rules work alone.
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from coach import rules
from coach.learned import LinearReader
from coach.tone import Flag, fold, praised

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
# Markers of a sentence that reaches out; the backstop leaves such a sentence to the rules.
_OPENING = {"acknowledge", "ask-view", "solution-question", "proposal", "contribution"}


@cache
def _settings(language: str) -> dict:
    path = rules.RULES_DIR / f"backstop-{language}.yaml"
    return yaml.safe_load(path.read_text("utf-8")) if path.is_file() else {}


@cache
def _learned(language: str) -> dict:
    path = rules.RULES_DIR / f"learned-{language}.yaml"
    return yaml.safe_load(path.read_text("utf-8")) if path.is_file() else {}


def labelled(language: str) -> tuple[list[str], list[str]]:
    """The blaming and the clean sentences the classifier learns from."""
    ruleset = rules.load(language)
    blaming = [e for r in ruleset.flags for e in r.examples.get("flag", [])]
    clean = [e for r in ruleset.flags for e in r.examples.get("pass", [])]
    for extra in (_settings(language), _learned(language)):
        blaming += extra.get("blaming") or []
        clean += extra.get("clean") or []
    return blaming, clean


@cache
def _reader(language: str) -> LinearReader:
    return LinearReader(lambda: labelled(language))


def scores(sentences: list[str], language: str) -> list[float]:
    """The classifier's probability that each sentence blames someone."""
    return _reader(language).probabilities(sentences) if sentences else []


def threshold(language: str) -> float:
    return float(_settings(language).get("threshold", 1.0))


@cache
def _pattern(language: str, key: str):
    """The gate ``key`` (target, exonerate, offer) of backstop-<language>.yaml, compiled once."""
    source = _settings(language).get(key)
    if not source:
        return None
    return rules.compile_pattern(source, rules.load(language).lexicon, f"backstop-{language}.yaml")


def _offered(text: str, end: int, language: str) -> bool:
    """The sentence after ``end`` offers help ("… lives? I can pin it in the channel."): the
    question before it asks sincerely."""
    pattern = _pattern(language, "offer")
    following = _SENTENCE.match(text, end)
    return (
        pattern is not None
        and following is not None
        and bool(pattern.search(fold(following.group())))
    )


def _exonerates(folded: str, language: str) -> bool:
    """The sentence clears someone ("not your fault", "nadie lo vio venir"): the embedder hears the
    blame words and not the negation, so the reader leaves such a sentence to the rules."""
    pattern = _pattern(language, "exonerate")
    return pattern is not None and bool(pattern.search(folded))


def backstop_flags(text: str, language: str, flags: list[Flag]) -> list[Flag]:
    """A ``tone`` flag on each sentence of ``text`` no rule flagged that reads like blame."""
    candidates = []
    whole = fold(text)
    for match in _SENTENCE.finditer(text):
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        end = match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if len(re.findall(r"\w+", text[start:end])) < _settings(language).get("min_words", 4):
            continue  # too short to read by meaning: "None of them picked up." is a plain fact
        if any(f.start < end and start < f.end for f in flags):
            continue
        target = _pattern(language, "target")
        folded = fold(text[start:end])
        if target is not None and not target.search(folded):
            continue  # no one to land on: a plain statement of what happened
        ruleset = rules.load(language)
        if any(kind in _OPENING and rx.search(folded) for kind, rx in ruleset.markers):
            continue  # it acknowledges, asks or proposes: the rules alone judge such a sentence
        if _exonerates(folded, language):
            continue  # "it's not your fault…": a negation the embedder cannot hear
        if text[start:end].endswith("?") and _offered(text, end, language):
            continue  # "…? I can pin it in the channel.": a question asked to help
        if praised(whole, ruleset, start, end):
            continue  # praise with no gripe, as the rules let it go ("you never miss a deadline")
        candidates.append((start, end))
    if not candidates:
        return []
    values = scores([text[s:e] for s, e in candidates], language)
    bar = threshold(language)
    why = rules.load(language).text["backstop_why"]
    found = []
    for (s, e), value in zip(candidates, values, strict=True):
        if value > bar:
            found.append(Flag("tone", text[s:e], s, e, why, "backstop"))
        elif text[s:e].endswith("?"):
            continue  # a question is the rules' to judge, as in the rehearsal
        elif (kind := jab_by_meaning(text[s:e], language)) is not None:
            found.append(_jab_flag(text, s, e, kind, language))
    return found


# The rehearsal's reader of jabs by meaning (coach/rehearsal/prototypes.yaml) hears the other
# person's side: "you're overreacting", "nobody on your side bothered to open the deck". It is a
# second opinion on a sentence the vote above let pass; its kinds map onto the checker's.
_JAB_KIND = {
    "blame": "blame",
    "sarcasm": "contempt",
    "dismiss": "contempt",
    "deflect": "defensive",
    "threaten": "demand",
}


def jab_by_meaning(sentence: str, language: str) -> str | None:
    from coach.rehearsal.moves import jab_by_meaning as read

    return read(sentence, language)


def _jab_flag(text: str, start: int, end: int, jab: str, language: str) -> Flag:
    kind = _JAB_KIND.get(jab, "tone")
    why = rules.load(language).kinds[kind].why if kind != "tone" else ""
    return Flag(kind, text[start:end], start, end, why, f"meaning.{jab}")

"""A transparent, rule-based tone analyzer for Spanish and English.

It flags what makes a message personal or blaming (with the exact span, why, and the id of the rule
that fired) and counts the markers of solution-focused language. The rules are data
(``coach/rules/<lang>.yaml`` and its lexicon): regular expressions over an accent-folded copy of
the text, so spans map one-to-one onto the original. An optional backstop
(``coach/backstop.py``) adds a ``tone`` flag on a sentence the rules missed that reads, by meaning,
like the blaming sentences it was shown. See README ("Check my message").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach import rules
from coach.language import detect_language

_FOLD = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ’‘", "aeiouunAEIOUUN''")

# Cyrillic letters that look like Latin ones ("idiоt" with a Cyrillic "о"), mapped one to one.
_CYRILLIC_LOOKALIKES = "аеорсхуікмтнвАЕОРСХУІКМТНВ"
_UNMASK = str.maketrans(_CYRILLIC_LOOKALIKES, "aeopcxyikmthbAEOPCXYIKMTHB")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_WORD = re.compile(r"[^\W\d_]*[a-zA-Z][^\W\d_]*")  # a word with at least one Latin letter

# Characters nobody sees; analysis skips them (spans still index into the original text).
# Quotation marks are skipped too, so a quote cannot hide a word from a rule.
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u2061\u2062\u2063\u2064")
_SKIPPED = _INVISIBLE | set('"“”«»„')
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]')

_CLAUSE_BREAK = re.compile(r"[,.;:!?…\n]")
_SENTENCE_BREAK = re.compile(r"[.!?…\n]")
LANGUAGES = tuple(rules.languages())
# Day names per language, accent-folded, as a regex alternation (coach/rules/lexicon-*.yaml).
DAYS = {lang: rules.load_lexicon(lang)["DAYS"] for lang in LANGUAGES}
# Each flag kind with why it hurts, said without judging the writer (coach/rules/<lang>.yaml).
WHY = {
    kind: {lang: rules.load(lang).kinds[kind].why for lang in LANGUAGES}
    for kind in rules.load(LANGUAGES[0]).kinds
}
# Added to a flag's why when the words are quoted from someone else.
QUOTED_WHY = {lang: rules.load(lang).text["quoted_why"] for lang in LANGUAGES}


@dataclass(frozen=True)
class Flag:
    kind: str
    text: str
    start: int
    end: int
    why: str
    rule: str = ""  # the id of the rule that fired (coach/rules/<lang>.yaml), or "backstop"

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "why": self.why,
            "rule": self.rule,
        }


@dataclass
class ToneReport:
    language: str
    flags: list[Flag] = field(default_factory=list)
    solution_markers: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.flags

    @property
    def solution_score(self) -> int:
        return sum(self.solution_markers.values())

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "flags": [f.to_dict() for f in self.flags],
            "solution_markers": dict(self.solution_markers),
        }


def _unmask(text: str) -> str:
    """Map Cyrillic look-alikes to Latin letters, leaving real Cyrillic words alone.

    A word with a Latin letter in it is unmasked. If the text has no Cyrillic letter outside the
    look-alikes, it is a disguised Latin text and all of it is unmasked.
    """
    cyrillic = _CYRILLIC.findall(text)
    if not cyrillic:
        return text
    if all(c in _CYRILLIC_LOOKALIKES for c in cyrillic):
        return text.translate(_UNMASK)
    return _LATIN_WORD.sub(lambda m: m.group().translate(_UNMASK), text)


def fold(text: str) -> str:
    """Lower-case, strip Spanish accents and unmask look-alikes, keeping every character's position."""
    folded = _unmask(text).translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # "İ".lower() is two characters: keep such ones as they are
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` quotes someone, quotation marks included."""
    return [m.span() for m in _QUOTED.finditer(text)]


def strip_invisible(text: str) -> str:
    """``text`` without zero-width characters and soft hyphens."""
    return "".join(c for c in text if c not in _INVISIBLE)


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence around ``folded[start:end]``."""
    before = [m.end() for m in _SENTENCE_BREAK.finditer(folded, 0, start)]
    after = _SENTENCE_BREAK.search(folded, end)
    return (before[-1] if before else 0), (after.start() if after else len(folded))


def praised(folded: str, ruleset: rules.Ruleset, low: int, high: int) -> bool:
    """The sentence praises and has no gripe ("never miss a deadline" is praise, not a gripe), or
    it has no gripe and the next sentence only encourages (``grammar.encourage``: "You always ask
    the question nobody else thinks of. Keep doing that.")."""
    sentence = folded[low:high]
    if ruleset.gripe.search(ruleset.praise.sub(" ", sentence)):
        return False
    if ruleset.praise.search(sentence):
        return True
    encourage = ruleset.grammar.get("encourage")
    if encourage is None:
        return False
    following = _PIECE.match(folded, _BREAK_AND_SPACE.match(folded, high).end())
    return following is not None and bool(encourage.fullmatch(following.group().strip()))


def _let_go(folded: str, ruleset: rules.Ruleset, hit: tuple, hits: list[tuple]) -> bool:
    """Praise ("as usual, great results") or owning it ("…, that's on me") lets a hit go, when
    nothing else in its sentence is flagged."""
    rule, start, end = hit
    if not rule.let_go:
        return False
    low, high = _sentence(folded, start, end)
    if any(low <= s < high and not h.let_go for h, s, _ in hits):
        return False
    if "ownership" in rule.let_go and ruleset.ownership.search(folded[low:high]):
        return True
    return "praise" in rule.let_go and praised(folded, ruleset, low, high)


def _unless(folded: str, rule: rules.Rule, start: int) -> bool:
    """The clause before the hit holds the rule's ``unless_before`` ("if you have to leave…")."""
    if rule.unless_before is None:
        return False
    clause = _CLAUSE_BREAK.split(folded[:start])[-1]
    return bool(rule.unless_before.search(clause))


def _relayed(text: str, quote: tuple[int, int], quotes: list, ruleset: rules.Ruleset) -> bool:
    """Someone else's words passed on for a purpose: a third party is named as saying them right
    before the quote, and the sender's own words (outside every quote) say what to do with them."""
    if ruleset.relayed is None or ruleset.relay_purpose is None:
        return False
    if not ruleset.relayed.search(fold(text[: quote[0]])):
        return False
    own, last = [], 0
    for low, high in quotes:
        own.append(text[last:low])
        last = high
    own.append(text[last:])
    return bool(ruleset.relay_purpose.search(fold(" ".join(own))))


_PIECE = re.compile(r"[^.!?…\n]+[.!?…]*")
_BREAK_AND_SPACE = re.compile(r"[.!?…\n]*\s*")
_CLAUSE_PIECE = re.compile(r"[^,;:—–]+")


def _tails(text: str, flags: list[Flag], ruleset: rules.Ruleset) -> list[Flag]:
    """Praise or thanks that only follows a reproach ("…arrived a day late. Great job.",
    "Gracias por nada con X, se agradece el apoyo."): sarcasm. A clause that is nothing but
    ``grammar.tail`` right after a flag in its sentence or the one before; or a whole sentence of
    it right after one that says it went wrong again (``grammar.tail_after``)."""
    found: list[Flag] = []
    pattern = ruleset.grammar["tail"]
    after = ruleset.grammar.get("tail_after")
    why = ruleset.text.get("tail_why") or ruleset.kinds["contempt"].why

    def add(start: int, end: int) -> None:
        if not any(f.start < end and start < f.end for f in flags + found):
            found.append(
                Flag("contempt", text[start:end], start, end, why, "contempt.sarcasm-tail")
            )

    sentences = [m.span() for m in _PIECE.finditer(text)]
    for index, (low, high) in enumerate(sentences):
        low += len(text[low:high]) - len(text[low:high].lstrip())
        before = sentences[index - 1][0] if index else low
        if (
            index
            and after is not None
            and pattern.fullmatch(fold(text[low:high]).strip())
            and after.search(fold(text[before:low]))
        ):
            add(low, high)
            continue
        for clause in _CLAUSE_PIECE.finditer(text, low, high):
            start = clause.start() + len(clause.group()) - len(clause.group().lstrip())
            if pattern.fullmatch(fold(text[start : clause.end()]).strip()) and any(
                before <= f.start and f.end <= start for f in flags
            ):
                add(start, clause.end())
    return found


def rule_hits(folded: str, language: str) -> list[tuple[rules.Rule, int, int]]:
    """Every rule's hits on ``folded`` text, overlaps resolved: the higher priority wins, then the
    longer span, then the earlier one (coach/rules/<lang>.yaml says so too)."""
    ruleset = rules.load(language)
    found = []
    for rule in ruleset.flags:
        for match in rule.pattern.finditer(folded):
            narrowed = match.groupdict().get("span") is not None
            start, end = match.span("span") if narrowed else match.span()
            start += len(folded[start:end]) - len(folded[start:end].lstrip())
            if end <= start or _unless(folded, rule, start):
                continue
            found.append((rule, start, end))
    found.sort(key=lambda h: (-h[0].priority, h[1] - h[2], h[1]))
    hits: list[tuple[rules.Rule, int, int]] = []
    for hit in found:
        if not any(hit[1] < e and s < hit[2] for _, s, e in hits):
            hits.append(hit)
    hits = [h for h in hits if not _let_go(folded, ruleset, h, hits)]
    return sorted(hits, key=lambda h: h[1])


def analyze(text: str, language: str | None = None, backstop: bool = False) -> ToneReport:
    """Flag blaming and personal phrases in ``text`` and count solution markers.

    Zero-width characters and quotation marks are skipped (so they cannot split a word or hide it
    from a rule); the spans of the flags still index into ``text`` itself. ``backstop``: also ask
    the meaning-based backstop about sentences no rule flagged (it can only add flags).
    """
    keep = [i for i, c in enumerate(text) if c not in _SKIPPED]
    visible = "".join(text[i] for i in keep)
    language = language or detect_language(strip_invisible(text))
    if language not in LANGUAGES:
        language = "en"
    ruleset = rules.load(language)
    folded = fold(visible)
    quotes = quoted_spans(text)
    relayed = [q for q in quotes if _relayed(text, q, quotes, ruleset)]
    flags: list[Flag] = []
    for rule, start, end in rule_hits(folded, language):
        start, end = keep[start], keep[end - 1] + 1
        why = rule.why
        if any(low < start and end < high for low, high in relayed):
            continue
        quote = next(((low, high) for low, high in quotes if low < start and end < high), None)
        if quote is not None:
            why = f"{why} {QUOTED_WHY[language]}"
        flags.append(Flag(rule.kind, text[start:end], start, end, why, rule.id))
    if backstop:
        from coach.backstop import backstop_flags

        extra = backstop_flags(text, language, flags)
        # A sentence that holds a relayed quote is the customer's, not the sender's, to the backstop.
        extra = [f for f in extra if not any(f.start < hi and lo < f.end for lo, hi in relayed)]
        flags = sorted(flags + extra, key=lambda f: f.start)
    if "tail" in ruleset.grammar:
        flags = sorted(flags + _tails(text, flags, ruleset), key=lambda f: f.start)
    markers: dict[str, int] = {}
    for kind, pattern in ruleset.markers:
        count = len(pattern.findall(folded))
        if count:
            markers[kind] = count
    return ToneReport(language, flags, markers)

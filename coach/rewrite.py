"""Rule-based rewrite of a draft into a non-personal, solution-focused version (offline).

Each flagged sentence is either repaired locally (a demand becomes a request, an out-group name
becomes the team's name, a sarcastic tag is dropped) or, when a local repair would still judge
someone, replaced by a neutral sentence that keeps its intent. The result always ends with an
invitation to solve the problem together.
"""

from __future__ import annotations

import re

from coach.language import detect_language
from coach.tone import analyze, fold, quoted_spans, strip_invisible

# What a sentence of each kind was trying to say, said without judging anyone.
REPLACEMENTS: dict[str, dict[str, str]] = {
    "blame": {
        "en": "I'd like us to focus on how we fix this rather than on how it happened.",
        "es": "Me gustaría que nos enfoquemos en cómo lo resolvemos más que en cómo pasó.",
    },
    "absolute": {
        "en": "I've noticed this more than once lately, and I'd like us to look at it together.",
        "es": "He notado esto más de una vez últimamente y me gustaría que lo revisemos juntos.",
    },
    "you-accusation": {
        "en": "I'd like to understand what happened from your side.",
        "es": "Me gustaría entender qué pasó desde tu lado.",
    },
    "label": {
        "en": "I'm frustrated with how this went, and I want to sort it out with you.",
        "es": "Me frustra cómo salió esto y quiero resolverlo contigo.",
    },
    "out-group": {
        "en": "I'd like both teams to look at this together.",
        "es": "Me gustaría que ambos equipos lo veamos juntos.",
    },
    "contempt": {
        "en": "I'm frustrated with how this went, and I want to sort it out with you.",
        "es": "Me frustra cómo salió esto y quiero resolverlo contigo.",
    },
    "demand": {
        "en": "Could we agree on the next step together?",
        "es": "¿Podemos acordar juntos el siguiente paso?",
    },
    "defensive": {
        "en": "Let me look at my part in this too.",
        "es": "También quiero revisar mi parte en esto.",
    },
    "stonewall": {
        "en": "I need a moment; can we pick this up again later today?",
        "es": "Necesito un momento; ¿lo retomamos más tarde hoy?",
    },
}

# A flagged quote is reported instead of repeated: "The customer wrote" + this.
REPORTED_QUOTE = {
    "en": " that something is not working for them.",
    "es": " que algo no le está funcionando.",
}

CLOSING_QUESTION = {
    "en": "How do you see it, and what could we agree on this week?",
    "es": "¿Cómo lo ves y qué podríamos acordar esta semana?",
}

# Local repairs: (pattern over folded text, replacement, turns the sentence into a question)
_REPAIRS: dict[str, list[tuple[re.Pattern[str], str, bool]]] = {
    "en": [
        (
            re.compile(r"^(\W*)you (must|have to|need to|gotta|'ve got to|have got to) ", re.I),
            r"\1could you ",
            True,
        ),
        (
            re.compile(r"\b(those|these) (people|guys|folks) in (sales|marketing)\b", re.I),
            r"the \3 team",
            False,
        ),
        (re.compile(r",? ?\b(as usual|typical|yeah,? right)\b[.!]?", re.I), "", False),
        # Absolutes soften into frequencies, so the fact stays and the verdict goes.
        (re.compile(r"\bnever\b", re.I), "rarely", False),
        (re.compile(r"\balways\b", re.I), "often", False),
        (re.compile(r"\bevery (single )?time\b", re.I), "several times", False),
    ],
    "es": [
        (re.compile(r"^[¡¿\s]*(tienes que|debes) ", re.I), "¿podrías ", True),
        (re.compile(r"^[¡¿\s]*(tienen que|deben) ", re.I), "¿podrían ", True),
        (
            re.compile(r"\blos de (ventas|marketing|mercadotecnia|finanzas)\b", re.I),
            r"el equipo de \1",
            False,
        ),
        (re.compile(r",? ?\b(como siempre|tipic[oa]|ya,? claro)\b[.!]?", re.I), "", False),
        (re.compile(r"\bnunca\b", re.I), "pocas veces", False),
        (re.compile(r"\bsiempre\b", re.I), "a menudo", False),
        (re.compile(r"\btodo el tiempo\b", re.I), "varias veces", False),
    ],
}

# A sentence runs to its closing marks ("?!", "…", a closing quote); Spanish opening marks (¡ ¿)
# belong to the sentence they open, also inside it ("Como siempre, ¡bien hecho!"). An ellipsis
# before a lower-case word ("Gracias por nada… genio.") and a decimal point do not end one.
_SENTENCE = re.compile(r"(?:[^.!?…]|(?:…|\.\.\.)(?= *[a-záéíóúüñ])|\.(?=\d))+(?:[.!?…]+[\"”»']*|$)")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text.strip()) if s.strip()]


def _repair(sentence: str, language: str) -> str:
    """Apply the local repairs; positions are matched on the accent-folded sentence."""
    for pattern, replacement, as_question in _REPAIRS[language]:
        folded = fold(sentence)
        match = pattern.search(folded)
        if not match:
            continue
        repaired = match.expand(replacement)
        sentence = sentence[: match.start()] + repaired + sentence[match.end() :]
        if as_question:
            sentence = sentence.rstrip(" .!?¡") + "?"
    sentence = re.sub(r"\s{2,}", " ", sentence).strip().lstrip(",;: ")
    if "¡" in sentence and "!" not in sentence:  # an opening mark whose closing one was cut
        sentence = sentence.replace("¡", "")
    if "¿" in sentence and "?" not in sentence:
        sentence = sentence.replace("¿", "")
    if sentence and sentence[-1] not in ".!?…":
        sentence += "."
    if sentence and sentence[0].islower():
        sentence = sentence[0].upper() + sentence[1:]
    if sentence[:1] in "¿¡" and len(sentence) > 1:
        sentence = sentence[0] + sentence[1].upper() + sentence[2:]
    return sentence


# Where a sentence splits into clauses that can stand alone.
_CLAUSE = re.compile(r"\s*(?:[,;:—–]|\band\b|\bbut\b|\bso\b|\by\b|\bpero\b|\basí que\b)\s*", re.I)


def _clean_clauses(sentence: str, language: str) -> str:
    """The clauses of a flagged sentence that judge no one, once repaired, as one sentence ("" if
    none): "Your team is useless, the brief was late again." keeps "The brief was late again." and
    "You never send the leads on time and ..." keeps "You rarely send the leads on time." """
    kept = []
    for clause in _CLAUSE.split(sentence.strip(" .!?¡¿…")):
        repaired = _repair(clause, language).rstrip(".")
        if len(repaired.split()) >= 3 and analyze(repaired, language).ok:
            kept.append(repaired[0].lower() + repaired[1:] if kept else repaired)
    return _repair(", ".join(kept), language) if kept else ""


def _report_quote(sentence: str, flags: list, language: str) -> str:
    """ "The customer wrote: '<blame>'" becomes "The customer wrote that ..."; "" if it is not."""
    quotes = quoted_spans(sentence)
    inside = [q for f in flags for q in quotes if q[0] < f.start and f.end < q[1]]
    if len(inside) < len(flags):
        return ""  # some flag is the writer's own words
    attribution = sentence[: min(q[0] for q in inside)].rstrip(" :,")
    if len(attribution.split()) < 2:
        return ""
    return attribution + REPORTED_QUOTE[language]


def _without_flags_in_context(sentences: list[str], language: str) -> list[str]:
    """Replace any sentence that is flagged only next to its neighbours."""
    for _ in range(len(sentences)):
        report = analyze(" ".join(sentences), language)
        if report.ok:
            break
        flag, offset = report.flags[0], 0
        for index, sentence in enumerate(sentences):
            offset += len(sentence) + 1
            if flag.start < offset:
                replacement = REPLACEMENTS[flag.kind][language]
                sentences[index : index + 1] = [] if replacement in sentences else [replacement]
                break
    return sentences


def _only_a_jibe(flags: list, repaired: str) -> bool:
    return all(f.kind == "contempt" for f in flags) and len(repaired.split()) < 3


def rewrite(text: str, language: str | None = None) -> str:
    """Return a version of ``text`` without blame, labels or absolutes, ending in a way forward."""
    text = strip_invisible(text).strip()
    language = language or detect_language(text)
    in_context = analyze(text, language).flags
    out: list[str] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if not sentence:
            continue
        report = analyze(sentence, language)
        around = [f for f in in_context if f.start < match.end() and match.start() < f.end]
        if report.ok and not around:
            candidate = sentence
        elif report.ok:  # flagged only next to its neighbours ("Thanks for nothing... Genius.")
            candidate = REPLACEMENTS[around[0].kind][language]
        else:
            candidate = _report_quote(sentence, report.flags, language)
            if not candidate:
                candidate = _repair(sentence, language)
            if _only_a_jibe(report.flags, candidate):
                continue  # "Typical marketing." says nothing once the sarcasm is gone
            if len(candidate.split()) < 2 or not analyze(candidate, language).ok:
                facts = _clean_clauses(sentence, language)  # keep what happened, drop the verdict
                intent = REPLACEMENTS[report.flags[0].kind][language]
                candidate = f"{facts} {intent}" if facts else intent
        if candidate and candidate not in out:
            out.append(candidate)
    out = _without_flags_in_context(out, language)
    if not any(sentence.endswith("?") for sentence in out):
        out.append(CLOSING_QUESTION[language])
    return " ".join(out)

"""The counterpart agrees to the day the learner proposed, not to the one its script had in mind.

A conversation resolves when the learner proposes something concrete with a date. Scripted
closing lines name days too ("Friday, with the list"); after "could we go through them on
Tuesday?" that reads as if the counterpart had not listened. A closing line is kept only when
every day it names is one the learner named; otherwise the counterpart takes the learner's day.
"""

from __future__ import annotations

import re

from coach.tone import DAYS, fold

# "por la mañana" / "esta mañana" is a time of day, not tomorrow.
_DAY = {lang: re.compile(rf"(?<!la )(?<!esta )\b({days})\b") for lang, days in DAYS.items()}
_SPANISH_DAY_NAMES = {"miercoles": "miércoles", "sabado": "sábado", "manana": "mañana"}

TAKING_YOUR_DAY = {
    "en": "Okay, {day} it is. Put it in both our calendars and I'll be there.",
    "es": "De acuerdo, {day}. Ponlo en el calendario de los dos y ahí estaré.",
}


def days_named(text: str, language: str) -> list[str]:
    """The days ``text`` names, in order, accent-folded and lower-case."""
    return list(dict.fromkeys(_DAY[language].findall(fold(text))))


def _said(day: str, language: str) -> str:
    if language == "en":
        return day if day in ("tomorrow", "today", "tonight") else day.capitalize()
    name = _SPANISH_DAY_NAMES.get(day, day)
    return name if name in ("mañana", "hoy") else f"quedamos el {name}"


def agreeing_lines(closings: list[str], learner: str, language: str) -> list[str]:
    """The closing lines that agree with the days the learner named (all of them when the
    learner named none); a line taking the learner's own day when none does."""
    proposed = set(days_named(learner, language))
    if not proposed:
        return closings
    fitting = [line for line in closings if set(days_named(line, language)) <= proposed]
    if fitting:
        return fitting
    day = _said(days_named(learner, language)[0], language)
    return [TAKING_YOUR_DAY[language].format(day=day)]


# -- restating the learner's own proposal (issue 15) ------------------------------------------
# The counterpart says the learner's proposal back from its side: "I'll send you…" becomes
# "you'll send me…". English swaps pronouns word by word; Spanish verbs change with the person,
# so Spanish quotes the proposal and then says who does what, when, from the counterpart's side.
_EN_SWAP = {
    "i": "you", "i'll": "you'll", "i'm": "you're", "i've": "you've", "i'd": "you'd", "me": "you",
    "my": "your", "mine": "yours", "myself": "yourself", "your": "my", "yours": "mine",
    "you'll": "I'll", "you're": "I'm", "you've": "I've", "you'd": "I'd", "yourself": "myself",
}
_EN_SUBJECT_BEFORE = {"", "and", "then", "so", "if", "that", "when", ",", "while", "but", "once"}
_TOKEN = re.compile(r"[A-Za-z']+|[^A-Za-z'\s]+")
_ES_WHO = {"me": "tú", "you": "yo", "we": "los dos"}


def _swap_en(text: str) -> str:
    out: list[str] = []
    tokens = _TOKEN.findall(text)
    for i, token in enumerate(tokens):
        low = token.lower()
        prev = tokens[i - 1].lower() if i else ""
        if low == "you":
            word = "I" if prev in _EN_SUBJECT_BEFORE or prev.endswith(",") else "me"
        elif low == "i" and i + 1 < len(tokens) and tokens[i + 1].lower() in ("am", "was"):
            word = "you"
            tokens[i + 1] = "are" if tokens[i + 1].lower() == "am" else "were"
        else:
            word = _EN_SWAP.get(low, token)
        out.append(word)
    joined = ""
    for token in out:
        if joined and (token[0].isalnum() or token[0] in "“(") and not joined.endswith(("(", "“")):
            joined += " "
        joined += token
    return re.sub(r"\s+([,.;:!?])", r"\1", joined)


def restate(proposal, language: str) -> str:
    """``proposal`` (a moves.Proposal) said back by the counterpart, every day and owner kept."""
    body = proposal.text.strip().rstrip("?.!").strip()
    body = re.sub(r"^[¿¡]\s*", "", body)
    if language == "en":
        body = re.sub(r"^(how about|what if|so)\s+", "", body, flags=re.IGNORECASE)
        body = re.sub(r"^(could|can|shall) we\s+", "we ", body, flags=re.IGNORECASE)
        body = re.sub(r"^(could|can) i\s+", "I ", body, flags=re.IGNORECASE)
        body = re.sub(r"^let'?s\s+", "we ", body, flags=re.IGNORECASE)
        body = re.sub(r"\byou and (I|me)\b|\b(I|me) and you\b", "we", body, flags=re.IGNORECASE)
        said = _swap_en(body)
        return said[:1].lower() + said[1:] if not said.startswith("I ") else said
    body = re.sub(r"^(que te parece si|qué te parece si|te parece si|y si|qué tal|que tal)\s+", "", body, flags=re.IGNORECASE)
    who = [_ES_WHO.get(w, w) for w in proposal.who]
    days = [_said(d, "es").replace("quedamos el ", "el ") if not d.isdigit() else f"el {d}" for d in proposal.when]
    summary = ", ".join(who)
    if days:
        summary += "; " + ", ".join(days)
    return f"«{body}». O sea: {summary}."

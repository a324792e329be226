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
    "i": "you",
    "i'll": "you'll",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "your": "my",
    "yours": "mine",
    "you'll": "I'll",
    "you're": "I'm",
    "you've": "I've",
    "you'd": "I'd",
    "yourself": "myself",
}
_EN_SUBJECT_BEFORE = {"", "and", "then", "so", "if", "that", "when", ",", "while", "but", "once"}
_TOKEN = re.compile(r"[A-Za-z']+|[^A-Za-z'\s]+")
_ES_WHO = {"me": "tú", "you": "yo", "we": "los dos"}


_EN_WORD = re.compile(r"[A-Za-z']+")


def _swap_en(text: str) -> str:
    """Swap first and second person, word by word, leaving everything between words as it is."""
    words = list(_EN_WORD.finditer(text))
    out, at = [], 0
    for i, m in enumerate(words):
        token, low = m.group(), m.group().lower()
        between = text[words[i - 1].end() : m.start()] if i else text[: m.start()]
        prev = words[i - 1].group().lower() if i else ""
        if low == "you":
            subject = not prev or "," in between or prev in _EN_SUBJECT_BEFORE
            word = "I" if subject else "me"
        elif low == "i" and i + 1 < len(words) and words[i + 1].group().lower() == "am":
            word = "you"
        elif low == "am" and prev == "i":
            word = "are"
        else:
            word = _EN_SWAP.get(low, token)
        out.append(text[at : m.start()] + word)
        at = m.end()
    return "".join(out) + text[at:]


_EN_OPENERS = re.compile(r"^(how about|what if|so|then|okay)\s+", re.IGNORECASE)
_ES_OPENERS = re.compile(
    r"^(entonces,?\s+)?(que te parece si|qué te parece si|te parece si|y si|qué tal|que tal)\s+",
    re.IGNORECASE,
)
_ES_CLAUSE = re.compile(r",|;|\sy\s")


def _plain(sentence: str, language: str) -> str:
    """A proposal sentence as a statement: no opener ("what if", "¿qué te parece si"), no "?"."""
    s = re.sub(r"[¿¡]", "", sentence).strip().rstrip("?.!").strip()
    if language == "en":
        s = _EN_OPENERS.sub("", s)
        s = re.sub(r"^(could|can|shall) we\s+", "we ", s, flags=re.IGNORECASE)
        s = re.sub(r"^(could|can) i\s+", "I ", s, flags=re.IGNORECASE)
        s = re.sub(r"^let'?s\s+", "we ", s, flags=re.IGNORECASE)
        return s
    return _ES_OPENERS.sub("", s)


def _es_who_when(body: str) -> str:
    """'tú, el martes; Lucía, el jueves': each clause's owner and day, from the counterpart's side."""
    from coach.rehearsal.moves import extract_owners_and_days

    said, last = [], ""
    for clause in _ES_CLAUSE.split(body):
        owners, days = extract_owners_and_days(clause, "es")
        who = ", ".join(_ES_WHO.get(w, w) for w in owners) or last
        if not days and not owners:
            continue
        when = " y ".join(
            ("el " + d if d.isdigit() else _said(d, "es").replace("quedamos ", "")) for d in days
        )
        item = f"{who}, {when}" if who and when else (who or when)
        if item and item not in said:
            said.append(item)
        last = who or last
    return "; ".join(said)


def restate(proposal, language: str) -> str:
    """``proposal`` (a moves.Proposal) said back by the counterpart, every day and owner kept."""
    from coach.rehearsal.moves import sentences

    parts = [_plain(s, language) for s in sentences(proposal.text)]
    body = ". ".join(p for p in parts if p)
    if language == "en":
        body = re.sub(r"\byou and (I|me)\b|\b(I|me) and you\b", "we", body, flags=re.IGNORECASE)
        said = _swap_en(body)
        return said[:1].upper() + said[1:]
    summary = _es_who_when(body)
    return f"«{body}». O sea: {summary}." if summary else f"«{body}»."

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

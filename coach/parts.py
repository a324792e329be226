"""The parts of an answer (acknowledge, steps, phrases, question) and the sentences that speak to
the asker in their own words. Surfaces render ``Parts``; nobody parses the text back."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from coach.situation import PAST_WORDS, Situation
from coach.tone import analyze, fold


@dataclass
class Parts:
    acknowledge: str = ""
    steps: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    question: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


CHANNEL_NOUN = {
    "en": {
        "one-on-one": "your one-on-one",
        "meeting": "the meeting",
        "written": "your message",
        "public": "the conversation after what was said in public",
    },
    "es": {
        "one-on-one": "tu reunión uno a uno",
        "meeting": "la reunión",
        "written": "tu mensaje",
        "public": "la conversación después de lo que se dijo en público",
    },
}
STANCE_LINE = {
    "en": {
        "received": "answer the substance, not the tone, and move the talk to what happens next.",
        "caused": "deal with what was said head-on, own what is yours to own, and agree on what "
        "changes; no long defence.",
        "mediating": "keep both sides on the problem, not on each other, and leave with one "
        "owner and one date.",
        "initiating": "raise it as a shared problem with a concrete proposal, not a complaint.",
        None: "keep it on the work and on what happens next.",
    },
    "es": {
        "received": "responde al fondo, no al tono, y lleva la conversación a lo que sigue.",
        "caused": "atiende de frente lo que se dijo, reconoce lo que te toca y acuerden qué "
        "cambia; sin una larga defensa.",
        "mediating": "mantén a las dos partes en el problema, no la una contra la otra, y salgan "
        "con un responsable y una fecha.",
        "initiating": "plantéalo como un problema compartido con una propuesta concreta, no "
        "como una queja.",
        None: "mantén la conversación en el trabajo y en lo que sigue.",
    },
}
_POSSESSIVE = {
    "en": {"my": "your", "our": "your", "mine": "yours"},
    "es": {
        "mi": "tu",
        "mis": "tus",
        "nuestro": "tu",
        "nuestra": "tu",
        "nuestros": "tus",
        "nuestras": "tus",
    },
}


def yours(words: str, language: str) -> str:
    """The user's words said back to them: "mi vendedora" -> "tu vendedora"."""
    table = _POSSESSIVE[language]
    return re.sub(r"\b(\w+)\b", lambda m: table.get(m.group(1).lower(), m.group(1)), words, count=1)


# Times already tied to the talk by their own word ("antes del viernes", "en enero", "a las 9"):
# said back as they are, without another "de".
_TIED_ES = re.compile(
    r"(?i)^(?:antes|a partir|desde|hasta|en |para |a (?:finales|principios|mediados)|a las|a fin|al |"
    r"de |del )"
)
_WEEKDAY_ES = re.compile(r"(?i)^(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\b")
_DETERMINER = re.compile(
    r"^(?:the|our|my|their|both|a|an|el|la|los|las|mi|mis|nuestro|nuestra|su|sus|un|una|todo|toda|"
    r"todos|head|vp|marketing|sales|ventas|finance|finanzas)\b",
    re.IGNORECASE,
)


def mid_sentence(words: str) -> str:
    """ "La CMO" said inside a sentence: "la CMO" (names and acronyms keep their capitals)."""
    return words[0].lower() + words[1:] if _DETERMINER.match(words) else words


def occasion(situation: Situation, language: str) -> str | None:
    """The conversation ahead in the user's words ("the meeting on Thursday with your VP of
    Sales"), or None when they named no time or person ("For the meeting:" alone says nothing
    the user would miss, and a channel read from a passing word can be wrong). A time in the past
    is what happened ("after what happened yesterday"), not when the talk is."""
    s, lang = situation, language
    if not (s.when or s.counterpart):
        return None
    past_when = bool(s.when and PAST_WORDS.search(fold(s.when)))
    # the talk ahead: not the public scene, nor the meeting where it happened yesterday
    channel = s.channel if not (s.channel == "public" and s.when) and not past_when else None
    noun = CHANNEL_NOUN[lang].get(
        channel or "", "the conversation" if lang == "en" else "la conversación"
    )
    pieces, past = [noun], None
    if past_when:  # "the meeting yesterday" is not ahead
        when = mid_sentence(s.when.strip())
        past = f"after what happened {when}" if lang == "en" else f"después de lo de {when}"
    elif s.when:
        when = s.when.strip()
        if not re.match(
            r"(?i)(on |this |next |by |in |at |before |starting |until )?(monday|tuesday|wednesday|"
            r"thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|"
            r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b",
            when,
        ):
            when = when[0].lower() + when[1:]
        if lang == "es":
            when = re.sub(r"^(el|este) ", "del " if when.startswith("el ") else "de este ", when)
            if _WEEKDAY_ES.match(when):  # "lunes" -> "del lunes"
                when = f"del {when}"
            pieces.append(when if _TIED_ES.match(when) else f"de {when}")
        else:
            pieces.append(when)
    if s.counterpart and analyze(s.counterpart, lang).ok:  # "los de ventas" is not said back
        pieces.append(
            ("with " if lang == "en" else "con ") + mid_sentence(yours(s.counterpart, lang))
        )
    if past:
        pieces[-1] += ","
        pieces.append(past)
    return " ".join(pieces) if len(pieces) > 1 else None


def opener(situation: Situation, language: str) -> str:
    """One sentence naming the asker's situation in their words (counterpart, channel, time),
    then what matters from their side."""
    what = STANCE_LINE[language].get(situation.stance, STANCE_LINE[language][None])
    where = occasion(situation, language)
    if where is None:
        return what[0].upper() + what[1:]
    return f"{'For' if language == 'en' else 'Para'} {where}: {what}"


def turn_opener(situation: Situation, they_say: str, language: str) -> str:
    """A follow-up's first line: the same occasion, and the turn asked about."""
    where = occasion(situation, language)
    if language == "en":
        return f'For {where}: if you hear "{they_say}"' if where else f'If they say "{they_say}":'
    return f'Para {where}: si te dice "{they_say}"' if where else f'Si te dice "{they_say}":'


HARM_REPLY = {
    "en": (
        "I won't help with the part meant to humiliate, expose or punish someone: it would cost "
        "you the trust it takes to fix this, and the problem would still be there.",
        "Your anger makes sense: something went wrong and it matters to you.",
        "What I can help with instead: a firm, factual message about the problem itself (what "
        "happened, what it cost, what you need and by when), or a private conversation to agree "
        "on a fix. Tell me the facts and I'll help you put them plainly.",
    ),
    "es": (
        "No te voy a ayudar con la parte de humillar, exhibir o castigar a alguien: te costaría "
        "la confianza que necesitas para arreglar esto, y el problema seguiría ahí.",
        "Tu enojo tiene sentido: algo salió mal y te importa.",
        "En lo que sí te ayudo: un mensaje firme y con hechos sobre el problema (qué pasó, qué "
        "costó, qué necesitas y para cuándo), o una conversación en privado para acordar una "
        "solución. Cuéntame los hechos y te ayudo a decirlos con claridad.",
    ),
}


def decline(language: str) -> tuple[str, Parts]:
    refuse, acknowledge, alternative = HARM_REPLY[language]
    parts = Parts(acknowledge=acknowledge, steps=[alternative])
    return f"{refuse} {acknowledge}\n\n{alternative}", parts


SIDE_QUESTION = {
    "en": "Before I suggest anything, one question so the advice fits your side: were you the one "
    "who said or did it, or was it said or done to you (or your team)?",
    "es": "Antes de sugerirte algo, una pregunta para que el consejo encaje con tu lado: ¿fuiste "
    "tú quien lo dijo o lo hizo, o te lo dijeron o hicieron a ti (o a tu equipo)?",
}


def side_question(situation: Situation, language: str) -> str:
    """The side question, after the occasion the user gave ("About your one-on-one on Thursday
    with Dave: before I suggest anything…"), so their details are not dropped while coach asks."""
    where = occasion(situation, language)
    if where is None:
        return SIDE_QUESTION[language]
    asked = SIDE_QUESTION[language]
    return f"{'About' if language == 'en' else 'Sobre'} {where}: {asked[0].lower()}{asked[1:]}"

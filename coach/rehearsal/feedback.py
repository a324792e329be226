"""Feedback on one rehearsal turn: what the turn did, its score, and a better way to say it.

Feedback is impersonal ("it would help to..."), names the exact phrase, why it hurts and the rule
that caught it, and offers an alternative that fixes the flagged part (the same analyzer as Check
my message: rules plus the meaning-based backstop). Stock sentences coach itself suggests do not
raise a score: padding a line with them teaches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.language import detect_language
from coach.rehearsal.reading import Reading
from coach.rewrite import CLOSING_QUESTION, REPLACEMENTS, rewrite, split_sentences
from coach.tone import ToneReport, analyze

MOVE_ORDER = ("attack", "propose", "ask", "acknowledge", "neutral")

STRENGTHS = {
    "acknowledge": {
        "en": "Acknowledging their side first lowers the temperature.",
        "es": "Reconocer primero su punto baja la temperatura.",
    },
    "ask-view": {
        "en": "Asking for their view shows you want to understand, not to win.",
        "es": "Preguntar por su visión muestra que quieres entender, no ganar.",
    },
    "solution-question": {
        "en": "A question about the fix turns the talk toward solving.",
        "es": "Una pregunta sobre la solución lleva la conversación a resolver.",
    },
    "proposal": {
        "en": "A concrete proposal gives the conversation somewhere to go.",
        "es": "Una propuesta concreta le da rumbo a la conversación.",
    },
    "date": {
        "en": "A date makes the agreement real.",
        "es": "Una fecha vuelve real el acuerdo.",
    },
    "we": {
        "en": "Speaking of 'we' puts you on the same side of the problem.",
        "es": "Hablar en 'nosotros' los pone del mismo lado del problema.",
    },
    "i-statement": {
        "en": "Speaking for yourself ('I need…') is easier to hear than a verdict.",
        "es": "Hablar en primera persona ('necesito…') se escucha mejor que un juicio.",
    },
    "calmer": {
        "en": "It gave them something they needed ({point}).",
        "es": "Le diste algo que necesitaba ({point}).",
    },
    "observation": {
        "en": "Specific facts and numbers keep it about the work.",
        "es": "Los datos concretos mantienen la conversación en el trabajo.",
    },
}

TIPS = {
    "flags": {
        "en": "It would help to describe what happened instead of judging the person.",
        "es": "Ayudaría describir lo que pasó en lugar de juzgar a la persona.",
    },
    "acknowledge": {
        "en": "It would help to acknowledge their point before proposing anything.",
        "es": "Ayudaría reconocer su punto antes de proponer algo.",
    },
    "ask": {
        "en": "It would help to ask how they see it.",
        "es": "Ayudaría preguntar cómo lo ve la otra persona.",
    },
    "propose": {
        "en": "It would help to close with a concrete proposal: who does what, by when.",
        "es": "Ayudaría cerrar con una propuesta concreta: quién hace qué y para cuándo.",
    },
    "language": {
        "en": "This rehearsal is in English: answering in English keeps the practice real.",
        "es": "Este ensayo es en español: responder en español hace la práctica más real.",
    },
    "trigger": {
        "en": "That touched a sore point for them ({point}). It would help to say what you will do instead.",
        "es": "Eso tocó un punto sensible ({point}). Ayudaría decir qué vas a hacer en su lugar.",
    },
    "topic": {
        "en": "It would help to tie what you propose to the problem they raised.",
        "es": "Ayudaría que tu propuesta responda al problema que te plantearon.",
    },
}

ACKNOWLEDGE_OPENER = {
    "en": "I can see this has been hard on your side.",
    "es": "Entiendo que esto ha sido difícil para tu lado.",
}
PROPOSAL_CLOSER = {
    "en": "What if I draft a first proposal by Thursday and we review it together on Friday?",
    "es": "¿Qué te parece si preparo una primera propuesta para el jueves y la revisamos juntos el viernes?",
}
ASK_CLOSER = {
    "en": "How do you see it?",
    "es": "¿Cómo lo ves tú?",
}
# The line above the feedback. "Well done" only on a line that scored well.
HEADLINES = {
    "good": {
        "en": "No blaming or personal phrases. Well done.",
        "es": "Ninguna frase de culpa ni personal. Bien hecho.",
    },
    "flat": {
        "en": "No blaming or personal phrases, but this line does not move the conversation yet.",
        "es": "Ninguna frase de culpa ni personal, pero esta frase todavía no hace avanzar la "
        "conversación.",
    },
    "flagged": {
        "en": "Some phrases will be heard as blame or sarcasm.",
        "es": "Algunas frases se van a oír como culpa o sarcasmo.",
    },
}
WELL_DONE_FROM = 70
# Sentences coach itself suggests: they count for nothing when pasted back into a turn.
STOCK = {
    s
    for by_language in (ACKNOWLEDGE_OPENER, PROPOSAL_CLOSER, ASK_CLOSER, CLOSING_QUESTION)
    for s in by_language.values()
} | {s for by_kind in REPLACEMENTS.values() for s in by_kind.values()}


@dataclass
class TurnFeedback:
    score: int
    flags: list[dict]
    strengths: list[str]
    suggestion: str
    tips: list[str] = field(default_factory=list)
    moves: list[str] = field(default_factory=list)
    headline: str = ""  # never "well done" on a line that scored low

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "headline": self.headline,
            "flags": self.flags,
            "strengths": self.strengths,
            "suggestion": self.suggestion,
            "tips": self.tips,
        }


def headline(score: int, flagged: bool, language: str) -> str:
    if flagged:
        return HEADLINES["flagged"][language]
    return HEADLINES["good" if score >= WELL_DONE_FROM else "flat"][language]


def without_stock(text: str) -> str:
    """``text`` without the sentences coach itself suggests (they are padding, not the learner's)."""
    return " ".join(s for s in split_sentences(text) if s not in STOCK)


def moves_of(report: ToneReport) -> list[str]:
    """What a turn did, most decisive first (an attack outweighs everything else)."""
    m = report.solution_markers
    moves = []
    if report.flags:
        moves.append("attack")
    if "proposal" in m or ("we" in m and "date" in m):
        moves.append("propose")
    if "ask-view" in m or "solution-question" in m:
        moves.append("ask")
    if "acknowledge" in m or "contribution" in m:
        moves.append("acknowledge")
    return moves or ["neutral"]


def _lower(text: str) -> str:
    """The scenario's wording, mid-sentence: "Being told…" → "being told…", "MQL…" stays."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def score_turn(report: ToneReport, acknowledged_before: bool, off_topic: bool = False) -> int:
    m = counted_markers(report, off_topic)
    score = 50
    score += 15 * ("acknowledge" in m or "contribution" in m)
    score += 15 * ("ask-view" in m or "solution-question" in m)
    score += 10 * ("proposal" in m) + 10 * ("date" in m)
    score += 5 * ("we" in m) + 5 * ("i-statement" in m)
    score += 3 * ("observation" in m) + 3 * ("tentative" in m)
    if "proposal" in m and not ("acknowledge" in m or acknowledged_before):
        score -= 10  # solving before acknowledging: the failure mode the research warns about
    if not m and not report.flags:
        score -= 10  # says nothing that moves the conversation
    score -= 25 * len(report.flags)
    score -= 10 * off_topic  # a polite answer to another question does not move this one
    return max(0, min(100, score))


def counted_markers(report: ToneReport, off_topic: bool) -> dict[str, int]:
    """The markers that count: a proposal and its date count only when they are on topic."""
    if not off_topic:
        return report.solution_markers
    return {k: v for k, v in report.solution_markers.items() if k not in ("proposal", "date")}


def suggest(text: str, report: ToneReport, language: str) -> str:
    """One alternative to the learner's turn: the same line with the flagged part fixed (facts
    kept), and at most one short question; never a stock paragraph. An empty or off-topic turn
    gets the shape of a good turn: acknowledge, then propose."""
    if not text.strip():
        return f"{ACKNOWLEDGE_OPENER[language]} {PROPOSAL_CLOSER[language]}"
    base = rewrite(text, language) if report.flags else text.strip()
    markers = analyze(base, language).solution_markers
    if {"ask-view", "solution-question", "proposal"} & markers.keys() or base.endswith("?"):
        return base
    return f"{base} {ASK_CLOSER[language]}"


def feedback_for(
    text: str,
    language: str,
    acknowledged_before: bool,
    off_topic: bool = False,
    reading: Reading | None = None,
    report: ToneReport | None = None,
) -> TurnFeedback:
    """``off_topic``: the turn is about something the situation never mentions (see topic.py).
    A turn in the other language gets a tip, and an alternative in the rehearsal's language.
    ``report``: the turn's tone report, when the caller already has it."""
    other_language = len(text.split()) >= 4 and detect_language(text) != language
    report = report or analyze(text, language, backstop=True)
    own = without_stock(text)
    if own != " ".join(split_sentences(text)):  # stock sentences pasted in count for nothing
        own_report = analyze(own, language)
        report = ToneReport(language, report.flags, own_report.solution_markers)
    m = counted_markers(report, off_topic)
    strengths = [STRENGTHS[k][language] for k in STRENGTHS if k in m]
    reading = reading or Reading()
    if reading.calmer:
        strengths.insert(0, STRENGTHS["calmer"][language].format(point=_lower(reading.calmer)))
    tips = []
    if reading.trigger:
        tips.append(TIPS["trigger"][language].format(point=_lower(reading.trigger)))
    if report.flags:
        tips.append(TIPS["flags"][language])
    if other_language:
        tips.append(TIPS["language"][language])
    if off_topic:
        tips.append(TIPS["topic"][language])
    if "acknowledge" not in m and not acknowledged_before:
        tips.append(TIPS["acknowledge"][language])
    if not {"ask-view", "solution-question"} & m.keys():
        tips.append(TIPS["ask"][language])
    if "proposal" not in m and not off_topic:
        tips.append(TIPS["propose"][language])
    moves = [move for move in moves_of(report) if not (off_topic and move == "propose")]
    score = score_turn(report, acknowledged_before, off_topic)
    score += 5 * bool(reading.calmer) - 15 * bool(reading.trigger)
    score = max(0, min(100, score))
    return TurnFeedback(
        score=score,
        flags=[f.to_dict() for f in report.flags],
        strengths=strengths,
        suggestion=suggest("" if off_topic or other_language else text, report, language),
        tips=tips[:2],
        moves=moves or ["neutral"],
        headline=headline(score, bool(report.flags), language),
    )


# -- feedback by moves (issue 15) -----------------------------------------------------------------
MOVE_WHY = {
    "sarcasm": {
        "en": "Sarcasm or a polite-sounding dig: they hear the jab, not the words, and pull back.",
        "es": "Sarcasmo o una indirecta amable: se oye la pulla, no las palabras, y la otra persona se cierra.",
    },
    "threaten": {
        "en": "Bringing in their boss reads as a threat; it ends the talk between the two of you.",
        "es": "Meter a su jefe suena a amenaza; corta la conversación entre ustedes dos.",
    },
    "dismiss": {
        "en": "Playing down how they feel tells them their side does not count.",
        "es": "Quitarle importancia a lo que siente le dice que su lado no cuenta.",
    },
    "blame": {
        "en": "It puts the problem on them; they will defend themselves instead of solving it.",
        "es": "Pone el problema en la otra persona; se va a defender en lugar de resolver.",
    },
    "deflect": {
        "en": "Stepping away from your part leaves them holding all of it.",
        "es": "Desentenderte de tu parte le deja a la otra persona todo el peso.",
    },
}
MOVE_STRENGTHS = {
    "repair": {
        "en": "Owning the slip and apologising repairs the talk: that is hard, and it works.",
        "es": "Reconocer el tropiezo y disculparte repara la conversación: cuesta, y funciona.",
    },
    "acknowledge": STRENGTHS["acknowledge"],
    "open-question": {
        "en": "An open question about what matters to them uncovers their interests.",
        "es": "Una pregunta abierta sobre lo que le importa saca a la luz sus intereses.",
    },
    "complete": {
        "en": "A proposal with what, who and when gives them something to say yes to.",
        "es": "Una propuesta con qué, quién y cuándo le da algo a lo que decir que sí.",
    },
}
MOVE_TIPS = {
    "jab": TIPS["flags"],
    "acknowledge": TIPS["acknowledge"],
    "ask": {
        "en": "It would help to ask an open question about what matters to them (what, how), not a yes/no one.",
        "es": "Ayudaría hacer una pregunta abierta sobre lo que le importa (qué, cómo), no una de sí o no.",
    },
    "propose": TIPS["propose"],
    "when": {
        "en": "The proposal has no day yet: name when it happens.",
        "es": "La propuesta todavía no tiene fecha: di cuándo pasa.",
    },
    "who": {
        "en": "The proposal has no owner yet: say who does it.",
        "es": "La propuesta todavía no tiene responsable: di quién lo hace.",
    },
    "leading": {
        "en": "That question carries its own answer; asking it open lets them tell you what they think.",
        "es": "Esa pregunta ya trae la respuesta; hacerla abierta deja que diga lo que piensa.",
    },
    "topic": TIPS["topic"],
    "language": TIPS["language"],
    "trigger": TIPS["trigger"],
}
PLACEHOLDER = {
    "day": {"en": "[day]", "es": "[día]"},
    "who": {"en": "I'll own it", "es": "yo me encargo"},
}
GENERIC_ACK = {
    "en": ["I can see this landed hard on your side.", "I know this has cost your team."],
    "es": ["Veo que esto le pegó fuerte a tu lado.", "Sé que esto le ha costado a tu equipo."],
}
OPEN_QUESTION = {
    "en": ["What would have to change for this to work for you?", "What matters most to you here?"],
    "es": [
        "¿Qué tendría que cambiar para que esto te funcione?",
        "¿Qué es lo que más te importa aquí?",
    ],
}


# Coach's own stock lines count for nothing when pasted back into a turn (see without_stock).
STOCK |= {
    line
    for by_language in (GENERIC_ACK, OPEN_QUESTION)
    for lines in by_language.values()
    for line in lines
}


def score_moves(moves, acknowledged_before: bool, off_topic: bool = False) -> int:
    """One turn's score from what it did (see README, "How a rehearsal is scored")."""
    if moves.jabbed:
        return max(0, 30 - 15 * (len(moves.jabs) - 1))
    kinds = moves.kinds
    score = 45
    if "repair" in kinds:
        score = 75
    elif "ownership" in kinds:
        score += 25  # owning your side's part is the strongest acknowledgement
    elif "acknowledge" in kinds:
        score += 8 if "pleasantry" in kinds else 15
    if "open-question" in kinds:
        score += 15
    elif "leading-question" in kinds:
        score += 3
    proposal = None if off_topic else moves.proposal
    if proposal is not None:
        score += 25 if proposal.complete else 8
        if not (acknowledged_before or kinds & {"acknowledge", "repair"}):
            score -= 12  # solving before acknowledging: the failure mode the research warns about
    if kinds & {"i-statement", "commit"} and score > 45:
        score += 3
    if not moves.substance and proposal is None:
        score = 40  # pleasant, and nothing moves
    if off_topic:
        score -= 15
    return max(0, min(100, score))


def move_flags(text: str, moves, analyzer_flags: list) -> list[dict]:
    """The analyzer's flags, plus one per jab the move reader found that no flag covers."""
    flags = [f.to_dict() for f in analyzer_flags]
    for kind, sentence in moves.jabs.items():
        start = text.find(sentence)
        if start < 0:
            start = 0
        end = start + len(sentence)
        if any(f["start"] < end and start < f["end"] for f in flags):
            continue
        flags.append(
            {
                "kind": kind,
                "text": sentence,
                "start": start,
                "end": end,
                "why": "",
                "rule": f"move.{kind}",
            }
        )
    return sorted(flags, key=lambda f: f["start"])


def suggestion_for(
    text: str, moves, language: str, scenario, acknowledged_before: bool, report: ToneReport
) -> str:
    """A better line for this moment, built from the learner's own words with the problem fixed."""
    from coach.rehearsal.moves import sentences

    seed = sum(map(ord, text))
    pains = [i.pain for i in scenario.counterpart.interests if i.pain] if scenario else []
    ack = (
        (("I know " if language == "en" else "Sé que ") + pains[seed % len(pains)] + ".")
        if pains
        else GENERIC_ACK[language][seed % 2]
    )
    # A jab the rules or the meaning found is a whole sentence: it goes. A phrase the analyzer
    # flagged is a span: its sentence stays, and rewrite() fixes the span and keeps the facts.
    jab_sentences = set(moves.jabs.values())
    kept = [s for s in sentences(text) if s not in jab_sentences]
    own = " ".join(kept)
    if own and report.flags:
        own = rewrite(own, language)
    parts: list[str] = []
    has_ack = (
        acknowledged_before or bool(moves.kinds & {"acknowledge", "repair"}) and not moves.jabbed
    )
    if not (own and report.flags) and (moves.jabbed or not has_ack):
        parts.append(ack)  # a rewritten line carries its own repair; anything else opens kindly
    if own and (moves.substance or moves.proposal is not None or report.flags):
        parts.append(own)
    proposal = moves.proposal
    if proposal is not None and not proposal.complete:
        if not proposal.who:
            parts.append(PLACEHOLDER["who"][language].capitalize() + ".")
        if not (proposal.when or proposal.fuzzy_when):
            parts.append(
                ("I'll have it by " if language == "en" else "Lo tengo listo para el ")
                + PLACEHOLDER["day"][language]
                + "."
            )
    if (
        proposal is None
        and "open-question" not in moves.kinds
        and not (parts and parts[-1].endswith("?"))
    ):
        parts.append(OPEN_QUESTION[language][seed % 2])
    line = " ".join(p.strip() for p in parts if p.strip())
    return line or text.strip()


def tips_for(
    moves, language: str, history: dict, off_topic: bool, other_language: bool, reading
) -> list[str]:
    """At most two tips, never asking for what this turn just did. ``history``: what earlier
    turns did (acknowledged, asked, proposed)."""
    tips = []
    if reading is not None and reading.trigger:
        tips.append(MOVE_TIPS["trigger"][language].format(point=_lower(reading.trigger)))
    if moves.jabbed:
        tips.append(MOVE_TIPS["jab"][language])
    if other_language:
        tips.append(MOVE_TIPS["language"][language])
    if off_topic:
        tips.append(MOVE_TIPS["topic"][language])
    kinds = moves.kinds
    if not (history.get("acknowledged") or kinds & {"acknowledge", "repair"}):
        tips.append(MOVE_TIPS["acknowledge"][language])
    if "leading-question" in kinds:
        tips.append(MOVE_TIPS["leading"][language])
    elif not (history.get("asked") or "open-question" in kinds) and moves.proposal is None:
        tips.append(MOVE_TIPS["ask"][language])
    proposal = moves.proposal
    if proposal is not None and not proposal.complete:
        if not proposal.who:
            tips.append(MOVE_TIPS["who"][language])
        if not (proposal.when or proposal.fuzzy_when):
            tips.append(MOVE_TIPS["when"][language])
    elif (
        proposal is None
        and "open-question" not in kinds
        and (history.get("asked") or not moves.substance)
    ):
        tips.append(MOVE_TIPS["propose"][language])
    return tips[:2]


def feedback_by_moves(
    text: str,
    language: str,
    moves,
    report: ToneReport,
    analyzer_flags: list,
    scenario,
    history: dict,
    off_topic: bool = False,
    reading: Reading | None = None,
) -> TurnFeedback:
    other_language = len(text.split()) >= 4 and detect_language(text) != language
    acknowledged_before = bool(history.get("acknowledged"))
    score = score_moves(moves, acknowledged_before, off_topic)
    reading = reading or Reading()
    if reading.calmer and not moves.jabbed:
        score = min(100, score + 5)
    if reading.trigger:
        score = max(0, score - 15)
    flags = move_flags(text, moves, analyzer_flags)
    for f in flags:
        if not f["why"]:
            f["why"] = MOVE_WHY[f["kind"]][language]
    strengths = []
    if reading.calmer and not moves.jabbed:
        strengths.append(STRENGTHS["calmer"][language].format(point=_lower(reading.calmer)))
    if not moves.jabbed:
        for key in ("repair", "acknowledge", "open-question"):
            if key in moves.kinds:
                strengths.append(MOVE_STRENGTHS[key][language])
                if key == "repair":
                    break
        if moves.proposal is not None and moves.proposal.complete and not off_topic:
            strengths.append(MOVE_STRENGTHS["complete"][language])
    suggestion = (
        text.strip()
        if score >= 75 and not flags
        else suggestion_for(
            "" if other_language else text, moves, language, scenario, acknowledged_before, report
        )
    )
    order = ["attack"] if moves.jabbed else []
    if moves.proposal is not None and not off_topic:
        order.append("propose")
    if moves.kinds & {"open-question", "leading-question"}:
        order.append("ask")
    if moves.kinds & {"acknowledge", "repair"}:
        order.append("acknowledge")
    return TurnFeedback(
        score=score,
        flags=flags,
        strengths=strengths,
        suggestion=suggestion,
        tips=tips_for(moves, language, history, off_topic, other_language, reading),
        moves=order or ["neutral"],
        headline=headline(score, bool(flags), language),
    )

"""The debrief at the end of a rehearsal: best and weakest lines quoted, the turning point, the
interests uncovered and missed, and one thing to practise next (with the last attempt, if any)."""

from __future__ import annotations

PRACTISE = {
    "no_unrepaired_jab": {
        "en": "Notice the jab before it leaves: say what happened and what you need, without the dig. If one slips out, name it and apologise.",
        "es": "Detecta la indirecta antes de decirla: di qué pasó y qué necesitas, sin la pulla. Si se te escapa, nómbrala y discúlpate.",
    },
    "acknowledged_before_proposing": {
        "en": "Open by naming what this cost them, in their terms, before you offer any fix.",
        "es": "Empieza nombrando lo que esto le costó a la otra persona, en sus términos, antes de ofrecer cualquier solución.",
    },
    "explored_interests": {
        "en": "Ask one open question about what matters to them (what, how) before proposing.",
        "es": "Haz una pregunta abierta sobre lo que le importa (qué, cómo) antes de proponer.",
    },
    "concrete_proposal": {
        "en": "Close with a proposal that says what happens, who does it and by which day.",
        "es": "Cierra con una propuesta que diga qué se hace, quién lo hace y para qué día.",
    },
    "all": {
        "en": "Try the same scenario at the hostile level: the moves are the same, the room is harder.",
        "es": "Prueba el mismo escenario en nivel hostil: los movimientos son los mismos, el ambiente es más difícil.",
    },
}
ORDER = (
    "no_unrepaired_jab",
    "acknowledged_before_proposing",
    "explored_interests",
    "concrete_proposal",
)
TURNING = {
    "calmed": {
        "en": "Turn {n}: tension fell from {before} to {after} after “{line}”.",
        "es": "Turno {n}: la tensión bajó de {before} a {after} después de “{line}”.",
    },
    "heated": {
        "en": "Turn {n}: tension rose from {before} to {after} after “{line}”.",
        "es": "Turno {n}: la tensión subió de {before} a {after} después de “{line}”.",
    },
}
COMPARED = {
    "en": "Last attempt: {last}/100; this one: {now}/100.",
    "es": "Intento anterior: {last}/100; este: {now}/100.",
}


def debrief(session, start_tension: float, last_score: int | None = None) -> dict:
    """The debrief for a finished (or stopped) ``session``. ``last_score``: the learner's score on
    their previous attempt at this scenario, when the caller keeps history."""
    turns = session.turns
    lang = session.language
    if not turns:
        return {}
    scores = [t.feedback.score for t in turns]
    best = max(range(len(turns)), key=lambda i: (scores[i], -i))
    weakest = min(range(len(turns)), key=lambda i: (scores[i], i))
    before = [start_tension] + [t.tension for t in turns[:-1]]
    swings = [(t.tension - b, i) for i, (t, b) in enumerate(zip(turns, before, strict=True))]
    delta, at = max(swings, key=lambda s: (abs(s[0]), -s[1]))
    turning = None
    if abs(delta) >= 1.0:
        kind = "calmed" if delta < 0 else "heated"
        turning = {
            "turn": at + 1,
            "tension_before": round(before[at], 1),
            "tension_after": turns[at].tension,
            "text": TURNING[kind][lang].format(
                n=at + 1, before=round(before[at], 1), after=turns[at].tension, line=turns[at].user
            ),
        }
    interests = [i.want for i in session.scenario.counterpart.interests]
    uncovered = [t.revealed for t in turns if t.revealed]
    missed = [w for w in interests if w not in uncovered]
    skills = session.skills()
    gap = next((k for k in ORDER if not skills[k]), "all")
    result = {
        "best": {"turn": best + 1, "score": scores[best], "user": turns[best].user},
        "weakest": {"turn": weakest + 1, "score": scores[weakest], "user": turns[weakest].user}
        if weakest != best
        else None,
        "turning_point": turning,
        "interests_uncovered": uncovered,
        "interests_missed": missed,
        "skills": skills,
        "practise_next": PRACTISE[gap][lang],
        "agreement": session.agreement,
    }
    if last_score is not None:
        now = session.scorecard()["score"]
        result["compared"] = {
            "last": last_score,
            "now": now,
            "text": COMPARED[lang].format(last=last_score, now=now),
        }
    return result


LABELS = {
    "title": {"en": "Debrief", "es": "Balance"},
    "best": {"en": "Your best line", "es": "Tu mejor frase"},
    "weakest": {"en": "Your weakest line", "es": "Tu frase más floja"},
    "turning": {"en": "Turning point", "es": "Punto de giro"},
    "uncovered": {"en": "Interests you uncovered", "es": "Intereses que descubriste"},
    "missed": {"en": "Interests you missed", "es": "Intereses que se quedaron sin descubrir"},
    "next": {"en": "Practise next", "es": "Para practicar"},
    "agreement": {"en": "Agreement", "es": "Acuerdo"},
    "none": {"en": "none", "es": "ninguno"},
}


def debrief_markdown(result: dict, lang: str, quote=lambda s: s) -> str:
    """The debrief as Markdown in ``lang``; ``quote`` makes the learner's words inert for the UI."""
    if not result:
        return ""

    def label(key: str) -> str:
        return LABELS[key][lang if lang in ("en", "es") else "en"]

    lines = [f"### {label('title')}", ""]
    b = result["best"]
    lines.append(f"- **{label('best')}** ({b['score']}/100): “{quote(b['user'])}”")
    if result.get("weakest"):
        w = result["weakest"]
        lines.append(f"- **{label('weakest')}** ({w['score']}/100): “{quote(w['user'])}”")
    if result.get("turning_point"):
        lines.append(f"- **{label('turning')}**: {quote(result['turning_point']['text'])}")
    uncovered = "; ".join(result["interests_uncovered"]) or label("none")
    missed = "; ".join(result["interests_missed"]) or label("none")
    lines.append(f"- **{label('uncovered')}**: {uncovered}")
    lines.append(f"- **{label('missed')}**: {missed}")
    if result.get("agreement"):
        lines.append(f"- **{label('agreement')}**: {quote(result['agreement']['text'])}")
    lines.append(f"- **{label('next')}**: {result['practise_next']}")
    if result.get("compared"):
        lines.append(f"- {result['compared']['text']}")
    return "\n".join(lines)

"""Who speaks the counterpart's lines: the scenario's script (offline), or a model in character.

A voice gets the scripted line the engine chose and may replace it. The model voice plays the
persona from prompts/persona.<lang>.md with the current tension and the hidden interests; a reply
that is empty, too long, out of character or in the wrong language falls back to the script, and
so does any failure of the model.
"""

from __future__ import annotations

import re

from coach.language import detect_language

MAX_CHARS = 360
MOODS = {
    "hostile": {"en": "angry", "es": "molesto"},
    "tense": {"en": "guarded", "es": "a la defensiva"},
    "open": {"en": "open", "es": "abierto"},
}
_OUT_OF_CHARACTER = re.compile(
    r"\b(as an ai|language model|i am an assistant|soy un modelo|como ia|coach)\b", re.IGNORECASE
)


def tidy(reply: str, name: str) -> str:
    """One to three spoken sentences: no speaker label, quotes or stage directions."""
    text = reply.strip().strip('"“”').strip()
    names = "|".join(re.escape(n) for n in {name, name.split()[0]})
    text = re.sub(rf"^\**({names})\**\s*:\s*", "", text)
    text = re.sub(r"\([^)]*\)|\*[^*]*\*", "", text).strip()
    sentences = re.findall(r"[^.!?]+[.!?]+", text) or [text]
    text = " ".join(s.strip() for s in sentences[:3])
    return text[:MAX_CHARS].strip()


STATE = {
    "en": {
        "told": "Already told them",
        "private": "Still private (say it only when an open question or an acknowledgement earns it)",
        "none": "nothing yet",
        "proposal": "The proposal on the table, in their words",
        "no_proposal": "No concrete proposal yet: if they stay vague, ask what exactly, who and by when.",
        "red": "Your red lines",
    },
    "es": {
        "told": "Ya se lo dijiste",
        "private": "Todavía privado (dilo solo cuando una pregunta abierta o un reconocimiento lo gane)",
        "none": "nada todavía",
        "proposal": "La propuesta sobre la mesa, en sus palabras",
        "no_proposal": "Todavía no hay una propuesta concreta: si sigue vaga, pregunta qué exactamente, quién y para cuándo.",
        "red": "Tus líneas rojas",
    },
}


def interests_note(session, language: str) -> str:
    """The counterpart's interests split into those the learner earned and those still private:
    the engine decides what was earned, the model only voices it."""
    words = STATE[language]
    revealed = {t.revealed for t in session.turns if t.revealed}
    told = [i.want for i in session.scenario.counterpart.interests if i.want in revealed]
    private = [i.want for i in session.scenario.counterpart.interests if i.want not in revealed]
    return (
        f"{words['told']}: {'; '.join(told) or words['none']}. "
        f"{words['private']}: {'; '.join(private) or words['none']}."
    )


def state_note(session, language: str) -> str:
    """The proposal on the table and the red lines, for the persona prompt."""
    words = STATE[language]
    proposal = session.memory.proposal
    lines = [f"{words['proposal']}: “{proposal.text}”" if proposal else words["no_proposal"]]
    if session.scenario.counterpart.red_lines:
        lines.append(f"{words['red']}: {'; '.join(session.scenario.counterpart.red_lines)}")
    return "\n".join(lines)


class ModelVoice:
    """The counterpart played by the configured model backend."""

    name = "model"

    def __init__(self, backend) -> None:
        self.backend = backend
        self.last_error: str | None = None

    def speak(
        self, session, text: str, tension: float, band: str, scripted: str
    ) -> tuple[str, str]:
        from langchain_core.output_parsers import StrOutputParser

        from coach.prompts import chat_prompt

        scenario, language = session.scenario, session.language
        person = scenario.counterpart
        history = [("ai", session.opening)]
        for turn in session.turns:
            history += [("human", turn.user), ("ai", turn.counterpart)]
        inputs = {
            "name": person.name,
            "role": person.role,
            "summary": scenario.summary + "\n" + state_note(session, language),
            "interests": interests_note(session, language),
            "owed": person.owed,
            "leverage": person.leverage,
            "triggers": "; ".join(person.triggers),
            "calmers": "; ".join(person.calmers),
            "tension": round(tension),
            "mood": MOODS[band][language],
            "text": text,
            "history_messages": history,
        }
        try:
            chain = (
                chat_prompt("persona", language, with_history=True)
                | self.backend.llm
                | StrOutputParser()
            )
            reply = tidy(chain.invoke(inputs), person.name)
        except Exception as exc:  # the script is always there to fall back on
            self.last_error = f"{type(exc).__name__}: {exc}"[:200]
            return scripted, "script"
        if (
            len(reply) < 2
            or _OUT_OF_CHARACTER.search(reply)
            or detect_language(reply, default=language) != language
        ):
            return scripted, "script"
        return reply, "model"


def voice_for(backend):
    """The model voice for a model backend; None for the offline one (the script speaks)."""
    return None if backend.name == "offline" else ModelVoice(backend)

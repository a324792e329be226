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
            "summary": scenario.summary,
            "interests": "; ".join(i.want for i in person.interests),
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

"""Questions coach should not answer with a playbook yet: it asks for what it needs instead.

A confident playbook answer to "a", "12345", a question in French or one about the weather
misleads the user. Three cases get a short reply that asks for more, in the user's language:
too little to go on, a language coach does not speak, and a question far from every playbook.
"""

from __future__ import annotations

import re

from coach.language import unsupported_language

# Below the best playbook score of every question in the eval set (lowest 0.52): questions
# about the weather, bread or a sick cat score 0.26–0.45.
FAR_FROM_EVERY_PLAYBOOK = 0.45
_WORD = re.compile(r"[^\W\d_]{2,}")

TOO_LITTLE = {
    "en": (
        "Tell me a little more so I can help: who is involved, what happened, and what you "
        "would like to happen next. For example: *Sales says our leads never turn into deals; what do I "
        "say in tomorrow's meeting?*"
    ),
    "es": (
        "Cuéntame un poco más para poder ayudarte: quién está involucrado, qué pasó y qué te "
        "gustaría que pasara ahora. Por ejemplo: *Ventas dice que nuestros leads no llegan a cerrarse; "
        "¿qué digo mañana en la reunión?*"
    ),
}
OTHER_LANGUAGE = (
    "coach answers in English and Spanish, and this looks like {language}. Could you describe "
    "the situation in one of them?\n\n"
    "coach responde en español y en inglés, y esto parece {language_es}. ¿Puedes describir la "
    "situación en uno de los dos?"
)
LANGUAGE_NAMES_ES = {
    "French": "francés",
    "Portuguese": "portugués",
    "German": "alemán",
    "Italian": "italiano",
    "Arabic": "árabe",
    "Chinese": "chino",
    "Japanese": "japonés",
    "Korean": "coreano",
    "Russian": "ruso",
    "Hebrew": "hebreo",
    "Greek": "griego",
}
OUT_OF_SCOPE = {
    "en": (
        "That seems outside what I can help with: I coach situations between marketing and "
        "sales (leads, campaigns, budgets, meetings, roles, disagreements). How does this touch "
        "your work with the other team?"
    ),
    "es": (
        "Eso parece fuera de lo que puedo ayudar: acompaño situaciones entre marketing y ventas "
        "(leads, campañas, presupuestos, reuniones, roles, desacuerdos). ¿Cómo afecta esto a tu "
        "trabajo con el otro equipo?"
    ),
}


def before_retrieval(question: str, language: str) -> str | None:
    """A reply asking for more when the question is too thin or in another language."""
    other = unsupported_language(question)
    if other:
        return OTHER_LANGUAGE.format(
            language=other, language_es=LANGUAGE_NAMES_ES.get(other, other)
        )
    if len(_WORD.findall(question)) < 2:
        return TOO_LITTLE[language]
    return None


def after_retrieval(best_playbook_score: float | None, language: str) -> str | None:
    """A reply saying what coach is for when no playbook is anywhere near the question."""
    if best_playbook_score is None or best_playbook_score < FAR_FROM_EVERY_PLAYBOOK:
        return OUT_OF_SCOPE[language]
    return None

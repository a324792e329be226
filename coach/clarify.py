"""Questions coach should not answer with a playbook yet: it asks for what it needs instead.

A confident playbook answer to "a", "12345", a question in French or one about the weather
misleads the user. These cases get a short reply in the user's language: too little to go on, a
language coach does not speak, a question far from every playbook, and a request for a verdict
(is this person a narcissist, should I fire them, can I sue): coach does not judge people or
decide HR and legal matters, and says what it can do instead.
"""

from __future__ import annotations

import re

from coach.language import unsupported_language
from coach.tone import fold

_WORD = re.compile(r"[^\W\d_]{2,}")

# Asking coach to judge a person or to settle an HR or legal matter. Matched on folded text.
_VERDICT = re.compile(
    r"\b(?:"
    r"(?:is|are) (?:he|she|they|my(?: \w+){1,2}) (?:a |an )?(?:narcissist|psychopath|sociopath|liar|toxic)"
    r"|(?:should|can|could) (?:i|we) (?:fire|sack|dismiss|sue|report \w+ to hr)"
    r"|(?:take|taking) (?:legal action|\w+ to court)|lawsuit|(?:a|my) lawyer"
    r"|(?:es|son) (?:un |una )?(?:narcisista|psicopata|mentiros[oa]|toxic[oa])"
    r"|(?:debo|puedo|deberia|podemos|deberiamos) (?:despedir|demandar|denunciar)"
    r"|(?:despedirlo|despedirla|demandarlo|demandarla)"
    r"|acciones legales|abogad[oa]"
    r")\b"
)

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
VERDICT = {
    "en": (
        "I can't judge a person or decide HR and legal questions: those belong to your HR team "
        "or a lawyer. What I can help with is the working relationship: what happened, what you "
        "need from the other team, and how to raise it without making it personal. Would you "
        "like to start from the last situation that went wrong?"
    ),
    "es": (
        "No puedo juzgar a una persona ni decidir cuestiones de recursos humanos o legales: eso "
        "le corresponde a tu equipo de RR. HH. o a un abogado. En lo que sí puedo ayudarte es en "
        "la relación de trabajo: qué pasó, qué necesitas del otro equipo y cómo plantearlo sin "
        "hacerlo personal. ¿Empezamos por la última situación que salió mal?"
    ),
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


# The trade's own words: a question that uses them but sits far from every playbook is about the
# work itself ("our CRM data is a mess"), not about something else. Matched on folded text.
_TRADE = re.compile(
    r"\b(crm|mqls?|sqls?|leads?|pipeline|funnel|embudo|campaigns?|campanas?|pricing|precios?|"
    r"newsletters?|webinars?|brand|marca|quotas?|cuotas?|deals?|forecasts?|prospect\w*|"
    r"clientes?|customers?|clients?|reps?|sdrs?|bdrs?|accounts?|cuentas?|landing|content|"
    r"contenidos?|seo|ads|anuncios|budgets?|presupuestos?|discounts?|descuentos?|kpis?|revenue|"
    r"ingresos|churn|upsell|demos?|trade shows?|ferias?|events?|eventos?|salesforce|hubspot|"
    r"comerciales?|vendedor\w*|ventas|sales|marketing|mercadotecnia)\b"
)

NEAR_THE_WORK = {
    "en": (
        "I coach how marketing and sales work together, so I can help with the part of this "
        "that sits between the two teams. Who is affected on each side, and what has been said "
        "or agreed so far?"
    ),
    "es": (
        "Acompaño cómo trabajan juntos marketing y ventas, así que puedo ayudarte con la parte de "
        "esto que está entre los dos equipos. ¿A quién afecta en cada lado y qué se ha dicho o "
        "acordado hasta ahora?"
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
    if _VERDICT.search(fold(question)):
        return VERDICT[language]
    return None


def after_retrieval(
    question: str, closeness: float | None, far_below: float | None, language: str
) -> str | None:
    """A reply saying what coach is for when no playbook is anywhere near the question:
    ``closeness`` is the closest playbook section's cosine, ``far_below`` the embedder's bar.
    A question in the trade's words is asked how it plays out between the teams instead."""
    if far_below is None or closeness is None or closeness >= far_below:
        return None
    if _TRADE.search(fold(question)):
        return NEAR_THE_WORK[language]
    return OUT_OF_SCOPE[language]

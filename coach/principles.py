"""The seven principles of the source article, with the ids content, code and tests share."""

from __future__ import annotations

from dataclasses import dataclass

ARTICLE_ID = "article"


@dataclass(frozen=True)
class Principle:
    id: str
    point: int  # the numbered point of the source article it comes from
    name: dict[str, str]
    summary: dict[str, str]

    def label(self, language: str) -> str:
        return self.name[language]


PRINCIPLES: dict[str, Principle] = {
    p.id: p
    for p in [
        Principle(
            "finance-mediation",
            1,
            {"en": "Finance as a neutral referee", "es": "Finanzas como árbitro neutral"},
            {
                "en": "When the two areas cannot reach a decision quickly, finance weighs the options "
                "against the numbers and the shared goal.",
                "es": "Cuando las dos áreas no logran decidir pronto, finanzas pondera las opciones "
                "con los números y el objetivo común.",
            },
        ),
        Principle(
            "shared-vision",
            2,
            {"en": "Leaders who share a vision", "es": "Líderes con una visión compartida"},
            {
                "en": "The heads of both areas agree on where they are going and talk openly and often; "
                "the culture of the teams follows their example.",
                "es": "Quienes dirigen ambas áreas acuerdan hacia dónde van y conversan con apertura y "
                "frecuencia; la cultura de los equipos sigue su ejemplo.",
            },
        ),
        Principle(
            "balanced-teams",
            3,
            {
                "en": "Balanced, cross-functional teams",
                "es": "Equipos equilibrados y multifuncionales",
            },
            {
                "en": "Teams of comparable size share the load and can form mixed groups around "
                "common goals.",
                "es": "Equipos de tamaño comparable reparten la carga y pueden formar grupos mixtos "
                "alrededor de metas comunes.",
            },
        ),
        Principle(
            "clear-roles",
            4,
            {"en": "Clear, differentiated roles", "es": "Roles claros y diferenciados"},
            {
                "en": "Each role has well-defined objectives; some activities and results are shared "
                "and others belong to one area only.",
                "es": "Cada puesto tiene objetivos bien definidos; algunas actividades y resultados se "
                "comparten y otros son propios de cada área.",
            },
        ),
        Principle(
            "continuous-training",
            5,
            {"en": "Continuous cross-training", "es": "Capacitación continua"},
            {
                "en": "People keep learning their own job and the other area's, so they understand "
                "each other's work.",
                "es": "Las personas siguen aprendiendo su puesto y el del área vecina, así entienden "
                "el trabajo de la otra parte.",
            },
        ),
        Principle(
            "solve-not-blame",
            6,
            {"en": "How do we solve this?", "es": "¿Cómo lo resolvemos?"},
            {
                "en": "The question worth asking is how we solve the situation together, not whom to point at.",
                "es": "La pregunta que vale la pena es cómo resolvemos la situación juntos, no a quién señalar.",
            },
        ),
        Principle(
            "nothing-personal",
            7,
            {"en": "Nothing personal", "es": "Nada es personal"},
            {
                "en": "Disagreements are about the work, not the person; that takes responsibility "
                "and maturity from everyone.",
                "es": "Los desacuerdos son sobre el trabajo, no sobre la persona; eso pide "
                "responsabilidad y madurez de todos.",
            },
        ),
    ]
}

PRINCIPLE_IDS = tuple(PRINCIPLES)


def unknown_principles(ids: list[str]) -> list[str]:
    return [p for p in ids if p not in PRINCIPLES]

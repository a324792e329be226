import pytest

from coach.language import detect_language

SPANISH = [
    "ventas dice que nuestros leads son basura",
    "¿quién da seguimiento?",
    "marketing no manda leads buenos",
    "no me hablan desde la junta",
    "Necesito ayuda",
    "el CRM está mal",
    "finanzas decide",
    "vosotros nunca avisáis de las campañas",
]
ENGLISH = [
    "sales says our leads are garbage, what do I say tomorrow?",
    "who owns follow-up??",
    "the pipeline is dead",
    "marketing launched something without telling anybody",
    "nobody answers my emails",
    "I am done",
    "help",
]


@pytest.mark.parametrize("text", SPANISH)
def test_short_spanish_questions_are_spanish(text):
    assert detect_language(text) == "es"


@pytest.mark.parametrize("text", ENGLISH)
def test_short_english_questions_are_english(text):
    assert detect_language(text) == "en"


def test_no_signal_falls_back_to_the_default():
    assert detect_language("CRM SLA KPI", default="es") == "es"

"""Who did the wrong in a story (coach.agency): the same event told from each side reads as
each side, in both languages, and a story with no wrong in it reads as nothing."""

from __future__ import annotations

import pytest

from coach.agency import who_acted
from coach.situation import read_situation

PAIRS = [
    # (the asker did it, it was done to the asker, language)
    (
        "I rolled my eyes every time the head of sales spoke in the QBR, and now he won't talk to me.",
        "The head of sales rolled his eyes at me every time I spoke in the QBR.",
        "en",
    ),
    (
        "I told the whole pipeline call that marketing's webinar leads were 'a waste of time'.",
        "The sales director told the whole pipeline call that my webinar leads were a waste of time.",
        "en",
    ),
    (
        "Yesterday I snapped at Dana from sales in front of her team.",
        "Yesterday Dana from sales snapped at me in front of my team.",
        "en",
    ),
    (
        "One of my reps posted in the general channel that marketing 'can't write a subject line'.",
        "Their VP posted in the general channel that our campaigns are useless.",
        "en",
    ),
    (
        "Le contesté feo a la gerente de marketing delante de todos y ahora no me habla.",
        "La gerente de marketing me contestó feo delante de todos.",
        "es",
    ),
    (
        "Critiqué la campaña de Rocío en el comité sin avisarle antes.",
        "Rocío criticó mi campaña en el comité sin avisarme antes.",
        "es",
    ),
    (
        "Mis vendedores se burlaron de la presentación de marketing en la junta.",
        "Los vendedores se burlaron de nuestra presentación en la junta.",
        "es",
    ),
    (
        "Se me pasó mandarle el brief al equipo de ventas y ahora están molestos.",
        "El director comercial me ha puesto a parir en el canal de ventas.",
        "es",
    ),
]


@pytest.mark.parametrize(("mine", "theirs", "language"), PAIRS)
def test_the_same_wrong_told_from_each_side_reads_as_each_side(mine, theirs, language):
    assert who_acted(mine, language) in ("asker", "team")
    assert who_acted(theirs, language) == "other"


@pytest.mark.parametrize(
    ("text", "language", "acted"),
    [
        ("I snapped at Dana from sales in front of her team.", "en", "asker"),
        (
            "One of my reps posted in the general channel that marketing 'can't write'.",
            "en",
            "team",
        ),
        ("Se me pasó mandarle el brief al equipo de ventas y ahora están molestos.", "es", "asker"),
        ("Mis vendedores se burlaron de la presentación de marketing en la junta.", "es", "team"),
    ],
)
def test_what_the_asker_s_own_people_did_is_told_from_what_they_did(text, language, acted):
    assert who_acted(text, language) == acted


@pytest.mark.parametrize(
    ("text", "language", "asker"),
    [
        ("Our CMO told the board that sales doesn't follow up on anything.", "en", "sales"),
        (
            "El director comercial dijo en el comité que marketing 'no genera nada'.",
            "es",
            "marketing",
        ),
    ],
)
def test_the_asker_s_own_team_named_is_the_asker_s_side(text, language, asker):
    assert who_acted(text, language, asker) == "other"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I've asked the content team three times for a one-pager and nothing.", "en"),
        ("Two of the four reps on the booth rota never showed up.", "en"),
        ("Le escribí tres veces al equipo de contenidos y nada.", "es"),
    ],
)
def test_asked_in_vain_is_done_to_the_asker(text, language):
    assert who_acted(text, language) == "other"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # requests, plans and refusals: nothing was done yet
        ("How do I tell the sales VP that I want to move the launch?", "en"),
        ("I want to propose an SLA with sales without it sounding like I'm blaming them.", "en"),
        ("The CEO asked me to run the post-mortem with both teams on Monday.", "en"),
        ("Quiero proponerle a ventas un acuerdo de nivel de servicio. ¿Cómo lo planteo?", "es"),
        ("Marketing y ventas me mandan sus números cada lunes y cada uno quiere el suyo.", "es"),
        ("Me pidieron diseñar un plan de bonos para ventas. ¿Por dónde empiezo?", "es"),
    ],
)
def test_no_wrong_in_the_story_reads_as_nothing(text, language):
    assert who_acted(text, language) is None


@pytest.mark.parametrize(
    "text",
    [
        "The sales VP presented our webinar numbers to the board as his own pipeline, and nobody "
        "corrected him.",
        "El director comercial presentó nuestros datos del webinar al consejo como si fueran suyos "
        "y nadie dijo nada.",
    ],
)
def test_a_wrong_done_to_the_asker_s_work_is_read_without_the_learned_reader(text):
    assert read_situation(text).stance == "received"


def test_the_reading_of_who_acted_sets_the_side_of_a_question():
    caused = read_situation("I called the sales team 'order takers' in the all-hands. What now?")
    received = read_situation("The CMO called my team 'order takers' in the all-hands. What now?")
    assert (caused.stance, received.stance) == ("caused", "received")

import pytest

from coach.checker import check_message
from coach.errors import CoachError
from coach.rewrite import rewrite
from coach.tone import analyze

DRAFTS = [
    "It's your fault we missed the quarter, you always send garbage leads.",
    "You have to send me the list today. Those people in sales never answer, as usual.",
    "Why did you launch the campaign without telling us? You don't care about sales.",
    "Es tu culpa. Siempre llegas tarde y los de ventas nunca contestan. Eres un inútil.",
    "Tienes que mandarme la lista hoy, ya claro.",
    "¿Por qué no avisaste de la campaña? Te da igual lo que pase con ventas.",
]


@pytest.mark.parametrize("draft", DRAFTS)
def test_rewrite_removes_every_flag_and_opens_a_way_forward(draft):
    result = rewrite(draft)
    report = analyze(result)
    assert report.ok, report.flags
    assert "?" in result
    assert report.solution_score >= 1


def test_rewrite_keeps_the_request_and_the_language():
    assert rewrite("You have to send me the list today.").startswith(
        "Could you send me the list today?"
    )
    assert rewrite("Tienes que mandarme la lista hoy.").startswith(
        "¿Podrías mandarme la lista hoy?"
    )


def test_clean_sentences_are_kept_word_for_word():
    draft = "The numbers from last week look off. You always ignore them."
    assert rewrite(draft).startswith("The numbers from last week look off.")


def test_check_record_shape():
    record = check_message("Es tu culpa.")
    assert record["language"] == "es"
    assert record["tone"]["ok"] is False
    assert record["tone"]["flags"][0]["kind"] == "blame"
    assert analyze(record["rewrite"], "es").ok


def test_a_clean_draft_comes_back_unchanged():
    record = check_message("Can we look at the numbers together on Friday?")
    assert (
        record["tone"]["ok"]
        and record["rewrite"] == "Can we look at the numbers together on Friday?"
    )


@pytest.mark.parametrize("draft", ["", "   ", "x" * 6000])
def test_empty_or_huge_drafts_get_a_clear_message(draft):
    with pytest.raises(CoachError):
        check_message(draft)

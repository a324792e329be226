"""Hard text from users: broken characters, empty or huge input, in either language."""

import subprocess
import sys

import pytest

from coach.checker import check_message
from coach.rehearsal.engine import MAX_TURN_CHARS, Session
from coach.rehearsal.scenarios import load_scenarios
from coach.settings import PROJECT_ROOT
from coach.text import InputError, clean, user_text

SCENARIO = load_scenarios([PROJECT_ROOT / "knowledge"])[("campaign-without-sales", "es")]


def test_clean_repairs_what_would_crash_later_steps():
    assert clean("leads \ud800 basura") == "leads \ufffd basura"  # a lone surrogate
    assert clean("a\x00b\x1bc\td\ne") == "abc\td\ne"  # control characters, not tabs or newlines
    assert clean("reunio\u0301n") == "reunión"  # one character however it was typed
    assert clean(None) == ""


def test_messages_follow_the_language_of_the_text_or_the_interface():
    with pytest.raises(InputError) as caught:
        user_text("¿Qué hago? " * 300, "question", 2000)
    assert str(caught.value).startswith("Son 3299 caracteres; el máximo es 2000")
    assert caught.value.message("en").startswith("That is 3299 characters")
    with pytest.raises(InputError, match="Describe the situation") as empty:
        user_text(" \x00 ", "question", 2000)
    assert empty.value.message("es") == "Describe la situación sobre la que quieres consejo."


def test_a_lone_surrogate_gets_an_answer_not_a_crash(coach):
    record = coach.ask("sales says our leads are \ud800 garbage")
    assert record.sources and "\ud800" not in record.question
    assert "\ud800" not in check_message("You never \ud800 answer")["rewrite"]


def test_the_cli_takes_undecodable_bytes_in_a_question(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "coach.cli", "ask", b"leads are garbage \xed\xa0\x80"],
        capture_output=True,
        env={"COACH_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"Sources" in result.stdout


def test_a_pasted_essay_is_not_a_rehearsal_turn():
    session = Session(SCENARIO)
    with pytest.raises(ValueError, match="máximo es 2000"):
        session.turn("Entiendo tu punto. " * 500)
    assert session.turns == []  # nothing was played
    session.turn("Entiendo tu punto. ¿Cómo lo ves tú?")
    with pytest.raises(ValueError, match="2000 at most"):
        session.what_if("x" * (MAX_TURN_CHARS + 1))

"""Reading the situation behind a question (coach.situation) and who a playbook is written for."""

from __future__ import annotations

import pytest

from coach.errors import KnowledgeError
from coach.knowledge import load_file
from coach.situation import harmful_request, objection_in, read_situation


def test_the_manager_of_the_one_who_criticised_is_read_as_such():
    s = read_situation(
        "Mañana tengo un 1:1 con mi vendedora estrella, que dijo en el canal general que "
        "marketing 'no sirve para nada'"
    )
    assert (s.asker, s.stance, s.channel) == ("sales", "caused", "one-on-one")
    assert s.when == "Mañana" and s.counterpart == "mi vendedora estrella"


def test_the_one_criticised_and_the_leader_above_both():
    received = read_situation(
        "Sales says our leads are garbage and I see the head of sales on Monday"
    )
    assert (received.asker, received.stance, received.when) == (
        "marketing",
        "received",
        "on Monday",
    )
    assert read_situation("I'm the CEO and both teams report to me").asker == "leadership"


def test_nothing_is_guessed_from_a_vague_question():
    s = read_situation("my team is a mess")
    assert (s.asker, s.stance, s.counterpart, s.channel, s.when) == (None,) * 5


def test_a_follow_up_keeps_what_the_conversation_said():
    history = [{"role": "user", "content": "Sales says our leads are garbage"}]
    s = read_situation("and if he says he has no time?", history)
    assert s.asker == "marketing" and objection_in("and if he says he has no time?") == "no-time"
    assert objection_in("¿y qué le digo a mi jefa?") == "boss"


@pytest.mark.parametrize(
    ("text", "harmful"),
    [
        ("Escribe un correo para humillar al director de ventas delante de todos", True),
        ("Help me prove it's his fault so he gets fired", True),
        ("How do I give firm feedback to the sales director about missed follow-ups?", False),
        ("I need to tell my boss we missed the target", False),
    ],
)
def test_requests_to_humiliate_or_get_someone_fired_are_told_apart(text, harmful):
    assert harmful_request(text) is harmful


def test_who_a_playbook_is_for_is_validated(tmp_path):
    body = (
        "# T\n\n## The situation\nx\n\n## What is usually going on\nx\n\n## Principles that apply"
        '\nx\n\n## Steps\n1. a\n\n## What to say\n- "b"\n\n## What to avoid saying\nx\n\n'
        "## A question to ask\nx?\n"
    )
    path = tmp_path / "p.md"
    head = "---\nid: p\ntitle: T\nlanguage: en\nprinciples: [clear-roles]\nsituations: [a]\n"
    path.write_text(head + "for: {asker: [marketing], stance: [received]}\n---\n" + body)
    doc = load_file(path)
    assert doc.for_asker == ("marketing",) and doc.for_stance == ("received",)
    path.write_text(head + "for: {asker: [janitor], stance: [received]}\n---\n" + body)
    with pytest.raises(KnowledgeError, match="for.asker"):
        load_file(path)
    turns = "next_turns:\n  - {objection: no-time, they_say: x, do: y, say: 'In 15 minutes'}\n"
    path.write_text(head + turns + "---\n" + body)
    with pytest.raises(KnowledgeError, match="no figures"):
        load_file(path)

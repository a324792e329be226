"""Which playbook answers a situation, and how well (issue 10): the fit reader and its corpus,
and the choice a manager sees, over the real index and the bundled embedder."""

from collections import Counter

import pytest
import yaml

from coach.fit import choose
from coach.learned import RULES, LabelReader
from coach.settings import PROJECT_ROOT
from coach.situation import read_situation

PLAYBOOKS = PROJECT_ROOT / "knowledge" / "playbooks"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_playbook_has_situations_to_learn_from(lang):
    items = yaml.safe_load((RULES / f"fit-{lang}.yaml").read_text(encoding="utf-8"))["items"]
    shipped = {p.stem for p in (PLAYBOOKS / lang).glob("*.md")}
    labels = Counter(item["playbook"] for item in items)
    assert set(labels) - {None} <= shipped, "a label names no playbook (renamed or removed?)"
    assert min(labels[p] for p in shipped) >= 15, "a playbook the fit reader barely knows"
    assert labels[None] >= 80  # "nothing here covers it" has to be learned too
    texts = [item["q"].strip().lower() for item in items]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize(
    ("question", "playbook"),
    [
        # The issue's own example: retrieval alone offered the budget deadlock.
        (
            "Our new CMO wants to move the SDR team under marketing; the sales director "
            "threatens to quit. I run the company. How do I handle Thursday's meeting?",
            "sdr-reorganisation",
        ),
        (
            "Soy la CEO. El mes que viene los SDR pasan de ventas a marketing y el director "
            "comercial amenaza con irse. ¿Cómo se lo planteo el lunes?",
            "sdr-reorganisation",
        ),
        (
            "I'm a junior marketer and the sales team ignores every message I post in their "
            "Slack channel. How do I get them to answer?",
            "junior-ignored",
        ),
        (
            "I yelled at Dana from sales during yesterday's forecast call and she hasn't "
            "answered my messages since. How do I make it right?",
            "apology-after-temper",
        ),
    ],
)
def test_a_fresh_situation_gets_the_playbook_written_for_it(coach, question, playbook):
    record = coach.ask(question)
    assert (record.kind, record.fit, record.playbook) == ("advice", "fits", playbook)


def test_the_manager_of_someone_who_criticised_is_not_told_to_apologise(coach):
    record = coach.ask(
        "Mañana tengo un 1:1 con mi vendedora estrella, que dijo en el canal general que "
        "marketing 'no sirve para nada'. ¿Cómo lo enfoco?"
    )
    assert record.playbook not in ("feedback-taken-personally", "apology-after-temper")


@pytest.mark.parametrize(
    "question",
    [
        "My paycheck was wrong again this month and payroll isn't answering my tickets. "
        "What should I do?",
        "Me han vuelto a pagar mal la nómina y nadie de administración contesta mis correos. "
        "¿Qué hago?",
        "We need to choose between Salesforce and HubSpot for a company of thirty people. "
        "Which one would you pick?",
    ],
)
def test_a_story_no_playbook_covers_is_never_given_one_as_the_answer(coach, question):
    record = coach.ask(question)
    assert record.fit != "fits"


def test_where_the_reader_points_the_choice_follows(coach):
    question = "Sales says our leads are useless."
    ranking, situation = coach.rank(question), read_situation(question)
    second = ranking.playbooks[1][0]
    plain = choose(ranking, coach.library, situation, "en", question)
    assert plain.playbook != second
    pointed = choose(ranking, coach.library, situation, "en", question, {second: 0.6})
    assert pointed.playbook == second


def test_a_playbook_the_reader_ranks_below_another_is_not_presented_as_the_answer(coach):
    question = (
        "I'm a junior marketer and the sales team ignores every message I post in their "
        "Slack channel."
    )
    ranking, situation = coach.rank(question), read_situation(question)
    top = ranking.playbooks[0][0]
    backed = choose(ranking, coach.library, situation, "en", question, {top: 0.3})
    doubted = choose(
        ranking, coach.library, situation, "en", question, {top: 0.05, "budget-deadlock": 0.1}
    )
    assert (backed.playbook, backed.fit) == (top, "fits")
    assert (doubted.playbook, doubted.fit) == (top, "related")


def test_without_the_embedder_the_reader_reads_nothing():
    items = [{"q": "a", "playbook": "x"}, {"q": "b", "playbook": "y"}]
    reader = LabelReader(
        "test", lambda: items, lambda: {"playbook": ("x", "y")}, embedder="no-such-embedder"
    )
    assert reader.read("anything") == {"playbook": {}}
    assert not reader.warm()

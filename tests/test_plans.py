"""Answers for a situation no playbook is written for (issue 10): steps for the asker's side, not
a neighbouring playbook's, over the real index and the offline composer."""

import pytest
import yaml

from coach.backends import AnswerContext
from coach.backends.offline import OfflineBackend
from coach.fit import Choice
from coach.plans import PLANS_DIR, POSITIONS, STANCES, plan_for, turn_for
from coach.situation import OBJECTIONS, Situation, read_situation
from coach.tone import analyze

OTHER = {"en": "the sales VP", "es": "el director comercial"}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("stance", STANCES)
@pytest.mark.parametrize("asker", ["marketing", "leadership"])
def test_every_plan_line_passes_the_checker(lang, stance, asker):
    for counterpart in (None, OTHER[lang]):
        situation = Situation(
            asker=asker, stance=None if stance == "unknown" else stance, counterpart=counterpart
        )
        plan = plan_for(situation, lang)
        assert 3 <= len(plan.steps) <= 5
        for line in (*plan.steps, plan.say, plan.question):
            assert "{" not in line, line
            assert analyze(line, lang).ok, (line, analyze(line, lang).flags)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_plan_for_what_ones_own_people_did_passes_the_checker(lang):
    for counterpart in (None, OTHER[lang], "los de ventas"):
        plan = plan_for(Situation(stance="caused", counterpart=counterpart, own_people=True), lang)
        for line in (*plan.steps, plan.say, plan.question):
            assert "{" not in line, line
            assert analyze(line, lang).ok, (line, analyze(line, lang).flags)


@pytest.mark.parametrize(
    ("question", "lang", "theirs", "mine"),
    [
        (
            "One of my reps posted in #general that marketing 'can't write a subject line'. "
            "Their director is upset.",
            "en",
            "what your team said or did",
            "Name exactly what you said or did",
        ),
        (
            "Mis vendedores se burlaron del webinar de la directora de marketing en el canal "
            "general.",
            "es",
            "lo que dijo o hizo tu equipo",
            "Nombra exactamente lo que dijiste o hiciste",
        ),
    ],
)
def test_a_manager_whose_people_did_it_answers_for_them(question, lang, theirs, mine):
    situation = read_situation(question)
    assert situation.stance == "caused" and situation.own_people
    assert "own_people" not in situation.to_dict()  # the JSON contract is unchanged
    steps = " ".join(plan_for(situation, lang).steps)
    assert theirs in steps and mine not in steps


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("objection", OBJECTIONS)
def test_every_next_turn_passes_the_checker(lang, objection):
    turn = turn_for(objection, lang)
    for line in (turn.do, turn.say):
        assert analyze(line, lang).ok, (line, analyze(line, lang).flags)


def test_a_broken_plans_file_is_named_before_any_answer(tmp_path, monkeypatch):
    from coach import plans
    from coach.errors import CoachError

    good = yaml.safe_load((PLANS_DIR / "plans.en.yaml").read_text("utf-8"))
    del good["caused"]["leader"]["say"]
    (tmp_path / "plans.en.yaml").write_text(yaml.safe_dump(good), "utf-8")
    monkeypatch.setattr(plans, "PLANS_DIR", tmp_path)
    plans._load.cache_clear()
    try:
        with pytest.raises(CoachError, match=r"plans.en.yaml: caused.leader needs"):
            plans.check(("en",))
    finally:
        plans._load.cache_clear()


def test_both_languages_cover_the_same_stances_and_positions():
    shapes = []
    for lang in ("en", "es"):
        data = yaml.safe_load((PLANS_DIR / f"plans.{lang}.yaml").read_text("utf-8"))
        shapes.append({(s, p, len(data[s][p]["steps"])) for s in STANCES for p in POSITIONS})
    assert shapes[0] == shapes[1]


def test_the_other_person_is_named_in_the_askers_words():
    plan = plan_for(Situation(asker="sales", stance="initiating", counterpart="mi jefa"), "es")
    assert any("tu jefa" in step for step in plan.steps)
    plan = plan_for(Situation(asker="sales", stance="caused", counterpart="el director"), "es")
    assert any("al director" in step for step in plan.steps)  # "a el" -> "al"
    assert not any(" a el " in step for step in plan.steps)
    plan = plan_for(Situation(asker="marketing", stance="received"), "en")
    assert any("the other person" in step for step in plan.steps)


@pytest.mark.parametrize("stance", ["received", "caused"])
def test_spanish_lines_agree_with_one_person_or_several(stance):
    one = " ".join(plan_for(Situation(stance=stance, counterpart="la directora"), "es").steps)
    several = " ".join(plan_for(Situation(stance=stance, counterpart="mis vendedores"), "es").steps)
    assert "tus vendedores" in several and "{" not in one + several
    singular = {"received": "qué vio ", "caused": "cómo le cayó"}[stance]
    plural = {"received": "qué vieron ", "caused": "cómo les cayó"}[stance]
    assert singular in one and plural not in one
    assert plural in several and singular not in several


def test_a_leader_chairs_and_decides_a_peer_does_not():
    leader = plan_for(Situation(asker="leadership", stance="mediating"), "en")
    peer = plan_for(Situation(asker="finance", stance="mediating"), "en")
    assert "who decides" in " ".join(leader.steps)
    assert "deciding who is right isn't yours" in " ".join(peer.steps)


def _compose(coach, question, situation, choice, objection=None, history=()):
    ranking = coach.rank(question)
    context = AnswerContext(
        question,
        "en",
        ranking,
        coach.library,
        list(history),
        situation=situation,
        choice=choice,
        objection=objection,
    )
    return OfflineBackend().compose_for(context)


def test_a_playbook_written_for_the_other_side_is_a_source_not_the_steps(coach):
    question = "I told the sales team their forecast was fiction in front of the CEO. Now what?"
    situation = Situation(asker="marketing", stance="caused", counterpart="the sales team")
    playbook = "feedback-taken-personally"
    steps = coach.library.doc(playbook, "en")["steps"].text
    text, sources, parts = _compose(
        coach, question, situation, Choice(playbook, "related", 0.9, -1)
    )
    assert sources[0]["id"] == playbook  # one click away
    assert not set(parts.steps) & {s.strip("- ") for s in steps.splitlines()}
    assert "own your part" in text and "the sales team" in text
    assert "No playbook here is written for exactly your situation" in text
    # the article is cited for a principle that speaks to someone who caused the hurt
    assert "*Nothing personal*" in text or "*How do we solve this?*" in text


def test_a_close_related_playbook_written_for_this_side_keeps_its_steps(coach):
    question = "sales says our leads are garbage, what do I say tomorrow?"
    situation = Situation(asker="marketing", stance="received", when="tomorrow")
    choice = Choice("lead-quality", "related", 0.7, 1, share=0.3)
    text, sources, parts = _compose(coach, question, situation, choice)
    steps = coach.library.doc("lead-quality", "en")["steps"].text
    assert parts.steps and all(step in steps for step in parts.steps)


def test_a_playbook_for_this_side_the_reader_does_not_back_is_offered_as_a_maybe(coach):
    # The fit reader gives it little share: the steps come from the asker's plan, and the
    # playbook, written for this side, is offered as one that may fit (not "none fits").
    question = "The CMO put my reps' names on a slide about conversion failures. What's my move?"
    situation = Situation(asker="sales", stance="received", counterpart="The CMO")
    choice = Choice("public-criticism", "related", 0.9, 1, share=0.02)
    text, sources, parts = _compose(coach, question, situation, choice)
    assert sources[0]["id"] == "public-criticism"
    assert "may fit it" in text and "No playbook here is written" not in text
    assert len(parts.steps) >= 3


def test_nothing_close_gets_a_plan_and_an_invitation_to_say_more(coach):
    question = "We share one office kitchen and the two teams argue about the fridge."
    situation = Situation(asker="leadership", stance="mediating")
    text, sources, parts = _compose(coach, question, situation, Choice(None, "none", 0.3, 0))
    assert len(parts.steps) >= 3 and parts.phrases and parts.question
    assert "None of my playbooks covers this situation" in text
    assert "Tell me a bit more" in text
    assert all(s["id"] != "lead-quality" for s in sources)


def test_a_follow_up_after_a_plan_answer_gets_the_plans_next_turn(coach):
    question = "The two teams argue about who gets the big meeting room on Mondays."
    situation = Situation(asker="leadership", stance="mediating", counterpart="the sales lead")
    choice = Choice("budget-deadlock", "related", 0.8, 1, share=0.02)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
    text, sources, parts = _compose(
        coach, "and if the sales lead says no?", situation, choice, "says-no", history
    )
    neighbour = coach.library.doc("budget-deadlock", "en")["turn-says-no"].text
    assert parts.steps == [turn_for("says-no", "en").do]
    assert neighbour.split("\n")[1] not in text  # not the budget playbook's next turn
    assert "with the sales lead" in parts.acknowledge
    assert sources[0]["id"] == "budget-deadlock"


def test_a_side_only_the_learned_reader_heard_gets_the_plan_for_either_side():
    heard = Situation(asker="marketing", stance="caused", stance_learned=True)
    said = Situation(asker="marketing", stance="caused")
    assert plan_for(heard, "en") == plan_for(Situation(asker="marketing"), "en")
    assert "own your part" in " ".join(plan_for(said, "en").steps)
    assert "own your part" not in " ".join(plan_for(heard, "en").steps)

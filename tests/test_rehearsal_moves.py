"""Issue 15: turns read as moves, a counterpart that answers what was said, the debrief."""

import pytest
import yaml

from coach.rehearsal.engine import Session
from coach.rehearsal.moves import extract_proposal, read_moves
from coach.rehearsal.scenarios import load_scenario, load_scenarios
from coach.settings import PROJECT_ROOT

SCENARIOS = load_scenarios([PROJECT_ROOT / "knowledge"])


@pytest.mark.parametrize(
    "lang, text, kinds",
    [
        ("en", "You're right, we should have told your reps first.", {"acknowledge"}),
        ("en", "What worries you most about taking the demo requests?", {"open-question"}),
        ("en", "Don't you think a form would fix this, right?", {"leading-question"}),
        ("en", "I'm sorry, that came out as blame. That's on me.", {"repair", "apology"}),
        ("en", "Thanks for the time, I hope we can work better together.", {"pleasantry"}),
        ("es", "Tienes razón, debimos avisarles primero a tus vendedores.", {"acknowledge"}),
        ("es", "¿Qué es lo que más te preocupa de tomar las demos?", {"open-question"}),
        ("es", "Perdón, eso sonó a culpa. Fue injusto de mi parte.", {"repair", "apology"}),
        ("es", "Gracias por el espacio, ojalá podamos trabajar mejor.", {"pleasantry"}),
    ],
)
def test_a_turn_is_read_as_moves(lang, text, kinds):
    # after a slip (an apology repairs only something that happened)
    assert kinds <= read_moves(text, lang, by_meaning=False, slipped_before=True).kinds


def test_an_apology_with_nothing_to_mend_is_an_acknowledgement():
    moves = read_moves("I'm sorry, that's on me.", "en", by_meaning=False)
    assert "acknowledge" in moves.kinds and "repair" not in moves.kinds


@pytest.mark.parametrize(
    "lang, text, jab",
    [
        ("en", "No worries, I'll just tell the customer your team was too busy.", "sarcasm"),
        ("en", "I'll loop in your director so we're all aligned.", "threaten"),
        ("en", "You're overreacting to a couple of comments.", "dismiss"),
        ("es", "Qué bonito poder elegir qué leads trabajar.", "sarcasm"),
        ("es", "Voy a copiar a tu jefa para que quede claro.", "threaten"),
    ],
)
def test_a_polite_sounding_jab_is_read_as_one(lang, text, jab):
    assert jab in read_moves(text, lang, by_meaning=False).jabs


def test_a_proposal_keeps_the_learners_what_who_and_when():
    p = extract_proposal(
        "Here's my offer: I pull thirty leads by Wednesday and Marta joins us on Friday.", "en"
    )
    assert p.complete and {"me", "Marta"} <= set(p.who) and p.when == ["wednesday", "friday"]
    assert p.text.startswith("I pull thirty leads")
    p = extract_proposal("¿Qué te parece si yo armo la hoja para el lunes?", "es")
    assert "me" in p.who and p.when == ["lunes"]


def play(session, lines):
    for line in lines:
        if session.finished:
            break
        session.turn(line)
    return session


SKILLED = {
    "en": [
        "I know your reps had a brutal quarter, and hearing it in front of the CEO made it worse.",
        "What do your reps usually find on the first call with a lead?",
        "What if I pull thirty leads by Tuesday and we go through them with Ana on Thursday?",
    ],
    "es": [
        "Sé que tu equipo tuvo un trimestre durísimo y que frente al director fue peor.",
        "¿Qué encuentran tus vendedores en la primera llamada con un lead?",
        "¿Qué te parece si yo saco treinta leads para el martes y los revisamos con Ana el jueves?",
    ],
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_agreement_restates_the_learners_days_and_owners(lang):
    session = play(Session(SCENARIOS[("leads-garbage-missed-quarter", lang)]), SKILLED[lang])
    assert session.outcome == "resolved"
    said = session.turns[-1].counterpart.lower()
    for day in {"en": ("tuesday", "thursday"), "es": ("martes", "jueves")}[lang]:
        assert day in said
    assert "ana" in said and session.agreement["when"]
    assert session.scorecard()["score"] >= 75


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_open_question_earns_an_interest_and_a_pleasantry_does_not(lang):
    scenario = SCENARIOS[("leads-garbage-missed-quarter", lang)]
    session = Session(scenario)
    vague = {
        "en": "Thanks for the time, I hope things get better.",
        "es": "Gracias por el tiempo, ojalá todo mejore.",
    }
    assert session.turn(vague[lang]).revealed == ""
    turn = session.turn(SKILLED[lang][1])
    wants = [i.want for i in scenario.counterpart.interests]
    assert turn.revealed in wants
    assert turn.counterpart in [i.reveal for i in scenario.counterpart.interests]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_proposal_without_a_day_gets_asked_when(lang):
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", lang)])
    session.turn(SKILLED[lang][0])
    text = {
        "en": "Could we go through some leads together with one of your reps?",
        "es": "¿Podemos revisar unos leads juntos con uno de tus vendedores?",
    }
    turn = session.turn(text[lang])
    assert turn.reply_kind == "object" and session.outcome == "in-progress"
    assert (
        "day" in " ".join(turn.feedback.tips).lower()
        or "fecha" in " ".join(turn.feedback.tips).lower()
    )


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_no_line_twice_even_for_a_learner_who_repeats_themselves(key):
    session = Session(SCENARIOS[key], seed=3)
    line = {"en": "Okay, sure.", "es": "Bueno, va."}[key[1]]
    play(session, [line] * 8)
    said = [session.opening] + [t.counterpart for t in session.turns]
    assert len(said) == len(set(said))


def test_tips_never_ask_for_what_the_turn_just_did():
    session = Session(SCENARIOS[("overloaded-marketing-says-no", "en")])
    turn = session.turn("What would you need from me to consider part of it?")
    assert not any("ask" in tip.lower() and "question" in tip.lower() for tip in turn.feedback.tips)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_debrief_quotes_lines_and_names_interests(lang):
    session = play(Session(SCENARIOS[("leads-garbage-missed-quarter", lang)]), SKILLED[lang])
    debrief = session.scorecard()["debrief"]
    assert debrief["best"]["user"] in SKILLED[lang]
    assert debrief["interests_uncovered"] and debrief["interests_missed"]
    assert debrief["practise_next"] and debrief["agreement"]
    assert "Debrief" in session.transcript_markdown() or "Balance" in session.transcript_markdown()


def test_a_remedy_without_its_reason_names_the_file_and_field(tmp_path):
    from coach.errors import KnowledgeError

    source = PROJECT_ROOT / "knowledge" / "scenarios" / "en" / "speed-to-lead.yaml"
    data = yaml.safe_load(source.read_text())
    data["remedies"]["refuse"][0]["reason"] = ""
    path = tmp_path / "no-reason.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(KnowledgeError, match="no-reason.yaml.*remedies"):
        load_scenario(path)


def test_sixteen_scenarios_in_both_languages_with_interests_to_earn():
    ids = {sid for sid, _ in SCENARIOS}
    assert len(ids) >= 16 and all((sid, lang) in SCENARIOS for sid in ids for lang in ("en", "es"))
    for scenario in SCENARIOS.values():
        assert all(i.reveal and i.pain for i in scenario.counterpart.interests)
        assert scenario.objections.when and scenario.remedies.refuse


def test_the_meaning_based_flag_adds_no_second_jab_to_a_turn_the_rules_flagged():
    """One slip, one jab: a turn the rules already flag is not heated twice because the learned
    reader also finds its other sentence sharp; on a turn the rules find clean, it is the jab."""
    from coach.rehearsal.moves import read_moves
    from coach.tone import analyze

    both = (
        "Tu equipo parece creer que los leads se llaman solos. "
        "Te lo estás tomando demasiado personal."
    )
    report = analyze(both, "es", backstop=True)
    assert {f.rule for f in report.flags} >= {"backstop"} and len(report.flags) == 2
    jabs = read_moves(both, "es", report).jabs
    assert "sarcasm" in jabs and "blame" not in jabs  # the backstop's sentence adds no "blame"

    alone = "Your reps appear to believe the lead list will call itself."
    report = analyze(alone, "en", backstop=True)
    assert [f.rule for f in report.flags] == ["backstop"]
    assert "blame" in read_moves(alone, "en", report).jabs

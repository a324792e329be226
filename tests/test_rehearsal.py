"""Rehearsal on every shipped scenario, with hostile and constructive scripts in both languages."""

from pathlib import Path

import pytest
import yaml

from coach.language import detect_language
from coach.rehearsal.engine import Session
from coach.rehearsal.scenarios import LEVELS, load_scenario, load_scenarios
from coach.rehearsal.topic import off_topic
from coach.settings import PROJECT_ROOT

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
SCENARIOS = load_scenarios([PROJECT_ROOT / "knowledge"])


def script(kind: str, language: str) -> list[str]:
    return [line for line in (SCRIPTS / f"{kind}.{language}.txt").read_text().splitlines() if line]


def play(session: Session, lines: list[str]) -> Session:
    for line in lines:
        if session.finished:
            break
        session.turn(line)
    return session


# Polite, well-formed turns about something else: the offline counterpart must not be won over.
OFF_TOPIC = {
    "en": [
        "I understand. What if we order pizza for the whole office on Friday? I'll book it by Thursday.",
        "I hear you. What if we repaint the break room together? I'll get the paint by Friday.",
        "Fair point. Should we get a new coffee machine for the kitchen? I can order one by Monday.",
        "Got it. Let's plan the holiday party menu and the music playlist by Wednesday.",
    ],
    "es": [
        "Entiendo. ¿Qué tal si pedimos pizza para toda la oficina el viernes? La encargo el jueves.",
        "Te escucho. ¿Y si pintamos juntos la sala del café? Compro la pintura el viernes.",
        "Tiene sentido. ¿Compramos una cafetera nueva para la cocina? La pido el lunes.",
        "De acuerdo. Preparemos el menú y la música de la fiesta de fin de año para el miércoles.",
    ],
}
# Specific turns about the situation, written for these scenarios (not taken from their lines).
ON_TOPIC = {
    ("campaign-without-sales", "en"): [
        "I'm sorry your reps were blindsided by the discount email. I'll get them the offer details and a short FAQ this afternoon.",
        "From the next launch on, could one person on your side sign off a campaign brief a week before it goes out?",
    ],
    ("campaign-without-sales", "es"): [
        "Siento que tus vendedores se enteraran por un cliente. Esta tarde les mando las condiciones del descuento y respuestas a las dudas típicas.",
        "Para el próximo lanzamiento, ¿te parece que alguien de tu lado apruebe el brief de la campaña una semana antes?",
    ],
    ("leads-garbage-missed-quarter", "en"): [
        "Let's pick twenty of last quarter's leads and go through them with one of your reps on Thursday.",
        "Could we write down together what makes a lead worth a rep's call, so we judge quality the same way?",
    ],
    ("leads-garbage-missed-quarter", "es"): [
        "Revisemos veinte leads del último trimestre con uno de tus comerciales el jueves.",
        "¿Podemos definir juntos qué hace que un lead merezca una llamada, para medir la calidad igual?",
    ],
    ("discount-budget-deadlock", "en"): [
        "What if we ask finance to look at the five stalled deals and the trade show's pipeline numbers side by side?",
        "Could we split it: a smaller discount pool for the two deals closest to signing, and keep the show?",
    ],
    ("discount-budget-deadlock", "es"): [
        "¿Y si le pedimos a finanzas que compare los cinco negocios parados con lo que aporta la feria al pipeline?",
        "¿Podemos repartirlo: un fondo de descuentos menor para los dos negocios más cerca de cerrar, y mantener la feria?",
    ],
    ("follow-up-ownership", "en"): [
        "Can we agree who calls inbound demo requests within a day, and who watches the shared queue?",
        "I'd like us to look at the 23 requests nobody contacted and decide which team owns each kind.",
    ],
    ("follow-up-ownership", "es"): [
        "¿Acordamos quién llama a las solicitudes de demo en menos de un día y quién vigila la cola compartida?",
        "Me gustaría revisar las 23 solicitudes que nadie contactó y decidir qué equipo se encarga de cada tipo.",
    ],
    ("head-of-sales-wont-meet", "en"): [
        "Would a shorter alignment slot right after your pipeline call be easier to keep?",
        "I'd rather have 20 minutes every two weeks that you can keep than an hour that keeps moving.",
    ],
    ("head-of-sales-wont-meet", "es"): [
        "¿Te resultaría más fácil mantener una reunión de alineación más corta justo después de tu llamada de pipeline?",
        "Prefiero veinte minutos cada quince días que puedas mantener a una hora que se mueve siempre.",
    ],
}


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_turns_about_something_else_are_told_apart_from_turns_about_the_situation(key):
    scenario = SCENARIOS[key]
    assert all(off_topic(turn, scenario) for turn in OFF_TOPIC[scenario.language])
    assert not any(off_topic(turn, scenario) for turn in ON_TOPIC.get(key, []))
    generic = script("constructive", scenario.language)  # vague but about "it": benefit of doubt
    assert not any(off_topic(turn, scenario) for turn in generic)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_polite_proposal_about_something_else_does_not_settle_the_conversation(lang):
    scenario = SCENARIOS[("campaign-without-sales", lang)]
    session = Session(scenario, level="tense")
    session.turn(script("constructive", lang)[0])
    turn = session.turn(OFF_TOPIC[lang][0])  # acknowledges, proposes, names a day: about pizza
    assert session.outcome == "in-progress" and turn.tension >= session.turns[0].tension - 0.5
    assert turn.counterpart in scenario.line("open", "neutral") + scenario.line("tense", "neutral")
    tip = {"en": "the problem they raised", "es": "al problema que te plantearon"}[lang]
    assert any(tip in t for t in turn.feedback.tips)
    assert turn.feedback.score < session.turns[0].feedback.score
    assert "pizza" not in turn.feedback.suggestion  # the alternative is about the situation
    same_shape = {  # acknowledges, proposes, names a day: about the offer
        "en": "I understand. What if I send your reps the offer terms and an FAQ today? I'll have them by noon.",
        "es": "Entiendo. ¿Qué tal si hoy les mando a tus vendedores las condiciones de la oferta y una guía? Las tendrás antes del mediodía.",
    }[lang]
    on_topic = session.what_if(same_shape)
    assert on_topic["tension"] < turn.tension  # the same moment, answered on topic, calms


def test_at_least_ten_scenarios_in_both_languages():
    ids = {i for i, _ in SCENARIOS}
    assert len(ids) >= 10
    for scenario_id in ids:
        assert (scenario_id, "es") in SCENARIOS and (scenario_id, "en") in SCENARIOS, scenario_id
        assert (
            SCENARIOS[(scenario_id, "es")].principles == SCENARIOS[(scenario_id, "en")].principles
        )


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=lambda k: f"{k[0]}-{k[1]}")
@pytest.mark.parametrize("level", LEVELS)
def test_hostile_script_scores_low_with_rising_tension(key, level):
    scenario = SCENARIOS[key]
    session = play(Session(scenario, level=level), script("hostile", scenario.language))
    tensions = [session.turns[0].tension] + [t.tension for t in session.turns[1:]]
    assert (
        tensions == sorted(tensions) and tensions[-1] > {"calm": 3, "tense": 6, "hostile": 8}[level]
    )
    assert all(turn.feedback.flags for turn in session.turns)  # every hostile line is flagged
    assert session.scorecard()["score"] <= 40
    assert session.outcome in {"escalated", "turn-limit", "in-progress"}


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=lambda k: f"{k[0]}-{k[1]}")
@pytest.mark.parametrize("level", LEVELS)
def test_constructive_script_resolves_with_falling_tension(key, level):
    scenario = SCENARIOS[key]
    session = play(Session(scenario, level=level), script("constructive", scenario.language))
    card = session.scorecard()
    assert card["score"] >= 75
    assert session.turns[-1].tension < {"calm": 3, "tense": 6, "hostile": 8}[level]
    assert card["outcome"] == "resolved"
    assert all(not turn.feedback.flags for turn in session.turns)


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_counterpart_speaks_the_learners_language_and_never_repeats_itself(key):
    scenario = SCENARIOS[key]
    neutral = ["ok", "hmm", "I see", "fine then", "sure", "right", "ok then", "yes"]
    session = play(
        Session(scenario, level="tense", seed=7), script("hostile", scenario.language)[:1] + neutral
    )
    lines = [session.opening] + [t.counterpart for t in session.turns]
    assert all(a != b for a, b in zip(lines, lines[1:], strict=False))
    assert sum(detect_language(line) == scenario.language for line in lines) >= len(lines) - 1


def test_same_seed_same_transcript_and_seeds_differ():
    scenario = SCENARIOS[("leads-garbage-missed-quarter", "en")]
    lines = script("hostile", "en")
    first = play(Session(scenario, seed=3), lines).transcript()
    again = play(Session(scenario, seed=3), lines).transcript()
    assert first == again
    replies = {
        tuple(
            t["counterpart"] for t in play(Session(scenario, seed=s), lines).transcript()["turns"]
        )
        for s in range(6)
    }
    assert len(replies) > 1


def test_two_sessions_never_mix():
    a = Session(SCENARIOS[("follow-up-ownership", "en")], level="hostile")
    b = Session(SCENARIOS[("follow-up-ownership", "es")], level="calm")
    good, bad = script("constructive", "es"), script("hostile", "en")
    a.turn(bad[0])
    b.turn(good[0])
    a.turn(bad[1])
    b.turn(good[1])
    assert [t.user for t in a.turns] == bad[:2] and [t.user for t in b.turns] == good[:2]
    assert a.tension > 8 and b.tension < 3


def test_feedback_is_impersonal_and_offers_an_alternative():
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", "en")])
    turn = session.turn("It's your fault. You always send garbage leads.")
    fb = turn.feedback
    assert {f["kind"] for f in fb.flags} >= {"blame", "absolute"}
    assert all(f["why"] for f in fb.flags)
    assert fb.suggestion and not fb.suggestion.startswith("It's your fault")
    from coach.tone import analyze

    assert analyze(fb.suggestion, "en").ok
    assert all(tip.startswith("It would help") for tip in fb.tips)


def test_what_if_replays_a_turn_without_changing_the_session():
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", "en")], level="tense")
    turn = session.turn("It's your fault we missed.")
    before = session.transcript()
    replay = session.what_if(turn.feedback.suggestion)
    assert replay["tension"] < turn.tension
    assert replay["feedback"]["score"] > turn.feedback.score
    assert session.transcript() == before


def test_scorecard_and_transcript_exports():
    session = play(
        Session(SCENARIOS[("finance-decision-lost", "es")], level="tense"),
        script("constructive", "es"),
    )
    card = session.scorecard()
    assert set(card) >= {
        "score",
        "by_principle",
        "outcome",
        "best_turn",
        "first_turn",
        "alternatives",
    }
    assert set(card["by_principle"]) == set(session.scenario.principles)
    assert card["best_turn"]["score"] >= card["first_turn"]["score"]
    markdown = session.transcript_markdown()
    assert session.scenario.title in markdown and "Tú:" in markdown and "Resultado" in markdown
    assert "*Nivel: tensa*" in markdown and "Desenlace: resuelta" in markdown  # all in Spanish
    import json

    assert (
        json.loads(session.transcript_json())["turns"][0]["user"] == script("constructive", "es")[0]
    )


def test_a_finished_session_refuses_more_turns():
    session = play(Session(SCENARIOS[("finance-decision-lost", "en")]), script("hostile", "en"))
    assert session.finished
    with pytest.raises(ValueError, match="ended"):
        session.turn("one more thing")


def test_a_broken_scenario_names_the_file_and_field(tmp_path):
    from coach.errors import KnowledgeError

    path = tmp_path / "broken.yaml"
    source = (
        PROJECT_ROOT / "knowledge" / "scenarios" / "en" / "follow-up-ownership.yaml"
    ).read_text()
    data = yaml.safe_load(source)
    data["principles"] = ["made-up", *data["principles"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(KnowledgeError, match="broken.yaml.*principles"):
        load_scenario(path)


def test_a_scenario_with_a_yaml_slip_names_the_line(tmp_path):
    from coach.errors import KnowledgeError

    path = tmp_path / "slip.yaml"
    lines = (
        (PROJECT_ROOT / "knowledge" / "scenarios" / "en" / "follow-up-ownership.yaml")
        .read_text()
        .splitlines()
    )
    lines[3] = "  " + lines[3]  # a stray indent, the usual hand-editing slip
    path.write_text("\n".join(lines))
    with pytest.raises(KnowledgeError, match="slip.yaml: is not valid YAML at line 4"):
        load_scenario(path)


def test_a_turn_in_the_other_language_gets_a_tip_and_a_one_language_alternative():
    session = Session(SCENARIOS[("campaign-without-sales", "en")])
    turn = session.turn("Te escucho, entiendo que tus vendedores lo pasaron mal esta semana.")
    assert any("answering in English" in tip for tip in turn.feedback.tips)
    assert detect_language(turn.feedback.suggestion) == "en"
    assert "vendedores" not in turn.feedback.suggestion


# -- reading a turn by its meaning (triggers and calmers) -------------------------------------
@pytest.fixture(scope="module")
def reader():
    from coach.embeddings import get_embedder
    from coach.rehearsal.reading import Reader

    return Reader.for_embedder(get_embedder("use-m3"))


@pytest.mark.parametrize(
    ("key", "turn", "point"),
    [
        (
            ("campaign-without-sales", "en"),
            "It was in the marketing calendar and we posted it in the sales channel last week.",
            "announced somewhere",
        ),
        (
            ("campaign-without-sales", "es"),
            "Estaba en el calendario de marketing y lo publicamos en el canal de ventas.",
            "publicado en algún lado",
        ),
        (
            ("leads-garbage-missed-quarter", "en"),
            "Look at the MQL volume dashboard, we delivered 30% more leads.",
            "MQL volume dashboards",
        ),
    ],
)
def test_a_polite_turn_that_touches_a_sore_point_is_pushed_back_on(reader, key, turn, point):
    scenario = SCENARIOS[key]
    plain, read = Session(scenario), Session(scenario, reader=reader)
    before = plain.turn(turn)
    after = read.turn(turn)
    assert after.tension > before.tension
    assert after.counterpart in scenario.line("tense", "attack") + scenario.line(
        "hostile", "attack"
    )
    assert any(point in tip for tip in after.feedback.tips)
    assert after.feedback.score < before.feedback.score


@pytest.mark.parametrize(
    ("key", "turn"),
    [
        (
            ("campaign-without-sales", "en"),
            "Let me get your reps the exact terms and a short FAQ this afternoon for their calls.",
        ),
        (
            ("campaign-without-sales", "es"),
            "Hoy mismo les paso a tus vendedores las condiciones exactas y unas preguntas frecuentes.",
        ),
        (
            ("leads-garbage-missed-quarter", "en"),
            "Could you tell me what a good lead looks like for your reps?",
        ),
    ],
)
def test_a_turn_that_gives_them_what_they_need_calms_them_more(reader, key, turn):
    scenario = SCENARIOS[key]
    plain, read = Session(scenario), Session(scenario, reader=reader)
    assert read.turn(turn).tension < plain.turn(turn).tension
    assert read.turns[0].feedback.strengths[0].startswith(("It gave them", "Le diste"))


@pytest.mark.parametrize("key", sorted(SCENARIOS), ids=lambda k: f"{k[0]}-{k[1]}")
def test_with_meaning_read_the_scripts_still_end_as_they_should(reader, key):
    scenario = SCENARIOS[key]
    good = play(Session(scenario, reader=reader), script("constructive", scenario.language))
    bad = play(Session(scenario, reader=reader), script("hostile", scenario.language))
    assert good.outcome == "resolved" and good.scorecard()["score"] >= 75
    assert bad.outcome != "resolved" and bad.scorecard()["score"] <= 40


@pytest.mark.parametrize(
    ("language", "days", "proposed"),
    [
        ("en", {"Thursday": "Monday", "Friday": "Tuesday"}, {"monday", "tuesday"}),
        ("es", {"jueves": "lunes", "viernes": "martes"}, {"lunes", "martes"}),
    ],
)
def test_the_counterpart_agrees_to_the_days_the_learner_proposed(language, days, proposed):
    """Closing lines name days; after "we meet on Tuesday" the counterpart must not close on
    "Friday, with the list", in any scenario."""
    from coach.rehearsal.agreement import days_named

    lines = script("constructive", language)
    for old, new in days.items():
        lines = [line.replace(old, new) for line in lines]
    for (scenario_id, lang), scenario in SCENARIOS.items():
        if lang != language:
            continue
        session = play(Session(scenario, level="tense"), lines)
        assert session.outcome == "resolved", scenario_id
        closing = session.turns[-1].counterpart
        assert set(days_named(closing, language)) <= proposed, (scenario_id, closing)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Not sure what you guys do all day, but the Acme follow-up still hasn't happened."),
        (
            "es",
            "No sé a qué se dedica tu equipo, pero el seguimiento a Grupo Alfa sigue pendiente.",
        ),
    ],
)
def test_a_subtle_jab_is_flagged_with_its_rule_and_never_called_well_done(lang, line):
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", lang)])
    fb = session.turn(line).feedback
    assert fb.flags and all(f["rule"] for f in fb.flags)
    assert fb.score < 70 and fb.headline and "well done" not in fb.headline.lower()
    assert "bien hecho" not in fb.headline.lower()
    assert "Acme" in fb.suggestion or "Grupo Alfa" in fb.suggestion  # the fix keeps the facts


def test_well_done_only_on_a_line_that_scored_well():
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", "en")])
    flat = session.turn("Okay.").feedback
    assert not flat.flags and flat.score < 70 and "Well done" not in flat.headline
    good = session.what_if(
        "I hear you, the quarter hurt. How do you see it? I propose we review 20 leads on Friday."
    )
    assert good["feedback"]["score"] >= 70 and "Well done" in good["feedback"]["headline"]


def test_the_suggestion_fixes_the_flagged_part_and_padding_it_scores_nothing_extra():
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", "en")])
    turn = session.turn("Great job losing the quarter with those leads. Really impressive.")
    suggestion = turn.feedback.suggestion
    assert "quarter" in suggestion and "impressive" not in suggestion.lower()
    assert len(suggestion.split()) <= 9 + 20
    from coach.rehearsal.feedback import ACKNOWLEDGE_OPENER, PROPOSAL_CLOSER

    line = "The quarter is lost."
    padded = f"{ACKNOWLEDGE_OPENER['en']} {line} {PROPOSAL_CLOSER['en']}"
    plain = session.what_if(line)["feedback"]["score"]
    assert session.what_if(padded)["feedback"]["score"] == plain


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_hostile_level_survives_two_weak_lines_and_can_be_recovered(lang):
    from coach.rehearsal.engine import LEVEL_DESCRIPTIONS

    assert "two" in LEVEL_DESCRIPTIONS["hostile"]["en"].lower()
    weak = {"en": "It's your fault.", "es": "Es tu culpa."}[lang]
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", lang)], level="hostile")
    play(session, [weak, weak])
    assert not session.finished, session.tension
    play(session, script("constructive", lang))
    assert session.outcome != "escalated"


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "I hear you, this quarter hurt your team."),
        ("es", "Te entiendo, este trimestre le dolió a tu equipo."),
    ],
)
def test_an_acknowledging_line_is_not_flagged_by_the_backstop(lang, line):
    session = Session(SCENARIOS[("leads-garbage-missed-quarter", lang)])
    assert not session.turn(line).feedback.flags

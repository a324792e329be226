"""The offline coach over the real index of the shipped knowledge, judged on held-out questions."""

import pytest

from coach.evaluate import DEFAULT_EVAL_FILE, has_steps_and_question, load_cases, run_eval
from coach.language import detect_language
from coach.settings import PROJECT_ROOT, Settings

HOLDOUT = load_cases(DEFAULT_EVAL_FILE, "holdout")
DEV = load_cases(DEFAULT_EVAL_FILE, "dev")


@pytest.fixture(scope="module")
def holdout(coach):
    return run_eval(coach, HOLDOUT)


def test_eval_set_is_big_enough_and_bilingual():
    cases = HOLDOUT + DEV
    assert len(cases) >= 60
    assert {c.language for c in cases} == {"es", "en"}


def test_top_three_sources_carry_an_expected_principle(holdout):
    assert holdout["principle_hit@3"] >= 0.90


def test_playbook_ranking_quality(holdout):
    # measured on the holdout split: 0.925 and 0.846 (use-m3 + BM25 weight 0.3)
    assert holdout["playbook_hit@3"] >= 0.85
    assert holdout["mrr"] >= 0.75


def test_every_answer_is_in_the_questions_language(holdout):
    assert holdout["language_match"] == 1.0


def test_no_answer_carries_blame_or_labels(coach):
    for case in HOLDOUT + DEV:
        record = coach.ask(case.q)
        assert record.tone["ok"], (case.q, record.tone["flags"])


def test_every_answer_has_steps_and_a_question(holdout):
    assert holdout["shape_pass"] == 1.0


@pytest.mark.parametrize("case", HOLDOUT[:6], ids=lambda c: c.q[:40])
def test_answer_shape_and_sources(coach, case):
    record = coach.ask(case.q)
    assert record.backend == "offline"
    assert record.language == case.language == detect_language(record.answer)
    assert has_steps_and_question(record.answer)
    top = record.sources[0]
    assert top.path.startswith("knowledge/playbooks/") and top.language == case.language
    assert any(s.id == "article" and s.section.startswith("punto") for s in record.sources)
    assert "[1]" in record.answer and top.title in record.answer


@pytest.fixture(scope="module")
def spanish_only(tmp_path_factory):
    from coach.answer import Coach

    knowledge = [PROJECT_ROOT / "knowledge" / "playbooks" / "es"]
    return Coach(Settings(data_dir=tmp_path_factory.mktemp("es-only"), knowledge_dirs=knowledge))


def test_english_questions_find_spanish_sources(spanish_only):
    english = [c for c in HOLDOUT + DEV if c.language == "en"]
    hits = 0
    for case in english:
        ranked = [d for d, _ in spanish_only.rank(case.q).playbooks[:3]]
        hits += any(d in case.playbooks for d in ranked)
    assert hits / len(english) >= 0.6
    record = spanish_only.ask(english[0].q)
    assert record.sources[0].language == "es"


def test_every_eval_question_gets_advice_not_a_request_for_more(coach):
    asked_back = [c.q for c in HOLDOUT + DEV if coach.ask(c.q).kind != "advice"]
    assert asked_back == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("a", "Tell me a little more"),
        ("?!?!", "Tell me a little more"),
        ("12345", "Tell me a little more"),
        ("😀", "Tell me a little more"),
        ("ayuda", "Cuéntame un poco más"),
        ("Les ventes disent que nos leads sont nuls, que dois-je dire ?", "looks like French"),
        ("Der Vertrieb sagt, unsere Leads sind schlecht.", "parece alemán"),
        ("مرحبا، فريق المبيعات لا يرد على رسائلي", "looks like Arabic"),
        ("what's the weather tomorrow?", "outside what I can help with"),
        ("my cat is sick", "How does this touch your work"),
        ("Is my sales director a narcissist?", "I can't judge a person"),
        ("Should I fire Daniel after what he said in the review?", "HR team or a lawyer"),
        ("¿Puedo demandar a mi jefe de ventas por lo que dijo?", "No puedo juzgar a una persona"),
    ],
)
def test_questions_coach_cannot_work_with_get_a_request_for_more(coach, question, expected):
    record = coach.ask(question)
    assert record.kind == "clarify" and record.sources == []
    assert expected in record.answer and record.tone["ok"]


@pytest.mark.parametrize(
    "question",
    [
        "how do I fix a flat tire",
        "what's the best laptop to buy",
        "recomiéndame una serie de Netflix",
        "how many calories in a banana",
        "¿cómo cambio la rueda de la bici?",
    ],
)
def test_questions_far_from_every_playbook_are_told_what_coach_is_for(coach, question):
    record = coach.ask(question)
    assert record.kind == "clarify" and ("marketing" in record.answer)


def test_hr_words_alone_do_not_stop_an_answer(coach):
    record = coach.ask("Should we involve HR when sales and marketing can't agree on roles?")
    assert record.kind == "advice" and record.sources


def test_a_short_follow_up_in_a_conversation_is_still_answered(coach):
    history = [
        {"role": "user", "content": "sales says our leads are garbage"},
        {"role": "assistant", "content": coach.ask("sales says our leads are garbage").answer},
    ]
    assert coach.ask("why?", history).kind == "advice"


@pytest.mark.parametrize("question", ["", "   ", "x" * 2001])
def test_empty_or_huge_questions_get_a_clear_message(coach, question):
    from coach.errors import CoachError

    with pytest.raises(CoachError):
        coach.ask(question)


@pytest.mark.parametrize(
    ("first", "follow_up", "objection", "further"),
    [
        ("sales says our leads are garbage", "and if he says no?", "says-no", "If they say"),
        (
            "ventas dice que nuestros leads son basura",
            "¿y si me dice que no?",
            "says-no",
            "Si te dice",
        ),
        (
            "nobody owns the follow-up of trade show leads",
            "ok but what do I tell my boss?",
            "boss",
            "For the conversation with your boss: if you hear",  # the person they will face
        ),
        ("sales says our leads are garbage", "what if he has no time?", "no-time", "If they say"),
    ],
)
def test_a_follow_up_gets_that_turn_of_the_same_playbook(
    coach, first, follow_up, objection, further
):
    """ "And if he says no?" is answered with the playbook's own next turn for a no, not the
    steps again and not another playbook."""
    answer = coach.ask(first)
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": answer.answer}]
    record = coach.ask(follow_up, history)
    first_step = next(line for line in answer.answer.splitlines() if line.startswith("1. "))
    assert further in record.answer and first_step not in record.answer
    assert record.playbook == answer.playbook and record.fit == "fits"
    turn = coach.library.doc(answer.playbook, answer.language)[f"turn-{objection}"]
    assert turn.text.split("\n")[2] in record.answer  # the line to say for that turn
    assert record.language == answer.language and record.tone["ok"]


def test_a_new_situation_in_the_same_chat_gets_its_own_answer(coach):
    first = "nobody owns the follow-up of trade show leads"
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": coach.ask(first).answer},
    ]
    record = coach.ask(
        "different topic: our CMO and head of sales have not spoken in weeks since the offsite, "
        "how do I get them together?",
        history,
    )
    assert record.sources[0].id == "leaders-not-talking" and "1. " in record.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("our SEO ranking dropped", "between the two teams"),
        ("la integración con hubspot falla", "entre los dos equipos"),
    ],
)
def test_a_question_about_the_work_itself_is_asked_how_it_plays_out_between_teams(
    coach, question, expected
):
    """Far from every playbook but in the trade's words: not 'outside what I can help with'."""
    record = coach.ask(question)
    assert record.kind == "clarify" and expected in record.answer
    assert "outside" not in record.answer and "fuera de" not in record.answer


def test_a_follow_up_keeps_the_occasion_the_user_gave(coach):
    first = (
        "I run demand gen. Sales says our leads are garbage and I see the head of sales on Monday."
    )
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": coach.ask(first).answer},
    ]
    record = coach.ask("what if he says he has no time?", history)
    opening = record.answer.splitlines()[0]
    assert opening.startswith("For the conversation on Monday with the head of sales: if you hear")
    assert record.situation["asker"] == "marketing" and record.situation["stance"] == "received"


@pytest.mark.parametrize(
    ("question", "reply", "stance"),
    [
        (
            "There was a comment about the webinar leads in yesterday's meeting and now things "
            "are tense with sales.",
            "It was said to me, by the sales director.",
            "received",
        ),
        (
            "Hubo un comentario sobre los leads en la reunión de ayer y ahora el ambiente con "
            "ventas está tenso.",
            "Fui yo, lo dije yo.",
            "caused",
        ),
    ],
)
def test_when_only_the_side_is_unclear_coach_asks_it_then_answers_from_that_side(
    coach, question, reply, stance
):
    """A remark whose author the question does not name: advice for the wrong side would tell a
    manager to apologise for what they did not say, so coach asks that one question first."""
    from coach.parts import SIDE_QUESTION

    asked = coach.ask(question)
    assert asked.kind == "clarify" and asked.answer.endswith(SIDE_QUESTION[asked.language][1:])
    history = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": asked.answer},
    ]
    answered = coach.ask(reply, history)
    assert answered.kind == "advice" and answered.situation["stance"] == stance
    assert answered.language == asked.language
    written_for = next(iter(coach.library.doc(answered.playbook, answered.language).values()))
    assert stance in written_for.for_stance  # the playbook for that side, not the other


def test_a_new_question_after_the_side_question_is_answered_as_itself(coach):
    question = (
        "There was a comment about the webinar leads in yesterday's meeting and now things "
        "are tense with sales."
    )
    asked = coach.ask(question)
    history = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": asked.answer},
    ]
    new_question = "nobody owns the follow-up of trade show leads"
    record = coach.ask(new_question, history)
    assert record.kind == "advice" and record.playbook == coach.ask(new_question).playbook


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "Dave from sales called our leads garbage in the Monday pipeline meeting. I have a 1:1 "
            "with him on Thursday.",
            "For your one-on-one on Thursday with Dave:",
        ),
        (
            "Soy de marketing y le contesté fatal a Marcela, de ventas, por Slack. Me pasé. El "
            "jueves la veo en el comité.",
            "Para la reunión del jueves con Marcela:",
        ),
        (
            "Soy el COO. Vamos a mover marketing ops para que dependa de ventas a partir de abril. "
            "La CMO lo ve como un castigo. ¿Cómo llevo la conversación con ella?",
            "Para la conversación a partir de abril con la CMO:",
        ),
        (
            "So I kind of blew up at Priya in the forecast meeting yesterday and said her numbers "
            "were made up. She's not answering my messages.",
            "For the conversation with Priya, after what happened yesterday:",
        ),
    ],
)
def test_the_answer_opens_with_the_askers_person_and_time(coach, question, opening):
    """The person and the time in the user's words, said back in the first line; a time in the
    past is what happened, not when the talk is."""
    assert coach.ask(question).answer.startswith(opening)


def test_a_follow_up_about_someone_else_keeps_the_situations_person(coach):
    first = "Dave from sales called our leads garbage in front of the VP. I see him on Thursday."
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": coach.ask(first).answer},
    ]
    record = coach.ask("and what do I tell my boss if she asks about it?", history)
    assert record.answer.startswith("For the conversation on Thursday with Dave:")


def test_the_side_question_keeps_the_occasion_the_user_gave(coach):
    asked = coach.ask(
        "There was a comment about the webinar leads in yesterday's meeting and now things are "
        "tense with sales."
    )
    assert asked.kind == "clarify"
    assert asked.answer.startswith("About the conversation, after what happened yesterday: before")

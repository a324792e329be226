"""The model backend's pipeline guarantees, with LangChain's fake chat models (unit level).

The same guarantees are tested against a real OpenAI-compatible server in test_llama_server.py.
"""

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from coach.answer import Coach, check_citations
from coach.backends import BackendUnavailable
from coach.errors import ConfigError
from coach.prompts import PLACEHOLDERS, load_prompt, load_prompts
from coach.settings import PROJECT_ROOT

QUESTION = "sales says our leads are garbage, what do I say tomorrow?"
CLEAN = (
    "That sounds hard. **Steps** 1. Pull a sample of recent leads by Thursday [lead-quality]. "
    "2. Review them together. 3. Agree a definition [article]. What would a good lead look like?"
)


@pytest.fixture(scope="module")
def model_coach(shipped_settings):
    return Coach(shipped_settings.model_copy(update={"backend": "openai"}))


def use_replies(coach, *replies):
    """Make the backend's model answer with these texts, in order, streamed word by word."""
    coach.backend._llm = GenericFakeChatModel(messages=iter(replies))
    coach.backend.api_key = "test"


def test_every_prompt_exists_in_both_languages_with_known_placeholders():
    prompts = load_prompts()
    assert set(prompts) == {(n, lang) for n in PLACEHOLDERS for lang in ("es", "en")}


def test_a_prompt_with_an_unknown_placeholder_fails_at_start_up(tmp_path):
    source = (PROJECT_ROOT / "prompts" / "advice.en.md").read_text()
    (tmp_path / "advice.en.md").write_text(source.replace("{question}", "{questoin}"))
    with pytest.raises(ConfigError, match="unknown placeholder"):
        load_prompt("advice", "en", tmp_path)
    with pytest.raises(ConfigError, match="missing"):
        load_prompt("advice", "es", tmp_path)


def test_streams_token_by_token_with_sources_attached(model_coach):
    use_replies(model_coach, CLEAN)
    events = list(model_coach.stream(QUESTION))
    tokens = [e for e in events if e.kind == "token"]
    record = events[-1].record
    assert len(tokens) > 10 and "".join(t.text for t in tokens) == record.answer
    assert record.backend == "openai" and record.guard == "passed"
    assert record.sources[0].id == "lead-quality" and record.first_token_ms is not None


def test_citations_to_unknown_ids_are_removed(model_coach):
    use_replies(model_coach, CLEAN + " See also [made-up-playbook].")
    record = model_coach.ask(QUESTION)
    assert "[made-up-playbook]" not in record.answer and "[lead-quality]" in record.answer
    assert record.removed_citations == ["made-up-playbook"]


def test_a_flagged_answer_gets_one_repair_round(model_coach):
    use_replies(model_coach, "It's your fault, you always send garbage leads.", CLEAN)
    events = list(model_coach.stream(QUESTION))
    record = events[-1].record
    assert record.guard == "repaired" and record.tone["ok"]
    assert any(e.kind == "replace" for e in events)


def test_a_figure_the_user_never_gave_is_sent_back_for_repair(model_coach):
    invented = CLEAN.replace("a sample of recent leads", "12 of the 40 webinar leads")
    use_replies(model_coach, invented, CLEAN)
    record = model_coach.ask(QUESTION)
    assert record.guard == "repaired" and "12" not in record.answer
    use_replies(model_coach, invented, invented)  # still inventing: the offline answer instead
    assert model_coach.ask(QUESTION).guard == "replaced"
    use_replies(model_coach, invented)  # the user gave the figures: nothing is invented
    asked = model_coach.ask("12 of the 40 webinar leads were never called. What do I say?")
    assert asked.guard == "passed"


def test_the_model_is_told_who_asks_and_how_well_a_playbook_fits(model_coach):
    from coach.backends import AnswerContext
    from coach.backends.openai import build_context, reading_text
    from coach.fit import choose
    from coach.situation import read_situation

    question = (
        "I run demand gen. Sales says our leads are garbage; I see the head of sales on Monday."
    )
    ranking, situation = model_coach.rank(question), read_situation(question)
    choice = choose(ranking, model_coach.library, situation, "en")
    context = AnswerContext(
        question,
        "en",
        ranking,
        model_coach.library,
        [],
        question,
        situation=situation,
        choice=choice,
    )
    reading = reading_text(context)
    assert "asker: marketing" in reading and "stance: received" in reading
    assert "when: on Monday" in reading and f"fit: {choice.fit}" in reading
    knowledge, sources = build_context(context, 2000)
    assert sources[0]["id"] == choice.playbook  # the playbook for their side comes first
    assert knowledge.startswith(f"[{choice.playbook}]")


def test_the_model_gets_the_askers_plan_when_no_playbook_is_written_for_it(model_coach):
    from coach.backends import AnswerContext
    from coach.backends.openai import reading_text
    from coach.fit import Choice
    from coach.plans import plan_for
    from coach.situation import Situation

    question = "Both teams want the window side of the new office. I run the company."
    situation = Situation(asker="leadership", stance="mediating")
    ranking = model_coach.rank(question)

    def reading(choice):
        return reading_text(
            AnswerContext(
                question, "en", ranking, model_coach.library, situation=situation, choice=choice
            )
        )

    plan = plan_for(situation, "en")
    other_side = reading(Choice("budget-deadlock", "related", 0.8, -1, 0.3))
    assert "the plan for the asker" in other_side and plan.steps[0] in other_side
    assert plan.say in reading(Choice(None, "none", 0.3, 0))
    assert "the plan for the asker" not in reading(Choice("budget-deadlock", "fits", 1.2, 1, 0.4))


def test_still_flagged_after_repair_shows_the_offline_answer(model_coach):
    use_replies(model_coach, "You always do this.", "You're so lazy, as usual.")
    record = model_coach.ask(QUESTION)
    assert record.guard == "replaced" and record.tone["ok"]
    assert "**Steps**" in record.answer and record.sources[0].path.endswith("lead-quality.md")


def test_failure_mid_stream_falls_back_with_a_reason(model_coach, monkeypatch):
    def broken(context):
        def chunks():
            yield "That sounds "
            raise BackendUnavailable("The connection to the model server broke off mid-answer.")

        from coach.backends import Reply

        return Reply([], chunks())

    monkeypatch.setattr(model_coach.backend, "answer", broken)
    events = list(model_coach.stream(QUESTION))
    record = events[-1].record
    assert record.backend == "offline" and "broke off" in record.fallback_reason
    assert events[0].text == "That sounds " and events[-2].kind == "replace"


def test_no_key_falls_back_to_offline(model_coach, monkeypatch):
    monkeypatch.setattr(model_coach.backend, "api_key", None)
    monkeypatch.setattr(model_coach.backend, "_llm", None)
    record = model_coach.ask(QUESTION)
    assert record.backend == "offline" and "OPENAI_API_KEY" in record.fallback_reason


def test_follow_up_questions_are_condensed_with_the_history(model_coach):
    use_replies(
        model_coach, "How do I answer the head of sales who calls our leads garbage?", CLEAN
    )
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": CLEAN}]
    record = model_coach.ask("and if he says it again in front of the CEO?", history)
    assert record.sources[0].id in {"lead-quality", "public-criticism"}


def test_history_and_context_are_bounded():
    from coach.backends.openai import format_history

    history = [{"role": "user", "content": "x" * 400} for _ in range(50)]
    kept = format_history(history, budget_tokens=1000)
    assert 0 < len(kept) < 12 and kept[-1] is history[-1]


def test_check_citations_keeps_known_ids():
    text, removed = check_citations("a [x] b [y] c [1]", {"x"})
    assert text == "a [x] b c [1]" and removed == ["y"]


def test_unknown_backend_is_a_clear_error(shipped_settings):
    from coach.backends import get_backend

    with pytest.raises(ConfigError, match="COACH_BACKEND"):
        get_backend("gpt-9000", shipped_settings)


def _status_error(cls, status):
    import httpx

    request = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")
    return cls("x", response=httpx.Response(status, request=request), body=None)


def test_each_model_failure_has_a_one_line_reason():
    import httpx
    import openai

    from coach.backends.openai import _reason

    request = httpx.Request("POST", "http://127.0.0.1:1/v1/chat/completions")
    cases = [
        (_status_error(openai.AuthenticationError, 401), "401"),
        (_status_error(openai.NotFoundError, 404), "COACH_MODEL"),
        (_status_error(openai.RateLimitError, 429), "429"),
        (_status_error(openai.InternalServerError, 500), "500"),
        (openai.APITimeoutError(request), "COACH_TIMEOUT"),
        (openai.APIConnectionError(request=request), "Cannot reach"),
        (httpx.RemoteProtocolError("peer closed"), "broke off"),
    ]
    for exc, expected in cases:
        reason = _reason(exc, "gpt-x", None, 30)
        assert expected in reason and "\n" not in reason


def test_model_rewrite_is_used_only_when_it_passes_the_tone_check(model_coach):
    from coach.checker import check_message

    use_replies(
        model_coach,
        "I noticed the leads arrived late twice this week. Could we look at it together on Friday?",
    )
    good = check_message("You always send the leads late.", model_coach.backend)
    assert good["rewrite"].startswith("I noticed the leads arrived late")
    use_replies(model_coach, "You're so lazy.")
    bad = check_message("You always send the leads late.", model_coach.backend)
    assert "lazy" not in bad["rewrite"] and bad["rewrite"]


def test_model_voice_plays_the_counterpart_and_falls_back_to_the_script(model_coach):
    from coach.rehearsal.engine import Session
    from coach.rehearsal.scenarios import load_scenarios
    from coach.rehearsal.voices import ModelVoice

    scenario = load_scenarios([PROJECT_ROOT / "knowledge"])[("leads-garbage-missed-quarter", "en")]
    voice = ModelVoice(model_coach.backend)
    session = Session(scenario, level="tense", voice=voice)
    use_replies(model_coach, "Daniel: Fine. What do you want to look at first? (crosses arms)")
    turn = session.turn("I hear you. What would a good lead look like for your reps?")
    assert turn.voice == "model" and turn.counterpart == "Fine. What do you want to look at first?"
    use_replies(model_coach, "As an AI language model, I cannot role-play.")
    turn = session.turn("Could we review 15 leads together?")
    offline = Session(scenario, level="tense")  # the script, with no model at all
    offline.turn("I hear you. What would a good lead look like for your reps?")
    scripted = offline.turn("Could we review 15 leads together?").counterpart
    assert turn.voice == "script" and turn.counterpart == scripted
    use_replies(model_coach, "Vale, lo vemos el viernes.")  # wrong language for an English session
    assert session.turn("What do you think?").voice == "script"


def test_the_app_uses_the_model_for_rewrites_and_the_counterpart(model_coach, coach):
    from coach.rehearsal.voices import ModelVoice, voice_for
    from ui import check, rehearse
    from ui.state import Services

    assert voice_for(coach.backend) is None  # offline: the script speaks
    assert isinstance(voice_for(model_coach.backend), ModelVoice)
    use_replies(
        model_coach, "I noticed the leads arrived late twice this week. Can we talk Friday?"
    )
    assert check.check("You always send the leads late.", model_coach.backend)[
        "rewrite"
    ].startswith("I noticed")
    scenarios = Services(model_coach.settings, coach=model_coach).scenarios
    session = rehearse.start_session(
        scenarios,
        "leads-garbage-missed-quarter",
        "tense",
        "en",
        voice=voice_for(model_coach.backend),
    )
    use_replies(model_coach, "Fine. Show me the fifty leads on Friday.")
    assert session.turn("I hear you. What would a good lead look like for you?").voice == "model"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", ("humiliate", "won't help", "Never write")), ("es", ("humillar", "no vas a ayudar"))],
)
def test_the_model_is_told_to_decline_what_the_guard_misses(lang, words):
    """The offline guard catches the requests it knows; the model gets the same rule for the
    wordings it does not: decline that part, acknowledge, offer the decent alternative."""
    system = load_prompt("advice", lang)["system"]
    assert all(word in system for word in words)

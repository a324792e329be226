"""The app's plain functions (ui.advice, ui.rehearse, ui.check, ui.trainer), without Gradio."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.rehearsal.engine import START_TENSION
from coach.rehearsal.scenarios import load_scenarios
from coach.settings import PROJECT_ROOT, Settings
from ui import advice, check, rehearse, state, trainer
from ui.state import Services, SessionStore, append_jsonl, read_jsonl
from ui.strings import STRINGS, norm_lang, t

FIXTURES = Path(__file__).parent / "fixtures"
SCENARIOS_EN = PROJECT_ROOT / "knowledge" / "scenarios" / "en"


@pytest.fixture(scope="module")
def scenarios():
    return load_scenarios([PROJECT_ROOT / "knowledge"])


# -- strings -------------------------------------------------------------------------------
def test_every_string_exists_in_both_languages():
    assert set(STRINGS["en"]) == set(STRINGS["es"])
    for lang in ("en", "es"):
        assert all(value.strip() for value in STRINGS[lang].values())


def test_language_codes_are_normalised():
    assert norm_lang("ES") == "es"
    assert norm_lang("es-MX") == "es"
    assert norm_lang("fr") == "en"
    assert norm_lang(None) == "en"
    assert t("es", "answered_by", backend="x", ms=3).startswith("Respondió")


# -- advice --------------------------------------------------------------------------------
def test_message_text_reads_strings_and_blocks():
    assert advice.message_text("hi") == "hi"
    assert (
        advice.message_text([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}])
        == "a\nb"
    )
    assert advice.message_text({"type": "file", "file": {}}) == ""
    assert advice.message_text(None) == ""


def test_history_leaves_out_source_entries():
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "q1"}]},
        {"role": "assistant", "content": "a1"},
        {"role": "assistant", "content": "", "metadata": {"title": "Sources (1)", "id": "s"}},
        {
            "role": "assistant",
            "content": "excerpt",
            "metadata": {"title": "[1] x", "parent_id": "s"},
        },
    ]
    assert advice.coach_history(messages) == [
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": "a1"},
    ]


def test_shorten_cuts_at_a_word():
    text = "word " * 100
    short = advice.shorten(text, 50)
    assert len(short) <= 51 and short.endswith("…") and "  " not in short
    assert advice.shorten("short text") == "short text"


def test_respond_streams_an_answer_with_its_sources(coach):
    steps = list(advice.respond(coach, "sales says our leads are garbage", [], "en"))
    messages, status, turn = steps[-1]
    assert turn is not None and all(step[2] is None for step in steps[:-1])
    assert messages[0] == {"role": "user", "content": "sales says our leads are garbage"}
    assert messages[1]["role"] == "assistant" and "lead" in messages[1]["content"].lower()
    block = messages[2]
    assert block["metadata"]["title"].startswith("Sources (")
    entries = [m for m in messages[3:] if not m["metadata"]["id"].endswith("-whole")]
    assert entries and all(e["metadata"]["parent_id"] == block["metadata"]["id"] for e in entries)
    assert all(m["metadata"]["status"] == "done" for m in messages[3:])  # collapsed, title visible
    assert "lead-quality" in turn["sources"]
    assert (turn["first"], turn["last"]) == (1, len(messages) - 1)
    assert "offline" in status


def test_the_chat_lists_the_sources_once_as_entries_not_also_in_the_answer(coach):
    messages, _, _ = list(advice.respond(coach, "ventas dice que los leads son basura", [], "es"))[
        -1
    ]
    answer = messages[1]["content"]
    assert "[1]" in answer and "**Fuentes**" not in answer and "knowledge/playbooks" not in answer
    assert messages[2]["metadata"]["title"].startswith("Fuentes (")
    assert coach.ask("ventas dice que los leads son basura").answer.count("**Fuentes**") == 1  # CLI


def test_sources_carry_title_section_principles_and_excerpt(coach):
    record = coach.ask("ventas dice que nuestros leads son basura")
    entries = advice.source_entries(record, coach.library)
    assert entries[0]["id"] == "lead-quality"
    first = entries[0]
    assert first["section"] == "Pasos"  # the section name in the answer's language
    assert "¿Cómo lo resolvemos?" in first["principles"]
    assert 20 < len(first["excerpt"]) <= 301
    article = [e for e in entries if e["id"] == "article"]
    assert article and article[0]["section"].startswith("punto") and article[0]["excerpt"]
    assert "path" not in first  # gradio_client would take a "path" key for a file to fetch


def test_a_playbook_source_opens_the_whole_playbook_in_the_answers_language(coach):
    """Under each playbook source, one more click shows the whole playbook (every section, in
    the reader's language), so the full guidance is never a file path away; the article, which
    is not a playbook, gets no such entry."""
    messages, _, _ = list(
        advice.respond(coach, "sales says our leads are garbage, what do I say tomorrow?", [], "en")
    )[-1]
    whole = [m for m in messages if m.get("metadata", {}).get("id", "").endswith("-whole")]
    assert len(whole) == 1, [m["metadata"] for m in messages[2:]]
    assert (
        whole[0]["metadata"]["title"]
        == 'Read the whole playbook: When sales calls the leads "garbage"'
    )
    assert whole[0]["metadata"]["parent_id"] == whole[0]["metadata"]["id"].removesuffix("-whole")
    body = whole[0]["content"]
    for heading in ("The situation", "What is usually going on", "Steps", "What to avoid saying"):
        assert f"**{heading}**" in body
    assert "Your reps never call them anyway." in body  # from "what to avoid", not in the answer
    es = advice.source_entries(
        coach.ask("ventas dice que nuestros leads son basura"), coach.library
    )
    assert "**Qué evitar decir**" in es[0]["playbook"] and not es[-1]["playbook"]


def test_an_english_answer_names_the_spanish_article_in_english(coach):
    """The article exists only in Spanish: its part is "point 6" as in the answer's own text,
    and its Spanish title says so, instead of a bare "Esa relación… · punto 6"."""
    messages, _, _ = list(
        advice.respond(coach, "sales says our leads are garbage, what do I say tomorrow?", [], "en")
    )[-1]
    titles = [m["metadata"]["title"] for m in messages if (m.get("metadata") or {}).get("title")]
    article = [title for title in titles if "Esa relación" in title]
    assert article and all(re.search(r"\(in Spanish\) · point \d+$", a) for a in article), titles
    assert not any("punto" in title for title in titles)
    assert advice.section_label("párrafo 2", "en") == "paragraph 2"
    assert advice.section_label("point 3", "es") == "punto 3"
    assert advice.section_label("steps", "es") == "Pasos"


def test_a_second_question_keeps_the_first_turn(coach):
    messages, _, first = list(advice.respond(coach, "sales says our leads are garbage", [], "en"))[
        -1
    ]
    messages, _, second = list(advice.respond(coach, "and what if he says no?", messages, "en"))[-1]
    assert second["first"] == first["last"] + 2
    assert advice.turn_for_index([first, second], second["last"]) is second
    assert advice.turn_for_index([first, second], 1) is first
    assert advice.turn_for_index([first, second], 0) is None
    ids = [m["metadata"]["id"] for m in messages if (m.get("metadata") or {}).get("id")]
    assert len(ids) == len(set(ids))  # each sources block has its own id


def test_refusals_are_in_the_interface_language(coach):
    [(_, status, _)] = list(advice.respond(coach, "   ", [], "es"))
    assert status == "⚠ Describe la situación sobre la que quieres consejo."
    [(_, status, _)] = list(advice.respond(coach, "sales " * 500, [], "es"))
    assert status.startswith("⚠ Son 2999 caracteres")


def test_respond_refuses_an_empty_or_huge_question_without_touching_the_chat(coach):
    before = [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]
    for question in ("   ", "x" * 5000):
        [(messages, status, turn)] = list(advice.respond(coach, question, before, "en"))
        assert messages == before and turn is None and status.startswith("⚠")


def test_the_status_line_names_the_backend_and_the_fallback_reason(coach):
    record = coach.ask("sales says our leads are garbage")
    assert advice.status_line(record, "en").startswith("Answered by the **offline** coach in ")
    fallen = record.model_copy(update={"fallback_reason": "the model timed out after 30 s"})
    line = advice.status_line(fallen, "es")
    assert "sin conexión" in line and "the model timed out after 30 s" in line


def test_votes_and_questions_are_stored_as_json_lines(coach, tmp_path):
    _, _, turn = list(advice.respond(coach, "nobody follows up the leads", [], "en"))[-1]
    path = tmp_path / "feedback.jsonl"
    advice.record_vote(path, turn, True)
    advice.record_vote(path, turn, False)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["vote"] for line in lines] == ["up", "down"]
    assert lines[0]["question"] == "nobody follows up the leads"
    assert lines[0]["answer"] == turn["answer"] and lines[0]["sources"] == turn["sources"]
    assert lines[0]["time"]
    asked = tmp_path / "asked.jsonl"
    advice.log_question(asked, turn)
    assert read_jsonl(asked)[0]["sources"] == turn["sources"]


def test_a_full_or_read_only_disk_never_costs_the_answer_or_a_log_line(coach, tmp_path):
    """The trainers' logs and the downloads are extras: with no room to write them, the answer
    still comes, a vote says it was not saved, and a line cut short by a full disk does not
    swallow the next one."""
    full = tmp_path / "asked.jsonl"
    full.symlink_to("/dev/full")  # every write: "No space left on device"
    result = advice.advise(coach, "sales says our leads are garbage", full)
    assert result["kind"] == "advice" and result["sources"]
    _, _, turn = list(advice.respond(coach, "nobody follows up the leads", [], "en"))[-1]
    assert advice.record_vote(full, turn, True) is None
    assert t("es", "vote_not_saved") != t("en", "vote_not_saved")

    log = tmp_path / "feedback.jsonl"
    log.write_text('{"vote": "up"}\n{"vote": "do', encoding="utf-8")  # the disk filled mid-line
    assert advice.record_vote(log, turn, False) is not None
    assert [entry["vote"] for entry in read_jsonl(log)] == ["up", "down"]

    # No room for a download: the turn still shows, only its download button stays hidden.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(state, "DOWNLOADS", blocked / "downloads")
        assert state.save_download(advice.write_conversation, [turn], "en", key="k1") is None
    saved = state.save_download(advice.write_conversation, [turn], "en", key="k1")
    assert saved.read_text(encoding="utf-8").startswith("# ")
    # The next question replaces the conversation's file: one copy on disk, at a new URL.
    again = state.save_download(advice.write_conversation, [turn, turn], "en", key="k1")
    assert again != saved and not saved.exists()
    assert [p for p in (state.DOWNLOADS / "k1").rglob("*") if p.is_file()] == [again]


def test_advise_returns_the_api_record(coach, tmp_path):
    result = advice.advise(
        coach, "how do I say no to a rep without a fight", tmp_path / "asked.jsonl"
    )
    assert set(result) >= {"answer", "language", "backend", "sources", "question"}
    assert result["backend"] == "offline" and result["language"] == "en"
    assert result["sources"][0]["excerpt"]
    assert (tmp_path / "asked.jsonl").exists()
    with pytest.raises(CoachError):
        advice.advise(coach, "")


# -- check ---------------------------------------------------------------------------------
def test_highlight_keeps_every_character():
    text = "You always send garbage leads."
    flags = [
        {"kind": "absolute", "start": 0, "end": 10},
        {"kind": "label", "start": 16, "end": 29},
        {"kind": "blame", "start": 4, "end": 12},  # overlaps the first
    ]
    pieces = check.highlight(text, flags)
    assert "".join(p for p, _ in pieces) == text
    assert ("You always", "always/never") in pieces and ("garbage leads", "label") in pieces
    assert ("You always", "siempre/nunca") in check.highlight(text, flags, "es")
    assert check.highlight("clean", []) == [("clean", None)]


def test_check_flags_and_rewrites_a_blaming_draft():
    result = check.check("You always send garbage leads, those people in sales never care.")
    assert not result["ok"] and result["language"] == "en"
    kinds = {f["kind"] for f in result["flags"]}
    assert {"absolute", "label", "out-group"} <= kinds
    assert all(f["why"] for f in result["flags"])
    assert "always" not in result["rewrite"].lower()
    pieces, why, rewrite = check.check_view("Siempre nos mandan leads basura.", "es")
    assert ("leads basura", "etiqueta") in pieces and "basura" in why and rewrite


def test_check_passes_a_clean_draft_and_refuses_an_empty_one():
    result = check.check("Could we look at the last 20 leads together on Friday?")
    assert result["ok"] and result["flags"] == []
    assert check.flags_markdown([], "en").startswith("✓")
    with pytest.raises(CoachError):
        check.check("  ")


# -- rehearse ------------------------------------------------------------------------------
def test_scenario_choices_follow_the_language(scenarios):
    en = dict((sid, title) for title, sid in rehearse.scenario_choices(scenarios, "en"))
    es = dict((sid, title) for title, sid in rehearse.scenario_choices(scenarios, "es"))
    assert set(en) == set(es) and len(en) >= 10
    assert en["leads-garbage-missed-quarter"] != es["leads-garbage-missed-quarter"]
    assert [v for _, v in rehearse.level_choices("es")] == ["calm", "tense", "hostile"]


def test_start_picks_scenario_level_and_language(scenarios):
    session = rehearse.start_session(
        scenarios, "leads-garbage-missed-quarter", "HOSTILE", "es", seed=1
    )
    assert session.language == "es" and session.level == "hostile"
    assert (
        rehearse.start_session(scenarios, "leads-garbage-missed-quarter", "bogus", "en").level
        == "tense"
    )
    with pytest.raises(ValueError, match="Known scenarios"):
        rehearse.start_session(scenarios, "no-such-scenario", "tense", "en")


def test_panel_shows_feedback_for_the_last_turn(scenarios):
    assert rehearse.panel(None, "en")["started"] is False
    session = rehearse.start_session(
        scenarios, "leads-garbage-missed-quarter", "tense", "en", seed=0
    )
    view = rehearse.panel(session, "en")
    assert view["chat"][0]["role"] == "assistant" and session.opening in view["chat"][0]["content"]
    assert view["highlighted"] == [] and view["suggestion"] == ""
    session.turn("You always blame us, your team is lazy.")
    view = rehearse.panel(session, "en")
    assert len(view["chat"]) == 3 and view["chat"][1]["content"].startswith("You always")
    assert ("You always", "always/never") in view["highlighted"]
    assert "Phrases that hurt" in view["feedback"] and "/100" in view["feedback"]
    assert view["suggestion"] and view["tension"] > 6
    assert view["scorecard"] == ""  # only at the end


def test_no_alternative_when_the_turn_was_already_good(scenarios):
    session = rehearse.start_session(
        scenarios, "leads-garbage-missed-quarter", "tense", "en", seed=0
    )
    text = "I hear you, the quarter was hard. What if we review 50 leads together on Friday?"
    turn = session.turn(text)
    turn.feedback.suggestion = " ".join(text.split()) + " "  # the engine had nothing better
    assert rehearse.panel(session, "en")["suggestion"] == ""


def test_try_this_instead_replays_without_changing_the_session(scenarios):
    session = rehearse.start_session(
        scenarios, "leads-garbage-missed-quarter", "tense", "en", seed=0
    )
    turn = session.turn("You always blame us.")
    before = (session.tension, len(session.turns))
    text = rehearse.what_if_markdown(session, turn.feedback.suggestion, "en")
    assert "would have answered" in text and "Tension would be" in text
    assert (session.tension, len(session.turns)) == before


def test_scorecard_and_transcripts_at_the_end(scenarios, tmp_path):
    session = rehearse.start_session(
        scenarios, "leads-garbage-missed-quarter", "tense", "en", seed=0
    )
    for line in (FIXTURES / "scripts" / "constructive.en.txt").read_text().splitlines():
        if not session.finished:
            session.turn(line)
    assert session.finished
    view = rehearse.panel(session, "es")
    assert view["finished"] and "Puntaje general" in view["scorecard"]
    # The closed input says why, and Start reads "Start again".
    assert view["placeholder"] == t("es", "rehearse_ended")
    assert view["start_label"] == t("es", "restart")
    assert rehearse.panel(None, "en")["start_label"] == "Start"
    md, js = rehearse.write_transcripts(session, tmp_path)
    assert md.suffix == ".md" and md.read_text().startswith("# ")
    assert json.loads(js.read_text())["scenario"] == "leads-garbage-missed-quarter"


def test_api_rehearsal_lives_in_the_store(scenarios):
    store = SessionStore(cap=2)
    started = rehearse.api_start(store, scenarios, "leads-garbage-missed-quarter", "hostile", "es")
    assert (
        started["language"] == "es"
        and started["opening"]
        and started["tension"] == START_TENSION["hostile"]
    )
    result = rehearse.api_turn(store, started["session_id"], "Entiendo tu punto. ¿Cómo lo ves tú?")
    assert result["counterpart"] and result["turn"] == 1 and "score" in result["feedback"]
    with pytest.raises(ValueError):
        rehearse.api_turn(store, started["session_id"], "  ")
    with pytest.raises(ValueError, match="No such rehearsal"):
        rehearse.api_turn(store, "nope", "hello")


def test_session_store_is_capped_and_expires():
    store = SessionStore(cap=2, ttl_seconds=60)
    a, b, c = store.add("a"), store.add("b"), store.add("c")
    assert store.get(a) is None and store.get(b) == "b" and store.get(c) == "c" and len(store) == 2
    expired = SessionStore(cap=5, ttl_seconds=-1)
    assert expired.get(expired.add("x")) is None
    # A forged id of another JSON type is just an unknown id.
    assert store.get(["a"]) is None and store.get({"a": 1}) is None and store.get(7) is None


def test_two_turns_sent_at_once_on_one_rehearsal_keep_the_turn_limit(scenarios):
    """Two clients (or a double submit) on one API rehearsal, the counterpart slow to speak
    (a model voice): the rehearsal never goes past its last turn and no turn number repeats."""
    import contextlib
    import threading

    from coach.rehearsal.engine import MAX_TURNS

    class SlowVoice:
        """Once armed, holds a speaker until a second one arrives (or half a second passes)."""

        def __init__(self):
            self.both = None

        def speak(self, session, text, tension, band, scripted):
            if self.both is not None:
                with contextlib.suppress(threading.BrokenBarrierError):
                    self.both.wait()
            return scripted, "model"

    store = SessionStore()
    voice = SlowVoice()
    started = rehearse.api_start(
        store, scenarios, "leads-garbage-missed-quarter", "tense", "en", voice=voice
    )
    sid = started["session_id"]
    for _ in range(MAX_TURNS - 1):
        rehearse.api_turn(store, sid, "How do you see it?")
    voice.both = threading.Barrier(2, timeout=0.5)
    results, refused = [], []

    def last_turn():
        try:
            results.append(rehearse.api_turn(store, sid, "How do you see it?"))
        except ValueError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=last_turn) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r["turn"] for r in results] == [MAX_TURNS] and results[0]["finished"]
    assert len(refused) == 1 and "has ended" in refused[0]
    assert len(store.get(sid).turns) == MAX_TURNS


# -- the app -------------------------------------------------------------------------------
def test_the_server_keeps_a_bounded_number_of_sessions(shipped_settings, coach):
    """Gradio keeps ~100 KB of state for every session, and each raw API call is a session of
    its own: at Gradio's default (10,000) a day of API use grew the server by ~1.4 GB
    (measured: +140 MB per 1000 /check calls)."""
    from ui.app import STATE_SESSIONS, build_app, create_server

    app = create_server(shipped_settings, build_app(shipped_settings, coach=coach))
    mounted = next(
        route.app for route in app.routes if hasattr(getattr(route, "app", None), "state_holder")
    )
    assert mounted.state_holder.capacity == STATE_SESSIONS <= 2000


def test_the_app_builds_with_and_without_the_trainer_tab(shipped_settings, coach):
    from ui.app import build_app, create_server

    plain = build_app(shipped_settings, coach=coach)
    ids = {getattr(block, "id", None) for block in plain.blocks.values()}
    assert {"advice", "rehearse", "check"} <= ids and "trainer" not in ids
    trainers = shipped_settings.model_copy(update={"trainer_password": "x"})
    with_tab = build_app(trainers, coach=coach)
    assert "trainer" in {getattr(block, "id", None) for block in with_tab.blocks.values()}
    app = create_server(trainers, with_tab, root_path="/coach")
    assert any(getattr(route, "path", "") == "/gradio.js" for route in app.routes)


# -- trainer -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("weekly-sync.md", "weekly-sync.md"),
        ("../../etc/passwd.md", "passwd.md"),
        ("..\\..\\evil.yaml", "evil.yaml"),
        ("Reunión Semanal.MD", "reunion-semanal.md"),
        ("scenario.yml", "scenario.yaml"),
        (".hidden.md", "hidden.md"),
        ("a/b/../c<>|:*?.md", "c.md"),
        ("中文 手册.md", "中文-手册.md"),  # other scripts are names too
    ],
)
def test_safe_names(given, expected):
    assert trainer.safe_name(given) == expected


@pytest.mark.parametrize("bad", ["notes.txt", "script.py", "", "/", "中文"])
def test_unsafe_names_are_refused(bad):
    with pytest.raises(ValueError):
        trainer.safe_name(bad)


def test_a_name_with_nothing_usable_gets_a_generated_one():
    assert re.fullmatch(r"upload-[0-9a-f]{8}\.md", trainer.safe_name("...md"))


def test_password_check():
    assert trainer.password_ok("s3cret", "s3cret")
    assert not trainer.password_ok("s3cret", "S3cret")
    assert not trainer.password_ok(None, "anything")
    assert not trainer.password_ok("s3cret", "")


@pytest.fixture
def small_services(tmp_path, small_knowledge):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dirs=[small_knowledge])
    return Services(settings)


def _playbook(tmp_path: Path, doc_id: str, name: str | None = None) -> Path:
    text = (FIXTURES / "knowledge" / "en" / "weekly-sync.md").read_text(encoding="utf-8")
    text = text.replace("id: weekly-sync", f"id: {doc_id}").replace(
        "The weekly sync keeps getting skipped", "Quarterly planning happens without sales"
    )
    text = text.replace(
        '"the weekly sync between our teams keeps getting cancelled"',
        '"marketing plans the quarter and sales hears about it last"',
    )
    path = tmp_path / (name or f"{doc_id}.md")
    path.write_text(text, encoding="utf-8")
    return path


def test_uploads_are_validated_saved_and_indexed_without_restart(small_services, tmp_path):
    services = small_services
    old_coach = services.coach
    good = _playbook(tmp_path, "quarterly-planning", "Quarterly Planning.md")
    broken = tmp_path / "broken.md"
    broken.write_text("# no front matter\n", encoding="utf-8")
    clash = _playbook(tmp_path, "weekly-sync", "clash.md")  # same id and language as the fixture
    scenario = tmp_path / "my-scenario.yml"
    scenario.write_text(
        (SCENARIOS_EN / "leads-garbage-missed-quarter.yaml")
        .read_text(encoding="utf-8")
        .replace("id: leads-garbage-missed-quarter", "id: my-own-scenario"),
        encoding="utf-8",
    )
    files = [(p, p.name) for p in (good, broken, clash, scenario)]
    results, report = trainer.add_files(services, files)
    by_file = {r["file"]: r for r in results}
    assert by_file["Quarterly Planning.md"]["ok"]
    assert by_file["Quarterly Planning.md"]["saved"] == "playbooks/en/quarterly-planning.md"
    assert not by_file["broken.md"]["ok"] and "front matter" in by_file["broken.md"]["error"]
    assert not by_file["clash.md"]["ok"] and "already used by" in by_file["clash.md"]["error"]
    assert str(tmp_path) not in by_file["clash.md"]["error"]  # no server paths shown
    assert by_file["my-scenario.yml"]["saved"] == "scenarios/en/my-scenario.yaml"
    uploads = services.settings.uploads_dir
    assert sorted(str(p.relative_to(uploads)) for p in uploads.rglob("*.*")) == [
        "playbooks/en/quarterly-planning.md",
        "scenarios/en/my-scenario.yaml",
    ]
    assert report is not None and any("quarterly-planning" in a for a in report.added)
    assert services.coach is not old_coach
    record = services.coach.ask("marketing plans the quarter and sales hears about it last")
    assert record.sources[0].id == "quarterly-planning"
    assert ("my-own-scenario", "en") in services.scenarios
    text = trainer.results_markdown(results, report, "en")
    assert (
        "✓ **Quarterly Planning.md**" in text and "✗ **broken.md**" in text and "Re-indexed" in text
    )
    spanish = trainer.results_markdown(results, report, "es")  # a Spanish-speaking trainer
    assert "a la cabecera le falta" in spanish or "no tiene cabecera" in spanish
    assert "ya lo usa" in spanish and "front matter" not in spanish


def test_a_second_upload_with_the_same_id_names_the_first_one(small_services, tmp_path):
    settings = small_services.settings
    first = trainer.add_file(settings, _playbook(tmp_path, "pricing-talks", "zzz.md"), "zzz.md")
    assert first["ok"]
    second = trainer.add_file(settings, _playbook(tmp_path, "pricing-talks", "aaa.md"), "aaa.md")
    assert second["error"].startswith(
        "id 'pricing-talks' (en) is already used by knowledge/playbooks/en/zzz.md"
    )
    again = trainer.add_file(settings, _playbook(tmp_path, "pricing-talks", "zzz.md"), "zzz.md")
    assert again["ok"]  # the same file name replaces itself


def test_an_upload_the_disk_has_no_room_for_keeps_the_previous_version(small_services, tmp_path):
    """A trainer re-uploads an edited playbook onto a full disk: the upload is refused with a
    message, and the version already in the knowledge stays whole (it was cut off mid-file)."""
    import resource
    import signal

    settings = small_services.settings
    first = _playbook(tmp_path, "pricing-talks", "pricing.md")
    assert trainer.add_file(settings, first, "pricing.md")["ok"]
    saved = settings.uploads_dir / "playbooks" / "en" / "pricing.md"
    before = saved.read_bytes()
    assert saved.stat().st_mode & 0o044 == 0o044  # other app servers on the folder can read it
    longer = tmp_path / "longer.md"
    longer.write_text(first.read_text(encoding="utf-8") + "\nMore steps.\n" * 400, "utf-8")

    # No file may grow past the old version's size: the disk is full.
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 100, limits[1]))
    try:
        result = trainer.add_file(settings, longer, "pricing.md")
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, handler)
    assert not result["ok"] and "could not be saved" in result["error"]
    assert saved.read_bytes() == before
    assert sorted(p.name for p in saved.parent.iterdir()) == ["pricing.md"]


def test_a_scenario_that_reuses_a_shipped_id_is_refused(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dirs=[PROJECT_ROOT / "knowledge"])
    copy = tmp_path / "copy.yaml"
    shutil.copyfile(SCENARIOS_EN / "leads-garbage-missed-quarter.yaml", copy)
    result = trainer.add_file(settings, copy, "copy.yaml")
    assert not result["ok"]
    assert "already used by knowledge/scenarios/en/leads-garbage" in result["error"]
    assert not list(settings.uploads_dir.rglob("*.yaml"))


def test_too_big_or_badly_named_files_are_refused(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dirs=[PROJECT_ROOT / "knowledge"])
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * (trainer.MAX_UPLOAD_BYTES + 1))
    assert "larger than" in trainer.add_file(settings, big, "big.md")["error"]
    assert "only .md" in trainer.add_file(settings, big, "big.exe")["error"]


def test_an_alias_bomb_upload_is_refused_and_later_indexing_still_works(tmp_path):
    from coach.index import KnowledgeIndex
    from tests.test_knowledge import BOMB, GOOD

    knowledge = tmp_path / "knowledge"
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "knowledge", knowledge)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dirs=[knowledge])
    bomb = tmp_path / "bomb.md"
    bomb.write_text(
        GOOD.replace("---\n", "---\n" + BOMB + "\n", 1).replace("id: weekly-sync", "id: bomb")
    )
    result = trainer.add_file(settings, bomb, "bomb.md")
    assert not result["ok"] and "YAML alias" in result["error"]
    assert not list(settings.uploads_dir.rglob("*.md"))
    assert KnowledgeIndex(settings).update(progress=False).embedded > 0


def test_feedback_summary_counts_votes_and_situations(tmp_path):
    feedback, asked = tmp_path / "feedback.jsonl", tmp_path / "asked.jsonl"
    for vote, sources in [("up", ["a", "b"]), ("down", ["a"]), ("up", ["a", "a"])]:
        append_jsonl(feedback, {"vote": vote, "sources": sources})
    feedback.open("a").write("not json\n")
    for q, sources in [("q1", ["a", "b"]), ("q2", ["b"]), ("q3", ["b", "a"]), ("q4", [])]:
        append_jsonl(
            asked, {"question": q, "sources": sources, "titles": {"b": "Bee"}, "language": "en"}
        )
    data = trainer.summary(feedback, asked)
    assert data["votes"] == [["a", "a", 2, 1], ["b", "b", 1, 0]]
    assert data["asked"] == [["b", "Bee", 2, "q3"], ["a", "a", 1, "q1"]]
    assert data["questions_by_language"] == {"en": 4}
    assert trainer.summary(tmp_path / "none.jsonl", tmp_path / "none2.jsonl")["votes"] == []


def test_trainers_see_the_questions_coach_asked_back_on(coach, tmp_path):
    asked = tmp_path / "asked.jsonl"
    advice.advise(coach, "sales says our leads are garbage", asked)
    advice.advise(coach, "what's the weather tomorrow?", asked)
    advice.advise(coach, "Les ventes disent que nos leads sont nuls, que dois-je dire ?", asked)
    rows = trainer.summary(tmp_path / "feedback.jsonl", asked)["asked_back"]
    assert [row[1] for row in rows] == [
        "Les ventes disent que nos leads sont nuls, que dois-je dire ?",
        "what's the weather tomorrow?",
    ]  # newest first; the answered question is not there
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", rows[0][0]), rows[0][0]
    assert trainer.when("2026-11-27T13:01:11+01:00") == "2026-11-27 12:01 UTC"
    assert trainer.when("") == "" and trainer.when("yesterday") == "yesterday"


def test_the_conversation_downloads_as_markdown_with_its_sources(coach, tmp_path):
    turns = []
    messages: list = []
    for question in ("sales says our leads are garbage", "and if he says no?"):
        messages, _, turn = list(advice.respond(coach, question, messages, "en"))[-1]
        turns.append(turn)
    path = advice.write_conversation(turns, "es", tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Conversación con coach")
    assert text.index("sales says our leads are garbage") < text.index("and if he says no?")
    assert text.count("**Sources**") == 2 and "(`lead-quality`)" in text


@pytest.mark.parametrize(
    ("update", "expected"),
    [({}, 8), ({"backend": "openai"}, 32), ({"backend": "openai", "concurrency": 12}, 12)],
)
def test_the_queue_works_on_more_requests_at_once_when_a_model_server_answers(
    shipped_settings, coach, update, expected
):
    """Offline answers are CPU work (8 at once on a small machine); with a model, a request mostly
    waits on the model server, so twenty people must not queue behind eight slow answers."""
    from ui.app import build_app

    demo = build_app(shipped_settings.model_copy(update=update), coach=coach)
    assert demo._queue.default_concurrency_limit == expected


def test_an_upload_saved_while_the_index_cannot_be_rebuilt_says_so(small_services, tmp_path):
    """A playbook in the knowledge folder was broken by hand after the app started: the trainer's
    good upload is kept, the tab says why the re-index failed, and answers keep coming."""
    before = small_services.coach
    broken = small_services.settings.knowledge_dirs[0] / "en" / "broken.md"
    broken.write_text("no front matter here", encoding="utf-8")
    results, report = trainer.add_files(small_services, [(_playbook(tmp_path, "pricing"), "p.md")])
    assert results[0]["ok"] and isinstance(report, Exception)
    text = trainer.results_markdown(results, report, "es")
    assert "no se pudo reconstruir" in text and "broken.md" in text
    assert small_services.coach is before
    assert small_services.coach.ask("the weekly sync keeps getting skipped").sources


def test_a_trainer_lists_and_removes_an_upload_and_coach_stops_using_it(small_services, tmp_path):
    settings = small_services.settings
    results, _ = trainer.add_files(small_services, [(_playbook(tmp_path, "pricing"), "p.md")])
    assert results[0]["ok"]
    listed = trainer.list_uploads(settings)
    assert listed == [("Quarterly planning happens without sales (en) · p.md", "playbooks/en/p.md")]
    question = "marketing plans the quarter and sales hears about it last"
    assert small_services.coach.ask(question).sources[0].id == "pricing"

    name, report = trainer.remove_upload(small_services, "playbooks/en/p.md")
    assert name == "playbooks/en/p.md" and not isinstance(report, Exception)
    assert trainer.list_uploads(settings) == []
    assert "pricing" not in {s.id for s in small_services.coach.ask(question).sources}
    assert "Se quitó `playbooks/en/p.md`" in trainer.removal_markdown(name, report, "es")


@pytest.mark.parametrize(
    "target", [None, "", "../feedback.jsonl", "/etc/hostname", "playbooks/en/missing.md"]
)
def test_only_a_listed_upload_can_be_removed(small_services, target):
    """The dropdown's value comes from the browser: anything but a listed upload touches nothing."""
    (small_services.settings.data_dir / "feedback.jsonl").write_text("{}\n")
    assert trainer.remove_upload(small_services, target) == (None, None)
    assert (small_services.settings.data_dir / "feedback.jsonl").exists()
    assert "Pick an uploaded file" in trainer.removal_markdown(None, None, "en")


# -- page: language, trainer view; practise ------------------------------------------------
@pytest.mark.parametrize(
    ("params", "header", "expected"),
    [
        ({"lang": "es"}, "en-US,en;q=0.9", "es"),  # the link wins
        ({"lang": "EN-gb"}, "es", "en"),
        ({"lang": "fr"}, "es-MX,es;q=0.9", "es"),  # not ours: the browser decides
        ({}, "fr-FR, es;q=0.8, en;q=0.5", "es"),
        ({}, "en;q=0.2, es;q=0.9", "es"),  # by weight, not by order
        ({}, "es;q=0, en;q=0.1", "en"),  # q=0 means "not this one"
        ({}, "de-DE, fr", "en"),
        ({}, None, "en"),
        ({}, "es;q=banana", "en"),
    ],
)
def test_the_interface_language_comes_from_the_link_then_the_browser(params, header, expected):
    from ui.page import interface_language

    headers = {"accept-language": header} if header is not None else {}
    assert interface_language(params, headers) == expected


def test_only_a_trainer_link_shows_the_trainer_view():
    from ui.page import trainer_view

    assert trainer_view({"trainer": "1"}) and trainer_view({"tab": "trainer"})
    assert not trainer_view({}) and not trainer_view({"trainer": "0"})
    assert not trainer_view({"tab": "advice", "trainer": "no"})


def test_the_lines_to_say_are_taken_from_an_answer(coach):
    from ui.practise import said_lines

    record = coach.ask("Sales says our leads are garbage. What do I say tomorrow?")
    lines = said_lines(record.answer)
    assert lines and all(len(line) > 20 for line in lines)
    assert all(line in record.answer for line in lines)
    assert not any(line.startswith(("1.", "If you")) for line in lines)  # steps are not lines
    assert said_lines("") == [] and said_lines(None) == []
    assert said_lines('- "Same line here, twice."\n- “Same line here, twice.”') == [
        "Same line here, twice."
    ]


def test_practise_picks_the_scenario_closest_to_the_question(shipped_settings):
    from coach.embeddings import get_embedder
    from coach.rehearsal.scenarios import load_scenarios
    from ui.practise import closest_scenario

    scenarios = load_scenarios(shipped_settings.all_knowledge_dirs)
    embedder = get_embedder(shipped_settings.embedder)
    garbage = "Sales says our leads are garbage after we missed the quarter"
    assert closest_scenario(scenarios, embedder, garbage, "en") == "leads-garbage-missed-quarter"
    basura = "Ventas dice que nuestros leads son basura después del trimestre perdido"
    assert closest_scenario(scenarios, embedder, basura, "es") == "leads-garbage-missed-quarter"
    pricing = "Sales wants my trade show money for deeper discounts on stalled deals"
    assert closest_scenario(scenarios, embedder, pricing, "en") == "discount-budget-deadlock"
    assert closest_scenario({}, embedder, garbage, "en") is None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_resolved_rehearsal_with_a_low_score_says_what_it_cost(lang):
    """The scorecard's outcome never reads as praise the score does not back."""
    from ui.rehearse import outcome_key
    from ui.strings import t

    low = t(lang, outcome_key({"outcome": "resolved", "score": 45}))
    high = t(lang, outcome_key({"outcome": "resolved", "score": 82}))
    assert low != high and low.startswith(high)
    assert outcome_key({"outcome": "escalated", "score": 20}) == "outcome_escalated"

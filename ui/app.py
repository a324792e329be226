"""The Gradio app: tabs for advice, rehearsal, check my message and (for trainers) knowledge.

``build_app(settings)`` assembles the Blocks; ``serve(settings, ...)`` builds the coach (and the
index, when it is missing) before it starts listening. Every tab is a thin layer over the plain
functions in ``ui.advice``, ``ui.rehearse``, ``ui.check`` and ``ui.trainer``.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from pathlib import Path

from coach.settings import Settings, quiet_telemetry

quiet_telemetry()  # before gradio is imported

import gradio as gr  # noqa: E402

from coach.errors import CoachError  # noqa: E402
from ui import advice, check, rehearse, trainer  # noqa: E402
from ui.state import Services, SessionStore  # noqa: E402
from ui.strings import DEFAULT_LANG, LANG_CHOICES, kind_colors, norm_lang, t  # noqa: E402

TABS = ("advice", "rehearse", "check", "trainer")
CONCURRENCY = 8  # events running at once; an offline answer takes ~30 ms
QUEUE_SIZE = 100  # waiting events before new ones are turned away
MAX_UPLOAD = "1mb"
WRONG_PASSWORD_DELAY = 1.0  # seconds
TRANSCRIPTS = Path(tempfile.gettempdir()) / "coach-transcripts"
TRANSCRIPT_MAX_AGE = 6 * 3600

THEME = gr.themes.Soft(
    primary_hue="indigo",
    secondary_hue="sky",
    neutral_hue="slate",
    radius_size="md",
    font=("ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"),
    font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "monospace"),
)

CSS = """
.gradio-container { max-width: 1100px !important; margin: 0 auto !important; }
#coach-header h1 { margin: 0; font-size: 1.6rem; }
#coach-header p { margin: 0.2rem 0 0; color: var(--body-text-color-subdued); }
#lang-picker { max-width: 260px; }
#advice-status, #rehearse-whatif { font-size: 0.9rem; }
#rehearse-feedback h3 { margin-top: 0; }
#rehearse-chat button[aria-label="Clear"] { display: none; }
#advice-chat .prose, #rehearse-chat .prose { overflow-wrap: anywhere; }
.coach-small { font-size: 0.9rem; color: var(--body-text-color-subdued); }
@media (max-width: 520px) {
  #coach-header h1 { font-size: 1.25rem; }
  #coach-header p { font-size: 0.85rem; }
  #lang-picker { max-width: none; }
  .tab-container button, button[role="tab"] { padding: 6px 8px !important; font-size: 0.85rem; }
}
"""

# Gradio scopes the rules of ``css`` inside media queries to the app's content, which leaves
# out the page's own padding: that one rule goes into <head> as it is.
HEAD = (
    "<style>@media (max-width: 520px) { .main.fillable "
    "{ padding-left: 10px !important; padding-right: 10px !important; } }</style>"
)

LAUNCH_STYLE = {"theme": THEME, "css": CSS, "head": HEAD}


def _vote_headers(lang: str) -> list[str]:
    return ["id", t(lang, "col_source"), t(lang, "col_up"), t(lang, "col_down")]


def _asked_headers(lang: str) -> list[str]:
    return ["id", t(lang, "col_source"), t(lang, "col_count"), t(lang, "col_example")]


def _transcript_folder() -> Path:
    """A fresh folder for one download; folders older than a few hours are removed."""
    TRANSCRIPTS.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in TRANSCRIPTS.iterdir():
        try:
            if now - old.stat().st_mtime > TRANSCRIPT_MAX_AGE:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    folder = TRANSCRIPTS / secrets.token_hex(8)
    folder.mkdir()
    return folder


def build_app(settings: Settings, coach=None) -> gr.Blocks:
    """The app over ``coach`` (built here from ``settings`` when not given, index included)."""
    services = Services(settings, coach=coach)
    api_sessions = SessionStore(cap=500)
    trainers = bool(settings.trainer_password)
    lang0 = DEFAULT_LANG
    relabel: list[tuple] = []  # (component, function of the language -> its update)

    def label(component, key: str, attr: str = "label"):
        relabel.append(
            (component, lambda lang, key=key, attr=attr: gr.update(**{attr: t(lang, key)}))
        )
        return component

    def on_lang(component, make):
        relabel.append((component, make))
        return component

    with gr.Blocks(title="coach", analytics_enabled=False, delete_cache=(3600, 6 * 3600)) as demo:
        with gr.Row(equal_height=True):
            with gr.Column(scale=3, min_width=300):
                on_lang(
                    gr.Markdown(f"# coach\n{t(lang0, 'tagline')}", elem_id="coach-header"),
                    lambda lang: gr.update(value=f"# coach\n{t(lang, 'tagline')}"),
                )
            lang = label(
                gr.Radio(
                    LANG_CHOICES,
                    value=lang0,
                    label=t(lang0, "language"),
                    elem_id="lang-picker",
                    scale=1,
                    min_width=240,
                ),
                "language",
            )

        with gr.Tabs(selected="advice", elem_id="coach-tabs", overflow_behavior="wrap") as tabs:
            # ---------------------------------------------------------------- advice
            with label(
                gr.Tab(t(lang0, "tab_advice"), id="advice", elem_id="tab-advice"), "tab_advice"
            ):
                label(
                    gr.Markdown(t(lang0, "advice_intro"), elem_classes="coach-small"),
                    "advice_intro",
                    "value",
                )
                chatbot = on_lang(
                    gr.Chatbot(
                        label=t(lang0, "chat_label"),
                        elem_id="advice-chat",
                        show_label=False,
                        height=520,
                        buttons=["copy"],
                        feedback_options=("Like", "Dislike"),
                        placeholder=t(lang0, "placeholder_chat"),
                        group_consecutive_messages=True,
                    ),
                    lambda lang: gr.update(
                        label=t(lang, "chat_label"), placeholder=t(lang, "placeholder_chat")
                    ),
                )
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label=t(lang0, "question_label"),
                        placeholder=t(lang0, "question_placeholder"),
                        elem_id="advice-question",
                        lines=1,
                        max_lines=6,
                        scale=5,
                        min_width=240,
                        autofocus=False,
                    )
                    on_lang(
                        question,
                        lambda lang: gr.update(
                            label=t(lang, "question_label"),
                            placeholder=t(lang, "question_placeholder"),
                        ),
                    )
                    ask = label(
                        gr.Button(
                            t(lang0, "ask"),
                            variant="primary",
                            scale=1,
                            min_width=120,
                            elem_id="advice-ask",
                        ),
                        "ask",
                        "value",
                    )
                status = gr.Markdown("", elem_id="advice-status")
                examples = gr.Dataset(
                    components=["textbox"],
                    samples=[[q] for q in advice.EXAMPLES[lang0]],
                    label=t(lang0, "examples"),
                    elem_id="advice-examples",
                    type="values",
                )
                on_lang(
                    examples,
                    lambda lang: gr.Dataset(
                        samples=[[q] for q in advice.EXAMPLES[lang]], label=t(lang, "examples")
                    ),
                )
                clear = label(
                    gr.Button(t(lang0, "clear"), size="sm", elem_id="advice-clear"),
                    "clear",
                    "value",
                )
                turns = gr.State([])

            # ---------------------------------------------------------------- rehearse
            with label(
                gr.Tab(t(lang0, "tab_rehearse"), id="rehearse", elem_id="tab-rehearse"),
                "tab_rehearse",
            ):
                label(
                    gr.Markdown(t(lang0, "rehearse_intro"), elem_classes="coach-small"),
                    "rehearse_intro",
                    "value",
                )
                choices0 = rehearse.scenario_choices(services.scenarios, lang0)
                with label(
                    gr.Accordion(t(lang0, "setup"), open=True, elem_id="rehearse-setup"),
                    "setup",
                ) as setup:
                    with gr.Row():
                        scenario = label(
                            gr.Dropdown(
                                choices0,
                                value=choices0[0][1] if choices0 else None,
                                label=t(lang0, "scenario"),
                                elem_id="rehearse-scenario",
                                scale=3,
                                min_width=240,
                            ),
                            "scenario",
                        )
                        level = on_lang(
                            gr.Radio(
                                rehearse.level_choices(lang0),
                                value=rehearse.DEFAULT_LEVEL,
                                label=t(lang0, "level"),
                                elem_id="rehearse-level",
                                scale=2,
                                min_width=240,
                            ),
                            lambda lang: gr.update(
                                choices=rehearse.level_choices(lang), label=t(lang, "level")
                            ),
                        )
                        rlang = on_lang(
                            gr.Radio(
                                LANG_CHOICES,
                                value=lang0,
                                label=t(lang0, "rehearse_lang"),
                                elem_id="rehearse-lang",
                                scale=1,
                                min_width=180,
                            ),
                            lambda lang: gr.update(label=t(lang, "rehearse_lang"), value=lang),
                        )
                    start = label(
                        gr.Button(t(lang0, "start"), variant="primary", elem_id="rehearse-start"),
                        "start",
                        "value",
                    )
                brief = gr.Markdown(t(lang0, "start_first"), elem_id="rehearse-brief")
                with gr.Row():
                    with gr.Column(scale=3, min_width=300):
                        rchat = gr.Chatbot(
                            elem_id="rehearse-chat",
                            height=440,
                            show_label=False,
                            feedback_options=None,
                            buttons=[],
                        )
                        with gr.Row(equal_height=True):
                            reply = gr.Textbox(
                                label=t(lang0, "your_turn"),
                                placeholder=t(lang0, "your_turn_placeholder"),
                                elem_id="rehearse-input",
                                scale=5,
                                min_width=200,
                                interactive=False,
                            )
                            on_lang(
                                reply,
                                lambda lang: gr.update(
                                    label=t(lang, "your_turn"),
                                    placeholder=t(lang, "your_turn_placeholder"),
                                ),
                            )
                            send = label(
                                gr.Button(
                                    t(lang0, "send"),
                                    variant="primary",
                                    scale=1,
                                    min_width=90,
                                    elem_id="rehearse-send",
                                ),
                                "send",
                                "value",
                            )
                    with gr.Column(scale=2, min_width=280):
                        tension = label(
                            gr.Slider(
                                0,
                                10,
                                value=0,
                                step=0.1,
                                label=t(lang0, "tension"),
                                interactive=False,
                                elem_id="rehearse-tension",
                            ),
                            "tension",
                        )
                        feedback = gr.Markdown(
                            t(lang0, "feedback_empty"), elem_id="rehearse-feedback"
                        )
                        flagged = gr.HighlightedText(
                            value=[],
                            visible=False,
                            show_label=False,
                            color_map=kind_colors(),
                            combine_adjacent=False,
                            elem_id="rehearse-highlights",
                        )
                        suggestion = gr.Textbox(
                            label=t(lang0, "alternative"),
                            interactive=False,
                            buttons=["copy"],
                            lines=2,
                            visible=False,
                            elem_id="rehearse-suggestion",
                        )
                        label(suggestion, "alternative")
                        try_this = label(
                            gr.Button(
                                t(lang0, "try_this"),
                                size="sm",
                                elem_id="rehearse-try",
                                visible=False,
                            ),
                            "try_this",
                            "value",
                        )
                        what_if = gr.Markdown("", elem_id="rehearse-whatif")
                scorecard = gr.Markdown("", elem_id="rehearse-scorecard")
                with gr.Row():
                    dl_md = label(
                        gr.DownloadButton(
                            t(lang0, "download_md"), visible=False, elem_id="rehearse-download-md"
                        ),
                        "download_md",
                        "label",
                    )
                    dl_json = label(
                        gr.DownloadButton(
                            t(lang0, "download_json"),
                            visible=False,
                            elem_id="rehearse-download-json",
                        ),
                        "download_json",
                        "label",
                    )
                session = gr.State(None)

            # ---------------------------------------------------------------- check
            with label(gr.Tab(t(lang0, "tab_check"), id="check", elem_id="tab-check"), "tab_check"):
                label(
                    gr.Markdown(t(lang0, "check_intro"), elem_classes="coach-small"),
                    "check_intro",
                    "value",
                )
                draft = gr.Textbox(
                    label=t(lang0, "draft"),
                    placeholder=t(lang0, "draft_placeholder"),
                    lines=5,
                    max_lines=20,
                    elem_id="check-draft",
                )
                on_lang(
                    draft,
                    lambda lang: gr.update(
                        label=t(lang, "draft"), placeholder=t(lang, "draft_placeholder")
                    ),
                )
                check_btn = label(
                    gr.Button(t(lang0, "check"), variant="primary", elem_id="check-run"),
                    "check",
                    "value",
                )
                highlights = label(
                    gr.HighlightedText(
                        value=[],
                        label=t(lang0, "highlights"),
                        color_map=kind_colors(),
                        show_legend=False,
                        elem_id="check-highlights",
                    ),
                    "highlights",
                )
                why = gr.Markdown("", elem_id="check-why")
                rewrite = label(
                    gr.Textbox(
                        label=t(lang0, "rewrite"),
                        interactive=False,
                        buttons=["copy"],
                        lines=3,
                        elem_id="check-rewrite",
                    ),
                    "rewrite",
                )

            # ---------------------------------------------------------------- trainers
            if trainers:
                with label(
                    gr.Tab(t(lang0, "tab_trainer"), id="trainer", elem_id="tab-trainer"),
                    "tab_trainer",
                ):
                    label(
                        gr.Markdown(t(lang0, "trainer_intro"), elem_classes="coach-small"),
                        "trainer_intro",
                        "value",
                    )
                    unlocked = gr.State(False)
                    with gr.Row(equal_height=True):
                        password = label(
                            gr.Textbox(
                                label=t(lang0, "password"),
                                type="password",
                                elem_id="trainer-password",
                                scale=3,
                            ),
                            "password",
                        )
                        unlock = label(
                            gr.Button(
                                t(lang0, "unlock"), elem_id="trainer-unlock", scale=1, min_width=100
                            ),
                            "unlock",
                            "value",
                        )
                    unlock_note = gr.Markdown("", elem_id="trainer-note")
                    with gr.Column(visible=False) as trainer_panel:
                        uploads = label(
                            gr.File(
                                label=t(lang0, "upload"),
                                file_count="multiple",
                                file_types=[".md", ".yaml", ".yml"],
                                type="filepath",
                                elem_id="trainer-files",
                            ),
                            "upload",
                        )
                        upload_btn = label(
                            gr.Button(
                                t(lang0, "upload_button"),
                                variant="primary",
                                elem_id="trainer-upload",
                            ),
                            "upload_button",
                            "value",
                        )
                        upload_result = gr.Markdown("", elem_id="trainer-result")
                        label(
                            gr.Markdown(f"### {t(lang0, 'feedback_summary')}"),
                            "feedback_summary",
                            "value",
                        )
                        refresh = label(
                            gr.Button(t(lang0, "refresh"), size="sm"), "refresh", "value"
                        )
                        votes = on_lang(
                            gr.Dataframe(
                                headers=_vote_headers(lang0),
                                value=[],
                                label=t(lang0, "votes_by_source"),
                                interactive=False,
                                column_widths=["25%", "45%", "15%", "15%"],
                                elem_id="trainer-votes",
                            ),
                            lambda lang: gr.update(
                                headers=_vote_headers(lang), label=t(lang, "votes_by_source")
                            ),
                        )
                        asked = on_lang(
                            gr.Dataframe(
                                headers=_asked_headers(lang0),
                                value=[],
                                label=t(lang0, "asked_most"),
                                interactive=False,
                                wrap=True,
                                column_widths=["22%", "30%", "10%", "38%"],
                                elem_id="trainer-asked",
                            ),
                            lambda lang: gr.update(
                                headers=_asked_headers(lang), label=t(lang, "asked_most")
                            ),
                        )

        loaded = gr.Markdown("", elem_id="coach-loaded", visible="hidden")  # set when load is done

        # ==================================================================== handlers
        private = {"api_visibility": "private"}

        # -- language -----------------------------------------------------------------------
        relabel_targets = [component for component, _ in relabel]

        def apply_language(code):
            code = norm_lang(code)
            return [make(code) for _, make in relabel]

        quiet = {"api_visibility": "private", "show_progress": "hidden"}
        lang.change(apply_language, [lang], relabel_targets, **quiet)

        def scenarios_for(code):
            return gr.update(choices=rehearse.scenario_choices(services.scenarios, code))

        rlang.change(scenarios_for, [rlang], [scenario], **quiet)

        # -- advice -------------------------------------------------------------------------
        def on_ask(text, messages, kept, code):
            kept = list(kept or [])
            for outputs in advice.respond(services.coach, text, messages, code):
                messages_now, status_now, turn = outputs
                if turn is not None:
                    kept.append(turn)
                    advice.log_question(services.asked_path, turn)
                accepted = len(messages_now) > len(messages or [])
                yield messages_now, status_now, kept, ("" if accepted else gr.skip())

        ask_inputs = [question, chatbot, turns, lang]
        ask_outputs = [chatbot, status, turns, question]
        question.submit(on_ask, ask_inputs, ask_outputs, **private)
        ask.click(on_ask, ask_inputs, ask_outputs, **private)

        def on_example(sample):
            return sample[0] if isinstance(sample, list | tuple) and sample else sample

        examples.click(on_example, [examples], [question], **private).then(
            on_ask, ask_inputs, ask_outputs, **private
        )

        def on_clear():
            return [], "", []

        clear.click(on_clear, None, [chatbot, status, turns], **private)
        chatbot.clear(on_clear, None, [chatbot, status, turns], **private)

        def on_like(kept, code, data: gr.LikeData):
            turn = advice.turn_for_index(
                kept, data.index if isinstance(data.index, int) else data.index[0]
            )
            if turn is None or data.liked not in (True, False):
                return t(code, "vote_nothing")
            advice.record_vote(services.feedback_path, turn, bool(data.liked))
            return t(code, "vote_thanks_up" if data.liked else "vote_thanks_down")

        chatbot.like(on_like, [turns, lang], [status], **private)

        # -- rehearse -----------------------------------------------------------------------
        rehearse_outputs = [
            session,
            rchat,
            brief,
            tension,
            feedback,
            flagged,
            suggestion,
            try_this,
            what_if,
            scorecard,
            dl_md,
            dl_json,
            reply,
            send,
            setup,
        ]

        def rehearse_view(current, code):
            view = rehearse.panel(current, code)
            has_turns = bool(current and current.turns)
            downloads = [gr.update(visible=False), gr.update(visible=False)]
            if has_turns:
                md, js = rehearse.write_transcripts(current, _transcript_folder())
                downloads = [
                    gr.update(value=str(md), visible=True),
                    gr.update(value=str(js), visible=True),
                ]
            can_talk = view["started"] and not view["finished"]
            flagged_now = any(kind for _, kind in view["highlighted"])
            return [
                current,
                view["chat"],
                view["brief"],
                view["tension"],
                view["feedback"],
                gr.update(value=view["highlighted"], visible=flagged_now),
                gr.update(value=view["suggestion"], visible=bool(view["suggestion"])),
                gr.update(visible=bool(view["suggestion"])),
                "",
                view["scorecard"],
                *downloads,
                gr.update(value="", interactive=can_talk),
                gr.update(interactive=can_talk),
                gr.update(open=not view["started"] or view["finished"]),
            ]

        def on_start(scenario_id, level_value, code_r, code):
            if not scenario_id:
                gr.Warning(t(code, "start_first"))
                return [gr.skip()] * len(rehearse_outputs)
            try:
                current = rehearse.start_session(
                    services.scenarios, scenario_id, level_value, code_r
                )
            except ValueError as exc:
                gr.Warning(str(exc))
                return [gr.skip()] * len(rehearse_outputs)
            return rehearse_view(current, code)

        start.click(on_start, [scenario, level, rlang, lang], rehearse_outputs, **private)

        def on_send(text, current, code):
            if current is None:
                gr.Warning(t(code, "start_first"))
                return [gr.skip()] * len(rehearse_outputs)
            try:
                current.turn(text or "")
            except ValueError as exc:
                gr.Warning(str(exc))
                return [gr.skip()] * len(rehearse_outputs)
            return rehearse_view(current, code)

        reply.submit(on_send, [reply, session, lang], rehearse_outputs, **private)
        send.click(on_send, [reply, session, lang], rehearse_outputs, **private)

        def on_try(current, text, code):
            if current is None or not current.turns or not text:
                return ""
            return rehearse.what_if_markdown(current, text, code)

        try_this.click(on_try, [session, suggestion, lang], [what_if], **private)

        # -- check --------------------------------------------------------------------------
        def on_check(text, code):
            try:
                return check.check_view(text, code)
            except CoachError as exc:
                gr.Warning(str(exc))
                return [], "", ""

        check_btn.click(on_check, [draft, lang], [highlights, why, rewrite], **private)

        # -- trainers -----------------------------------------------------------------------
        if trainers:

            def summary_rows(code):
                data = trainer.summary(
                    services.feedback_path, services.asked_path, services.coach.library
                )
                return data["votes"], data["asked"]

            def on_unlock(given, code):
                if trainer.password_ok(settings.trainer_password, given):
                    return True, gr.update(visible=True), "", "", *summary_rows(code)
                time.sleep(WRONG_PASSWORD_DELAY)  # makes guessing slow
                return False, gr.update(visible=False), "⚠ " + t(code, "wrong_password"), "", [], []

            unlock_outputs = [unlocked, trainer_panel, unlock_note, password, votes, asked]
            unlock.click(on_unlock, [password, lang], unlock_outputs, **private)
            password.submit(on_unlock, [password, lang], unlock_outputs, **private)

            def on_upload(files, is_unlocked, code):
                if not is_unlocked:
                    return t(code, "locked"), gr.skip(), gr.skip(), gr.skip()
                if not files:
                    return t(code, "upload_none"), gr.skip(), gr.skip(), gr.skip()
                paths = [Path(f if isinstance(f, str) else f.name) for f in files]
                results, report = trainer.add_files(services, [(p, p.name) for p in paths])
                return trainer.results_markdown(results, report, code), None, *summary_rows(code)

            upload_btn.click(
                on_upload,
                [uploads, unlocked, lang],
                [upload_result, uploads, votes, asked],
                **private,
            )

            def on_refresh(is_unlocked, code):
                if not is_unlocked:
                    return [], []
                return summary_rows(code)

            refresh.click(on_refresh, [unlocked, lang], [votes, asked], **private)

        # -- deep links ---------------------------------------------------------------------
        def on_load(request: gr.Request):
            params = dict(request.query_params) if request is not None else {}
            code = norm_lang(params.get("lang"))
            tab = params.get("tab", "").strip().lower()
            if tab == "trainer" and not trainers or tab not in TABS:
                tab = "advice"
            out = {
                loaded: "loaded",
                lang: code,
                rlang: code,
                tabs: gr.Tabs(selected=tab),
                scenario: gr.update(choices=rehearse.scenario_choices(services.scenarios, code)),
            }
            scenario_id = params.get("scenario", "").strip()
            level_value = rehearse.norm_level(params.get("level"))
            out[level] = gr.update(value=level_value, choices=rehearse.level_choices(code))
            if scenario_id:
                try:
                    current = rehearse.start_session(
                        services.scenarios, scenario_id, level_value, code
                    )
                except ValueError as exc:
                    gr.Warning(str(exc))
                else:
                    out[scenario] = gr.update(
                        choices=rehearse.scenario_choices(services.scenarios, code),
                        value=current.scenario.id,
                    )
                    out.update(zip(rehearse_outputs, rehearse_view(current, code), strict=True))
            q = (params.get("q") or "").strip()
            if q:
                messages_now, status_now, turn = list(advice.respond(services.coach, q, [], code))[
                    -1
                ]
                if turn is not None:
                    advice.log_question(services.asked_path, turn)
                out.update(
                    {chatbot: messages_now, status: status_now, turns: [turn] if turn else []}
                )
                if turn is None:
                    out[question] = q
            return out

        load_outputs = [
            loaded,
            lang,
            rlang,
            tabs,
            scenario,
            level,
            chatbot,
            status,
            turns,
            question,
            *rehearse_outputs,
        ]
        demo.load(on_load, None, list(dict.fromkeys(load_outputs)), **quiet)

        # ==================================================================== API
        def advise_api(question: str) -> dict:
            """Advice on a situation: the answer (Markdown), its language, the backend, the sources."""
            try:
                return advice.advise(services.coach, question, services.asked_path)
            except CoachError as exc:
                raise gr.Error(str(exc)) from None

        def check_api(draft: str) -> dict:
            """Check a draft message: the flagged phrases (with why), the rewrite and the language."""
            try:
                return check.check(draft)
            except CoachError as exc:
                raise gr.Error(str(exc)) from None

        def rehearse_start_api(scenario: str, level: str = "tense", lang: str = "en") -> dict:
            """Start a rehearsal: returns session_id (pass it to /rehearse_turn) and the opening line."""
            try:
                return rehearse.api_start(api_sessions, services.scenarios, scenario, level, lang)
            except ValueError as exc:
                raise gr.Error(str(exc)) from None

        def rehearse_turn_api(session_id: str, text: str) -> dict:
            """One turn of a rehearsal: the counterpart's reply, the tension and feedback on the turn."""
            try:
                return rehearse.api_turn(api_sessions, session_id, text)
            except ValueError as exc:
                raise gr.Error(str(exc)) from None

        gr.api(advise_api, api_name="advise")
        gr.api(check_api, api_name="check")
        gr.api(rehearse_start_api, api_name="rehearse_start")
        gr.api(rehearse_turn_api, api_name="rehearse_turn")

    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    demo.coach_services = services  # for tests and for mounting code that wants the coach
    return demo


MOUNT_OPTIONS = {
    "max_file_size": MAX_UPLOAD,
    "footer_links": ["api"],
    "ssr_mode": False,
    "show_error": True,
    **LAUNCH_STYLE,
}


def web_component_js() -> str:
    """Gradio's web-component loader, as the gradio.js on its CDN, from the installed package."""
    loader = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"
    return loader.read_text(encoding="utf-8")


def create_server(settings: Settings, demo: gr.Blocks | None = None, root_path: str = ""):
    """A FastAPI app serving the coach at ``/`` and Gradio's web component at ``/gradio.js``.

    This is what ``coach serve`` runs; mounting into an existing FastAPI app works the same way
    (``gr.mount_gradio_app(app, build_app(settings), path="/coach", **MOUNT_OPTIONS)``).
    """
    from fastapi import FastAPI
    from fastapi.responses import Response

    demo = demo if demo is not None else build_app(settings)
    app = FastAPI(title="coach", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/gradio.js", include_in_schema=False)
    def gradio_js() -> Response:
        return Response(
            web_component_js(),
            media_type="text/javascript",
            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"},
        )

    return gr.mount_gradio_app(app, demo, path="/", root_path=root_path or None, **MOUNT_OPTIONS)


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 7860, root_path: str = ""
) -> None:
    """Build the index if needed, then serve the app until Ctrl-C."""
    import threading

    import uvicorn

    def notice():
        print("Building the knowledge index (first start, a few seconds)…", flush=True)

    started = time.perf_counter()
    from coach.answer import Coach

    coach = Coach(settings, on_build=notice)
    app = create_server(settings, build_app(settings, coach=coach), root_path=root_path)
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    )
    # In a thread, uvicorn leaves Ctrl-C to us, so stopping is quiet and clean.
    thread = threading.Thread(target=server.run, name="coach-server", daemon=True)
    thread.start()
    while thread.is_alive() and not server.started:
        time.sleep(0.05)
    if not server.started:
        raise SystemExit(f"coach could not listen on {host}:{port} (is the port in use?)")
    url = f"http://{host}:{port}{root_path}/"
    print(f"coach is ready in {time.perf_counter() - started:.1f} s: {url}", flush=True)
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        print("Stopping coach…", flush=True)
        server.should_exit = True
        thread.join(10)

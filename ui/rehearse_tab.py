"""The rehearse tab: set-up, the conversation, live feedback, scorecard and downloads, then the
learner's past attempts and "My progress" (``ui.history_tab``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gradio as gr

from coach.rehearsal.engine import Session
from ui import rehearse
from ui.history_tab import (
    AttemptsView,
    build_attempts_view,
    claim_js,
    person_of,
    wire_attempts_view,
)
from ui.language import PRIVATE, QUIET, Relabel
from ui.state import Services, download_key, save_download
from ui.strings import DEFAULT_LANG, LANG_CHOICES, error_text, kind_colors, t


@dataclass
class RehearseTab:
    scenario: gr.Dropdown
    level: gr.Radio
    rlang: gr.Radio
    outputs: list  # what ``view`` returns values for, in order
    view: Callable[[Session | None, str], list]
    reply: gr.Textbox
    session: gr.State
    setup: gr.Accordion
    turn_events: list  # the events that take a turn (then: refresh past attempts and progress)
    attempts: AttemptsView


def explained(scorecard: str, lang: str) -> str:
    """The scorecard with a plain line under "By principle" saying what those figures are."""
    heading = f"**{t(lang, 'by_principle')}**"
    if heading not in scorecard:
        return scorecard
    return scorecard.replace(heading, f"{heading}  \n*{t(lang, 'by_principle_help')}*", 1)


def scenario_update(services: Services, code: str, **more) -> dict:
    return gr.update(choices=rehearse.scenario_choices(services.scenarios, code), **more)


def build_rehearse_tab(services: Services, lang: gr.Radio, i18n: Relabel, learner) -> RehearseTab:
    """``learner``: the ``gr.BrowserState`` holding the browser's learner id."""
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Tab(t(lang0, "tab_rehearse"), id="rehearse", elem_id="tab-rehearse"),
        label="tab_rehearse",
    ):
        i18n.keys(
            gr.Markdown(t(lang0, "rehearse_intro"), elem_classes=["coach-small", "coach-intro"]),
            value="rehearse_intro",
        )
        choices0 = rehearse.scenario_choices(services.scenarios, lang0)
        with i18n.keys(
            gr.Accordion(t(lang0, "setup"), open=True, elem_id="rehearse-setup"), label="setup"
        ) as setup:
            with gr.Row():
                scenario = i18n.keys(
                    gr.Dropdown(
                        choices0,
                        value=choices0[0][1] if choices0 else None,
                        label=t(lang0, "scenario"),
                        elem_id="rehearse-scenario",
                        scale=3,
                        min_width=240,
                    ),
                    label="scenario",
                )
                level = i18n.custom(
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
                rlang = i18n.custom(
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
            # Its label ("Start" / "Start again") follows the session: see ``on_language``.
            start = gr.Button(t(lang0, "start"), variant="primary", elem_id="rehearse-start")
        brief = gr.Markdown(t(lang0, "start_first"), elem_id="rehearse-brief")
        # Narrow screens stack the columns: the conversation first, the feedback below it.
        with gr.Row(elem_id="rehearse-main"):
            with gr.Column(scale=3, min_width=300):
                rchat = gr.Chatbot(
                    elem_id="rehearse-chat",
                    height=440,
                    show_label=False,
                    feedback_options=None,
                    buttons=[],
                )
                with gr.Row(equal_height=True, elem_id="rehearse-say-row"):
                    reply = i18n.keys(
                        gr.Textbox(
                            label=t(lang0, "your_turn"),
                            placeholder=t(lang0, "your_turn_placeholder"),
                            elem_id="rehearse-input",
                            scale=5,
                            min_width=200,
                            interactive=False,
                        ),
                        label="your_turn",
                    )
                    send = i18n.keys(
                        gr.Button(
                            t(lang0, "send"),
                            variant="primary",
                            scale=1,
                            min_width=90,
                            elem_id="rehearse-send",
                        ),
                        value="send",
                    )
            with gr.Column(scale=2, min_width=280):
                tension = i18n.keys(
                    gr.Slider(
                        0,
                        10,
                        value=0,
                        step=0.1,
                        label=t(lang0, "tension"),
                        interactive=False,
                        buttons=[],  # a meter: no (disabled) "reset to default" arrow
                        elem_id="rehearse-tension",
                    ),
                    label="tension",
                )
                feedback = gr.Markdown(t(lang0, "feedback_empty"), elem_id="rehearse-feedback")
                flagged = gr.HighlightedText(
                    value=[],
                    visible=False,
                    show_label=False,
                    color_map=kind_colors(),
                    combine_adjacent=False,
                    elem_id="rehearse-highlights",
                )
                suggestion = i18n.keys(
                    gr.Textbox(
                        label=t(lang0, "alternative"),
                        interactive=False,
                        buttons=["copy"],
                        lines=2,
                        visible=False,
                        elem_id="rehearse-suggestion",
                    ),
                    label="alternative",
                )
                try_this = i18n.keys(
                    gr.Button(
                        t(lang0, "try_this"), size="sm", elem_id="rehearse-try", visible=False
                    ),
                    value="try_this",
                )
                what_if = gr.Markdown("", elem_id="rehearse-whatif")
        scorecard = gr.Markdown("", elem_id="rehearse-scorecard")
        with gr.Row():
            dl_md = i18n.keys(
                gr.DownloadButton(
                    t(lang0, "download_md"), visible=False, elem_id="rehearse-download-md"
                ),
                label="download_md",
            )
            dl_json = i18n.keys(
                gr.DownloadButton(
                    t(lang0, "download_json"),
                    visible=False,
                    elem_id="rehearse-download-json",
                    elem_classes="coach-trainer-only",  # learners get the Markdown one
                ),
                label="download_json",
            )
        session = gr.State(None)
        attempts = build_attempts_view(i18n)

    outputs = [
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
        start,
    ]

    def unchanged():
        return [gr.skip()] * len(outputs)

    def view(current, code):
        panel = rehearse.panel(current, code)
        downloads = [gr.update(visible=False), gr.update(visible=False)]
        saved = None
        if current and current.turns:
            if not getattr(current, "download_key", None):
                current.download_key = download_key()
            saved = save_download(rehearse.write_transcripts, current, key=current.download_key)
        if saved:  # None when the disk is full: the turn still shows, without downloads
            md, js = saved
            downloads = [
                gr.update(value=str(md), visible=True),
                gr.update(value=str(js), visible=True),
            ]
        can_talk = panel["started"] and not panel["finished"]
        flagged_now = any(kind for _, kind in panel["highlighted"])
        return [
            current,
            panel["chat"],
            panel["brief"],
            panel["tension"],
            panel["feedback"],
            gr.update(value=panel["highlighted"], visible=flagged_now),
            gr.update(value=panel["suggestion"], visible=bool(panel["suggestion"])),
            # nothing left to replay once the rehearsal has ended
            gr.update(visible=bool(panel["suggestion"]) and not panel["finished"]),
            "",
            explained(panel["scorecard"], code),
            *downloads,
            gr.update(value="", interactive=can_talk, placeholder=panel["placeholder"]),
            gr.update(interactive=can_talk),
            gr.update(open=not panel["started"] or panel["finished"]),
            gr.update(value=panel["start_label"]),
        ]

    def on_start(scenario_id, level_value, code_r, code, learner_id):
        person = person_of(learner_id)
        if person is None:
            gr.Warning(t(code, "learner_bad"))
            return unchanged()
        if not scenario_id:
            gr.Warning(t(code, "start_first"))
            return unchanged()
        try:
            current = rehearse.start_session(
                services.scenarios,
                scenario_id,
                level_value,
                code_r,
                **services.rehearsal_options(person),
            )
        except ValueError as exc:
            gr.Warning(str(exc))
            return unchanged()
        return view(current, code)

    start_inputs = [scenario, level, rlang, lang, learner]
    start.click(on_start, start_inputs, outputs, js=claim_js(start_inputs, learner), **PRIVATE)

    def on_send(text, current, code):
        if current is None:
            gr.Warning(t(code, "start_first"))
            return unchanged()
        try:
            current.turn(text or "")
        except ValueError as exc:
            gr.Warning(error_text(exc, code))
            return unchanged()
        return view(current, code)

    turn_events = [
        reply.submit(on_send, [reply, session, lang], outputs, **PRIVATE),
        send.click(on_send, [reply, session, lang], outputs, **PRIVATE),
    ]
    wire_attempts_view(services, attempts, learner, lang, scenario, setup)

    def on_try(current, text, code):
        if current is None or not current.turns or not isinstance(text, str) or not text:
            return ""
        if current.finished:
            return ""
        return rehearse.what_if_markdown(current, text, code)

    try_this.click(on_try, [session, suggestion, lang], [what_if], **PRIVATE)

    def scenarios_for(code):
        return scenario_update(services, code)

    rlang.change(scenarios_for, [rlang], [scenario], **QUIET)

    def on_language(current, code):
        """The texts the tab wrote for this session, again in the interface's new language
        (also what a ``?lang=es`` link lands on before anything started)."""
        panel = rehearse.panel(current, code)
        return (
            panel["brief"],
            panel["feedback"],
            explained(panel["scorecard"], code),
            gr.update(placeholder=panel["placeholder"]),
            gr.update(value=panel["start_label"]),
        )

    lang.change(on_language, [session, lang], [brief, feedback, scorecard, reply, start], **QUIET)
    return RehearseTab(
        scenario=scenario,
        level=level,
        rlang=rlang,
        outputs=outputs,
        view=view,
        reply=reply,
        session=session,
        setup=setup,
        turn_events=turn_events,
        attempts=attempts,
    )

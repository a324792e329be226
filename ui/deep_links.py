"""Deep links: ``?lang=es&tab=rehearse&scenario=...&level=...&q=...`` applied when the page loads."""

from __future__ import annotations

import gradio as gr

from ui import advice, rehearse
from ui.advice_tab import AdviceTab, lines_update
from ui.language import QUIET
from ui.page import interface_language, trainer_view
from ui.rehearse_tab import RehearseTab, scenario_update
from ui.state import Services, download_key
from ui.strings import t

TABS = ("advice", "rehearse", "check", "trainer")


def wire_deep_links(
    demo: gr.Blocks,
    services: Services,
    *,
    lang: gr.Radio,
    tabs: gr.Tabs,
    loaded: gr.Markdown,
    advice_tab: AdviceTab,
    rehearse_tab: RehearseTab,
    trainers: bool,
    trainer_tab: gr.Tab | None = None,
    learner=None,
):
    """Returns the load event, for what follows it (the learner's history: ui.history_tab).
    ``learner``: the ``gr.BrowserState`` with the browser's learner id; the load keeps it, or
    makes one on a first visit, and what a link asks or starts is kept under it."""
    from ui.history_tab import claim_js, kept_or_new, new_learner_id, person_of
    from ui.trainer_tab import lms_learner, lti_launch

    def on_load(kept_id=None, request: gr.Request = None):
        launch = lti_launch(services, request)  # opened from a course: the LMS says who
        learner_id = launch.learner_id if launch is not None else kept_or_new(kept_id)
        if launch is None and lms_learner(services, learner_id):
            learner_id = new_learner_id()  # a course's learner, but no launch: not theirs
        person = person_of(learner_id)
        params = dict(request.query_params) if request is not None else {}
        code = interface_language(params, request.headers if request is not None else None)
        trainer_page = trainers and trainer_view(params)
        tab = str(params.get("tab") or "").strip().lower()
        if tab == "trainer" and not trainer_page or tab not in TABS:
            tab = "advice"
        level_value = rehearse.norm_level(params.get("level"))
        out = {
            loaded: "loaded",
            lang: code,
            rehearse_tab.rlang: code,
            tabs: gr.Tabs(selected=tab),
            rehearse_tab.scenario: scenario_update(services, code),
            rehearse_tab.level: gr.update(value=level_value, choices=rehearse.level_choices(code)),
        }
        scenario_id = params.get("scenario", "").strip()
        if scenario_id:
            try:
                current = rehearse.start_session(
                    services.scenarios,
                    scenario_id,
                    level_value,
                    code,
                    **services.rehearsal_options(person),
                )
            except ValueError:  # never the list of ids: a learner cannot do anything with it
                gr.Warning(t(code, "unknown_scenario"))
            else:
                out[rehearse_tab.scenario] = scenario_update(
                    services, code, value=current.scenario.id
                )
                out.update(zip(rehearse_tab.outputs, rehearse_tab.view(current, code), strict=True))
        q = (params.get("q") or "").strip()
        if q:
            out.update(_ask(services, advice_tab, q, code, person))
        if trainer_tab is not None:
            out[trainer_tab] = gr.Tab(visible=trainer_page)
        if learner is not None:
            out[learner] = learner_id
        return out

    outputs = [
        loaded,
        lang,
        rehearse_tab.rlang,
        tabs,
        rehearse_tab.scenario,
        rehearse_tab.level,
        advice_tab.chatbot,
        advice_tab.status,
        advice_tab.turns,
        advice_tab.question,
        advice_tab.lines,
        *rehearse_tab.outputs,
    ]
    if trainer_tab is not None:
        outputs.append(trainer_tab)
    if learner is not None:
        outputs.append(learner)
    if learner is None:
        return demo.load(on_load, None, outputs, **QUIET)
    return demo.load(on_load, [learner], outputs, js=claim_js([learner], learner), **QUIET)


def _ask(services: Services, tab: AdviceTab, q: str, code: str, person: str | None) -> dict:
    """The whole answer to ``q``; if it was turned away, ``q`` stays in the question box."""
    messages, status, turn = list(advice.respond(services.coach, q, [], code))[-1]
    if turn is None:
        return {tab.chatbot: messages, tab.status: status, tab.turns: [], tab.question: q}
    turn = {**turn, "id": download_key()}
    turn["conversation"] = turn["id"]
    advice.log_question(services.asked_path, turn, person)
    return {
        tab.chatbot: messages,
        tab.status: status,
        tab.turns: [turn],
        tab.lines: lines_update([turn], code),
    }

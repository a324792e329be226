"""What a learner finds again (issue 13): the learner id kept in the browser, past attempts and
"My progress" in the Rehearse tab, and "My data" (download, delete) under the tabs. Past
conversations sit in the Advice tab (``ui.advice_tab``); the plain functions are in
``ui.history``.

The learner id is a random ``secrets.token_urlsafe`` value in the browser's localStorage
(``gr.BrowserState``), made on the first visit by the page's load event. Every handler that
reads or writes a person's rows takes it as an input and turns it into the person key with
``ui.history.learner_person``; a missing or forged id gets ``learner_bad``, never a stack trace.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import gradio as gr

from coach.rehearsal.scenarios import LEVELS
from ui import history
from ui.language import PRIVATE, QUIET, Relabel
from ui.rehearse import scenario_choices
from ui.state import Services, download_key, save_download
from ui.strings import DEFAULT_LANG, norm_lang, t

# gr.BrowserState "encrypts" localStorage with a key the page itself is given: it is not a
# secret, only fixed, so that a restarted server or another app server reads the same id.
LEARNER_STORAGE_KEY = "coach-learner"
LEARNER_STORAGE_SECRET = "coach-learner-id"
MAX_LOST_SHOWN = 6  # principles in the "points lost" bar chart


# A first visit has no learner id yet. Two frames of the app on one course page load at once,
# and a quick learner may ask before the page's load event has answered: each would make its
# own id, and what was kept under the others would be orphaned. So the first id is claimed in
# the browser, synchronously, under a plain localStorage key that every frame of the origin and
# every early event reads; the load then keeps it in the gr.BrowserState like any other id.
CLAIM_LEARNER = """(kept) => {
  if (kept) return kept;
  try {
    let id = localStorage.getItem("coach-learner-first");
    if (!id) {
      const bytes = crypto.getRandomValues(new Uint8Array(18));
      id = btoa(String.fromCharCode(...bytes))
        .replace(/[+]/g, "-").replace(/[/]/g, "_").replace(/=+$/, "");
      localStorage.setItem("coach-learner-first", id);
    }
    return id;
  } catch (e) {
    return kept;
  }
}"""


def claim_js(inputs: list, learner) -> str:
    """The ``js`` of an event whose inputs include ``learner``: an empty id is replaced by the
    claimed one before the server sees it (the other inputs pass as they are)."""
    at = inputs.index(learner)
    return f"(...args) => {{ args[{at}] = ({CLAIM_LEARNER})(args[{at}]); return args; }}"


def learner_state() -> gr.BrowserState:
    return gr.BrowserState(None, storage_key=LEARNER_STORAGE_KEY, secret=LEARNER_STORAGE_SECRET)


def new_learner_id() -> str:
    return secrets.token_urlsafe(18)  # 24 URL-safe characters


def kept_or_new(value: object) -> str:
    """The id the browser kept, or a new one when it has none (first visit) or a bad one."""
    return value if person_of(value) is not None else new_learner_id()


def person_of(learner_id: object) -> str | None:
    try:
        return history.learner_person(learner_id)
    except ValueError:
        return None


# -- the Rehearse tab: past attempts and "My progress" ---------------------------------------
@dataclass
class AttemptsView:
    table: gr.Dataframe
    keys: gr.State  # the attempt keys of the table's rows, on the server
    detail: gr.Markdown
    empty: gr.Markdown  # "Practise a scenario to see your progress here"
    per_scenario: gr.Dataframe
    line: gr.LinePlot
    bar: gr.BarPlot
    next_note: gr.Markdown
    next_button: gr.Button
    next_id: gr.State

    @property
    def outputs(self) -> list:
        return [
            self.table,
            self.keys,
            self.detail,
            self.empty,
            self.per_scenario,
            self.line,
            self.bar,
            self.next_note,
            self.next_button,
            self.next_id,
        ]


def _attempt_headers(lang: str) -> list[str]:
    return [
        t(lang, k) for k in ("col_when", "col_scenario", "col_level", "col_score", "col_outcome")
    ]


def _progress_headers(lang: str) -> list[str]:
    return [t(lang, k) for k in ("col_scenario", "col_attempts", "col_best", "col_latest")]


def build_attempts_view(i18n: Relabel) -> AttemptsView:
    """Two closed accordions under the rehearsal: past attempts, then "My progress"."""
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Accordion(t(lang0, "past_attempts"), open=False, elem_id="rehearse-past"),
        label="past_attempts",
    ):
        table = i18n.custom(
            gr.Dataframe(
                headers=_attempt_headers(lang0),
                value=[],
                interactive=False,
                wrap=True,
                label=t(lang0, "past_attempts"),
                show_label=False,
                max_height=320,
                column_widths=["20%", "34%", "14%", "10%", "22%"],
                visible=False,
                elem_id="rehearse-attempts",
            ),
            lambda lang: gr.update(headers=_attempt_headers(lang)),
        )
        detail = i18n.keys(
            gr.Markdown(t(lang0, "attempts_pick"), elem_id="rehearse-attempt"),
            value="attempts_pick",
        )
        keys = gr.State([])
    with i18n.keys(
        gr.Accordion(t(lang0, "my_progress"), open=False, elem_id="rehearse-progress"),
        label="my_progress",
    ):
        empty = i18n.keys(
            gr.Markdown(t(lang0, "progress_empty"), elem_id="progress-empty"),
            value="progress_empty",
        )
        per_scenario = i18n.custom(
            gr.Dataframe(
                headers=_progress_headers(lang0),
                value=[],
                interactive=False,
                wrap=True,
                label=t(lang0, "my_progress"),
                show_label=False,
                visible=False,
                elem_id="progress-table",
            ),
            lambda lang: gr.update(headers=_progress_headers(lang)),
        )
        line = i18n.keys(
            gr.LinePlot(
                None,
                x="time",
                y="score",
                color="scenario",
                y_lim=[0, 100],
                label=t(lang0, "scores_over_time"),
                x_title=t(lang0, "col_time"),
                y_title=t(lang0, "col_score"),
                color_title=t(lang0, "col_scenario"),
                height=260,
                visible=False,
                elem_id="progress-line",
            ),
            label="scores_over_time",
            x_title="col_time",
            y_title="col_score",
            color_title="col_scenario",
        )
        bar = i18n.keys(
            gr.BarPlot(
                None,
                x="principle",
                y="lost",
                y_lim=[0, 100],
                sort="-y",
                label=t(lang0, "lost_most"),
                x_title=t(lang0, "col_principle"),
                y_title=t(lang0, "col_lost"),
                height=260,
                visible=False,
                elem_id="progress-lost",
            ),
            label="lost_most",
            x_title="col_principle",
            y_title="col_lost",
        )
        with gr.Row(equal_height=True):
            next_note = gr.Markdown("", elem_id="progress-next")
            next_button = i18n.keys(
                gr.Button(
                    t(lang0, "try_next"),
                    size="sm",
                    visible=False,
                    elem_id="progress-try-next",
                    min_width=120,
                    scale=0,
                ),
                value="try_next",
            )
        next_id = gr.State(None)
    return AttemptsView(
        table, keys, detail, empty, per_scenario, line, bar, next_note, next_button, next_id
    )


def _titles(services: Services, lang: str) -> dict[str, str]:
    return {sid: title for title, sid in scenario_choices(services.scenarios, lang)}


def attempts_values(services: Services, person: str | None, code: str) -> list:
    """Values for ``AttemptsView.outputs``: the person's attempts and progress (everything
    empty, with the empty-state line, when ``person`` is None or nothing was practised)."""
    import pandas as pd

    code = norm_lang(code)
    store = services.store if person is not None else None
    rows = history.attempt_rows(store, person, code) if store is not None else []
    shown = [
        [
            when,
            title,
            t(code, f"level_{level}") if level in LEVELS else level,
            score,
            outcome,
        ]
        for when, title, level, score, outcome, _ in rows
    ]
    keys = [row[5] for row in rows]
    # A DataFrame carries its column names: a plain list would show the headers the table
    # was built with (English), whatever the page's language.
    shown = gr.update(
        value=pd.DataFrame(shown, columns=_attempt_headers(code)), visible=bool(shown)
    )
    titles = _titles(services, code)
    progress = history.progress_view(store, person or "", list(titles)) if store else None
    hidden = gr.update(visible=False)
    if progress is None or progress["points"].empty:
        note = t(code, "no_database") if person is not None and store is None else ""
        return [
            shown,
            keys,
            t(code, "attempts_pick" if rows else "attempts_none"),
            gr.update(value=note or t(code, "progress_empty"), visible=True),
            gr.update(value=pd.DataFrame(columns=_progress_headers(code)), visible=False),
            gr.update(value=None, visible=False),
            gr.update(value=None, visible=False),
            "",
            hidden,
            None,
        ]
    points = progress["points"].copy()
    points["scenario"] = [titles.get(s, s) for s in points["scenario"]]
    lost = progress["lost"].head(MAX_LOST_SHOWN).copy()
    lost["principle"] = [_principle(p, code) for p in lost["principle"]]
    table = pd.DataFrame(
        [[titles.get(s, s), n, best, latest] for s, n, best, latest in progress["table"]],
        columns=_progress_headers(code),
    )
    next_id = progress["next"]
    next_note = t(code, "next_scenario", title=titles.get(next_id, next_id)) if next_id else ""
    return [
        shown,
        keys,
        t(code, "attempts_pick"),
        gr.update(value="", visible=False),
        gr.update(value=table, visible=True),
        gr.update(value=points, visible=True),
        gr.update(value=lost, visible=not lost.empty),
        next_note,
        gr.update(visible=bool(next_id)),
        next_id,
    ]


def _principle(pid: str, lang: str) -> str:
    from coach.principles import PRINCIPLES

    return PRINCIPLES[pid].label(lang) if pid in PRINCIPLES else pid


def wire_attempts_view(
    services: Services, view: AttemptsView, learner, lang, scenario: gr.Dropdown, setup
) -> None:
    def on_pick(keys, learner_id, code, event: gr.SelectData):
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        if person is None:
            return t(code, "learner_bad")
        index = event.index[0] if isinstance(event.index, list | tuple) else event.index
        if not isinstance(keys, list) or not isinstance(index, int) or not 0 <= index < len(keys):
            return t(code, "attempts_pick")
        shown = history.attempt_markdown(services.store, person, keys[index], code)
        return shown or t(code, "attempts_pick")

    view.table.select(on_pick, [view.keys, learner, lang], [view.detail], **PRIVATE)

    def on_next(next_id):
        if not isinstance(next_id, str) or not any(sid == next_id for sid, _ in services.scenarios):
            return gr.skip(), gr.skip()
        return gr.update(value=next_id), gr.update(open=True)

    view.next_button.click(on_next, [view.next_id], [scenario, setup], **PRIVATE)


# -- "My data": download and delete --------------------------------------------------------
@dataclass
class MyData:
    export: gr.Button
    file: gr.File
    delete: gr.Button
    confirm_row: gr.Row
    confirm_note: gr.Markdown
    yes: gr.Button
    cancel: gr.Button
    result: gr.Markdown


def build_my_data(i18n: Relabel) -> MyData:
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Accordion(t(lang0, "my_data"), open=False, elem_id="coach-my-data"), label="my_data"
    ):
        i18n.keys(
            gr.Markdown(t(lang0, "trainers_see_all"), elem_classes="coach-small"),
            value="trainers_see_all",
        )
        with gr.Row():
            export = i18n.keys(
                gr.Button(t(lang0, "download_my_data"), size="sm", elem_id="my-data-export"),
                value="download_my_data",
            )
            delete = i18n.keys(
                gr.Button(
                    t(lang0, "delete_my_data"), size="sm", variant="stop", elem_id="my-data-delete"
                ),
                value="delete_my_data",
            )
        file = i18n.keys(
            gr.File(
                label=t(lang0, "download_my_data"),
                visible=False,
                interactive=False,
                elem_id="my-data-file",
            ),
            label="download_my_data",
        )
        with gr.Row(visible=False, elem_id="my-data-confirm") as confirm_row:
            confirm_note = gr.Markdown("", elem_id="my-data-confirm-note")
            yes = i18n.keys(
                gr.Button(t(lang0, "delete_yes"), variant="stop", size="sm", elem_id="my-data-yes"),
                value="delete_yes",
            )
            cancel = i18n.keys(
                gr.Button(t(lang0, "delete_cancel"), size="sm", elem_id="my-data-cancel"),
                value="delete_cancel",
            )
        result = gr.Markdown("", elem_id="my-data-result")
    return MyData(export, file, delete, confirm_row, confirm_note, yes, cancel, result)


def wire_learner(
    demo: gr.Blocks,
    services: Services,
    *,
    learner,
    lang,
    loaded_event,
    advice_tab,
    rehearse_tab,
    attempts: AttemptsView,
    my_data: MyData,
) -> None:
    """After the page's load (which made or found the learner id), fill the learner's history
    and progress; "My data" downloads or deletes it, and a deletion empties every view."""

    def views(learner_id, code):
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        store = services.store if person is not None else None
        choices = history.conversation_choices(store, person) if store is not None else []
        past = gr.update(choices=choices, value=None)
        return [past, *attempts_values(services, person, code)]

    view_outputs = [advice_tab.past, *attempts.outputs]
    loaded_event.then(views, [learner, lang], view_outputs, **QUIET)

    def after_turn(current, learner_id, code):
        if current is None or not getattr(current, "finished", False):
            return [gr.skip()] * len(attempts.outputs)
        return attempts_values(services, person_of(learner_id), norm_lang(code))

    for event in rehearse_tab.turn_events:
        event.then(after_turn, [rehearse_tab.session, learner, lang], attempts.outputs, **QUIET)

    def on_export(learner_id, code):
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        if person is None:
            return gr.update(visible=False), t(code, "learner_bad")
        if services.store is None:
            return gr.update(visible=False), t(code, "no_database")
        path = save_download(history.export_my_data, services.store, person, key=download_key())
        if path is None:
            return gr.update(visible=False), t(code, "no_database")
        return gr.update(value=str(path), visible=True), ""

    my_data.export.click(on_export, [learner, lang], [my_data.file, my_data.result], **PRIVATE)

    def on_delete(learner_id, code):
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        if person is None:
            return gr.update(visible=False), "", t(code, "learner_bad")
        if services.store is None:
            return gr.update(visible=False), "", t(code, "no_database")
        note = t(code, "delete_confirm", **history.kept_counts(services.store, person))
        return gr.update(visible=True), note, ""

    my_data.delete.click(
        on_delete,
        [learner, lang],
        [my_data.confirm_row, my_data.confirm_note, my_data.result],
        **PRIVATE,
    )

    def on_cancel(code):
        return gr.update(visible=False), t(
            norm_lang(code if isinstance(code, str) else None), "delete_cancelled"
        )

    my_data.cancel.click(on_cancel, [lang], [my_data.confirm_row, my_data.result], **PRIVATE)

    cleared_chat = [
        advice_tab.chatbot,
        advice_tab.turns,
        advice_tab.status,
        advice_tab.download,
        advice_tab.lines,
    ]

    def on_yes(learner_id, code):
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        skip = [gr.skip()] * (len(cleared_chat) + 1)
        if person is None:
            return gr.update(visible=False), t(code, "learner_bad"), *skip
        gone = history.delete_my_data(services.store, person)
        if gone is None:
            return gr.update(visible=False), t(code, "delete_failed"), *skip
        said = t(
            code,
            "deleted",
            conversations=gone.get("conversations", 0),
            attempts=gone.get("attempts", 0),
            votes=gone.get("votes", 0),
        )
        hidden = gr.update(choices=[], value=None, visible=False)
        chat = [[], [], "", gr.update(value=None, visible=False), hidden]
        return gr.update(visible=False), said, *chat, gr.update(value=None, visible=False)

    my_data.yes.click(
        on_yes,
        [learner, lang],
        [my_data.confirm_row, my_data.result, *cleared_chat, my_data.file],
        **PRIVATE,
    ).then(views, [learner, lang], view_outputs, **QUIET)

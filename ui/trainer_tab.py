"""The trainer tab (only when a trainer password is set): unlock, upload knowledge, see feedback
and the dashboard (rehearsals by scenario and learner, flagged phrases, advice by playbook and
fit, votes; filters and a CSV per table). Every handler checks the trainer's pass itself."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ui import trainer
from ui.language import PRIVATE, QUIET, Relabel
from ui.limits import Limits, TokenBuckets, client_address
from ui.rehearse import scenario_choices
from ui.state import Services, download_key, save_download
from ui.strings import DEFAULT_LANG, inert, norm_lang, t
from ui.trainer import DASHBOARD_COLUMNS, TrainerPass, has_full_pass, has_pass

DASHBOARD_TABLES = tuple(DASHBOARD_COLUMNS)  # scenarios, learners, flagged, advice, votes, grades
SHOWN_WHEN_ANY = {"grades"}  # only deployments in an LMS have grades to show


def _vote_headers(lang: str) -> list[str]:
    return ["id", t(lang, "col_source"), t(lang, "col_up"), t(lang, "col_down")]


def _asked_headers(lang: str) -> list[str]:
    return ["id", t(lang, "col_source"), t(lang, "col_count"), t(lang, "col_example")]


def _asked_back_headers(lang: str) -> list[str]:
    return [t(lang, "col_when"), t(lang, "col_question"), t(lang, "col_language")]


def dashboard_headers(name: str, lang: str) -> list[str]:
    """A dashboard table's column names in ``lang`` (the CSV keeps the English ones)."""
    headers = []
    for column in DASHBOARD_COLUMNS[name]:
        if column.startswith("score "):  # the score distribution: "score 0-19"…
            headers.append(f"{t(lang, 'dcol_score')} {column.split(' ', 1)[1]}")
        else:
            headers.append(t(lang, "dcol_" + column))
    return headers


def _table_label(name: str, lang: str) -> str:
    return t(lang, "dash_" + name)


def _csv_label(name: str, lang: str) -> str:
    return t(lang, "dash_csv", table=_table_label(name, lang).split(" (")[0])


def password_buckets(limits: Limits) -> TokenBuckets:
    return TokenBuckets(
        limits.password_burst,
        limits.password_every,
        limits.password_overall_burst,
        limits.password_overall_every,
    )


def build_trainer_tab(
    services: Services,
    lang: gr.Radio,
    i18n: Relabel,
    limits: Limits | None = None,
    demo: gr.Blocks | None = None,
) -> gr.Tab:
    """The tab starts hidden: the page shows it at a trainer URL (``ui.page.trainer_view``).
    Hiding it is only for learners' sake; every action below checks the trainer's pass."""
    lang0 = DEFAULT_LANG
    guesses = password_buckets(limits or Limits())
    with i18n.keys(
        gr.Tab(t(lang0, "tab_trainer"), id="trainer", elem_id="tab-trainer", visible=False),
        label="tab_trainer",
    ) as tab:
        i18n.keys(
            gr.Markdown(t(lang0, "trainer_intro"), elem_classes="coach-small"),
            value="trainer_intro",
        )
        unlocked = gr.State(None)  # a TrainerPass once unlocked
        with gr.Row(equal_height=True) as password_row:  # hidden once unlocked
            password = i18n.keys(
                gr.Textbox(
                    label=t(lang0, "password"),
                    type="password",
                    elem_id="trainer-password",
                    scale=3,
                ),
                label="password",
            )
            unlock = i18n.keys(
                gr.Button(t(lang0, "unlock"), elem_id="trainer-unlock", scale=1, min_width=100),
                value="unlock",
            )
        unlock_note = gr.Markdown("", elem_id="trainer-note")
        with gr.Column(visible=False) as trainer_panel:
            uploads = i18n.keys(
                gr.File(
                    label=t(lang0, "upload"),
                    file_count="multiple",
                    file_types=[".md", ".yaml", ".yml"],
                    type="filepath",
                    elem_id="trainer-files",
                ),
                label="upload",
            )
            upload_btn = i18n.keys(
                gr.Button(t(lang0, "upload_button"), variant="primary", elem_id="trainer-upload"),
                value="upload_button",
            )
            upload_result = gr.Markdown("", elem_id="trainer-result")
            with gr.Row():
                uploaded = i18n.keys(
                    gr.Dropdown(
                        choices=[],
                        value=None,
                        label=t(lang0, "your_uploads"),
                        elem_id="trainer-uploaded",
                        scale=3,
                    ),
                    label="your_uploads",
                )
                remove = i18n.keys(
                    gr.Button(
                        t(lang0, "remove"),
                        variant="stop",
                        size="sm",
                        elem_id="trainer-remove",
                        scale=1,
                        min_width=100,
                    ),
                    value="remove",
                )
            remove_result = gr.Markdown("", elem_id="trainer-removed")
            lock = i18n.keys(
                gr.Button(t(lang0, "lock"), size="sm", elem_id="trainer-lock"), value="lock"
            )
            i18n.custom(
                gr.Markdown(f"### {t(lang0, 'feedback_summary')}"),
                lambda lang: gr.update(value=f"### {t(lang, 'feedback_summary')}"),
            )
            refresh = i18n.keys(gr.Button(t(lang0, "refresh"), size="sm"), value="refresh")
            votes = i18n.custom(
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
            asked = i18n.custom(
                gr.Dataframe(
                    headers=_asked_headers(lang0),
                    value=[],
                    label=t(lang0, "asked_most"),
                    interactive=False,
                    wrap=True,
                    column_widths=["22%", "30%", "10%", "38%"],
                    elem_id="trainer-asked",
                ),
                lambda lang: gr.update(headers=_asked_headers(lang), label=t(lang, "asked_most")),
            )
            asked_back = i18n.custom(
                gr.Dataframe(
                    headers=_asked_back_headers(lang0),
                    value=[],
                    label=t(lang0, "unplaced"),
                    interactive=False,
                    wrap=True,
                    column_widths=["22%", "63%", "15%"],
                    elem_id="trainer-asked-back",
                ),
                lambda lang: gr.update(
                    headers=_asked_back_headers(lang), label=t(lang, "unplaced")
                ),
            )
            dash = _build_dashboard(services, i18n)

    def summary_rows():
        data = trainer.summary(services.feedback_path, services.asked_path, services.coach.library)
        return data["votes"], data["asked"], data["asked_back"]

    def uploads_choice():
        return gr.update(choices=trainer.list_uploads(services.settings), value=None)

    def on_unlock(given, code, request: gr.Request):
        address = client_address(request)
        wait = guesses.take(address)
        hidden = (None, gr.update(visible=False), gr.update(visible=True))
        if wait:  # answered at once: no worker sleeps, no verdict on the password
            note = "⚠ " + t(code, "too_many_guesses").format(seconds=max(1, round(wait)))
            return *hidden, note, "", gr.update(choices=[], value=None), [], [], []
        if trainer.password_ok(services.settings.trainer_password, given):
            shown = (TrainerPass.issue(address), gr.update(visible=True), gr.update(visible=False))
            return *shown, "", "", uploads_choice(), *summary_rows()
        note = "⚠ " + t(code, "wrong_password")
        return *hidden, note, "", gr.update(choices=[], value=None), [], [], []

    summaries = [votes, asked, asked_back]
    unlock_outputs = [
        unlocked,
        trainer_panel,
        password_row,
        unlock_note,
        password,
        uploaded,
        *summaries,
    ]
    # Guesses are limited per address and server-wide by token buckets (ui.limits): a guess
    # over the limit is answered at once without a verdict, whatever route it came by.
    unlocked_events = [
        unlock.click(on_unlock, [password, lang], unlock_outputs, **PRIVATE),
        password.submit(on_unlock, [password, lang], unlock_outputs, **PRIVATE),
    ]

    def on_lock(code):
        return (
            None,
            gr.update(visible=False),
            gr.update(visible=True),
            t(code, "locked_again"),
            "",
            gr.update(choices=[], value=None),
            [],
            [],
            [],
        )

    locked_event = lock.click(on_lock, [lang], unlock_outputs, **PRIVATE)

    unchanged = (gr.skip(),) * 5

    def on_upload(files, granted, code, request: gr.Request):
        if not has_full_pass(granted, client_address(request)):
            key = "course_pass_upload" if has_pass(granted, client_address(request)) else "locked"
            return t(code, key), *unchanged
        if not files:
            return t(code, "upload_none"), *unchanged
        paths = [Path(f if isinstance(f, str) else f.name) for f in files]
        results, report = trainer.add_files(services, [(p, p.name) for p in paths])
        markdown = trainer.results_markdown(results, report, code)
        return markdown, None, uploads_choice(), *summary_rows()

    upload_outputs = [upload_result, uploads, uploaded, *summaries]
    upload_btn.click(on_upload, [uploads, unlocked, lang], upload_outputs, **PRIVATE)

    def on_remove(relative, granted, code, request: gr.Request):
        if not has_full_pass(granted, client_address(request)):
            key = "course_pass_upload" if has_pass(granted, client_address(request)) else "locked"
            return t(code, key), gr.skip()
        name, report = trainer.remove_upload(services, relative)
        return trainer.removal_markdown(name, report, code), uploads_choice()

    remove.click(on_remove, [uploaded, unlocked, lang], [remove_result, uploaded], **PRIVATE)

    def on_refresh(granted, code, request: gr.Request):
        return summary_rows() if has_full_pass(granted, client_address(request)) else ([], [], [])

    refresh.click(on_refresh, [unlocked, lang], summaries, **PRIVATE)

    def on_dashboard(since, until, scenario, course, granted, code, request: gr.Request):
        import pandas as pd

        code = norm_lang(code if isinstance(code, str) else None)
        blank = [
            gr.update(value=[], visible=False) if name in SHOWN_WHEN_ANY else []
            for name in DASHBOARD_TABLES
        ] + [gr.update(visible=False)] * len(DASHBOARD_TABLES)
        if not has_pass(granted, client_address(request)):
            return t(code, "locked"), *blank
        if granted.course is not None:  # an instructor from an LMS sees their course only
            course = granted.course
        try:
            filters = trainer.dashboard_filters(since, until, scenario, course, code)
        except ValueError as exc:
            return "⚠ " + str(exc), *[gr.skip()] * (2 * len(DASHBOARD_TABLES))
        store = services.store
        tables = _dashboard_tables(store, filters)
        if tables is None:
            return "⚠ " + t(code, "no_database"), *blank
        paths = save_download(_write_csvs, tables, key=download_key())
        files = (
            [gr.update(value=str(path), visible=True) for path in paths]
            if paths
            else [gr.update(visible=False)] * len(DASHBOARD_TABLES)
        )
        shown = [  # with their column names: a plain list would keep the first language's
            pd.DataFrame(tables[name], columns=dashboard_headers(name, code))
            for name in DASHBOARD_TABLES
        ]
        for at, name in enumerate(DASHBOARD_TABLES):
            if name in SHOWN_WHEN_ANY:
                shown[at] = gr.update(value=shown[at], visible=bool(tables[name]))
                files[at] = files[at] if tables[name] else gr.update(visible=False)
        return "", *shown, *files

    dash_inputs = [dash["since"], dash["until"], dash["scenario"], dash["course"], unlocked, lang]
    dash_outputs = [
        dash["note"],
        *(dash["tables"][n] for n in DASHBOARD_TABLES),
        *(dash["csv"][n] for n in DASHBOARD_TABLES),
    ]
    dash["show"].click(on_dashboard, dash_inputs, dash_outputs, **PRIVATE)

    # An instructor launched from their course (LTI) finds the tab unlocked for that course.
    def on_course_launch(code, request: gr.Request):
        launch = lti_launch(services, request)
        if launch is None or not launch.instructor or not launch.course:
            return (gr.skip(),) * (len(unlock_outputs) + 1)
        granted = TrainerPass.issue(client_address(request), course=launch.course)
        note = t(code, "course_pass", course=inert(launch.course))
        shown = (granted, gr.update(visible=True), gr.update(visible=False), note, "")
        empty = (gr.update(choices=[], value=None), [], [], [])
        course = gr.update(value=launch.course, interactive=False)
        return *shown, *empty, course

    course_event = None
    if demo is not None:
        course_event = demo.load(
            on_course_launch, [lang], [*unlock_outputs, dash["course"]], **PRIVATE
        )
    # The dashboard shows as soon as the tab is unlocked, and empties when it is locked.
    for event in [*unlocked_events, locked_event, *([course_event] if course_event else [])]:
        event.then(on_dashboard, dash_inputs, dash_outputs, **QUIET)
    return tab


def lti_launch(services: Services, request: gr.Request | None):
    """The live LMS launch this browser holds (its HttpOnly cookie), or None."""
    from coach.lti.launches import COOKIE, launch_for

    store = services.store
    cookies = getattr(request, "cookies", None) or {}
    if store is None or not cookies.get(COOKIE):
        return None
    try:
        return launch_for(store, cookies.get(COOKIE))
    except Exception:  # noqa: BLE001 - no launch: the page works as outside a course
        return None


def _dashboard_tables(store, filters) -> dict | None:
    from sqlalchemy.exc import SQLAlchemyError

    if store is None:
        return None
    try:
        return trainer.dashboard(store, filters)
    except SQLAlchemyError as exc:
        import sys

        from coach.store.base import one_line

        print(f"coach: could not read the database: {one_line(exc)}", file=sys.stderr)
        return None


def _write_csvs(tables: dict, folder: Path) -> list[Path]:
    return [trainer.write_csv(name, tables[name], folder) for name in DASHBOARD_TABLES]


def _build_dashboard(services: Services, i18n: Relabel) -> dict:
    """The dashboard's filters, tables and CSV buttons (filled by ``on_dashboard``)."""
    lang0 = DEFAULT_LANG

    def scenario_filter(lang):
        return [(t(lang, "dash_all"), "")] + [
            (f"{title} ({sid})", sid) for title, sid in scenario_choices(services.scenarios, lang)
        ]

    i18n.custom(
        gr.Markdown(f"### {t(lang0, 'dashboard')}"),
        lambda lang: gr.update(value=f"### {t(lang, 'dashboard')}"),
    )
    with gr.Row():
        since = i18n.keys(
            gr.Textbox(
                label=t(lang0, "dash_from"),
                placeholder="2026-11-01",
                max_length=trainer.MAX_FILTER_CHARS,
                elem_id="dash-from",
                min_width=140,
            ),
            label="dash_from",
        )
        until = i18n.keys(
            gr.Textbox(
                label=t(lang0, "dash_to"),
                placeholder="2026-11-30",
                max_length=trainer.MAX_FILTER_CHARS,
                elem_id="dash-to",
                min_width=140,
            ),
            label="dash_to",
        )
        scenario = i18n.custom(
            gr.Dropdown(
                scenario_filter(lang0),
                value="",
                label=t(lang0, "dash_scenario"),
                elem_id="dash-scenario",
                min_width=200,
            ),
            lambda lang: gr.update(choices=scenario_filter(lang), label=t(lang, "dash_scenario")),
        )
        course = i18n.keys(
            gr.Textbox(
                label=t(lang0, "dash_course"),
                max_length=trainer.MAX_FILTER_CHARS,
                elem_id="dash-course",
                min_width=140,
            ),
            label="dash_course",
        )
    show = i18n.keys(
        gr.Button(t(lang0, "dash_show"), variant="primary", size="sm", elem_id="dash-show"),
        value="dash_show",
    )
    note = gr.Markdown("", elem_id="dash-note")
    tables, csv = {}, {}
    for name in DASHBOARD_TABLES:
        tables[name] = i18n.custom(
            gr.Dataframe(
                headers=dashboard_headers(name, lang0),
                value=[],
                label=_table_label(name, lang0),
                interactive=False,
                wrap=True,
                max_height=360,
                elem_id=f"dash-{name}",
                visible=name not in SHOWN_WHEN_ANY,
            ),
            lambda lang, name=name: gr.update(
                headers=dashboard_headers(name, lang), label=_table_label(name, lang)
            ),
        )
        csv[name] = i18n.custom(
            gr.DownloadButton(
                _csv_label(name, lang0), size="sm", visible=False, elem_id=f"dash-{name}-csv"
            ),
            lambda lang, name=name: gr.update(label=_csv_label(name, lang)),
        )
    return {
        "since": since,
        "until": until,
        "scenario": scenario,
        "course": course,
        "show": show,
        "note": note,
        "tables": tables,
        "csv": csv,
    }


def lms_learner(services: Services, learner_id: str) -> bool:
    """Whether a kept learner id belongs to an LMS identity (``coach.lti.launches``)."""
    from coach.lti.launches import is_lms_learner

    store = services.store
    if store is None:
        return False
    try:
        return is_lms_learner(store, learner_id)
    except Exception:  # noqa: BLE001 - unreadable: keep the id, as before LTI
        return False

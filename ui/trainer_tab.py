"""The trainer tab (only when a trainer password is set): unlock, upload knowledge, see feedback."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ui import trainer
from ui.language import PRIVATE, Relabel
from ui.limits import Limits, TokenBuckets, client_address
from ui.state import Services
from ui.strings import DEFAULT_LANG, t
from ui.trainer import TrainerPass, has_pass


def _vote_headers(lang: str) -> list[str]:
    return ["id", t(lang, "col_source"), t(lang, "col_up"), t(lang, "col_down")]


def _asked_headers(lang: str) -> list[str]:
    return ["id", t(lang, "col_source"), t(lang, "col_count"), t(lang, "col_example")]


def _asked_back_headers(lang: str) -> list[str]:
    return [t(lang, "col_when"), t(lang, "col_question"), t(lang, "col_language")]


def password_buckets(limits: Limits) -> TokenBuckets:
    return TokenBuckets(
        limits.password_burst,
        limits.password_every,
        limits.password_overall_burst,
        limits.password_overall_every,
    )


def build_trainer_tab(
    services: Services, lang: gr.Radio, i18n: Relabel, limits: Limits | None = None
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
    unlock.click(on_unlock, [password, lang], unlock_outputs, **PRIVATE)
    password.submit(on_unlock, [password, lang], unlock_outputs, **PRIVATE)

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

    lock.click(on_lock, [lang], unlock_outputs, **PRIVATE)

    unchanged = (gr.skip(),) * 5

    def on_upload(files, granted, code, request: gr.Request):
        if not has_pass(granted, client_address(request)):
            return t(code, "locked"), *unchanged
        if not files:
            return t(code, "upload_none"), *unchanged
        paths = [Path(f if isinstance(f, str) else f.name) for f in files]
        results, report = trainer.add_files(services, [(p, p.name) for p in paths])
        markdown = trainer.results_markdown(results, report, code)
        return markdown, None, uploads_choice(), *summary_rows()

    upload_outputs = [upload_result, uploads, uploaded, *summaries]
    upload_btn.click(on_upload, [uploads, unlocked, lang], upload_outputs, **PRIVATE)

    def on_remove(relative, granted, code, request: gr.Request):
        if not has_pass(granted, client_address(request)):
            return t(code, "locked"), gr.skip()
        name, report = trainer.remove_upload(services, relative)
        return trainer.removal_markdown(name, report, code), uploads_choice()

    remove.click(on_remove, [uploaded, unlocked, lang], [remove_result, uploaded], **PRIVATE)

    def on_refresh(granted, code, request: gr.Request):
        return summary_rows() if has_pass(granted, client_address(request)) else ([], [], [])

    refresh.click(on_refresh, [unlocked, lang], summaries, **PRIVATE)
    return tab

"""The check-my-message tab over ``ui.check``."""

from __future__ import annotations

import gradio as gr

from coach.errors import CoachError
from ui import check
from ui.language import PRIVATE, Relabel
from ui.strings import DEFAULT_LANG, error_text, kind_colors, t


def build_check_tab(services, lang: gr.Radio, i18n: Relabel) -> None:
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Tab(t(lang0, "tab_check"), id="check", elem_id="tab-check"), label="tab_check"
    ):
        i18n.keys(
            gr.Markdown(t(lang0, "check_intro"), elem_classes="coach-small"), value="check_intro"
        )
        draft = i18n.keys(
            gr.Textbox(
                label=t(lang0, "draft"),
                placeholder=t(lang0, "draft_placeholder"),
                lines=5,
                max_lines=20,
                elem_id="check-draft",
            ),
            label="draft",
            placeholder="draft_placeholder",
        )
        run = i18n.keys(
            gr.Button(t(lang0, "check"), variant="primary", elem_id="check-run"), value="check"
        )
        highlights = i18n.keys(
            gr.HighlightedText(
                value=[],
                label=t(lang0, "highlights"),
                color_map=kind_colors(),
                show_legend=False,
                elem_id="check-highlights",
            ),
            label="highlights",
        )
        why = gr.Markdown("", elem_id="check-why")
        rewrite = i18n.keys(
            gr.Textbox(
                label=t(lang0, "rewrite"),
                interactive=False,
                buttons=["copy"],
                lines=3,
                elem_id="check-rewrite",
            ),
            label="rewrite",
        )

    def on_check(text, code):
        try:
            return check.check_view(text, code, services.coach.backend)
        except CoachError as exc:
            gr.Warning(error_text(exc, code))
            return [], "", ""

    run.click(on_check, [draft, lang], [highlights, why, rewrite], **PRIVATE)

"""Language switching: each component says how it changes when the language picker changes."""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from ui.strings import norm_lang, t

PRIVATE = {"api_visibility": "private"}
QUIET = {**PRIVATE, "show_progress": "hidden"}


class Relabel:
    """The components that follow the language, each with a function of the language -> update."""

    def __init__(self) -> None:
        self.entries: list[tuple[gr.components.Component, Callable[[str], object]]] = []

    def keys(self, component, **attrs: str):
        """On a switch, set each ``attr`` of ``component`` to the text of its string key."""
        return self.custom(
            component, lambda lang: gr.update(**{attr: t(lang, key) for attr, key in attrs.items()})
        )

    def custom(self, component, make: Callable[[str], object]):
        self.entries.append((component, make))
        return component

    def wire(self, picker: gr.Radio) -> None:
        def apply_language(code):
            code = norm_lang(code)
            return [make(code) for _, make in self.entries]

        picker.change(apply_language, [picker], [c for c, _ in self.entries], **QUIET)

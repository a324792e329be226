"""The advice tab: a chat over ``ui.advice``, with examples, clearing and votes."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui import advice
from ui.language import PRIVATE, Relabel
from ui.practise import MAX_LINE_CHARS, said_lines
from ui.state import Services, download_key, save_download
from ui.strings import DEFAULT_LANG, t


@dataclass
class AdviceTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    status: gr.Markdown
    turns: gr.State
    lines: gr.Radio  # the lines to say in the latest answer
    line: gr.Textbox  # the one picked, with a copy button
    practise: gr.Button  # wired in ui.app: it opens the Rehearse tab


# After an answer, show its start: the chat box scrolls to the question just asked.
SHOW_ANSWER = "() => { setTimeout(() => window.coachShowAnswer?.('advice-chat'), 50); }"


def lines_update(turns: list[dict] | None, code: str) -> dict:
    found = said_lines((turns or [{}])[-1].get("answer", "")) if turns else []
    return gr.update(choices=found, value=None, visible=bool(found), label=t(code, "lines_title"))


def build_advice_tab(services: Services, lang: gr.Radio, i18n: Relabel) -> AdviceTab:
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Tab(t(lang0, "tab_advice"), id="advice", elem_id="tab-advice"), label="tab_advice"
    ):
        i18n.keys(
            gr.Markdown(t(lang0, "advice_intro"), elem_classes=["coach-small", "coach-intro"]),
            value="advice_intro",
        )
        chatbot = i18n.keys(
            gr.Chatbot(
                label=t(lang0, "chat_label"),
                elem_id="advice-chat",
                show_label=False,
                height=520,
                autoscroll=False,  # SHOW_ANSWER scrolls to the start of the new answer
                buttons=["copy"],
                feedback_options=("Like", "Dislike"),
                placeholder=t(lang0, "placeholder_chat"),
                group_consecutive_messages=True,
            ),
            label="chat_label",
            placeholder="placeholder_chat",
        )
        with gr.Row(equal_height=True, elem_id="advice-ask-row"):
            question = i18n.keys(
                gr.Textbox(
                    label=t(lang0, "question_label"),
                    placeholder=t(lang0, "question_placeholder"),
                    elem_id="advice-question",
                    lines=1,
                    max_lines=6,
                    scale=5,
                    min_width=240,
                    autofocus=False,
                ),
                label="question_label",
                placeholder="question_placeholder",
            )
            ask = i18n.keys(
                gr.Button(
                    t(lang0, "ask"), variant="primary", scale=1, min_width=120, elem_id="advice-ask"
                ),
                value="ask",
            )
        status = gr.Markdown("", elem_id="advice-status")
        lines = i18n.keys(
            gr.Radio(
                [],
                value=None,
                label=t(lang0, "lines_title"),
                info=t(lang0, "lines_pick"),
                visible=False,
                elem_id="advice-lines",
            ),
            label="lines_title",
            info="lines_pick",
        )
        with gr.Row(equal_height=True):
            line = i18n.keys(
                gr.Textbox(
                    label=t(lang0, "line_chosen"),
                    interactive=False,
                    buttons=["copy"],
                    lines=2,
                    visible=False,
                    scale=4,
                    min_width=200,
                    elem_id="advice-line",
                ),
                label="line_chosen",
            )
            practise = i18n.keys(
                gr.Button(
                    t(lang0, "practise_this"),
                    size="sm",
                    visible=False,
                    scale=1,
                    min_width=140,
                    elem_id="advice-practise",
                ),
                value="practise_this",
            )
        i18n.keys(
            gr.Markdown(t(lang0, "trainers_see"), elem_classes="coach-small", elem_id="advice-who"),
            value="trainers_see",
        )
        examples = i18n.custom(
            gr.Dataset(
                components=["textbox"],
                samples=[[q] for q in advice.EXAMPLES[lang0]],
                label=t(lang0, "examples"),
                elem_id="advice-examples",
                type="values",
            ),
            lambda lang: gr.Dataset(
                samples=[[q] for q in advice.EXAMPLES[lang]], label=t(lang, "examples")
            ),
        )
        with gr.Row():
            clear = i18n.keys(
                gr.Button(t(lang0, "clear"), size="sm", elem_id="advice-clear"), value="clear"
            )
            download = i18n.keys(
                gr.DownloadButton(
                    t(lang0, "download_chat"),
                    size="sm",
                    visible=False,
                    elem_id="advice-download",
                ),
                label="download_chat",
            )
        turns = gr.State([])

    def on_ask(text, messages, kept, code):
        kept = list(kept or [])
        if len(kept) >= advice.MAX_CONVERSATION_TURNS:  # bounds the state, requests and downloads
            yield (
                gr.skip(),
                t(code, "conversation_full"),
                gr.skip(),
                gr.skip(),
                gr.skip(),
                gr.skip(),
            )
            return
        key = kept[0].get("conversation") if kept else None
        key = key or download_key()
        for messages_now, status_now, turn in advice.respond(services.coach, text, messages, code):
            saved, said = gr.skip(), gr.skip()
            if turn is not None:
                turn = {**turn, "id": download_key(), "conversation": key}
                kept.append(turn)
                advice.log_question(services.asked_path, turn)
                path = save_download(advice.write_conversation, kept, code, key=key)
                if path is not None:  # no room on disk: the answer still shows
                    saved = gr.update(value=str(path), visible=True)
                said = lines_update(kept, code)
            accepted = len(messages_now) > len(messages or [])
            yield messages_now, status_now, kept, ("" if accepted else gr.skip()), saved, said

    ask_inputs = [question, chatbot, turns, lang]
    ask_outputs = [chatbot, status, turns, question, download, lines]
    question.submit(on_ask, ask_inputs, ask_outputs, **PRIVATE).then(None, js=SHOW_ANSWER)
    ask.click(on_ask, ask_inputs, ask_outputs, **PRIVATE).then(None, js=SHOW_ANSWER)

    def on_line(picked, kept):
        """Only a line of the latest answer (the choices) can be picked; anything else clears."""
        allowed = said_lines((kept or [{}])[-1].get("answer", "")) if kept else []
        if not isinstance(picked, str) or picked not in allowed or len(picked) > MAX_LINE_CHARS:
            return gr.update(value="", visible=False), gr.update(visible=False)
        return gr.update(value=picked, visible=True), gr.update(visible=True)

    lines.change(on_line, [lines, turns], [line, practise], **PRIVATE)

    def on_example(sample):
        return sample[0] if isinstance(sample, list | tuple) and sample else sample

    examples.click(on_example, [examples], [question], **PRIVATE).then(
        on_ask, ask_inputs, ask_outputs, **PRIVATE
    ).then(None, js=SHOW_ANSWER)

    def on_clear():
        hidden = gr.update(choices=[], value=None, visible=False)
        return [], "", [], gr.update(value=None, visible=False), hidden

    cleared = [chatbot, status, turns, download, lines]
    clear.click(on_clear, None, cleared, **PRIVATE)
    chatbot.clear(on_clear, None, cleared, **PRIVATE)

    def on_like(kept, code, data: gr.LikeData):
        turn = advice.turn_for_index(
            kept, data.index if isinstance(data.index, int) else data.index[0]
        )
        if turn is None or data.liked not in (True, False):
            return t(code, "vote_nothing"), gr.skip()
        if turn.get("vote") is data.liked:  # one vote per answer and session
            return t(code, "vote_same"), gr.skip()
        if advice.record_vote(services.feedback_path, turn, bool(data.liked)) is None:
            return t(code, "vote_not_saved"), gr.skip()
        kept = [{**each, "vote": bool(data.liked)} if each is turn else each for each in kept]
        return t(code, "vote_thanks_up" if data.liked else "vote_thanks_down"), kept

    chatbot.like(on_like, [turns, lang], [status, turns], **PRIVATE)
    return AdviceTab(
        chatbot=chatbot,
        question=question,
        status=status,
        turns=turns,
        lines=lines,
        line=line,
        practise=practise,
    )

"""The advice tab: a chat over ``ui.advice``, with examples, clearing and votes."""

from __future__ import annotations

from dataclasses import dataclass

import gradio as gr

from ui import advice
from ui.language import PRIVATE, Relabel
from ui.state import Services, download_key, save_download
from ui.strings import DEFAULT_LANG, t


@dataclass
class AdviceTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    status: gr.Markdown
    turns: gr.State


def build_advice_tab(services: Services, lang: gr.Radio, i18n: Relabel) -> AdviceTab:
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Tab(t(lang0, "tab_advice"), id="advice", elem_id="tab-advice"), label="tab_advice"
    ):
        i18n.keys(
            gr.Markdown(t(lang0, "advice_intro"), elem_classes="coach-small"), value="advice_intro"
        )
        chatbot = i18n.keys(
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
            label="chat_label",
            placeholder="placeholder_chat",
        )
        with gr.Row(equal_height=True):
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
            yield gr.skip(), t(code, "conversation_full"), gr.skip(), gr.skip(), gr.skip()
            return
        key = kept[0].get("conversation") if kept else None
        key = key or download_key()
        for messages_now, status_now, turn in advice.respond(services.coach, text, messages, code):
            saved = gr.skip()
            if turn is not None:
                turn = {**turn, "id": download_key(), "conversation": key}
                kept.append(turn)
                advice.log_question(services.asked_path, turn)
                path = save_download(advice.write_conversation, kept, code, key=key)
                if path is not None:  # no room on disk: the answer still shows
                    saved = gr.update(value=str(path), visible=True)
            accepted = len(messages_now) > len(messages or [])
            yield messages_now, status_now, kept, ("" if accepted else gr.skip()), saved

    ask_inputs = [question, chatbot, turns, lang]
    ask_outputs = [chatbot, status, turns, question, download]
    question.submit(on_ask, ask_inputs, ask_outputs, **PRIVATE)
    ask.click(on_ask, ask_inputs, ask_outputs, **PRIVATE)

    def on_example(sample):
        return sample[0] if isinstance(sample, list | tuple) and sample else sample

    examples.click(on_example, [examples], [question], **PRIVATE).then(
        on_ask, ask_inputs, ask_outputs, **PRIVATE
    )

    def on_clear():
        return [], "", [], gr.update(value=None, visible=False)

    clear.click(on_clear, None, [chatbot, status, turns, download], **PRIVATE)
    chatbot.clear(on_clear, None, [chatbot, status, turns, download], **PRIVATE)

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
    return AdviceTab(chatbot=chatbot, question=question, status=status, turns=turns)

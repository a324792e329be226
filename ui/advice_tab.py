"""The advice tab: a chat over ``ui.advice``, with examples, clearing, votes and the learner's
past conversations (kept in the database under the browser's learner id, ``ui.history_tab``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import gradio as gr

from ui import advice, history
from ui.history_tab import claim_js, person_of
from ui.language import PRIVATE, Relabel
from ui.page import with_page_language
from ui.practise import MAX_LINE_CHARS, said_lines
from ui.state import Services, download_key, save_download
from ui.strings import DEFAULT_LANG, norm_lang, t


@dataclass
class AdviceTab:
    chatbot: gr.Chatbot
    question: gr.Textbox
    status: gr.Markdown
    turns: gr.State
    lines: gr.Radio  # the lines to say in the latest answer
    line: gr.Textbox  # the one picked, with a copy button
    practise: gr.Button  # wired in ui.app: it opens the Rehearse tab
    past: gr.Dropdown  # past conversations, filled after the page loads (ui.history_tab)
    download: gr.DownloadButton


KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")  # a conversation's key, as the app makes them

# After an answer, show its start: the chat box scrolls to the question just asked.
SHOW_ANSWER = "() => { setTimeout(() => window.coachShowAnswer?.('advice-chat'), 50); }"


def lines_update(turns: list[dict] | None, code: str) -> dict:
    found = said_lines((turns or [{}])[-1].get("answer", "")) if turns else []
    return gr.update(choices=found, value=None, visible=bool(found), label=t(code, "lines_title"))


def build_advice_tab(services: Services, lang: gr.Radio, i18n: Relabel, learner) -> AdviceTab:
    """``learner``: the ``gr.BrowserState`` holding the browser's learner id."""
    lang0 = DEFAULT_LANG
    with i18n.keys(
        gr.Tab(t(lang0, "tab_advice"), id="advice", elem_id="tab-advice"), label="tab_advice"
    ):
        i18n.keys(
            gr.Markdown(t(lang0, "advice_intro"), elem_classes=["coach-small", "coach-intro"]),
            value="advice_intro",
        )
        with i18n.keys(
            gr.Accordion(t(lang0, "past_conversations"), open=False, elem_id="advice-past"),
            label="past_conversations",
        ):
            past = i18n.keys(
                gr.Dropdown(
                    choices=[],
                    value=None,
                    label=t(lang0, "past_pick"),
                    info=t(lang0, "past_none"),
                    interactive=True,
                    elem_id="advice-past-pick",
                ),
                label="past_pick",
                info="past_none",
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
            gr.Markdown(
                t(lang0, "trainers_see_all"), elem_classes="coach-small", elem_id="advice-who"
            ),
            value="trainers_see_all",
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

    def on_ask(text, messages, kept, code, learner_id):
        kept = list(kept or [])
        person = person_of(learner_id)
        if person is None or len(kept) >= advice.MAX_CONVERSATION_TURNS:
            # no learner id: nothing to keep the answer under; a full conversation bounds the
            # state, requests and downloads
            why = "learner_bad" if person is None else "conversation_full"
            yield gr.skip(), t(code, why), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        key = kept[0].get("conversation") if kept else None
        key = key or download_key()
        for messages_now, status_now, turn in advice.respond(services.coach, text, messages, code):
            saved, said, listed = gr.skip(), gr.skip(), gr.skip()
            if turn is not None:
                turn = {**turn, "id": download_key(), "conversation": key}
                kept.append(turn)
                advice.log_question(services.asked_path, turn, person)
                path = save_download(advice.write_conversation, kept, code, key=key)
                if path is not None:  # no room on disk: the answer still shows
                    saved = gr.update(value=str(path), visible=True)
                said = lines_update(kept, code)
                if len(kept) == 1:  # a new conversation: list it under past conversations
                    listed = gr.update(
                        choices=history.conversation_choices(services.store, person), value=key
                    )
            accepted = len(messages_now) > len(messages or [])
            yield (
                messages_now,
                status_now,
                kept,
                ("" if accepted else gr.skip()),
                saved,
                said,
                listed,
            )

    ask_inputs = [question, chatbot, turns, lang, learner]
    ask_outputs = [chatbot, status, turns, question, download, lines, past]
    # asked before the page's load event answered: the learner id and the language are the page's
    early = with_page_language(claim_js(ask_inputs, learner), ask_inputs.index(lang))
    question.submit(on_ask, ask_inputs, ask_outputs, js=early, **PRIVATE).then(None, js=SHOW_ANSWER)
    ask.click(on_ask, ask_inputs, ask_outputs, js=early, **PRIVATE).then(None, js=SHOW_ANSWER)

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
        on_ask, ask_inputs, ask_outputs, js=early, **PRIVATE
    ).then(None, js=SHOW_ANSWER)

    def on_clear():
        hidden = gr.update(choices=[], value=None, visible=False)
        return [], "", [], gr.update(value=None, visible=False), hidden, gr.update(value=None)

    cleared = [chatbot, status, turns, download, lines, past]
    clear.click(on_clear, None, cleared, **PRIVATE)
    chatbot.clear(on_clear, None, cleared, **PRIVATE)

    def on_reopen(key, learner_id, code):
        """A past conversation back in the chat, ready to continue (only the learner's own)."""
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        if person is None:
            return gr.skip(), t(code, "learner_bad"), gr.skip(), gr.skip(), gr.skip()
        if not isinstance(key, str) or not KEY.match(key):  # also names its download folder
            return (gr.skip(),) * 5
        messages, kept = history.reopen_conversation(services.store, person, key, code)
        if not kept:
            return gr.skip(), t(code, "past_missing"), gr.skip(), gr.skip(), gr.skip()
        path = save_download(advice.write_conversation, kept, code, key=key)
        saved = gr.update(value=str(path), visible=True) if path is not None else gr.skip()
        return messages, t(code, "past_reopened"), kept, saved, lines_update(kept, code)

    past.input(
        on_reopen, [past, learner, lang], [chatbot, status, turns, download, lines], **PRIVATE
    )

    def on_like(kept, code, learner_id, data: gr.LikeData):
        person = person_of(learner_id)
        if person is None:
            return t(code, "learner_bad"), gr.skip()
        turn = advice.turn_for_index(
            kept, data.index if isinstance(data.index, int) else data.index[0]
        )
        if turn is None or data.liked not in (True, False):
            return t(code, "vote_nothing"), gr.skip()
        if turn.get("vote") is data.liked:  # one vote per answer and session
            return t(code, "vote_same"), gr.skip()
        if advice.record_vote(services.feedback_path, turn, bool(data.liked), person) is None:
            return t(code, "vote_not_saved"), gr.skip()
        kept = [{**each, "vote": bool(data.liked)} if each is turn else each for each in kept]
        return t(code, "vote_thanks_up" if data.liked else "vote_thanks_down"), kept

    chatbot.like(on_like, [turns, lang, learner], [status, turns], **PRIVATE)
    return AdviceTab(
        chatbot=chatbot,
        question=question,
        status=status,
        turns=turns,
        lines=lines,
        line=line,
        practise=practise,
        past=past,
        download=download,
    )

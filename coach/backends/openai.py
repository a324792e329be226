"""The model backend: OpenAI, or any OpenAI-compatible server (Ollama, vLLM, llama.cpp) by base URL.

Built from LangChain runnables (prompt | ChatOpenAI | parser), so the chains can be reused. The
client reads ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL``; ``COACH_MODEL`` names the model. Every
failure of the model becomes a BackendUnavailable with a one-line reason; the pipeline then falls
back to the offline coach.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from coach.backends import AnswerContext, BackendUnavailable, Reply, register
from coach.knowledge import PLAYBOOK_SECTIONS, list_items
from coach.plans import answers_from_plan, plan_for
from coach.principles import ARTICLE_ID, PRINCIPLES
from coach.prompts import chat_prompt, load_prompts

CHARS_PER_TOKEN = 4  # a budget estimate; no tokenizer download needed


def _reason(exc: Exception, model: str, base_url: str | None, timeout: float) -> str:
    import httpx
    import openai

    where = base_url or "api.openai.com"
    if isinstance(exc, openai.AuthenticationError):
        return "The model server rejected the API key (401): check OPENAI_API_KEY."
    if isinstance(exc, openai.PermissionDeniedError):
        return "The API key may not use this model (403): check OPENAI_API_KEY and COACH_MODEL."
    if isinstance(exc, openai.NotFoundError):
        return f"The model '{model}' does not exist on {where} (404): check COACH_MODEL."
    if isinstance(exc, openai.RateLimitError):
        return "The model server is rate-limiting requests (429), even after retrying."
    if isinstance(exc, openai.APITimeoutError):
        return f"The model did not answer within {timeout:g} s (COACH_TIMEOUT)."
    if isinstance(exc, openai.APIConnectionError):
        return f"Cannot reach the model server at {where}: is it running?"
    if isinstance(exc, openai.APIStatusError):
        return f"The model server failed with status {exc.status_code}."
    if isinstance(exc, httpx.HTTPError):
        return "The connection to the model server broke off mid-answer."
    return f"The model failed: {type(exc).__name__}."


def format_history(history: list[dict], budget_tokens: int) -> list[dict]:
    """The most recent messages that fit the token budget, oldest first."""
    kept, used = [], 0
    for message in reversed(history):
        cost = len(message.get("content", "")) // CHARS_PER_TOKEN + 4
        if used + cost > budget_tokens:
            break
        kept.append(message)
        used += cost
    return list(reversed(kept))


def reading_text(context: AnswerContext) -> str:
    """What coach read in the question, for the prompt: the same reading the offline coach
    composes from (who asks, from which side, with whom, when; how well a playbook fits)."""
    lines = []
    if context.situation is not None:
        said = {k: v for k, v in context.situation.to_dict().items() if v}
        lines.append("; ".join(f"{k}: {v}" for k, v in said.items()) or "nothing specific")
    if context.choice is not None:
        lines.append(f"fit: {context.choice.fit}; playbook: {context.choice.playbook or 'none'}")
    if context.objection:
        lines.append(f"follow-up about the other person's answer: {context.objection}")
    if context.situation is not None and answers_from_plan(context.choice):
        plan = plan_for(context.situation, context.language)
        lines.append("no playbook is written for this side and situation; the plan for the asker:")
        lines += [f"- step: {step}" for step in plan.steps]
        lines += [f"- line to say: {plan.say}", f"- question to ask: {plan.question}"]
    return "\n".join(lines) or "nothing specific"


def _ranked(context: AnswerContext) -> list[tuple[str, float]]:
    """The playbooks for the prompt: the one chosen for the asker's side first."""
    ranked = list(context.ranking.playbooks[:3])
    chosen = context.choice.playbook if context.choice is not None else None
    if chosen:
        score = dict(context.ranking.playbooks).get(chosen, 0.0)
        ranked = [(chosen, score)] + [item for item in ranked if item[0] != chosen][:2]
    return ranked


def build_context(context: AnswerContext, budget_tokens: int) -> tuple[str, list[dict]]:
    """Knowledge blocks for the prompt, each starting with its citable id, and their sources."""
    lang, blocks, sources = context.language, [], []
    budget = budget_tokens * CHARS_PER_TOKEN
    principles: list[str] = []
    for doc_id, score in _ranked(context):
        sections = context.library.doc(doc_id, lang)
        if not sections:
            continue
        first = next(iter(sections.values()))
        parts = [f"[{doc_id}] {first.title} (principles: {', '.join(first.principles)})"]
        for key in ("context", "steps", "say", "question"):
            if key in sections:
                text = sections[key].text
                if key in ("steps", "say"):
                    text = "\n".join(f"- {item}" for item in list_items(text))
                parts.append(f"{PLAYBOOK_SECTIONS[key][lang]}:\n{text}")
        block = "\n".join(parts)
        if sum(map(len, blocks)) + len(block) > budget and blocks:
            break
        blocks.append(block)
        sources.append(
            {
                "id": doc_id,
                "title": first.title,
                "path": first.path,
                "section": "steps",
                "language": first.language,
                "principles": list(first.principles),
                "score": round(score, 4),
            }
        )
        principles += [p for p in first.principles if p not in principles]
    points = [
        h
        for h in context.ranking.article
        if set(h.principles) & set(principles) and h.section.startswith(("punto", "point"))
    ]
    for point in points[:2]:
        names = ", ".join(PRINCIPLES[p].label(lang) for p in point.principles)
        blocks.append(f"[{ARTICLE_ID}] {point.title}, {point.section} ({names}):\n{point.text}")
        sources.append(
            {
                "id": ARTICLE_ID,
                "title": point.title,
                "path": point.path,
                "section": point.section,
                "language": point.language,
                "principles": list(point.principles),
                "score": point.score,
            }
        )
    return "\n\n".join(blocks), sources


def _flags_text(flags: list[dict]) -> str:
    return "\n".join(f'- "{f["text"]}": {f["why"]}' for f in flags)


@register("openai")
class OpenAIBackend:
    def __init__(self, settings) -> None:
        load_prompts()  # fail at start-up, not mid-answer, if a prompt is broken
        self.settings = settings
        self.base_url = os.environ.get("OPENAI_BASE_URL") or None
        self.api_key = os.environ.get("OPENAI_API_KEY") or ("not-needed" if self.base_url else None)
        self._llm = None

    @property
    def llm(self):
        if self.api_key is None:
            raise BackendUnavailable(
                "No OPENAI_API_KEY is set (or OPENAI_BASE_URL for a local server)."
            )
        if self._llm is None:
            from langchain_openai import ChatOpenAI

            # OpenAI takes max_completion_tokens (what ChatOpenAI sends for max_tokens); most
            # OpenAI-compatible servers (llama.cpp, vLLM, Ollama) only know max_tokens.
            limit = (
                {"extra_body": {"max_tokens": self.settings.max_answer_tokens}}
                if self.base_url
                else {"max_tokens": self.settings.max_answer_tokens}
            )
            self._llm = ChatOpenAI(
                model=self.settings.model,
                api_key=self.api_key,
                base_url=self.base_url,
                timeout=self.settings.timeout,
                max_retries=self.settings.max_retries,
                temperature=0.3,
                streaming=True,
                **limit,
            )
        return self._llm

    def _chain(self, name: str, language: str, with_history: bool = False):
        from langchain_core.output_parsers import StrOutputParser

        return chat_prompt(name, language, with_history) | self.llm | StrOutputParser()

    def _fail(self, exc: Exception) -> BackendUnavailable:
        return BackendUnavailable(
            _reason(exc, self.settings.model, self.base_url, self.settings.timeout)
        )

    def answer(self, context: AnswerContext) -> Reply:
        knowledge, sources = build_context(context, self.settings.context_tokens)
        history = [
            (m["role"] if m["role"] != "user" else "human", m["content"])
            for m in format_history(context.history, self.settings.history_tokens)
        ]
        chain = self._chain("advice", context.language, with_history=True)
        inputs = {
            "context": knowledge,
            "question": context.question,
            "reading": reading_text(context),
            "history_messages": history,
        }
        return Reply(sources, self._stream(chain, inputs))

    def _stream(self, chain, inputs: dict) -> Iterator[str]:
        try:
            for piece in chain.stream(inputs):
                if piece:
                    yield piece
        except BackendUnavailable:
            raise
        except Exception as exc:  # every model failure becomes a one-line reason
            raise self._fail(exc) from exc

    def _invoke(self, name: str, language: str, inputs: dict) -> str:
        try:
            return self._chain(name, language).invoke(inputs).strip()
        except BackendUnavailable:
            raise
        except Exception as exc:
            raise self._fail(exc) from exc

    def condense(self, question: str, history: list[dict], language: str) -> str:
        recent = format_history(history, self.settings.history_tokens)
        transcript = "\n".join(f"{m['role']}: {m['content']}" for m in recent)
        standalone = self._invoke(
            "condense", language, {"history": transcript, "question": question}
        )
        # A base or confused model may ramble: keep the user's own question then.
        return standalone if 0 < len(standalone) <= 3 * len(question) + 200 else question

    def repair(self, text: str, flags: list[dict], context: AnswerContext) -> str:
        knowledge, _ = build_context(context, self.settings.context_tokens)
        return self._invoke(
            "repair",
            context.language,
            {"context": knowledge, "answer": text, "flags": _flags_text(flags)},
        )

    def rewrite_message(self, draft: str, flags: list[dict], language: str) -> str:
        return self._invoke("rewrite", language, {"draft": draft, "flags": _flags_text(flags)})

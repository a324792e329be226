"""The offline coach: composes an answer from the best playbook, with no language model.

Shape: acknowledge the situation in one line; the principles that apply, citing the article;
3-5 steps; 1-3 phrases to say; a question to ask; the sources. Every piece comes from content we
wrote (playbooks, principles) and is tone-checked; a piece that carries a flag is left out.

A follow-up that lands on the playbook the conversation already gave ("and if he says no?") goes
a step further instead of repeating it: what is usually going on for the other side, the next
playbook's steps when it ranks nearly as high, and an invitation to rehearse.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coach import plans
from coach.backends import AnswerContext, Reply, register
from coach.knowledge import list_items
from coach.parts import Parts, opener, turn_opener
from coach.plans import answers_from_plan, plan_for, principles_for, turn_for
from coach.principles import ARTICLE_ID, PRINCIPLES
from coach.retrieve import Hit
from coach.tone import analyze

ARTICLE_TITLE_EN = "That relationship between marketing and sales (article, in Spanish)"
BODY_WORDS = 215  # the answer's body; the whole playbook stays one click away in the sources

ACKNOWLEDGE: dict[str, dict[str, str]] = {
    "solve-not-blame": {
        "en": "That sounds frustrating, and it is a common knot: when results slip, the talk drifts "
        "toward who caused it. You can steer it back to the fix.",
        "es": "Suena frustrante, y es un nudo frecuente: cuando los resultados no llegan, la "
        "conversación se desvía hacia quién lo provocó. Puedes llevarla de vuelta a la solución.",
    },
    "clear-roles": {
        "en": "That is a hard spot, and it usually comes from lines of ownership nobody drew "
        "clearly. That part can be fixed.",
        "es": "Es una situación difícil, y suele venir de responsabilidades que nadie definió con "
        "claridad. Eso tiene arreglo.",
    },
    "shared-vision": {
        "en": "That sounds tiring. When the two areas pull in different directions, it usually "
        "starts with the leaders, and it can be mended there too.",
        "es": "Suena agotador. Cuando las dos áreas jalan en direcciones distintas, suele empezar "
        "en el liderazgo, y ahí también se puede reparar.",
    },
    "finance-mediation": {
        "en": "A deadlock like this wears everyone down. It helps to stop arguing positions and "
        "bring in a neutral view of the numbers.",
        "es": "Un atasco así desgasta a todos. Ayuda dejar de defender posturas y traer una "
        "mirada neutral sobre los números.",
    },
    "balanced-teams": {
        "en": "That is a lot of pressure on a few people. The imbalance is the problem to solve, "
        "not the people on either side.",
        "es": "Es mucha presión sobre pocas personas. El desequilibrio es el problema a resolver, "
        "no las personas de uno u otro lado.",
    },
    "continuous-training": {
        "en": "That gap in understanding is common, and it is one of the easier ones to close "
        "with deliberate practice.",
        "es": "Esa distancia entre lo que cada quien entiende del otro es común, y es de las más "
        "fáciles de cerrar con práctica deliberada.",
    },
    "nothing-personal": {
        "en": "That stings, and it is normal to feel it. The way through is to keep the "
        "conversation on the work, not on the person.",
        "es": "Duele, y es normal sentirlo. El camino es mantener la conversación en el trabajo, "
        "no en la persona.",
    },
}

LABELS = {
    "en": {
        "applies": "What applies here",
        "steps": "Steps",
        "say": "What you could say",
        "question": "A question to ask",
        "sources": "Sources",
        "article": "article, point",
        "related": "see also",
        "further": "Going a step further on *{title}*:",
        "context": "What is usually going on",
        "angle": "Another angle: {title}",
        "closest": "No playbook here is written for exactly your situation. The closest is "
        "*{title}*; take what fits and leave the rest:",
        "same_plan": "The rest of the plan from *{title}* stays the same.",
        "same_steps": "The rest of the steps stay the same.",
        "no_playbook": "None of my playbooks covers this situation, so here is how to go about it "
        "from your side, with the article's principles.",
        "your_side": "No playbook here is written for exactly your situation, so here is how to go "
        "about it from your side. The closest one, *{title}* [1], is in the sources if part of it "
        "applies.",
        # the closest playbook is written for this side, but the fit reader does not back it
        "may_fit": "I'm not sure a playbook here is written for exactly your situation, so here is "
        "how to go about it from your side. *{title}* [1] may fit it; it is in the sources.",
        "tell_more": "Tell me a bit more (who is involved, what happened, what you need from "
        "them) and I can be more specific.",
    },
    "es": {
        "applies": "Qué aplica aquí",
        "steps": "Pasos",
        "say": "Qué podrías decir",
        "question": "Una pregunta para la otra persona",
        "sources": "Fuentes",
        "article": "artículo, punto",
        "related": "ver también",
        "further": "Un paso más sobre *{title}*:",
        "context": "Qué suele estar pasando",
        "angle": "Otro ángulo: {title}",
        "closest": "Ningún playbook está escrito exactamente para tu situación. El más cercano "
        "es *{title}*; toma lo que te sirva:",
        "same_plan": "El resto del plan de *{title}* sigue igual.",
        "same_steps": "El resto de los pasos sigue igual.",
        "no_playbook": "Ninguno de mis playbooks cubre esta situación, así que aquí va cómo "
        "abordarla desde tu lado, con los principios del artículo.",
        "your_side": "Ningún playbook está escrito exactamente para tu situación, así que aquí va "
        "cómo abordarla desde tu lado. El más cercano, *{title}* [1], está en las fuentes por si "
        "algo te sirve.",
        "may_fit": "No tengo claro que haya un playbook escrito exactamente para tu situación, así "
        "que aquí va cómo abordarla desde tu lado. *{title}* [1] podría encajar; está en las "
        "fuentes.",
        "tell_more": "Cuéntame un poco más (quién está involucrado, qué pasó, qué necesitas de "
        "la otra parte) y te puedo dar algo más concreto.",
    },
}


def _words(text: str) -> int:
    return len(text.split())


def _clean(texts: list[str], language: str) -> list[str]:
    return [t for t in texts if _tone_ok(t, language)]


@lru_cache(maxsize=4096)
def _tone_ok(text: str, language: str) -> bool:
    """The same playbook pieces are checked answer after answer, and the rules are fixed for the
    life of the process: a piece's verdict is kept (about half of an offline answer's time)."""
    return analyze(text, language).ok


# A question that leans on the one before: "and if he says no?", "ok, but what do I tell my boss?"
_CONTINUES = re.compile(
    r"^\W*(and|but|ok|okay|so|then|what if|also|y|pero|vale|bueno|entonces|y si|tambien|también)\b",
    re.IGNORECASE,
)
ANGLE_MARGIN = 0.15  # another playbook joins a follow-up only when it ranks nearly as high
REHEARSE_HINT = {
    "en": "If what worries you is how the other person will react, practise the conversation in "
    "a rehearsal first: coach plays them and tells you how each line lands.",
    "es": "Si lo que te preocupa es cómo reaccionará la otra persona, practica antes la "
    "conversación en un ensayo: coach hace su papel y te dice cómo cae cada frase.",
}


def _already_given(sections: dict[str, Hit], history: list[dict]) -> bool:
    """Whether the last answer in ``history`` already laid out this playbook's steps."""
    last = next((m["content"] for m in reversed(history) if m.get("role") == "assistant"), "")
    steps = list_items(sections["steps"].text) if "steps" in sections else []
    return bool(last and steps and steps[0] in last)


def _source(hit: Hit, score: float, section: str | None = None) -> dict:
    return {
        "id": hit.doc_id,
        "title": hit.title,
        "path": hit.path,
        "section": section or hit.section,
        "language": hit.language,
        "principles": list(hit.principles),
        "score": round(score, 4),
    }


def _grounding(context: AnswerContext, n: int) -> list[str]:
    """Up to ``n`` principles for a plan: first the one that speaks most to the asker's stance,
    then those of its stance closest to the question (the article's own ranking tells points
    apart poorly: it put "leaders who share a vision" first for someone who had insulted a
    colleague)."""
    stance_first = principles_for(context.situation)
    allowed = stance_first or tuple(PRINCIPLES)
    ranked = [
        pid
        for hit in context.ranking.article
        if hit.section.startswith(("punto", "point"))
        for pid in hit.principles
        if pid in allowed
    ]
    return list(dict.fromkeys(list(stance_first[:1]) + ranked))[:n]


@register("offline")
class OfflineBackend:
    """Deterministic: the same question and index give the same answer."""

    name = "offline"

    def __init__(self, settings: object = None) -> None:
        plans.check()

    def answer(self, context: AnswerContext) -> Reply:
        if context.choice is not None:
            text, sources, parts = self.compose_for(context)
            return Reply(sources, iter([text]), parts)
        text, sources = self.compose(context)
        return Reply(sources, iter([text]))

    # -- composed for the asker (the situation read, the playbook chosen for their side) ---
    def compose_for(self, context: AnswerContext) -> tuple[str, list[dict], Parts]:
        lang, choice, label = context.language, context.choice, LABELS[context.language]
        sections = context.library.doc(choice.playbook, lang) if choice.playbook else {}
        first = next(iter(sections.values()), None)
        if first is None or answers_from_plan(choice):  # none written for this: the asker's plan
            if context.objection:
                return self._plan_turn(context, first)
            return self._from_plan(context, first)
        turn = sections.get(f"turn-{context.objection}") if context.objection else None
        if turn is not None:
            return self._next_turn(context, sections, turn)
        sources = [_source(first, choice.score, "steps")]
        parts = Parts(acknowledge=opener(context.situation, lang))
        lines = [parts.acknowledge, ""]
        if choice.fit == "related":
            lines += [label["closest"].format(title=first.title), ""]
        budget = BODY_WORDS - _words(" ".join(lines))
        steps = _clean(list_items(sections["steps"].text), lang) if "steps" in sections else []
        phrases = _clean(list_items(sections["say"].text), lang) if "say" in sections else []
        question = (
            _clean([sections["question"].text.strip()], lang) if "question" in sections else []
        )
        budget -= _words(" ".join(phrases[:1] + question[:1])) + 12
        for step in steps[:5]:
            if len(parts.steps) >= 3 and _words(step) > budget:
                break
            parts.steps.append(step)
            budget -= _words(step)
        # A second line to say only while the body stays short (and never for "related").
        second = (
            phrases[1:2]
            if choice.fit == "fits" and _words(" ".join(phrases[1:2])) <= budget
            else []
        )
        parts.phrases = phrases[:1] + second
        parts.question = question[0] if question else ""
        lines += [f"**{label['steps']}** [1]", ""]
        lines += [f"{n}. {step}" for n, step in enumerate(parts.steps, 1)]
        if parts.phrases:
            lines += ["", f"**{label['say']}**", ""] + [f"- {p}" for p in parts.phrases]
        if first.principles:
            lines += ["", self._principle_line(context, first.principles[0], sources)]
        if parts.question:
            lines += ["", f"**{label['question']}**", "", parts.question]
        return "\n".join(lines + self._sources_block(sources, lang)), sources, parts

    def _next_turn(self, context: AnswerContext, sections: dict, turn: Hit):
        """A follow-up about one of the usual next turns ("and if she says she has no time?"):
        that turn of the same playbook, nothing else."""
        they_say, do, say = (turn.text.split("\n") + ["", "", ""])[:3]
        title = next(iter(sections.values())).title
        closing = LABELS[context.language]["same_plan"].format(title=title)
        sources = [_source(turn, context.choice.score, "next_turns")]
        return self._turn(context, they_say, do, say, closing, sources)

    def _plan_turn(self, context: AnswerContext, closest: Hit | None):
        """The same, after an answer from the asker's plan: the plans' own next turn."""
        turn = turn_for(context.objection, context.language)
        closing = LABELS[context.language]["same_steps"]
        sources = [_source(closest, context.choice.score, "steps")] if closest else []
        return self._turn(context, turn.they_say, turn.do, turn.say, closing, sources)

    def _turn(
        self, context: AnswerContext, they_say: str, do: str, say: str, closing: str, sources: list
    ):
        lang, label = context.language, LABELS[context.language]
        acknowledge = turn_opener(context.situation, they_say, lang)
        parts = Parts(acknowledge=acknowledge, steps=[do], phrases=[say])
        lines = [acknowledge, "", do, "", f"**{label['say']}**", "", f"- {say}", "", closing]
        if sources:
            lines += self._sources_block(sources, lang)
        return "\n".join(lines), sources, parts

    def _from_plan(self, context: AnswerContext, closest: Hit | None):
        """No playbook is written for this situation and side: how to go about it from the
        asker's side (``coach.plans``), the article's principle that applies, and the closest
        playbook (when one is close) as a source to look at, not as the answer."""
        lang, label = context.language, LABELS[context.language]
        plan = plan_for(context.situation, lang)
        sources = [_source(closest, context.choice.score, "steps")] if closest else []
        parts = Parts(acknowledge=opener(context.situation, lang))
        intro = label["no_playbook"]
        if closest:
            written_for_this_side = context.choice.side > 0
            intro = label["may_fit" if written_for_this_side else "your_side"]
            intro = intro.format(title=closest.title)
        lines = [parts.acknowledge, "", intro, ""]
        parts.phrases = _clean([plan.say], lang)
        parts.question = plan.question
        principles = _grounding(context, 1 if closest else 2)
        budget = BODY_WORDS - _words(" ".join(lines + parts.phrases + [parts.question]))
        budget -= 30 * len(principles)
        for step in _clean(list(plan.steps), lang):
            if len(parts.steps) >= 3 and _words(step) > budget:
                break
            parts.steps.append(step)
            budget -= _words(step)
        lines += [f"**{label['steps']}**", ""]
        lines += [f"{n}. {step}" for n, step in enumerate(parts.steps, 1)]
        if parts.phrases:
            lines += ["", f"**{label['say']}**", ""] + [f'- "{p}"' for p in parts.phrases]
        for pid in principles:
            lines += ["", self._principle_line(context, pid, sources)]
        lines += ["", f"**{label['question']}**", "", parts.question]
        if not closest:
            lines += ["", label["tell_more"]]
        return "\n".join(lines + self._sources_block(sources, lang)), sources, parts

    def _principle_line(self, context: AnswerContext, pid: str, sources: list[dict]) -> str:
        """The principle in one line, citing the article's point for it (added to ``sources``)
        when retrieval found it."""
        point = next(
            (
                h
                for h in context.ranking.article
                if pid in h.principles and h.section.startswith(("punto", "point"))
            ),
            None,
        )
        p = PRINCIPLES[pid]
        cite = ""
        if point is not None:
            sources.append(_source(point, point.score))
            cite = f" [{len(sources)}]"
        where = f" ({LABELS[context.language]['article']} {p.point})"
        return f"*{p.label(context.language)}*{where}: {p.summary[context.language]}{cite}"

    @staticmethod
    def _sources_block(sources: list[dict], lang: str) -> list[str]:
        lines = ["", f"**{LABELS[lang]['sources']}**", ""]
        for n, source in enumerate(sources, 1):
            if source["id"] == ARTICLE_ID:
                title = ARTICLE_TITLE_EN if lang == "en" else source["title"]
                lines.append(f"- [{n}] {title}, {source['section']}")
            else:
                lines.append(f"- [{n}] {source['title']}, {source['path']}")
        return lines

    def condense(self, question: str, history: list[dict], language: str) -> str:
        """Without a model: a short follow-up is read together with the previous question."""
        previous = [m["content"] for m in history if m.get("role") == "user"]
        if previous and (len(question.split()) < 12 or _CONTINUES.match(question)):
            return f"{previous[-1]} {question}"
        return question

    def repair(self, text: str, flags: list[dict], context: AnswerContext) -> str:
        return text  # the composer already leaves out every flagged piece

    def compose(self, context: AnswerContext) -> tuple[str, list[dict]]:
        lang = context.language
        label = LABELS[lang]
        ranking = context.ranking
        if not ranking.playbooks:
            return self._nothing_found(lang), []
        top_id, top_score = ranking.playbooks[0]
        sections = context.library.doc(top_id, lang)
        if context.history and _already_given(sections, context.history):
            return self._going_further(context, sections, top_score)
        any_section = next(iter(sections.values()))
        principles = list(any_section.principles)
        main = principles[0] if principles else "solve-not-blame"

        # Sources in retrieval order: the playbook used, the next playbooks, then the article's
        # points for the principles cited.
        sources = [_source(any_section, top_score, "steps")]
        for doc_id, score in ranking.playbooks[1:3]:
            related_sections = context.library.doc(doc_id, lang)
            if related_sections:
                sources.append(_source(next(iter(related_sections.values())), score, "steps"))
        cites: list[str] = []
        for pid in principles:
            point = next(
                (
                    h
                    for h in ranking.article
                    if pid in h.principles and h.section.startswith(("punto", "point"))
                ),
                None,
            )
            if point is not None:
                sources.append(_source(point, point.score))
            cites.append(f"[{len(sources)}]" if point is not None else "")

        steps = _clean(list_items(sections["steps"].text), lang)[:5]
        phrases = _clean(list_items(sections["say"].text), lang)[:3]
        question = _clean([sections["question"].text.strip()], lang)

        lines = [ACKNOWLEDGE[main][lang], "", f"**{label['applies']}**", ""]
        for pid, cite in zip(principles, cites, strict=True):
            p = PRINCIPLES[pid]
            point = f" ({label['article']} {p.point}) {cite}".rstrip()
            lines.append(f"- **{p.label(lang)}**: {p.summary[lang]}{point}")
        lines += ["", f"**{label['steps']}** [1]", ""]
        lines += [f"{n}. {step}" for n, step in enumerate(steps, 1)]
        if phrases:
            lines += ["", f"**{label['say']}**", ""]
            lines += [f"- {phrase}" for phrase in phrases]
        if question:
            lines += ["", f"**{label['question']}**", "", question[0]]
        lines += ["", f"**{label['sources']}**", ""]
        for n, source in enumerate(sources, 1):
            extra = f" ({label['related']})" if n > 1 and source["id"] != ARTICLE_ID else ""
            where = source["section"] if source["id"] == ARTICLE_ID else source["path"]
            lines.append(f"- [{n}] {source['title']}, {where}{extra}")
        return "\n".join(lines), sources

    def _going_further(self, context: AnswerContext, given: dict[str, Hit], score: float):
        """What is usually going on for the other side, from the playbook already given; the
        next playbook's steps when it ranks nearly as high; an invitation to rehearse."""
        lang, label = context.language, LABELS[context.language]
        first = next(iter(given.values()))
        sources = [_source(first, score, "context")]
        lines = [label["further"].format(title=first.title), ""]
        background = _clean([given["context"].text.strip()], lang) if "context" in given else []
        if background:
            lines += [f"**{label['context']}** [1]", "", background[0], ""]
        close = [(d, s) for d, s in context.ranking.playbooks[1:] if s >= score - ANGLE_MARGIN]
        sections = context.library.doc(close[0][0], lang) if close else {}
        if "steps" in sections:
            second = next(iter(sections.values()))
            sources.append(_source(second, close[0][1], "steps"))
            steps = _clean(list_items(sections["steps"].text), lang)[:5]
            lines += [f"**{label['angle'].format(title=second.title)}** [2]", ""]
            lines += [f"{n}. {step}" for n, step in enumerate(steps, 1)] + [""]
        lines += [REHEARSE_HINT[lang], "", f"**{label['sources']}**", ""]
        lines += [f"- [{n}] {s['title']}, {s['path']}" for n, s in enumerate(sources, 1)]
        return "\n".join(lines), sources

    @staticmethod
    def _nothing_found(language: str) -> str:
        if language == "es":
            return (
                "No encontré material que encaje con tu situación. ¿Me cuentas un poco más: "
                "quién está involucrado y qué pasó?"
            )
        return (
            "I could not find guidance that fits your situation. Could you tell me a bit more: "
            "who is involved and what happened?"
        )

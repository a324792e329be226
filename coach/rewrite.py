"""Rule-based rewrite of a draft into a non-personal, solution-focused version (offline).

Each flagged sentence is either repaired locally (a demand becomes a request, an out-group name
becomes the team's name, a sarcastic tag is dropped) or, when a local repair would still judge
someone, replaced by a neutral sentence that keeps its intent. The result always ends with an
invitation to solve the problem together.
"""

from __future__ import annotations

import re

from coach.language import detect_language
from coach.tone import analyze, fold, quoted_spans, strip_invisible

# What a sentence of each kind was trying to say, said without judging anyone.
REPLACEMENTS: dict[str, dict[str, str]] = {
    "blame": {
        "en": "I'd like us to focus on how we fix this rather than on how it happened.",
        "es": "Me gustaría que nos enfoquemos en cómo lo resolvemos más que en cómo pasó.",
    },
    "absolute": {
        "en": "I've noticed this more than once lately, and I'd like us to look at it together.",
        "es": "He notado esto más de una vez últimamente y me gustaría que lo revisemos juntos.",
    },
    "you-accusation": {
        "en": "I'd like to understand what happened from your side.",
        "es": "Me gustaría entender qué pasó desde tu lado.",
    },
    "label": {
        "en": "I'm frustrated with how this went, and I want to sort it out with you.",
        "es": "Me frustra cómo salió esto y quiero resolverlo contigo.",
    },
    "out-group": {
        "en": "I'd like both teams to look at this together.",
        "es": "Me gustaría que ambos equipos lo veamos juntos.",
    },
    "contempt": {
        "en": "I'm frustrated with how this went, and I want to sort it out with you.",
        "es": "Me frustra cómo salió esto y quiero resolverlo contigo.",
    },
    "demand": {
        "en": "Could we agree on the next step together?",
        "es": "¿Podemos acordar juntos el siguiente paso?",
    },
    "defensive": {
        "en": "Let me look at my part in this too.",
        "es": "También quiero revisar mi parte en esto.",
    },
    "stonewall": {
        "en": "I need a moment; can we pick this up again later today?",
        "es": "Necesito un momento; ¿lo retomamos más tarde hoy?",
    },
}

# A flagged quote is reported instead of repeated: "The customer wrote" + this.
REPORTED_QUOTE = {
    "en": " that something is not working for them.",
    "es": " que algo no le está funcionando.",
}

CLOSING_QUESTION = {
    "en": "How do you see it, and what could we agree on this week?",
    "es": "¿Cómo lo ves y qué podríamos acordar esta semana?",
}

# Local repairs: (pattern over folded text, replacement, turns the sentence into a question).
# A replacement's \1, \2... are copied from the original sentence, so accents and capitals stay.
_TEAM_EN = r"(you|you guys|your team|your reps|sales|marketing|the \w+ team)"
_LEFT_US_ES = (
    r"(dejaste|dejasteis|dejaron|hiciste|hicisteis|hicieron)( quedar)? "
    r"(?=(mal|en ridiculo|en evidencia|tirad|colgad|vendid))"
)
_TEAM_ES = r"(tu equipo|ustedes|vosotros|ventas|marketing|el equipo de \w+|los de \w+)"
_REPAIRS: dict[str, list[tuple[re.Pattern[str], str, bool]]] = {
    "en": [
        (
            re.compile(r"^(\W*)you (must|have to|need to|gotta|'ve got to|have got to) ", re.I),
            r"\1could you ",
            True,
        ),
        (
            re.compile(r"\b(those|these) (people|guys|folks) in (sales|marketing)\b", re.I),
            r"the \3 team",
            False,
        ),
        # Tags that only add heat; the sentence means the same without them.
        (
            re.compile(
                r",? ?\b(as usual|like always|typical|yeah,? right|plain and simple|period|"
                r"no excuses|i can'?t believe( that)?)\b[.!]?",
                re.I,
            ),
            "",
            False,
        ),
        (
            re.compile(
                r"\b(i'?ve|i have) (told|asked) you( this)? (a|one) (hundred|thousand|million) "
                r"times\b[:,.]?|,? ?\bfor the (hundredth|umpteenth|millionth|nth) time\b,?",
                re.I,
            ),
            "",
            False,
        ),
        # An insult stuck to the work becomes what is wrong with it: "garbage leads" -> "leads that
        # missed the mark".
        (
            re.compile(
                r"\b(garbage|trash|crap|junk|rubbish) (leads?|work|campaigns?|content|decks?|data)\b",
                re.I,
            ),
            r"\2 that missed the mark",
            False,
        ),
        # A verdict on the past becomes what would have helped, a why a curious question.
        (
            re.compile(r"\byou should have\b|\byou should'?ve\b", re.I),
            "it would have been better to have",
            False,
        ),
        (
            re.compile(r"\byou shouldn'?t have\b", re.I),
            "it would have been better not to have",
            False,
        ),
        (re.compile(r"\byou were (supposed|meant) to\b", re.I), "the plan was to", False),
        (re.compile(r"\bwhy (did|would) you\b", re.I), "what led you to", False),
        (
            re.compile(r"\bwho (decided|chose) to\b", re.I),
            "how did we decide to",
            False,
        ),
        (
            re.compile(r"\bwho (approved|signed off on|decided on)\b", re.I),
            "how did we decide on",
            False,
        ),
        # The culprit goes, the event stays: "Sales dropped the ball on X" -> "X slipped".
        (
            re.compile(rf"\b{_TEAM_EN}( \w+)? dropped the ball on ([^,.;!?]+)", re.I),
            r"\3 slipped",
            False,
        ),
        (
            re.compile(rf"\b{_TEAM_EN} (has |have |had )?(just )?ignored ([^,.;!?]+)", re.I),
            r"\4 was skipped",
            False,
        ),
        (re.compile(r",? ?\b(because of|thanks to) (you|them|your team)\b,?", re.I), "", False),
        (
            re.compile(
                rf"\bbecause {_TEAM_EN}( \w+)? (didn'?t|did not|failed to)( even)?"
                r"( bother to)? ",
                re.I,
            ),
            "because we didn't ",
            False,
        ),
        # Their motive or ignorance becomes my concern or our difference.
        (
            re.compile(r"\byou( \w+)? (don'?t|do not) care about\b", re.I),
            "I'm concerned about",
            False,
        ),
        (
            re.compile(
                rf"\b{_TEAM_EN}( \w+){{0,3}} (have|has) (no|zero) (idea|clue)( about| of)?|"
                rf"\b{_TEAM_EN}( \w+)?('re| are| is) (clueless|ignorant) about\b",
                re.I,
            ),
            "we seem to have different ideas about",
            False,
        ),
        (
            re.compile(r"^(\W*)not my (job|role) to\b", re.I),
            r"\1I'm not sure I'm the right person to",
            False,
        ),
        (
            re.compile(r"^(\W*)(it'?s |it is )?not my problem( that)?\b", re.I),
            r"\1I'm concerned that",
            False,
        ),
        # Absolutes soften into frequencies, so the fact stays and the verdict goes.
        (
            re.compile(
                r"\b(always the same|same (old )?story) with (you|them|your team)\b[,.!]?", re.I
            ),
            "",
            False,
        ),
        (
            re.compile(r"\b(this|it|that) (keeps|kept) happening\b", re.I),
            r"\1 has happened more than once",
            False,
        ),
        (re.compile(r"\bover and over( again)?\b", re.I), "more than once", False),
        # "never signed off" on one occasion is a fact, not a habit: "hadn't signed off".
        (re.compile(r"\bnever (\w+ed)\b", re.I), r"hadn't \1", False),
        (re.compile(r"\bnever\b", re.I), "rarely", False),
        (re.compile(r"\balways\b", re.I), "often", False),
        (re.compile(r"\bevery (single )?time\b", re.I), "sometimes when", False),
    ],
    "es": [
        (re.compile(r"^[¡¿\s]*(tienes que|debes) ", re.I), "¿podrías ", True),
        (re.compile(r"^[¡¿\s]*(tienen que|deben) ", re.I), "¿podrían ", True),
        (
            re.compile(r"\b(leads|datos|campanas|contenidos) (de )?(pura )?basura\b", re.I),
            r"\1 que no están funcionando",
            False,
        ),
        (
            re.compile(r"\b(lead|campana|trabajo|contenido) (de )?(pura )?basura\b", re.I),
            r"\1 que no está funcionando",
            False,
        ),
        (
            re.compile(r"\blos de (ventas|marketing|mercadotecnia|finanzas)\b", re.I),
            r"el equipo de \1",
            False,
        ),
        (
            re.compile(
                r",? ?\b(como siempre|tipic[oa]|ya,? claro|asi de simple|y punto|sin excusas|"
                r"no me importa como)\b[.!]?",
                re.I,
            ),
            "",
            False,
        ),
        (
            re.compile(
                r"\b(te|os|les|se) lo (he|hemos) (dicho|pedido|repetido) (mil|cien|cien mil|un "
                r"millon de) veces\b[:,.]?|,? ?\bpor (enesima|centesima|milesima) vez\b,?",
                re.I,
            ),
            "",
            False,
        ),
        (
            re.compile(r"\b(no )?(deberias|deberian|deberiais) haber\b", re.I),
            r"habría sido mejor \1haber",
            False,
        ),
        (
            re.compile(r"\b(no )?(debiste|debieron|debisteis)\b", re.I),
            r"habría sido mejor \1",
            False,
        ),
        (re.compile(r"\bse suponia que (ibas|ibais|iban) a\b", re.I), "la idea era", False),
        # "¿Por qué le mandaste...?" -> "¿Qué te llevó a mandarle...?" (verbs in -ar, whose
        # infinitive is certain).
        (
            re.compile(r"\bpor que (no )?(?:(le|les|me|nos|lo|la|los|las) )?(\w+)aste\b", re.I),
            r"qué te llevó a \1\3ar\2",
            False,
        ),
        (
            re.compile(r"\bpor que (no )?(?:(le|les|me|nos|lo|la|los|las) )?(\w+)aron\b", re.I),
            r"qué los llevó a \1\3ar\2",
            False,
        ),
        # "¿Quién (fue el genio que) aprobó esto?" -> "¿Qué llevó a aprobar esto?"; a short list,
        # since a folded "-o" may be an irregular past ("dijo", "hizo").
        (
            re.compile(
                r"\bquien ((fue|ha sido)( (el|la) \w+)? (el |la )?que )?"
                r"(aprob|autoriz|dej|olvid|cambi|mand|envi|lanz|borr|public)o\b",
                re.I,
            ),
            r"qué llevó a \6ar",
            False,
        ),
        (
            re.compile(r"\bquien ((fue|ha sido) (el |la )?que )?(decid|permit)io\b", re.I),
            r"qué llevó a \4ir",
            False,
        ),
        # "porque tu equipo no entregó" -> "porque no entregamos": one team, as in English.
        (
            re.compile(rf"\bporque {_TEAM_ES} (no|nunca) (\w+[^i])(o|aron)\b", re.I),
            r"porque no \3amos",
            False,
        ),
        # "me dejaste en ridículo" -> "me sentí en ridículo": what it did to me, not what you did.
        (re.compile(rf"\bme {_LEFT_US_ES}", re.I), "me sentí ", False),
        (re.compile(rf"\bnos {_LEFT_US_ES}", re.I), "nos sentimos ", False),
        (
            re.compile(
                r",? ?\bpor (tu|su|vuestra) culpa\b,?|,? ?\bpor culpa (tuya|vuestra|suya|"
                r"de (los de |tu |el equipo de )?\w+)(, que [^,.;!?]*)?",
                re.I,
            ),
            "",
            False,
        ),
        # Their motive or ignorance becomes my concern or our difference.
        (
            re.compile(r"\b(a (ti|ustedes|vosotros) )?(te|les|os) da igual\b", re.I),
            "me preocupa",
            False,
        ),
        (re.compile(r"\bno (te|les|os) importa(n?)\b", re.I), r"me preocupa\2", False),
        (
            re.compile(r"\bno (tienes|tienen|teneis|tenes) (ni )?idea de\b", re.I),
            "creo que vemos de forma distinta",
            False,
        ),
        (
            re.compile(r"^(\W*)no es mi (trabajo|chamba) ", re.I),
            r"\1no sé si soy la persona indicada para ",
            False,
        ),
        (re.compile(r"^(\W*)no es mi problema que\b", re.I), r"\1me preocupa que", False),
        (
            re.compile(
                r"\b(siempre|nunca)( es)? lo mismo( con (ustedes|vosotros|vos|ellos)|"
                r" contigo)?\b[,:.!]?",
                re.I,
            ),
            "",
            False,
        ),
        (re.compile(r"\buna y otra vez\b", re.I), "varias veces", False),
        (re.compile(r"\bnunca\b", re.I), "pocas veces", False),
        (re.compile(r"\bsiempre\b", re.I), "a menudo", False),
        (re.compile(r"\btodo el tiempo\b", re.I), "varias veces", False),
        (re.compile(r"\bcada vez que\b", re.I), "a veces, cuando", False),
    ],
}

# A sentence that opens with irony ("Yeah right, the leads were great.") means the opposite of
# its words: it is replaced whole, not repaired.
_IRONY = re.compile(r"^\W*(yeah,? right|oh,? sure|ya,? claro|si,? claro)\b", re.I)


# A sentence runs to its closing marks ("?!", "…", a closing quote); Spanish opening marks (¡ ¿)
# belong to the sentence they open, also inside it ("Como siempre, ¡bien hecho!"). An ellipsis
# before a lower-case word ("Gracias por nada… genio.") and a decimal point do not end one.
_SENTENCE = re.compile(r"(?:[^.!?…]|(?:…|\.\.\.)(?= *[a-záéíóúüñ])|\.(?=\d))+(?:[.!?…]+[\"”»']*|$)")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text.strip()) if s.strip()]


def _expand(template: str, match: re.Match[str], original: str) -> str:
    """``template`` with each \\N replaced by group N as written in ``original``."""

    def group(ref: re.Match[str]) -> str:
        start, end = match.span(int(ref.group(1)))
        text = original[start:end] if start >= 0 else ""
        if not original[:start].strip(" ¿¡"):  # a word that opened the sentence moves inside it
            text = text[:1].lower() + text[1:]
        return text

    return re.sub(r"\\(\d)", group, template)


def _repair(sentence: str, language: str) -> str:
    """Apply the local repairs; positions are matched on the accent-folded sentence."""
    for pattern, replacement, as_question in _REPAIRS[language]:
        folded = fold(sentence)
        match = pattern.search(folded)
        if not match:
            continue
        repaired = _expand(replacement, match, sentence)
        sentence = sentence[: match.start()] + repaired + sentence[match.end() :]
        if as_question:
            sentence = sentence.rstrip(" .!?¡") + "?"
    sentence = re.sub(r"\s{2,}", " ", sentence).strip().lstrip(",;: ")
    sentence = re.sub(r"([?!])\1+", r"\1", sentence)  # "??" reads as shouting
    if "¡" in sentence and "!" not in sentence:  # an opening mark whose closing one was cut
        sentence = sentence.replace("¡", "")
    if "¿" in sentence and "?" not in sentence:
        sentence = sentence.replace("¿", "")
    if sentence and sentence[-1] not in ".!?…":
        sentence += "."
    if sentence and sentence[0].islower():
        sentence = sentence[0].upper() + sentence[1:]
    if sentence[:1] in "¿¡" and len(sentence) > 1:
        sentence = sentence[0] + sentence[1].upper() + sentence[2:]
    return sentence


# Where a sentence splits into clauses that can stand alone.
_CLAUSE = re.compile(r"\s*(?:[,;:—–]|\band\b|\bbut\b|\bso\b|\by\b|\bpero\b|\basí que\b)\s*", re.I)
# A clause that leans on the one before it ("..., que no llamó a nadie", "..., but they didn't
# either") cannot stand alone.
_DEPENDENT = re.compile(r"^(que|quien|which|who|that|because|porque)\b|\b(tampoco|either)\b", re.I)


def _clean_clauses(sentence: str, language: str) -> str:
    """The clauses of a flagged sentence that judge no one, once repaired, as one sentence ("" if
    none): "Your team is useless, the brief was late again." keeps "The brief was late again." and
    "You never send the leads on time and ..." keeps "You rarely send the leads on time." """
    kept = []
    for clause in _CLAUSE.split(sentence.strip(" .!?¡¿…")):
        repaired = _repair(clause, language).rstrip(".")
        if (
            len(repaired.split()) >= 3
            and not _DEPENDENT.search(fold(clause))
            and analyze(repaired, language).ok
        ):
            kept.append(repaired[0].lower() + repaired[1:] if kept else repaired)
    return _repair(", ".join(kept), language) if kept else ""


def _report_quote(sentence: str, flags: list, language: str) -> str:
    """ "The customer wrote: '<blame>'" becomes "The customer wrote that ..."; "" if it is not."""
    quotes = quoted_spans(sentence)
    inside = [q for f in flags for q in quotes if q[0] < f.start and f.end < q[1]]
    if len(inside) < len(flags):
        return ""  # some flag is the writer's own words
    attribution = sentence[: min(q[0] for q in inside)].rstrip(" :,")
    if len(attribution.split()) < 2:
        return ""
    return attribution + REPORTED_QUOTE[language]


def _without_flags_in_context(sentences: list[str], language: str) -> list[str]:
    """Replace any sentence that is flagged only next to its neighbours."""
    for _ in range(len(sentences)):
        report = analyze(" ".join(sentences), language)
        if report.ok:
            break
        flag, offset = report.flags[0], 0
        for index, sentence in enumerate(sentences):
            offset += len(sentence) + 1
            if flag.start < offset:
                replacement = REPLACEMENTS[flag.kind][language]
                sentences[index : index + 1] = [] if replacement in sentences else [replacement]
                break
    return sentences


def _only_a_jibe(flags: list, repaired: str) -> bool:
    """ "Typical marketing.", "Seriously?", "No excuses." say nothing once the heat is gone."""
    return all(f.kind in ("contempt", "demand") for f in flags) and len(repaired.split()) < 3


def rewrite(text: str, language: str | None = None) -> str:
    """Return a version of ``text`` without blame, labels or absolutes, ending in a way forward."""
    text = strip_invisible(text).strip()
    language = language or detect_language(text)
    in_context = analyze(text, language).flags
    out: list[str] = []
    said_intent = False  # one stock sentence is enough; more reads like a form letter
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if not sentence:
            continue
        report = analyze(sentence, language)
        around = [f for f in in_context if f.start < match.end() and match.start() < f.end]
        intent = ""
        if report.ok and not around:
            candidate = sentence
        elif report.ok:  # flagged only next to its neighbours ("Thanks for nothing... Genius.")
            candidate, intent = "", REPLACEMENTS[around[0].kind][language]
        elif _IRONY.match(fold(sentence)):  # it means the opposite of what it says
            candidate, intent = "", REPLACEMENTS["contempt"][language]
        else:
            candidate = _report_quote(sentence, report.flags, language) or _repair(
                sentence, language
            )
            if _only_a_jibe(report.flags, candidate):
                continue  # "Typical marketing." says nothing once the sarcasm is gone
            if len(candidate.split()) < 2 or not analyze(candidate, language).ok:
                candidate = _clean_clauses(sentence, language)  # what happened, not the verdict
                intent = REPLACEMENTS[report.flags[0].kind][language]
        if intent and not said_intent:
            candidate, said_intent = f"{candidate} {intent}".strip(), True
        if candidate and candidate not in out:
            out.append(candidate)
    out = _without_flags_in_context(out, language)
    if not any(sentence.endswith("?") for sentence in out):
        out.append(CLOSING_QUESTION[language])
    return " ".join(out)

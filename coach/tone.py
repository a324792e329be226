"""A transparent, rule-based tone analyzer for Spanish and English.

It flags what makes a message personal or blaming (with the exact span and why) and counts the
markers of solution-focused language. Rules are plain regular expressions over an accent-folded
copy of the text, so spans map one-to-one onto the original. See docs in README ("Tone rules").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.language import detect_language

_FOLD = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ", "aeiouunAEIOUUN")

# Each flag kind with why it hurts, said without judging the writer.
WHY: dict[str, dict[str, str]] = {
    "blame": {
        "en": "Points at a culprit; people defend themselves instead of solving the problem.",
        "es": "Señala a un culpable; la otra persona se defiende en lugar de resolver.",
    },
    "absolute": {
        "en": "'Always/never' turns one event into a verdict on someone; one exception refutes it.",
        "es": "'Siempre/nunca' convierte un hecho en un juicio sobre alguien; basta una excepción "
        "para rebatirlo.",
    },
    "you-accusation": {
        "en": "Attributes motives or faults to the other person instead of describing what happened.",
        "es": "Atribuye intenciones o fallas a la otra persona en vez de describir lo que pasó.",
    },
    "label": {
        "en": "A label judges the person, not the work; it invites a fight, not a fix.",
        "es": "Una etiqueta juzga a la persona, no el trabajo; invita a pelear, no a resolver.",
    },
    "out-group": {
        "en": "Speaks of the other area as 'them'; it splits one team in two.",
        "es": "Habla del otro equipo como 'ellos'; divide en dos a un solo equipo.",
    },
    "contempt": {
        "en": "Sarcasm or contempt is heard as disrespect, whatever the content.",
        "es": "El sarcasmo o el desdén se oyen como falta de respeto, diga lo que diga el mensaje.",
    },
    "demand": {
        "en": "An order leaves no room for the other view; a request with a reason works better.",
        "es": "Una orden no deja espacio a la otra visión; una petición con su motivo funciona mejor.",
    },
    "defensive": {
        "en": "Defending yourself first closes the conversation before it starts.",
        "es": "Defenderse de entrada cierra la conversación antes de empezar.",
    },
    "stonewall": {
        "en": "Shutting the conversation down leaves the problem where it was.",
        "es": "Cerrar la conversación deja el problema donde estaba.",
    },
}

_LABELS_EN = (
    r"incompetent|useless|lazy|clueless|stupid|dumb|idiots?|morons?|amateurs?|hopeless|pathetic|"
    r"unprofessional|irresponsible|worthless|careless|selfish|a joke|a disaster|a mess|liars?|"
    r"garbage|trash|crap|junk|rubbish|ridiculous|a nightmare"
)
_LABELS_ES = (
    r"inutil(es)?|incompetentes?|flojos?|flojas?|idiotas?|tont[oa]s?|estupid[oa]s?|vag[oa]s?|"
    r"mediocres?|irresponsables?|ineptos?|ineptas?|ignorantes?|amateurs?|un desastre|una "
    r"basura|basura|un chiste|mentiros[oa]s?|egoistas?|ridicul[oa]s?|una verguenza"
)
_WHO_EN = r"(you|you guys|you people|your team|they|sales|marketing|finance|he|she|those people)"
_WHO_ES = (
    r"(tu|usted|ustedes|vosotros|ellos|ellas|ventas|marketing|mercadotecnia|finanzas|tu equipo)"
)
_DAYS_EN = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight"
_DAYS_ES = r"lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|hoy"
_NOT_VERBS_ES = set(
    """es mas mes tres les los las pues antes despues veces mientras ellas estas esas todas
    unas otras cosas semanas ventas metas campanas cuentas personas areas son en bien tambien
    quien quienes ven tan dan""".split()
)

FLAG_RULES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "defensive",
            r"\b(not my (fault|job|problem)|that'?s not on me|what about you|yes,? but)\b",
        ),
        ("blame", r"\b((it'?s|it is|it was) )?(your|his|her|their|sales'?|marketing'?s?) fault\b"),
        ("blame", r"\b(because of|thanks to) (you|them|him|her|your team)\b"),
        ("blame", r"\bwho'?s to blame\b|\bwho is to blame\b|\bwho'?s fault\b|\bwhose fault\b"),
        ("blame", r"\byou (made|forced) (me|us)\b|\byou should(n'?t)? (have|'ve)\b"),
        ("blame", r"\byou (screwed|messed|blew) (it )?up\b|\byou (ruined|killed|broke)\b"),
        ("blame", r"\bblame (you|them|sales|marketing|your team)\b|\b(it'?s|it is) on you\b"),
        ("absolute", rf"\b{_WHO_EN}( \w+)?,? (always|never|constantly|keep|keeps)\b"),
        ("absolute", r"\bevery (single )?time (you|they)\b|\bnot once (have|did) you\b"),
        ("absolute", r"\byou('?re| are) (always|never|constantly)\b"),
        (
            "label",
            rf"\b{_WHO_EN}('?re|'?s| are| is)( (so|such|really|totally|completely|just|"
            rf"being|a bunch of|an?))* ({_LABELS_EN})\b",
        ),
        ("label", r"\b(idiots?|morons?|imbeciles?|jerks?)\b"),
        (
            "label",
            r"\b(garbage|trash|crap|junk|rubbish) (leads?|work|campaigns?|content|decks?|"
            r"data|team)\b",
        ),
        ("label", rf"\b(are|is|was|were)( (pure|total|complete|just|absolute))? ({_LABELS_EN})\b"),
        ("out-group", r"\b(those|these) (people|guys|folks)\b|\byou people\b"),
        ("contempt", r"\bas usual\b|\btypical\b|\byeah,? right\b|\bgood luck with that\b|🙄"),
        ("contempt", r"\bno idea what (you'?re|you are|they'?re) (doing|talking about)\b"),
        ("contempt", r"\bwhatever you say\b|\bnice going\b|\bslow clap\b"),
        (
            "demand",
            r"\byou('?d| had)? better\b|(?<!would )(?<!do )(?<!will )(?<!did )\byou (must|have to|need to|gotta)\b",
        ),
        ("demand", r"\byou('?ve| have) got to\b|\bi demand\b|\bor else\b|\bi expect you to\b"),
        (
            "you-accusation",
            r"\byou (don'?t|do not|didn'?t|did not|never) (care|listen|read|"
            r"understand|get it|bother|think)\b",
        ),
        ("you-accusation", r"\b(on purpose|deliberately)\b|\bwhat were you thinking\b"),
        (
            "you-accusation",
            r"\byou (just )?(ignore|ignored|dropped|dumped|sabotaged?|"
            r"undermined?|wasted|lost)\b",
        ),
        ("you-accusation", r"\bwhy (did|didn'?t|would|do|don'?t|can'?t) (you|they)\b"),
        ("stonewall", r"\bwhatever\b|\bforget it\b|\bi'?m done\b|\bi don'?t care\b"),
    ],
    "es": [
        (
            "defensive",
            r"\bno es mi (culpa|problema|chamba|trabajo)\b|\beso no me toca\b|"
            r"\by tu que\b|\bsi,? pero\b",
        ),
        ("blame", r"\b(es|fue|era) (tu|su|vuestra|suya|de ustedes)? ?culpa\b"),
        (
            "blame",
            r"\bpor (tu|su|vuestra) culpa\b|\bpor culpa de\b|\bculpa (es )?de "
            r"(ventas|marketing|mercadotecnia|ellos|ustedes|vosotros|tu equipo)\b",
        ),
        ("blame", r"\b(de )?quien (tiene|es) la culpa\b|\bla culpa (la tiene|la tienen|es de)\b"),
        ("blame", r"\bme hiciste\b|\bdeberi(as|an|ais) haber\b|\bdebiste\b|\bdebieron\b"),
        ("blame", r"\bla (regaste|regaron|cagaste|cagaron|fastidiaste)\b|\barruin(aste|aron)\b"),
        ("absolute", rf"\b{_WHO_ES}( \w+)?,? (siempre|nunca|jamas)\b"),
        (
            "absolute",
            r"\b(siempre|nunca|jamas)( (me|te|se|nos|les|lo|la|los|las|no|tu|usted))*"
            r" (?P<verb>\w{3,}(as|es|ais|eis|an|en))\b",
        ),
        ("absolute", r"\bcada vez que (tu |ustedes |ellos )?\w+(as|es|an|en)\b|\btodo el rato\b"),
        (
            "label",
            rf"\b(eres|sois|son|es|estan|estas)( (un|una|unos|unas|muy|tan|bien|"
            rf"demasiado|unos completos|un completo|una completa))* ({_LABELS_ES})\b",
        ),
        ("label", r"\b(idiotas?|imbeciles?|pendejos?|tarados?)\b"),
        ("label", r"\b(leads?|datos|campanas?|trabajo|contenidos?|equipo) (de )?(pura )?basura\b"),
        (
            "out-group",
            r"\blos de (ventas|marketing|mercadotecnia|finanzas)\b|\besa gente\b|"
            r"\besos de\b|\bustedes los de\b",
        ),
        ("contempt", r"\bcomo siempre\b|\btipic[oa]\b|\bya,? claro\b|\bque sorpresa\b|🙄"),
        ("contempt", r"\bno (tienes|tienen|teneis) (ni )?idea\b|\bbravo,? eh\b"),
        (
            "demand",
            r"\b(tienes|tienen|teneis|tiene usted) que\b|\b(debes|deben|debeis)\b|"
            r"\bexijo\b|\bo si no\b|\bahora mismo\b",
        ),
        (
            "you-accusation",
            r"\b(te|les|os) da igual\b|\ba proposito\b|\blo que (quieres|quieren)"
            r" es\b|\bno (te|les|os) importa\b",
        ),
        ("you-accusation", r"\bpor que (no )?(me |nos |lo |la |les )?\w+(aste|iste|aron|ieron)\b"),
        (
            "you-accusation",
            r"\bno (escuchas|escuchan|entiendes|entienden|lees|leen)\b|"
            r"\b(ignoraste|ignoraron|saboteaste|sabotearon)\b",
        ),
        ("stonewall", r"\bme da igual\b|\bolvidalo\b|\blo que tu digas\b|\bme vale\b"),
    ],
}

MARKER_RULES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "solution-question",
            r"\bhow (do|can|could|should|might|would) we\b|\bwhat (could|can|"
            r"would|might|should) we\b|\bnext time\b|\bgoing forward\b|"
            r"\bfrom now on\b|\bwhat would it take\b",
        ),
        ("we", r"\b(we|us|our|ours|let'?s|together)\b"),
        ("request", r"\b(could you|would you|can you|please|would it be possible)\b"),
        (
            "proposal",
            r"\b(i propose|i suggest|how about|what if (we|i)|shall we|could we|can we|"
            r"i'?ll|i will|let me|would you be open)\b",
        ),
        (
            "date",
            rf"\b(by|on|before|until|this|next) ({_DAYS_EN}|week|month|end of (the )?"
            rf"(day|week|month))\b|\b(tomorrow|eod)\b",
        ),
        (
            "i-statement",
            r"\bi (feel|felt|need|'?m concerned|am concerned|'?m worried|am worried|"
            r"would like|'?d like|noticed|have noticed|'?ve noticed)\b",
        ),
        (
            "acknowledge",
            r"\b(i hear you|i understand|i get (it|that|why)|that makes sense|you'?re "
            r"right|you are right|fair point|i see why|i can see|it makes sense|"
            r"i appreciate|thank you|thanks for|that must)\b",
        ),
        (
            "ask-view",
            r"\b(how do you see (it|this)|what do you think|help me understand|what would "
            r"(help|work for you|you need)|what'?s your (view|take)|from your side|"
            r"how does it look)\b"
            # an open question put to the other person: "what would a good lead look like for you?"
            r"|\b(what|how|which)\b[^.?!]{0,60}\b(you|your)\b[^.?!]*\?",
        ),
        ("observation", r"\b\d+\b|\b(last|this) (week|month|quarter)\b"),
        ("tentative", r"\b(perhaps|maybe|it seems|it looks like|from my perspective|i wonder)\b"),
        (
            "contribution",
            r"\b(my part|i could have|i should have|my mistake|i missed|on my side)\b",
        ),
    ],
    "es": [
        ("request", r"\b(podrias|podria usted|podrian|te pido|les pido|por favor|seria posible)\b"),
        (
            "solution-question",
            r"\bcomo (lo |la )?(resolvemos|solucionamos|podemos|podriamos|"
            r"hacemos|arreglamos)\b|\bque (podemos|podriamos|hacemos|"
            r"necesitamos|haria falta)\b|\bla proxima vez\b|"
            r"\ba partir de ahora\b|\b\w+riamos\b[^?]*\?",
        ),
        (
            "we",
            r"\b(nosotros|nosotras|nuestr[oa]s?|junt[oa]s|vamos a)\b|\b\w{2,}(amos|emos|imos)\b",
        ),
        (
            "proposal",
            r"\b(propongo|sugiero|que (te|les|os) parece si|y si|me encargo|me comprometo|"
            r"puedo|podemos|podriamos|te propongo)\b",
        ),
        (
            "date",
            rf"\b(el|para el|antes del?|hasta el|este|esta|el proximo) ({_DAYS_ES}|semana|"
            rf"mes)\b|\b(manana|esta semana|fin de mes)\b",
        ),
        (
            "i-statement",
            r"\b(me siento|necesito|me preocupa|me gustaria|note|he notado|me importa|"
            r"me frustra)\b",
        ),
        (
            "acknowledge",
            r"\b(te entiendo|entiendo|tienes razon|tiene sentido|comprendo|te escucho|"
            r"gracias por|agradezco|es logico|me queda claro|veo que)\b",
        ),
        (
            "ask-view",
            r"\b(como lo ves|que opinas|que piensas|ayudame a entender|que necesitas|"
            r"que te ayudaria|desde tu lado|cual es tu)\b"
            r"|\b(que|como|cual)\b[^.?!]{0,60}\b(tu|tus|te|ti|usted|ustedes)\b[^.?!]*\?",
        ),
        ("observation", r"\b\d+\b|\b(la semana|el mes|el trimestre) pasad[oa]\b"),
        ("tentative", r"\b(quizas?|tal vez|parece que|desde mi punto de vista|me pregunto)\b"),
        (
            "contribution",
            r"\b(mi parte|pude haber|podria haber|me equivoque|fue mi error|"
            r"de mi lado)\b",
        ),
    ],
}

_COMPILED = {
    table: {
        lang: [(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in rules]
        for lang, rules in rules_by_lang.items()
    }
    for table, rules_by_lang in (("flags", FLAG_RULES), ("markers", MARKER_RULES))
}


@dataclass(frozen=True)
class Flag:
    kind: str
    text: str
    start: int
    end: int
    why: str

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "why": self.why,
        }


@dataclass
class ToneReport:
    language: str
    flags: list[Flag] = field(default_factory=list)
    solution_markers: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.flags

    @property
    def solution_score(self) -> int:
        return sum(self.solution_markers.values())

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "flags": [f.to_dict() for f in self.flags],
            "solution_markers": dict(self.solution_markers),
        }


def fold(text: str) -> str:
    """Lower-case and strip Spanish accents, keeping every character's position."""
    return text.translate(_FOLD).lower()


def analyze(text: str, language: str | None = None) -> ToneReport:
    """Flag blaming and personal phrases in ``text`` and count solution markers."""
    language = language or detect_language(text)
    folded = fold(text)
    flags: list[Flag] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _COMPILED["flags"][language]:
        for match in pattern.finditer(folded):
            if kind == "absolute" and match.groupdict().get("verb") in _NOT_VERBS_ES:
                continue
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue  # one phrase, one flag: the first (most specific) rule wins
            taken.append((start, end))
            flags.append(Flag(kind, text[start:end], start, end, WHY[kind][language]))
    flags.sort(key=lambda f: f.start)
    markers: dict[str, int] = {}
    for kind, pattern in _COMPILED["markers"][language]:
        count = len(pattern.findall(folded))
        if count:
            markers[kind] = count
    return ToneReport(language, flags, markers)

"""A transparent, rule-based tone analyzer for Spanish and English.

It flags what makes a message personal or blaming (with the exact span and why) and counts the
markers of solution-focused language. Rules are plain regular expressions over an accent-folded
copy of the text, so spans map one-to-one onto the original. See docs in README ("Tone rules").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from coach.language import detect_language

_FOLD = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ’‘", "aeiouunAEIOUUN''")

# Cyrillic letters that look like Latin ones ("idiоt" with a Cyrillic "о"), mapped one to one.
_CYRILLIC_LOOKALIKES = "аеорсхуікмтнвАЕОРСХУІКМТНВ"
_UNMASK = str.maketrans(_CYRILLIC_LOOKALIKES, "aeopcxyikmthbAEOPCXYIKMTHB")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_WORD = re.compile(r"[^\W\d_]*[a-zA-Z][^\W\d_]*")  # a word with at least one Latin letter

# Characters nobody sees; analysis skips them (spans still index into the original text).
# Quotation marks are skipped too, so a quote cannot hide a word from a rule.
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u2061\u2062\u2063\u2064")
_SKIPPED = _INVISIBLE | set('"“”«»„')
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]')

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
    r"garbage|trash|crap|junk|rubbish|ridiculous|a nightmare|clowns?|a circus|delusional|"
    r"negligent|dead weight"
)
_LABELS_ES = (
    r"inutil(es)?|incompetentes?|flojos?|flojas?|idiotas?|tont[oa]s?|estupid[oa]s?|vag[oa]s?|"
    r"mediocres?|irresponsables?|ineptos?|ineptas?|ignorantes?|amateurs?|desastres?|una "
    r"basura|basura|un chiste|mentiros[oa]s?|egoistas?|ridicul[oa]s?|una verguenza|"
    r"chapucer[oa]s?|impresentables?|vendehumos|payas[oa]s?|negligentes?|poco profesionales?"
)
_WHO_EN = r"(you|you guys|you people|your team|they|sales|marketing|finance|he|she|those people)"
_WHO_ES = (
    r"(tu|usted|ustedes|vosotros|ellos|ellas|ventas|marketing|mercadotecnia|finanzas|tu equipo)"
)
# The other team as the one who failed; not "they", which is as often the customer.
_TEAM_EN = r"(you|you guys|your team|your reps|sales|marketing)"
_TEAM_ES = r"(tu equipo|ustedes|vosotros|vosotras|ventas|marketing|mercadotecnia|los de \w+)"
_DAYS_EN = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight"
_DAYS_ES = r"lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana|hoy"
DAYS = {"en": _DAYS_EN, "es": _DAYS_ES}  # day names, accent-folded, as a regex alternation
_NOT_VERBS_ES = set(
    """es mas mes tres les los las pues antes despues veces mientras ellas estas esas todas
    unas otras cosas semanas ventas metas campanas cuentas personas areas son en bien tambien
    quien quienes ven tan dan pais paises analisis crisis tesis dosis""".split()
)


# Praise is not blame: "as usual, great results" and "you always do great work" are kind. An
# absolute or an "as usual" is let go when its sentence praises and has no gripe or other flag.
_PRAISE = {
    "en": """great excellent awesome amazing fantastic brilliant outstanding superb wonderful
    impressive perfect good nice solid helpful generous reliable thanks thank grateful appreciate
    love proud congrats congratulations clear useful valuable thorough helps helped kind""".split(),
    "es": """excelente genial gran buen buena buenos buenas buenisimo increible fantastico
    fantastica estupendo estupenda perfecto perfecta impecable maravilloso brillante gracias
    agradezco orgullo orgullosos orgullosa felicidades enhorabuena util utiles ayuda valioso
    valiosa encanta crack""".split(),
}
_GRIPES = {
    "en": """late again miss missed missing misses lose lost losing loses fail failed failing fails
    wrong bad worse worst nothing broken broke ruin ruined ignore ignored ignores forget forgot
    forgets excuse excuses blame fault problem problems mess same this""".split(),
    "es": """tarde otra nuevo nada mal malo mala error errores falla fallan fallas fallaste
    perdiste perdieron pierden pierdes olvidas olvidan olvidaste ignoras ignoran culpa problema
    problemas mismo excusa excusas esto""".split(),
}
_PRAISE_RX = {lang: re.compile(rf"\b({'|'.join(words)})\b") for lang, words in _PRAISE.items()}
_GRIPE_RX = {
    "en": re.compile(rf"\b({'|'.join(_GRIPES['en'])}|{_LABELS_EN})\b"),
    "es": re.compile(rf"\b({'|'.join(_GRIPES['es'])}|{_LABELS_ES})\b"),
}
# Contempt spans let go in praise; "¡Gracias, genio!" is affection between Spanish colleagues.
_PRAISABLE = {"as usual", "like always", "como siempre", "como de costumbre", "genio", "genia"}

# "If you have to leave early" or "si tienes que salir" is about the other person's needs, and
# "¿tienes que salir?" is a question: neither is an order.
_CONDITIONAL = re.compile(r"\b(if|when|whenever|unless|in case|si|cuando|en caso de que)\b|¿ *$")
_CLAUSE_BREAK = re.compile(r"[,.;:!?…\n]")
_SENTENCE_BREAK = re.compile(r"[.!?…\n]")

# Added to a flag's why when the words are quoted from someone else.
QUOTED_WHY = {
    "en": "Even quoted, the reader hears it as said to them; report what happened in your own "
    "words (what, when, how often).",
    "es": "Aunque sea una cita, quien lo lee lo oye como dicho a él; cuenta lo que pasó con tus "
    "palabras (qué, cuándo, cuántas veces).",
}

FLAG_RULES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "defensive",
            r"\b(not my (fault|job|problem)|that'?s not on me|what about you|yes,? but)\b",
        ),
        (  # whataboutism: "..., but your team didn't send it either"
            "defensive",
            rf"\bbut {_TEAM_EN}( \w+)? (didn'?t|don'?t|doesn'?t|never|haven'?t|hasn'?t|wasn'?t|"
            rf"weren'?t)\b[^.!?,;]* either\b",
        ),
        ("blame", r"\b((it'?s|it is|it was) )?(your|his|her|their|sales'?|marketing'?s?) fault\b"),
        ("blame", r"\b(because of|thanks to) (you|them|him|her|your team)\b"),
        ("blame", r"\bwho'?s to blame\b|\bwho is to blame\b|\bwho'?s fault\b|\bwhose fault\b"),
        ("blame", r"\byou (made|forced) (me|us)\b|\byou should(n'?t)? (have|'ve)\b"),
        (
            "blame",
            r"\byou (left|hung) (me|us) (out to dry|hanging)\b|\bthrew (me|us) under the bus\b|"
            r"\byou were (supposed|meant) to\b",
        ),
        (  # the cause is the other team: "it flopped because sales didn't follow up"
            "blame",
            rf"\bbecause {_TEAM_EN}( \w+)? (didn'?t|did not|never|failed to|forgot|refused)\b",
        ),
        ("blame", r"\byou (screwed|messed|blew) (it )?up\b|\byou (ruined|killed|broke)\b"),
        ("blame", r"\bblame (you|them|sales|marketing|your team)\b"),
        (  # hunting for the culprit instead of the fix: "who approved this?"
            "blame",
            r"\bwho (approved|signed off on|decided|allowed|let|dropped|messed up|screwed up|"
            r"broke|missed|forgot|is responsible for|was responsible for)\b"
            r"|\bwho (was|were) (it|the (genius|bright spark|einstein|idiot|clown|one)) (who|that)\b",
        ),
        (
            "blame",
            r"\b(it'?s|it is|it was|this'?s|this is|this was|that'?s|that is|that was) (all )?"
            r"on (you|them|your team)\b",
        ),
        ("absolute", rf"\b{_WHO_EN}( \w+)?,? (always|never|constantly|keep|keeps)\b"),
        (
            "absolute",
            r"\bevery (single )?time (you|they)\b|\bevery single time\b|\bnot once (have|did) you\b",
        ),
        (  # exaggerated repetition: "I've told you a hundred times", "this keeps happening"
            "absolute",
            r"\b(a|one) (hundred|thousand|million) times\b|\bfor the (hundredth|umpteenth|"
            r"millionth|nth) time\b|\bhow many times (do|must|will|have) (i|we)\b|"
            r"\b(this|it|that) (keeps|kept) happening\b|\bover and over( again)?\b",
        ),
        ("absolute", r"\byou('?re| are) (always|never|constantly)\b"),
        (
            "absolute",
            r"\balways the same with (you|them|your team|sales|marketing)\b|"
            r"\bsame (old )?story with (you|them|your team)\b",
        ),
        (
            "label",
            rf"\b{_WHO_EN}('?re|'?s| are| is)( (so|such|really|totally|completely|just|"
            rf"being|a bunch of|an?|utterly|clearly|obviously))* ({_LABELS_EN})\b",
        ),
        ("label", r"\b(idiots?|morons?|imbeciles?|jerks?)\b"),
        (
            "label",
            r"\b(garbage|trash|crap|junk|rubbish) (leads?|work|campaigns?|content|decks?|"
            r"data|team)\b",
        ),
        (
            "label",
            rf"\b(are|is|was|were)( (pure|total|complete|just|absolute|really|so|utterly|"
            rf"totally|completely|frankly|honestly|beyond))* ({_LABELS_EN})\b",
        ),
        ("out-group", r"\b(those|these) (people|guys|folks)\b|\byou people\b"),
        ("contempt", r"\bas usual\b|\btypical\b|\byeah,? right\b|\bgood luck with that\b|🙄"),
        ("contempt", r"\bno idea what (you'?re|you are|they'?re) (doing|talking about)\b"),
        ("contempt", rf"\b{_WHO_EN}( \w+){{0,3}} (have|has|had) (no|zero) (idea|clue)\b"),
        (  # rhetorical disbelief at someone: "how hard can it be?", "I can't believe you..."
            "contempt",
            r"\bhow hard can it be\b|\bis it (really |that |so )+hard to\b|\bhow hard is it to "
            r"(just|simply)\b|\bis it too much to ask\b|\bi can'?t believe (you|they|your|sales|"
            r"marketing)\b|\bwhat do (you|they)( guys| people)?( even| actually)? do all day\b|"
            r"\bcan'?t (you|they)( even)? (do|get) (anything|one thing|a single thing) right\b",
        ),
        (  # an exasperated one-word sentence: "Seriously?", "Pathetic."
            "contempt",
            r"(?:^|(?<=[.!?…] ))(seriously|pathetic|ridiculous|embarrassing|unreal)(?= *[.!?…]+)",
        ),
        (
            "contempt",
            r"\bwhat a (joke|mess|disaster|shambles|farce|clown show)\b|\b(shit ?show|clown show|"
            r"dumpster fire|amateur hour)\b",
        ),
        ("contempt", r"\bwhatever you say\b|\bnice going\b|\bslow clap\b"),
        ("contempt", r"\bthanks (a lot |so much )?for nothing\b"),
        (
            "contempt",  # praise for a failure: "great job losing the deal"
            r"\b(great|nice|good|fantastic|brilliant|awesome|amazing)( job| work| going)?,? "
            r"(losing|ruining|missing|breaking|killing|wasting|blowing|dropping|ignoring|failing)\b",
        ),
        (
            "contempt",  # a mock title closing the sentence: "..., genius."
            r"(?:(?<=,)|(?<=…)|(?<=\.\.\.)) ?(genius|einstein|sherlock|smart guy)\b(?= *[.!?…]| *$)",
        ),
        (
            "demand",
            r"\byou('?d| had)? better\b|(?<!would )(?<!do )(?<!will )(?<!did )\byou (must|have to|need to|gotta)\b",
        ),
        (
            "demand",
            r"\byou('?ve| have) got to\b|\bi demand\b|\bor else\b|\bi expect you to\b|"
            r"\bno excuses\b",
        ),
        (
            "you-accusation",
            r"\byou( (obviously|clearly|just|really|simply))? (don'?t|do not|didn'?t|did not|never) "
            r"(care|listen|read|understand|get it|bother|think)\b",
        ),
        ("you-accusation", r"\b(on purpose|deliberately)\b|\bwhat were you thinking\b"),
        (
            "you-accusation",
            r"\byou (just )?(ignore|ignored|dropped|dumped|sabotaged?|"
            r"undermined?|wasted|lost)\b",
        ),
        (  # the same, said of the other team: "Sales has ignored the lead scoring"
            "you-accusation",
            rf"\b{_TEAM_EN} (has |have |had )?(just )?(ignored|ignores|sabotaged|undermined|"
            rf"botched|blew|screwed up)\b|\b{_TEAM_EN}( \w+)? (didn'?t|did not|never|couldn'?t)"
            rf"( even)? bother(ed)?\b|\bcouldn'?t be bothered\b",
        ),
        (
            "you-accusation",
            r"\b(you|you guys|your team|they|sales|marketing)( \w+)? dropped the ball\b",
        ),
        (  # not "why don't you join us?" (a suggestion) or "why do you think...?" (a question)
            "you-accusation",
            r"\bwhy (did|didn'?t|would|can'?t|won'?t) (you|they)\b|\bwhy don'?t you ever\b",
        ),
        (
            "stonewall",
            r"\bwhatever\b|\bforget it\b|\bi'?m done\b|\bi don'?t care\b|"
            r"\bdo (whatever|what) you (want|like)\b",
        ),
    ],
    "es": [
        (
            "defensive",
            r"\bno es mi (culpa|problema|chamba|trabajo)\b|\beso no me toca\b|"
            r"\by tu que\b|\bsi,? pero\b",
        ),
        (
            "defensive",
            rf"\bpero {_TEAM_ES}( \w+)? tampoco\b",
        ),  # "..., pero ventas tampoco hizo nada"
        ("blame", r"\b(es|fue|era) (tu|su|vuestra|suya|de ustedes)? ?culpa\b"),
        (
            "blame",
            r"\bpor (tu|su|vuestra) culpa\b|\bpor culpa de\b|\bculpa (es )?de "
            r"(ventas|marketing|mercadotecnia|ellos|ustedes|vosotros|tu equipo)\b",
        ),
        ("blame", r"\b(de )?quien (tiene|es) la culpa\b|\bla culpa (la tiene|la tienen|es de)\b"),
        ("blame", r"\bme hiciste\b|\bdeberi(as|an|ais) haber\b|\bdebiste\b|\bdebieron\b"),
        (  # "me dejaste en ridículo", "nos dejaron tirados"
            "blame",
            r"\b(me|nos) (dejaste|dejasteis|dejaron|hicisteis|hicieron) (quedar )?(mal|en ridiculo|"
            r"en evidencia|tirad[oa]s|colgad[oa]s|vendid[oa]s)\b|\bse suponia que (ibas|ibais|iban)\b",
        ),
        (  # the cause is the other team: "se retrasó porque tu equipo no entregó"
            "blame",
            rf"\bporque {_TEAM_ES}( \w+)? (no|nunca)\b",
        ),
        ("blame", r"\bla (regaste|regaron|cagaste|cagaron|fastidiaste)\b|\barruin(aste|aron)\b"),
        (
            "blame",
            r"\bla (has|ha|han|habeis) (liado|cagado|fastidiado|regado)\b|"
            r"\bla (liaste|liaron|liasteis)\b",
        ),
        (  # "¿quién aprobó esto?"
            "blame",
            r"\bquien (aprobo|decidio|autorizo|dejo|permitio|olvido|rompio|es el responsable|"
            r"fue el responsable)\b|\bquien (fue|ha sido)( (el|la) (genio|genia|list[oa]|"
            r"iluminad[oa]|lumbrera))? (el|la|los|las)? ?que\b",
        ),
        ("absolute", rf"\b{_WHO_ES}( \w+)?,? (siempre|nunca|jamas)\b"),
        (
            "absolute",
            r"\b(siempre|nunca|jamas)( (me|te|se|nos|les|lo|la|los|las|no|tu|usted))*"
            r" (?P<verb>\w{3,}(as|es|ais|eis|is|an|en))\b",
        ),
        ("absolute", r"\b(siempre|nunca|jamas)( es)? lo mismo\b"),
        (
            "absolute",
            r"\bcada vez que ((tu|ustedes|ellos|vosotros|me|te|nos|os|les?|lo|la) )*"
            r"\w+(as|es|an|en|ais|eis|is)\b|\btodo el rato\b",
        ),
        (  # exaggerated repetition: "te lo he dicho mil veces", "por enésima vez"
            "absolute",
            r"\b(mil|cien|cien mil|un millon de) veces\b|\bpor (enesima|centesima|milesima) vez\b|"
            r"\bcuantas veces (te|os|les|le)( lo)? (tengo|tenemos|he|hemos)\b|\buna y otra vez\b",
        ),
        (
            "label",
            rf"\b(eres|sois|son|es|estan|estas)( (un|una|unos|unas|muy|tan|bien|"
            rf"demasiado|siendo|unos completos|un completo|una completa))* ({_LABELS_ES})\b",
        ),
        ("label", r"\b(idiotas?|imbeciles?|pendejos?|tarados?|chapuzas?|porquerias?)\b"),
        ("label", r"\b(leads?|datos|campanas?|trabajo|contenidos?|equipo) (de )?(pura )?basura\b"),
        (
            "out-group",
            r"\blos de (ventas|marketing|mercadotecnia|finanzas)\b|\besa gente\b|"
            r"\besos de\b|\bustedes los de\b",
        ),
        ("out-group", r"(?<=lo mismo )(con (ustedes|vosotros|vosotras|ellos|ellas|vos)|contigo)\b"),
        ("contempt", r"\bcomo siempre\b|\btipic[oa]\b|\bya,? claro\b|\bque sorpresa\b|🙄"),
        ("contempt", r"\bno (tienes|tienen|teneis|tenes) (ni )?idea\b|\bbravo,? eh\b"),
        (  # rhetorical disbelief: "¿tanto cuesta avisar?", "¿no pueden hacer una cosa bien?"
            "contempt",
            r"\b(tanto cuesta|cuesta tanto)\b|¿ *(es|seria) mucho pedir\b|(?<!que )(?<!no )\bes tan (dificil|"
            r"complicado)\b|\bno (puedes|pueden|podeis|podes|saben|sabes|sabeis) hacer (ni )?"
            r"una (sola )?(cosa )?bien\b|\bque (hacen|haceis|haces) todo el dia\b|"
            r"\bno (me )?puedo creer que (tu|ustedes|vosotros|hayas|hayan|hayais)\b",
        ),
        (  # an exasperated one-word sentence or exclamation: "Lamentable.", "¡Menuda chapuza!"
            "contempt",
            r"(?:^|(?<=[.!?…] ))(lamentable|patetico|vergonzoso|de verguenza)(?= *[.!?…]+)|"
            r"\b(menud[oa]|vaya)( \w+)? (chapuza|porqueria|birria|cagada|desastre|verguenza)\b",
        ),
        ("contempt", r"\b(muchas )?gracias por nada\b"),
        (
            "contempt",  # praise for a failure: "buen trabajo perdiendo al cliente"
            r"\b(buen|gran|excelente) trabajo,? (perdiendo|arruinando|ignorando|olvidando)\b",
        ),
        (
            "contempt",  # "..., genio."
            r"(?:(?<=,)|(?<=…)|(?<=\.\.\.)) ?(genio|genia|listillo|listilla|lumbrera)\b"
            r"(?= *[.!?…]| *$)",
        ),
        (
            "demand",
            r"\b(tienes|tienen|teneis|tiene usted) que\b|\b(debes|deben|debeis)\b|"
            r"\bexijo\b|\bo si no\b|\bahora mismo\b|\bsin excusas\b|\bno me importa como\b",
        ),
        (
            "you-accusation",
            r"\b(te|les|os) da igual\b|\ba proposito\b|\blo que (quieres|quieren)"
            r" es\b|\bno (te|les|os) importa\b",
        ),
        (
            "you-accusation",
            r"\bpor que (no )?((me|te|le|nos|os|les|lo|la|los|las|se) )*"
            r"\w+(aste|iste|asteis|isteis|aron|ieron)\b",
        ),
        (
            "you-accusation",
            r"\bno (escuchas|escuchan|entiendes|entienden|lees|leen)\b|"
            r"\b(ignoraste|ignoraron|saboteaste|sabotearon)\b",
        ),
        (
            "you-accusation",
            r"\bni (se|te|os) (molest|dign)\w+\b|\bno se (dignaron|digno|dignaste|molestaron|"
            r"molestaste)\b",
        ),
        (
            "stonewall",
            r"\bme da igual\b|\bolvidalo\b|\blo que tu digas\b|\bme vale\b|"
            r"\bhaz lo que (quieras|te de la gana)\b|\bcomo te de la gana\b",
        ),
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


def _unmask(text: str) -> str:
    """Map Cyrillic look-alikes to Latin letters, leaving real Cyrillic words alone.

    A word with a Latin letter in it is unmasked. If the text has no Cyrillic letter outside the
    look-alikes, it is a disguised Latin text and all of it is unmasked.
    """
    cyrillic = _CYRILLIC.findall(text)
    if not cyrillic:
        return text
    if all(c in _CYRILLIC_LOOKALIKES for c in cyrillic):
        return text.translate(_UNMASK)
    return _LATIN_WORD.sub(lambda m: m.group().translate(_UNMASK), text)


def fold(text: str) -> str:
    """Lower-case, strip Spanish accents and unmask look-alikes, keeping every character's position."""
    folded = _unmask(text).translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # "İ".lower() is two characters: keep such ones as they are
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` quotes someone, quotation marks included."""
    return [m.span() for m in _QUOTED.finditer(text)]


def strip_invisible(text: str) -> str:
    """``text`` without zero-width characters and soft hyphens."""
    return "".join(c for c in text if c not in _INVISIBLE)


def _sentence(folded: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence around ``folded[start:end]``."""
    before = [m.end() for m in _SENTENCE_BREAK.finditer(folded, 0, start)]
    after = _SENTENCE_BREAK.search(folded, end)
    return (before[-1] if before else 0), (after.start() if after else len(folded))


def _is_praise(folded: str, language: str, span: tuple[int, int], hits: list) -> bool:
    low, high = _sentence(folded, *span)
    sentence = folded[low:high]
    others = [h for h in hits if low <= h[1] < high and not _praisable(folded, h)]
    return (
        not others
        and bool(_PRAISE_RX[language].search(sentence))
        and not _GRIPE_RX[language].search(sentence)
    )


def _praisable(folded: str, hit: tuple[str, int, int]) -> bool:
    kind, start, end = hit
    return kind == "absolute" or (kind == "contempt" and folded[start:end] in _PRAISABLE)


def _not_an_order(folded: str, start: int) -> bool:
    clause = _CLAUSE_BREAK.split(folded[:start])[-1]
    return bool(_CONDITIONAL.search(clause))


def analyze(text: str, language: str | None = None) -> ToneReport:
    """Flag blaming and personal phrases in ``text`` and count solution markers.

    Zero-width characters and quotation marks are skipped (so they cannot split a word or hide it
    from a rule); the spans of the flags still index into ``text`` itself.
    """
    keep = [i for i, c in enumerate(text) if c not in _SKIPPED]
    visible = "".join(text[i] for i in keep)
    language = language or detect_language(strip_invisible(text))
    folded = fold(visible)
    hits: list[tuple[str, int, int]] = []
    for kind, pattern in _COMPILED["flags"][language]:
        for match in pattern.finditer(folded):
            if kind == "absolute" and match.groupdict().get("verb") in _NOT_VERBS_ES:
                continue
            if kind == "demand" and _not_an_order(folded, match.start()):
                continue
            start, end = match.span()
            start += len(folded[start:end]) - len(folded[start:end].lstrip())
            if any(start < e and s < end for _, s, e in hits):
                continue  # one phrase, one flag: the first (most specific) rule wins
            hits.append((kind, start, end))
    hits = [
        h for h in hits if not (_praisable(folded, h) and _is_praise(folded, language, h[1:], hits))
    ]
    quotes = quoted_spans(text)
    flags: list[Flag] = []
    for kind, start, end in sorted(hits, key=lambda h: h[1]):
        start, end = keep[start], keep[end - 1] + 1
        why = WHY[kind][language]
        if any(low < start and end < high for low, high in quotes):
            why = f"{why} {QUOTED_WHY[language]}"
        flags.append(Flag(kind, text[start:end], start, end, why))
    markers: dict[str, int] = {}
    for kind, pattern in _COMPILED["markers"][language]:
        count = len(pattern.findall(folded))
        if count:
            markers[kind] = count
    return ToneReport(language, flags, markers)

"""Tell Spanish from English, reliably also for a five-word question.

Two languages only, so a transparent score of function words and Spanish-only characters beats a
general-purpose detector (which guesses wildly on short text and is not deterministic).

``unsupported_language`` names the language of a question the coach cannot answer in (French,
Portuguese, German, Italian, or a non-Latin script) so the caller can say so instead of silently
answering in Spanish or English. It only speaks up when it is confident; short or ambiguous text
(``"ok"``, ``"CRM"``, a name, a number) gives ``None``.
"""

from __future__ import annotations

import re

LANGUAGES = ("es", "en")

_SPANISH = set(
    """de la que el en y los del se las un por con una su para es al lo como más pero sus le ya o
    este sí porque esta entre cuando muy sin sobre también hasta hay donde quien desde todo nos
    durante todos uno les ni contra otros ese eso ante ellos esto mí antes algunos qué unos yo
    otro otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas
    algunas algo nosotros mi mis tú te ti tu tus ellas vosotros vuestro ustedes usted cómo cuál
    dónde cuándo hago digo dice dicen decir hacer puedo puede pueden quiero tengo tiene tienen
    tenemos estoy está están estamos somos soy son fue era han ha hemos mañana hoy ayer semana
    junta reunión ventas equipo jefe jefa área áreas nuestro nuestra nuestros nuestras culpa
    siempre nunca ahora bien mal cada vez gente hablar habla hablan nadie alguien cosa cosas
    manera necesito ayuda ayúdame oye mercadotecnia presupuesto campaña clientes cliente
    trimestre dijo
    hola gracias vale bueno buena buenos buenas días tardes noches claro porfa favor oigan
    siento sientes siente sienten harta harto hartos cansada cansado enojada enojado molesta
    molesto grita gritan contesta contestan responde responden escucha escuchan respeta respetan
    ignora ignoran ignorada ignorado ignorados pasa pasó odio odian sé sabe saben creo cree
    quiere quieren debo debe deben debería hace hacen va voy vamos doy dan conmigo contigo
    aquí así luego entonces pues tampoco esos esas toda todas día año jefes gerente vendedores
    comerciales correo correos llamada juntas problema problemas trabajo descuento
    descuentos""".split()
)

_ENGLISH = set(
    """the and to of in is it you that was for on are with as i his they be at have this from or
    had by what but some we can out other were all there when up your how said an each she which
    do their if will my our us him her them its it's i'm i've don't doesn't won't can't isn't
    aren't didn't should would could tomorrow today yesterday week meeting sales team boss head
    says say tell get got keep keeps always never every nobody somebody someone anyone why who
    whose where help need want know think feel just about after before again because so than
    then these those into over only also very more most much many any how's what's they're we're
    there's let's follow budget quarter customers customer campaign blame fault
    hello hi hey thanks thank please yes yeah yep nope okay sorry now here well sure good great
    not does did doing done am been being make makes made go going let give gives wants stop
    still really even yet ever like back people thing things something anything nothing
    everything way time work job manager too best better worst new old first last next which
    while without""".split()
)

# Words both languages use at work; they say nothing about the language.
_LOANWORDS = set(
    """marketing leads lead pipeline pipelines crm crms sla slas deck decks ok email emails mql
    mqls sql sqls kpi kpis funnel funnels forecast forecasts inbound outbound kickoff kick-off
    follow-up followup feedback brief briefing branding engagement target targets roi b2b saas
    demo demos webinar webinars deal deals dashboard pitch call calls onboarding""".split()
)
_SPANISH_ENDINGS = tuple(
    """ción ciones mente ando iendo amos emos imos aron ieron ado ada ados adas ido ida os as
    a o""".split()
)
_ENGLISH_ENDINGS = ("ing", "ed", "ly", "n't", "'ll", "'re", "ness", "ful", "ght", "th", "wh")

# A word of letters, possibly joined by apostrophes or hyphens ("don't", "follow-up").
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_SPANISH_MARKS = re.compile(r"[ñ¿¡áéíóú]", re.IGNORECASE)
_SPANISH_ONLY_MARKS = re.compile(r"[ñ¿¡]", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text.replace("\u2019", "'"))]


def _known(words: list[str]) -> tuple[float, float]:
    """Spanish and English points for known words, reading the ambiguous "me" by its neighbours.

    "me" is an English object ("help me", "tell me") but a Spanish clitic before a verb ("me
    ignoran", "no me escuchan", "mi jefe me grita").
    """
    spanish = english = 0.0
    for i, word in enumerate(words):
        if word == "me":
            before = words[i - 1] if i else None
            after = words[i + 1] if i + 1 < len(words) else None
            if before in _ENGLISH or after in _ENGLISH:
                english += 1
            elif after is not None and (before is None or before in _SPANISH or before == "no"):
                spanish += 1
        else:
            spanish += word in _SPANISH
            english += word in _ENGLISH
    return spanish, english


def detect_language(text: str, default: str = "en") -> str:
    """Return ``"es"`` or ``"en"`` for ``text``; ``default`` when there is no signal at all."""
    words = _words(text)
    spanish, english = _known(words)
    spanish += 2 * len(_SPANISH_MARKS.findall(text))
    # Unknown words still lean one way by their endings; worth half a known word.
    for word in words:
        if word in _SPANISH or word in _ENGLISH or word in _LOANWORDS or len(word) < 4:
            continue
        spanish += 0.5 * word.endswith(_SPANISH_ENDINGS)
        english += 0.5 * word.endswith(_ENGLISH_ENDINGS)
    if spanish == english:
        return default
    return "es" if spanish > english else "en"


# --- languages the coach does not speak -------------------------------------------------------

# Words typical of each language that are not also common Spanish or English words (so "que",
# "la", "cosa", "con", "die", "was", "come" are missing on purpose).
_OTHER_WORDS = {
    "French": set(
        """les des est sont nous vous je il ils elle elles qui quoi dois doit disent avec pas ne
        sur dans où une et au aux du ce cette ces mon ma mes ton ta notre votre vos leur leurs
        être avoir fait faire très peu plus moins comme alors donc parce demain aujourd'hui hier
        ventes équipe réunion merci bonjour salut oui suis sommes êtes ont avons avez peux peut
        veux veut sais comment pourquoi toujours jamais rien quelqu'un nuls nul mauvais aussi
        encore déjà ici là chez sans sous vers tout tous toute toutes c'est j'ai n'est qu'il
        est-ce qu'est-ce beaucoup""".split()
    ),
    "Portuguese": set(
        """não você vocês nossos nossas nosso nossa são estão eu ele ela eles elas isso isto
        também muito muita muitos muitas obrigado obrigada então onde com uma fazer faço amanhã
        hoje ontem vendas diz dizem ruins ruim meu minha meus minhas seu pra pelo pela pelos
        pelas às ao aos é tá tô chefe equipe reunião ajuda preciso posso pode podem quero tenho
        tem temos foi agora bem falar fala falam ninguém alguém coisa coisas jeito lhe lhes
        dele dela deles num numa até sem essa esse esses essas aquele aquela porquê olá oi sim
        tudo sei""".split()
    ),
    "German": set(
        """der das und ist nicht sie wir ich ein eine einen einem einer zu mit auf für von sagt
        sagen soll sollen unsere unser unseren morgen wie aber auch oder wenn dass haben habe
        sind kann können nur noch schon bei über vertrieb leute immer nie jetzt heute gestern
        mein meine meinen dein ihr ihre uns euch mich mir dich dir sehr schlecht schlechte
        warum wer wann hallo danke bitte ja nein doch kein keine nichts etwas viel mehr weil
        denn dann hier im vom zum zur ins besprechung kunden mache machen tun weiß weiss geht
        gibt werden wird wurde müssen muss""".split()
    ),
    "Italian": set(
        """il gli della delle dello dei degli che non sono è ho hai abbiamo siamo dico dicono
        domani oggi ieri vendite nostri nostre nostro nostra pessimi pessimo questo questa
        questi quello quella perché anche molto più di nel nella nei alla alle allo ai agli dal
        dalla io lui lei noi voi loro faccio devo deve posso può voglio vuole hanno essere
        avere sempre mai niente nessuno qualcuno capo squadra riunione clienti grazie ciao
        buongiorno sì dove""".split()
    ),
}
# Spanish or English words that are just as common in each language ("que" is also French and
# Portuguese, "i" is Italian for "the"); they are no evidence against it.
_SHARED = {
    "French": set("que les nos la le de en un me te se tu son y ni on".split()),
    "Portuguese": set(
        """que o de se me te nos tu ti como para por nada todo todos sobre cada no mal gente
        culpa nunca cliente clientes trimestre está entre contra ante antes desde a do
        as""".split()
    ),
    "German": set("es in was will so also an am".split()),
    "Italian": set(
        """la le lo un una con mi ti te tu cosa dice tanto poco ha era al del me se no in so i
        a""".split()
    ),
}
# Letters that, inside a word none of the lists know, point at one language.
_OTHER_LETTERS = {
    "French": re.compile(r"[œêèëîôûç]|^(?:[cdjlmnst]|qu)'"),
    "Portuguese": re.compile(r"[ãõç]"),
    "German": re.compile(r"[äöß]"),
    "Italian": re.compile(r"[òùìè]"),
}

_SCRIPTS = {
    "Russian": ((0x0400, 0x052F),),
    "Greek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF)),
    "Hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "Arabic": (
        (0x0600, 0x06FF),
        (0x0750, 0x077F),
        (0x08A0, 0x08FF),
        (0xFB50, 0xFDFF),
        (0xFE70, 0xFEFF),
    ),
    "Korean": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    "kana": ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F)),
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)),
}


def _script(char: str) -> str | None:
    code = ord(char)
    for name, ranges in _SCRIPTS.items():
        if any(low <= code <= high for low, high in ranges):
            return name
    return None


def _non_latin(text: str) -> str | None:
    letters = [c for c in text if c.isalpha()]
    counts: dict[str | None, int] = {}
    for char in letters:
        script = _script(char)
        counts[script] = counts.get(script, 0) + 1
    kana, han = counts.pop("kana", 0), counts.pop("han", 0)
    if kana:  # Japanese mixes kana with kanji; Chinese has no kana
        counts["Japanese"] = kana + han
    elif han:
        counts["Chinese"] = han
    counts.pop(None, None)
    for name, count in counts.items():
        if count >= 2 and count * 2 > len(letters):
            return name
    return None


def unsupported_language(text: str) -> str | None:
    """Return the English name of ``text``'s language when it is confidently neither Spanish nor
    English ("French", "Portuguese", "German", "Italian", "Arabic", "Chinese", "Japanese",
    "Korean", "Russian", "Hebrew", "Greek"); ``None`` otherwise, including short or ambiguous
    text."""
    script = _non_latin(text)
    if script:
        return script
    words = _words(text)
    # "dois-je", "qu'est-ce": the parts count too.
    parts = [p for w in words if "-" in w for p in w.split("-")]
    scores = dict.fromkeys(_OTHER_WORDS, 0.0)
    for word in words + parts:
        if word in _SPANISH or word in _ENGLISH or word in _LOANWORDS:
            continue
        for name, known in _OTHER_WORDS.items():
            if word in known:
                scores[name] += 1
            elif _OTHER_LETTERS[name].search(word):
                scores[name] += 0.5
    best = max(scores, key=scores.__getitem__)
    score = scores[best]
    # Spanish and English evidence, not counting the words they share with the candidate.
    spanish, english = _known([w for w in words if w not in _SHARED[best]])
    spanish += 2 * len(_SPANISH_ONLY_MARKS.findall(text))
    rivals = [spanish, english] + [s for name, s in scores.items() if name != best]
    confident = score >= 3 or (score >= 2 and score * 2 >= len(words))
    return best if confident and score > 1.5 * max(rivals) else None

"""Who did the wrong in a story: the asker (and their own people) or someone else.

"The head of sales rolled his eyes every time I spoke" and "I rolled my eyes while the head of
sales spoke" share every content word: a reader of the whole question's meaning cannot tell
them apart, and the answer for one (own it, apologise) is wrong for the other. The grammar can:
who is the subject of the hurtful act, and whether it lands on the asker ("at me", "my team",
"me criticó", or the asker's own team named: "told the board that marketing…"). In Spanish the
person is in the verb's ending, read on the accented word ("critiqué" is mine, "criticó" theirs).

The first act of the story that says it decides ("I said it, and now he won't talk to me" is the
asker's; "she called our leads junk and I snapped back" is hers). Plain rules, no I/O.
"""

from __future__ import annotations

import re

from coach.tone import fold

ASKER, OTHER = "asker", "other"
TEAM = "team"  # the asker's own people did it ("my rep posted…", "mis vendedores se burlaron…")
_PRONOUN_EN = re.compile(r"\W*(?:i|we|i'?ve|we'?ve|i'?d|i'?m|myself)\b")


def _words(pattern: str) -> re.Pattern:
    return re.compile(rf"\b(?:{pattern})\b")


# -- English ------------------------------------------------------------------------------
# Acts that hurt whoever did them (no more evidence needed), acts that hurt only with a mark
# (said *what*, changed it *without telling*), and neglect (no one to point at but the others).
_HURTFUL_EN = _words(
    r"blam\w*|critici[sz]\w*|mock\w*|insult\w*|yell\w*|shout\w*|snap(?:s|ped)|swore|swear\w*|"
    r"scream\w*(?! match)|implie[sd]|hint(?:s|ed)|insinuat\w*|cursed|ridicul\w*|humiliat\w*|"
    r"embarrass\w*|undermin\w*|overrul\w*|overrode|"
    r"bypass\w*|leak\w*|accus\w*|lied|interrupt\w*|laugh\w* at|roll\w* (?:my|his|her|their) "
    r"eyes|badmouth\w*|bad-mouth\w*|snub\w*|sidelin\w*|poach\w*|stole|scold\w*|lectur\w*|"
    r"belittl\w*|patroni[sz]\w*|called (?:\w+ )?out|calls (?:\w+ )?out|threw \w+(?: \w+)? under "
    r"the bus|lost (?:my|his|her|their) (?:temper|cool)|lost it|blew up|went (?:over|around)|"
    r"took (?:the )?credit|shot down|talked over|hung up on|walked out|messed up|screwed up|"
    r"dropped the ball|forgot|trashed|dismiss\w*|exclud\w*|blocked|vetoed|overpromised|"
    r"broke (?:my|a|the|our) promise"
)
_MARKED_EN = _words(
    r"said|say|says|told|tells|posted|wrote|replied|sent|changed|launched|announced|pushed|"
    r"put up|puts up|called|cut|pulled|gave|promised|suggested|presented|"
    r"asked(?! (?:me|us|him|her|them) (?:to|for|if)\b)|"
    r"forwarded|cc'?d|escalated|complained|rejected|killed|dropped|removed|moved|reassigned|"
    r"names|named|missed|cancel+ed|skipped|questioned|dump(?:ed|s)"
)
_NEGLECT_EN = _words(
    r"never (?:showed up|shows up|replied|replies|answered|answers|followed up|called back)|"
    r"(?:didn'?t|doesn'?t|don'?t|won'?t|did not|does not) (?:show up|reply|answer|respond|"
    r"follow up|call back|turn up)|(?:hasn'?t|haven'?t|has not|have not) (?:replied|answered|"
    r"responded|said a word)|ignor\w+|left (?:me|us) on read|ghost\w*|cancel+ed (?:\w+ ){0,3}in "
    r"a row|no (?:reply|answer|response)|(?:none|nobody|no one|neither) (?:(?:of|in|on) "
    r"(?:my|our|them|the)? ?\w+ |team )?(?:has |have )?(?:knew|replied|answered|told|showed up|"
    r"followed up|answers|replies|responds|knows|shows up)|\bstill (?:['\"‘“])?(?:in the queue|"
    r"waiting|pending|nothing)|\bsigo esperando"
)
_MINE_EN = re.compile(
    r"(?:^|[^\w'])(?:i|we|i'?ve|we'?ve|i'?d|i'?m|myself)\b|\b(?:my|our|one of my|two of my|some "
    r"of my) (?:own )?(?:\w+ ){0,2}?(?:team|reps?|sellers?|people|sdrs?|bdrs?|aes?|marketers?|"
    r"writers?|designers?|reports?|analysts?|interns?|copywriters?|staff|guys|folks|crew|"
    r"(?:account )?executives?)\b"
)
_THEIRS_EN = re.compile(
    r"\b(?:he|she|they|someone|somebody|everyone|nobody|no one|neither|none|the (?!one\b)\w+|"
    r"their \w+|his \w+|her \w+|(?:sales|marketing|finance|legal|product)(?: team| ops)?|"
    r"(?:my|our) (?:boss|manager|ceo|cmo|cro|cfo|coo|vp|director|head|counterpart|peer|"
    r"colleague|coworker|co-worker|lead|gm))\b"
)
_NAME_EN = re.compile(r"(?<=[a-z,] )(?!I\b)[A-Z][a-z]+\b")  # "Priya", not a sentence's first word
_ON_ME_EN = re.compile(r"\b(?:me|us|my|our|mine|i)\b")
_CLAUSE_EN = re.compile(
    r"[.;!?\n]|,? (?:and|but|so|then|because|after|when|while|since|until|which|although)\b"
)
_SENTENCE = re.compile(r"[.;!?\n]")
# What makes a said/sent/changed the asker's wrong: the words themselves quoted right after it,
# "without telling", or how the other side took it in what follows ("and now she…", "se lo tomó
# fatal").
_QUOTE_NEXT = re.compile(r"^[^\"'“‘«]{0,50}[\"“‘«]|^[^'\"]{0,50}\s'")
_WITHOUT = re.compile(
    r"\bwithout (?:telling|asking|checking|warning|looping|consulting|letting|talking|speaking|"
    r"giving (?:\w+ )?a heads)\b|\bsin (?:avisar|"
    r"consultar|decir|preguntar|contar|consultarle|avisarle|decirle)\w*"
)
_REACTION = re.compile(
    r"\b(?:now|since then|ever since|ahora|desde entonces)\b|\b(?:upset|angry|furious|livid|"
    r"annoyed|offended|hurt|defensive|mad) (?:with|at) me\b|\b(?:she|he|they)(?:'s|'re| is| are) "
    r"(?:\w+ )?(?:livid|furious|upset|angry|mad|fuming|hurt|offended)\b|\b(?:took|takes|taking) it "
    r"(?:badly|personally|the wrong way|hard)\b|\b(?:is|are|was|were|got|feels?|felt) (?:\w+ )?"
    r"(?:upset|furious|angry|livid|annoyed|offended|hurt|defensive|attacked|singled out)\b|"
    r"\bse (?:lo )?(?:tomo|tomaron|sintio|sintieron)\b|\b(?:esta|estan|quedo|quedaron) (?:muy )?"
    r"(?:molest|enojad|enfadad|furios|ofendid|dolid|a la defensiva)\w*|\bno (?:llegamos|llegue|"
    r"cumpli|cumplimos|entregue|entregamos)\b|\bdidn'?t (?:deliver|make it)\b"
)
# Not (yet) done: "to say", "without blaming", "doesn't sound like I'm blaming", "if I tell him".
_NOT_DONE = re.compile(
    r"\b(?:to|without|not|never|avoid|avoiding|like|if|whether|how|\w+n[’']t|para|sin|no|si|"
    r"como|quiero|voy a)\b(?: [\w'’]+){0,2} ?$"
)
# What was said, when it disparages ("that marketing leads are worthless").
_INSULT = re.compile(
    r"\b(?:worthless|useless|garbage|junk|trash|lazy|incompetent|clueless|a joke|a waste|crap|"
    r"spam|fake|idiots?|no sirve\w*|basura|inutil\w*|vag[oa]s?|flojos?|humo|a parir|por los suelos|"
    r"no (?:valen|valian|sirven|servian) (?:nada|para nada)|no (?:hacen|hace) nada)\b"
)


def _marked(clause_rest: str, rest: str) -> bool:
    """A said/sent/changed with what makes it a wrong."""
    return bool(
        _QUOTE_NEXT.search(clause_rest)
        or _INSULT.search(clause_rest[:100])
        or _WITHOUT.search(rest[:120])
        or _REACTION.search(rest[:160])
    )


# Asked again and again, and nothing came back.
_ASKED_IN_VAIN = re.compile(
    r"\b(?:\d|two|three|four|five|several|tres|dos|cuatro|cinco|varias) (?:times|veces)\b"
    r"[^?]{0,140}"
    r"\b(?:nothing|nada|no answer|no reply|sin respuesta|crickets|silence|silencio|still)\b"
)
_SHARED_MISS = re.compile(r"\bwe (?:missed|lost|closed|finished|ended)\b")  # the company's


# -- Spanish ------------------------------------------------------------------------------
_HURTFUL_ES = re.compile(
    r"^(?:critic|critiq|ataq|descalifiq|culp|ignor|grit|insult|burl|rieron|rio|humill|insinu|"
    r"exhib|ningune|olvid|incumpl|filtr|acus|interrump|descalific|ridiculiz|ofend|atac|rega[nñ]|"
    r"balcone|amenaz|desautoriz|rob|ech[eéoó]? la culpa|bloque|vet)"
)
_MARKED_ES = re.compile(
    r"^(?:dij|dic|contest|respond|mand|envi|public|escrib|llam|present|lanz|cambi|quit|recort|"
    r"reenvi|escal|pus|puest|reclam|promet|solt|cancel|quej|plant|pregunt|di$)"
)
_NEGLECT_ES = re.compile(
    r"\bno (?:aparec|se present|vin|vien|contest|respond|llam|dio seguimiento|dieron seguimiento|"
    r"han contestado|ha contestado|me (?:hace|hacen|pela|pelan) caso|nos (?:hace|hacen|pela|pelan) "
    r"caso)\w*|\bnadie (?:(?:me|nos|les) )?(?:avis|contest|respond|dijo|llam|dio seguimiento)\w*|"
    r"\b(?:me|nos) (?:dej\w+|tien\w+) en visto\b|\by nada\b|\bsin (?:respuesta|contestar|responder|"
    r"entregar)\b|\bningun (?:vendedor|comercial)\b"
)
_MINE_PEOPLE_ES = re.compile(
    r"\b(?:mi|mis|uno de mis|una de mis|dos de mis|nuestro|nuestra|nuestros|nuestras) "
    r"(?:\w+ ){0,2}?(?:equipo|vendedor\w*|comercial\w*|ejecutiv\w+|gente|reportes?|"
    r"colaborador\w*|sdrs?|becari\w+|disenador\w*|analista\w*|redactor\w*|responsable de "
    r"\w+)\b"
)
_ON_ME_ES = re.compile(r"\b(?:a mi|de mi|conmigo|a nosotros|de nosotros|mis?|nuestr\w+|me|nos)\b")
_CLAUSE_ES = re.compile(
    r"[.;!?\n]|,? (?:y|pero|asi que|entonces|porque|cuando|despues|aunque|mientras)\b"
)
# Asking and sending are what others do to the asker all day ("me mandan contratos"); only a
# mark makes them a wrong.
_ASKS_ES = re.compile(r"^(?:pregunt|mand|envi|llam)")
_SLIP_ES = re.compile(r"^(?:pas|olvid|fue|escap|cruz|sali)")
_WORD = re.compile(r"[a-záéíóúüñ]+")
_MINE_FORM = re.compile(
    r"(?:[^aeio]é|[^aeio]í|amos|imos|emos|^(?:di|fui|dije|hice|puse|tuve|traje|vine|solté))$"
)
_THEIRS_FORM = re.compile(r"(?:ó|aron|ieron|eron|^(?:dijo|hizo|puso|fue|tuvo|vino|trajo|dio))$")
_PRESENT_THEIRS = re.compile(r"(?:[^aeiou]a|[^aeiou]e|an|en)$")
_PARTICIPLE = re.compile(r"(?:ado|ido|puesto|dicho|hecho|escrito|vuelto|roto)$")
_AUX_MINE = frozenset({"he", "hemos", "haberle", "haberles", "haber"})
_AUX_THEIRS = frozenset("ha han va van anda andan sigue siguen esta está estan están".split())
_GERUND = re.compile(r"(?:ando|iendo)$")


def _pieces(text: str, boundary: re.Pattern) -> list[tuple[int, str]]:
    """``text`` cut at ``boundary``, each piece with where it starts."""
    pieces, last = [], 0
    for m in boundary.finditer(text):
        pieces.append((last, text[last : m.start()]))
        last = m.end()
    pieces.append((last, text[last:]))
    return [(start, piece) for start, piece in pieces if piece.strip()]


def _team_words(asker: str | None) -> re.Pattern | None:
    words = {
        "marketing": r"marketing|mercadotecnia|mkt|demand gen|content|contenidos|brand|growth",
        "sales": r"sales|ventas|comercial|comerciales|reps|sellers|vendedores|aes|sdrs",
        "finance": r"finance|finanzas|controlling",
    }.get(asker or "")
    return _words(words) if words else None


def _english(text: str, asker: str | None) -> str | None:
    folded = fold(text)
    if _ASKED_IN_VAIN.search(folded):
        return OTHER
    team = _team_words(asker)
    subject = None  # carried from one clause to the next of the same sentence
    people = False  # the asker's subject is their people, not "I"
    sentence_end = -1
    for start, clause in _pieces(folded, _CLAUSE_EN):
        if start > sentence_end:
            subject = None
            end = _SENTENCE.search(folded, start)
            sentence_end = end.start() if end else len(folded)
        for act in _acts_en(clause):
            before = clause[: act.start()]
            mine = _MINE_EN.search(before)
            theirs = _THEIRS_EN.search(before) or _NAME_EN.search(
                text[start + 1 : start + act.start()]
            )
            if _NOT_DONE.search(before[-30:]):
                continue
            if mine and theirs:
                # "my rep Jake posted": the name after my own people's is the same person
                mine_nearer = mine.start() >= theirs.start() or theirs.start() <= mine.end() + 1
                subject = ASKER if mine_nearer else OTHER
            elif mine or theirs:
                subject = ASKER if mine else OTHER
            if mine and subject == ASKER:
                people = not _PRONOUN_EN.match(mine.group())
            said = act.group()
            rest = folded[start + act.end() :]
            if subject == ASKER:
                if _SHARED_MISS.search(clause[max(0, act.start() - 3) : act.end()]):
                    continue
                if _HURTFUL_EN.fullmatch(said) or _marked(clause[act.end() :], rest):
                    return TEAM if people else ASKER
            if subject != ASKER and _NEGLECT_EN.fullmatch(said):
                return OTHER
            after = folded[start + act.end() : sentence_end][:100]  # the rest of the sentence
            aimed = _ON_ME_EN.search(after) or (team and team.search(after))
            hurtful = _HURTFUL_EN.fullmatch(said)
            if subject == OTHER and aimed:
                return OTHER
            if subject is None and aimed and hurtful:  # "...and yelling at me about it"
                return OTHER
    return None


def _acts_en(clause: str) -> list[re.Match]:
    found = [*_HURTFUL_EN.finditer(clause), *_MARKED_EN.finditer(clause)]
    found += _NEGLECT_EN.finditer(clause)
    return sorted(found, key=lambda m: m.start())


def _spanish(text: str, asker: str | None) -> str | None:
    lowered = text.lower()
    folded = fold(text)
    if _ASKED_IN_VAIN.search(folded):
        return OTHER
    team = _team_words(asker)
    if len(lowered) != len(folded):
        lowered = folded
    for start, clause in _pieces(folded, _CLAUSE_ES):
        original = lowered[start : start + len(clause)]
        neglect = _NEGLECT_ES.search(clause)
        words = list(_WORD.finditer(original))
        for i, w in enumerate(words):
            word, plain = w.group(), fold(w.group())
            slip = [fold(words[i - 2].group()), fold(words[i - 1].group())] if i > 1 else []
            if slip == ["se", "me"] and _SLIP_ES.match(plain):
                return ASKER  # "se me pasó", "se me olvidó": the asker's slip
            if (len(plain) < 3 and plain != "di") or not (
                _HURTFUL_ES.match(plain) or _MARKED_ES.match(plain)
            ):
                continue
            prev = [fold(words[j].group()) for j in range(max(0, i - 3), i)]
            hurtful = bool(_HURTFUL_ES.match(plain))
            aux = prev[-1] if prev else ""
            clitic = prev[-2] if len(prev) > 1 and aux in _AUX_MINE | _AUX_THEIRS else aux
            rest = folded[start + w.end() :]
            end = _SENTENCE.search(folded, start + w.end())
            after = folded[start + w.end() : end.start() if end else len(folded)][:100]
            if _MINE_FORM.search(word) or (aux in _AUX_MINE and _PARTICIPLE.search(plain)):
                if _NOT_DONE.search(" ".join(prev)):
                    continue
                if hurtful or clitic in ("le", "les") or _marked(clause[w.end() :], rest):
                    return ASKER
                continue
            theirs = (
                _THEIRS_FORM.search(word)
                or (aux in _AUX_THEIRS and (_PARTICIPLE.search(plain) or _GERUND.search(plain)))
                or (clitic in ("me", "nos") and _PRESENT_THEIRS.search(plain))
            )
            if not theirs:
                continue
            if _MINE_PEOPLE_ES.search(clause[: w.start()]):
                if hurtful or _marked(clause[w.end() :], rest):
                    return TEAM
                continue
            if _NOT_DONE.search(" ".join(prev)):
                continue
            aimed = (
                clitic in ("me", "nos") or _ON_ME_ES.search(after) or (team and team.search(after))
            )
            if aimed and (not _ASKS_ES.match(plain) or _marked(clause[w.end() :], "")):
                return OTHER
        if neglect and not _MINE_PEOPLE_ES.search(clause[: neglect.start()]):
            return OTHER
    return None


def who_acted(question: str, language: str, asker: str | None = None) -> str | None:
    """``asker`` when the first hurtful act of the story is the asker's (``team`` when their own
    people's: "my rep posted…"),
    ``other`` when someone else's lands on the asker or their side (``asker``, when known, is
    the side whose name counts as the asker's: "said that marketing…"), ``None`` when the words
    do not say."""
    if language == "es":
        return _spanish(question, asker)
    return _english(question, asker)

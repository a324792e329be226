"""Rule-based rewrite of a draft into a non-personal version that keeps what happened (offline).

Only the offending part changes. Each flag carries the rule that fired, and each rule names its
repairs in ``coach/rules/<lang>.yaml``: a demand becomes a request, "never" a frequency, "per my last
email" goes, "your team dropped the ball on X" becomes "X slipped". When no repair fits, the
flag's kind says what to do: drop the phrase, drop its clause, or drop the sentence. A sentence
with nothing left once the offending part goes is dropped; names, dates, numbers and objects in
the rest stay as written. At most one short question is added, and one stock sentence only when
nothing of the draft is left.
"""

from __future__ import annotations

import re

from coach import rules
from coach.language import detect_language
from coach.tone import LANGUAGES, Flag, analyze, fold, quoted_spans, strip_invisible

# What a sentence of each kind was trying to say, said without judging anyone (rules/<lang>.yaml).
REPLACEMENTS: dict[str, dict[str, str]] = {
    kind: {lang: rules.load(lang).kinds[kind].instead for lang in LANGUAGES}
    for kind in rules.load(LANGUAGES[0]).kinds
}
# A flagged quote is reported instead of repeated: "The customer wrote" + this.
REPORTED_QUOTE = {lang: rules.load(lang).text["reported_quote"] for lang in LANGUAGES}
CLOSING_QUESTION = {lang: rules.load(lang).text["closing_question"] for lang in LANGUAGES}
# A dropped sentence's facts, said neutrally: "I'd like us to look at {facts} together."
FACT_STATEMENT = {lang: rules.load(lang).text["fact_statement"] for lang in LANGUAGES}
AND = {"en": " and ", "es": " y "}
_TOKEN = re.compile(r"[\w'-]+|[^\w\s]")
_MAX_FACT_WORDS = 7
# Teams and titles: who, not what happened ("I'll mention it to your VP" keeps no "VP").
# A noun phrase about the writer or the reader, not about the work ("my messages", "tus mensajes").
_OWN = re.compile(r"(my|your|mi|mis|tu|tus)\b")
_TEAM_NAMES = {"sales", "marketing", "ventas", "mercadotecnia", "finanzas", "finance", "vp", "ceo"}
_TEAM_NAMES |= {"cmo", "cfo", "coo", "cto", "cro", "hr", "rrhh", "director", "gerente"}
# A name or a figure as written ("Slack", "Q2", "40%"): a fact even with no article before it.
_NAME = re.compile(r"\b(?:[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*|\d[\w%/.,:-]*\w%?)")

# A sentence runs to its closing marks ("?!", "…", a closing quote); Spanish opening marks (¡ ¿)
# belong to the sentence they open, also inside it ("Como siempre, ¡bien hecho!"). An ellipsis
# before a lower-case word ("Gracias por nada… genio.") and a decimal point do not end one.
_SENTENCE = re.compile(r"(?:[^.!?…]|(?:…|\.\.\.)(?= *[a-záéíóúüñ])|\.(?=\d))+(?:[.!?…]+[\"”»']*|$)")
# Where a sentence splits into clauses that can stand alone.
_CLAUSE = re.compile(
    r"\s*(?:[,;:—–]|\band\b|\bbut\b|\bso\b|\bwhile\b|\by\b|\bpero\b|\basí que\b|\bmientras\b)\s*",
    re.I,
)
# A clause that leans on the one before it ("..., que no llamó a nadie", "..., but they didn't
# either") cannot stand alone.
_DEPENDENT = re.compile(r"^(que|quien|which|who|that|because|porque)\b|\b(tampoco|either)\b", re.I)
# Words left dangling at either end once a phrase is cut out.
_DANGLING = re.compile(
    r"^(?:\s|[,;:—–]|\b(?:and|but|so|or|then|y|pero|así que|o|entonces)\b)+|"
    r"(?:\s|[,;:—–]|\b(?:and|but|so|or|y|pero|así que|o)\b)+$",
    re.I,
)
_MAX_STEPS = 8


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


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def is_fragment(sentence: str, language: str) -> bool:
    """Whether a reader would stop at ``sentence`` as broken: under four words, or one of the
    language's fragment patterns ("Thanks for discovered…", "Me imagino que leer el brief.", a
    dangling "but I'm."), or a question with no verb ("Fill in one field?")."""
    grammar = rules.load(language).grammar
    folded = fold(sentence)
    if _words(sentence) < 4:
        return True
    if "fragment" in grammar and grammar["fragment"].search(folded):
        return True
    verb = grammar.get("question_verb")
    return bool(verb and sentence.rstrip().endswith("?") and not verb.search(folded))


def _facts(sentence: str, flags: list[Flag], language: str) -> list[str]:
    """Noun phrases of ``sentence`` outside its flagged parts ("the CRM notes", "los reportes
    semanales"): what a reader would miss if the sentence went."""
    grammar = rules.load(language).grammar
    if "fact_start" not in grammar or "fact_stop" not in grammar:
        return []
    folded = list(fold(sentence))
    for flag in flags:
        low, high = max(flag.start, 0), min(flag.end, len(folded))
        folded[low:high] = "|" * (high - low)
    tokens = list(_TOKEN.finditer("".join(folded)))

    def test(key: str, token: re.Match[str]) -> bool:
        return key in grammar and bool(grammar[key].fullmatch(token.group()))

    def content(token: re.Match[str], first: bool) -> bool:
        return (
            token.group()[0].isalnum()
            and not test("fact_stop", token)
            and (first or not test("fact_verb", token))
        )

    facts: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if test("fact_start", token):
            start, j = token.start(), i + 1
        elif test("fact_after", token) and i + 1 < len(tokens) and content(tokens[i + 1], True):
            start, j = tokens[i + 1].start(), i + 1
        else:
            i += 1
            continue
        words, end, first, links = 0, None, True, 0
        while j < len(tokens) and words < _MAX_FACT_WORDS:
            if test("fact_link", tokens[j]):
                k = j + 1
                if k < len(tokens) and test("fact_start", tokens[k]):
                    k += 1
                if not (end and links < 2 and k < len(tokens) and content(tokens[k], True)):
                    break
                links, j = links + 1, k
            elif content(tokens[j], first):
                words, end, first = words + 1, tokens[j].end(), False
                j += 1
            else:
                break
        if end:
            phrase = sentence[start:end]
            if not ("not_fact" in grammar and grammar["not_fact"].fullmatch(fold(phrase).lower())):
                facts.append(phrase)
        i = max(j, i + 1)
    return facts


def _said(fact: str, text: str) -> bool:
    """Whether ``text`` already carries ``fact``: all of it, or most of its longer words ("the
    heads-up about the Aldridge churn" after "I heard about the Aldridge churn")."""
    folded = fold(text)
    if fold(fact) in folded:
        return True
    words = [w for w in re.findall(r"\w+", fold(fact)) if len(w) > 3]
    return bool(words) and sum(re.search(rf"\b{w}\b", folded) is not None for w in words) * 2 > len(
        words
    )


def _fact_statement(sentence: str, flags: list[Flag], language: str, besides: str = "") -> str:
    """The facts of a sentence that could not be repaired, said neutrally ("" if it has none);
    with ``besides``, only the facts that text lost (a clause cut with its object)."""
    facts = []
    found = _facts(sentence, flags, language)
    if not found and flags:  # the flag ran over the whole sentence: its noun phrases, no verdicts
        label = rules.load(language).lexicon.get("LABEL", "")
        found = [
            f
            for f in _facts(sentence, [], language)
            if not (label and re.search(rf"\b(?:{label})\b", fold(f)))
        ]
    for fact in found:
        if besides and _said(fact, besides):
            continue
        if (
            besides.strip()
            and not _NAME.search(fact[1:])
            and (_OWN.match(fold(fact)) or len(re.findall(r"\w+", fact)) < 3)
        ):
            continue  # what a cut lost: "my messages", "the follow-ups" are no loss
        if language == "es":
            fact = re.sub(r"^(del|al|otro)\b", "el", fact, flags=re.I)
            fact = re.sub(r"^otra\b", "la", fact, flags=re.I)
        fact = re.sub(r"^another\b", "the", fact, flags=re.I)  # "another campaign" was the gripe
        if fact[:1].isupper() and not fact.split()[0].isupper() and sentence.startswith(fact):
            fact = fact[:1].lower() + fact[1:]  # "The deck" opened the sentence
        if fact.lower() not in (f.lower() for f in facts):
            facts.append(fact)
    named = " ".join(facts)
    for name in _NAME.finditer(sentence):  # names and figures no noun phrase carried ("Slack")
        text = name.group()
        if not sentence[: name.start()].strip(" ¿¡\"'“«") or text in ("I", "Yo"):
            continue  # a capital that opens the sentence is not a name
        if fold(text) in _TEAM_NAMES:
            continue
        if fold(text) in fold(named) or (besides and fold(text) in fold(besides)):
            continue
        facts.append(text)
        named += " " + text
    if not facts:
        return ""
    facts = facts[:3]
    joined = ", ".join(facts[:-1]) + AND[language] + facts[-1] if len(facts) > 1 else facts[0]
    statement = FACT_STATEMENT[language].format(facts=joined)
    return statement if analyze(statement, language).ok else ""


def _tidy(sentence: str, language: str = "en") -> str:
    """Spaces, marks and capitals after a cut: one sentence that reads as one."""
    end = re.search(r"[.!?…]+[\"”»']*$", sentence)
    mark = end.group() if end else ""
    body = sentence[: end.start()] if end else sentence
    opener = re.match(r"^[¡¿]+", body.strip())
    body = body.strip().lstrip("¡¿")
    body = re.sub(r"\s*,\s*(,\s*)+", ", ", body)
    body = re.sub(r"\s+([,;:])", r"\1", body)
    body = re.sub(r"\s{2,}", " ", body)
    body = re.sub(r"([¿¡])\s+", r"\1", body)
    body = re.sub(r"\b(\w+)(\s+\1\b)+", r"\1", body, flags=re.I)  # "the the" after a cut
    body = _DANGLING.sub("", body).strip()
    if not body:
        return ""
    if "?" in mark:
        mark = "?"
    elif "!" in mark:
        mark = "!"
    elif not mark or mark.strip("\"”»'") in ("…", "..."):
        mark = "."
    else:
        mark = "."
    opening = opener.group()[:1] if opener else ""
    if opening == "¿" and mark != "?":
        opening = ""
    if opening == "¡" and mark != "!":
        opening = ""
    if mark == "?" and language == "es" and "¿" not in body:
        opening = "¿"
    body = body[0].upper() + body[1:]
    return f"{opening}{body}{mark}"


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of ``sentence`` around ``[start, end)``, its separator included."""
    cuts = [m for m in _CLAUSE.finditer(sentence) if m.end() > m.start()]
    low = max([m.start() for m in cuts if m.end() <= start] + [0])
    high = min([m.start() for m in cuts if m.start() >= end] + [len(sentence)])
    return low, high


def _apply_repair(sentence: str, repair: rules.Repair, start: int, end: int) -> str | None:
    """``sentence`` with ``repair`` applied where it touches the flagged span, else None."""
    matches = list(repair.pattern.finditer(fold(sentence)))
    if not any(m.end() >= start and m.start() <= end for m in matches):
        return None
    result = sentence
    for match in reversed(matches):  # every match, so "actually … this time" goes at once
        repaired = _expand(repair.replace, match, sentence)
        result = result[: match.start()] + repaired + result[match.end() :]
    if repair.question:
        result = result.rstrip(" .!?¡") + "?"
    return result


def _fallback(sentence: str, action: str, start: int, end: int) -> str:
    if action == "drop":
        return sentence[:start] + " " + sentence[end:]
    if action == "clause":
        low, high = _clause_bounds(sentence, start, end)
        rest = sentence[:low] + ", " + sentence[high:].lstrip(",;:—– ")
        if not sentence[:low].strip(" ¿¡"):
            rest = sentence[high:]
        if _DEPENDENT.search(_DANGLING.sub("", fold(sentence[high:]).strip())):
            rest = sentence[:low]  # what follows leaned on the clause that went
        return rest
    return ""


def _fix_sentence(sentence: str, language: str, flags: list[Flag]) -> str:
    """``sentence`` with every flagged part repaired or cut ("" if nothing worth saying is left).
    ``flags``: the sentence's flags as read in the whole draft (some show only next to the
    sentence before)."""
    ruleset = rules.load(language)
    by_id = {r.id: r for r in ruleset.flags}
    for _ in range(_MAX_STEPS):
        if not flags:
            break
        # a sarcastic tail goes first: once its anchor is repaired it no longer reads as one
        flag = next((f for f in flags if f.rule == "contempt.sarcasm-tail"), flags[0])
        rule = by_id.get(flag.rule)
        new = None
        for repair_id in rule.repair if rule else ():
            if repair_id in rules.ACTIONS:  # the rule's own action instead of its kind's
                new = _fallback(sentence, repair_id, flag.start, flag.end)
                break
            new = _apply_repair(sentence, ruleset.repairs[repair_id], flag.start, flag.end)
            if new is not None and new != sentence:
                break
            new = None
        if new is None:
            action = ruleset.kinds[flag.kind].repair
            new = _fallback(sentence, action, flag.start, flag.end)
        before = sentence
        sentence = _tidy(new, language) if new.strip() else ""
        if _words(sentence) < 3 or sentence == before:
            return ""
        flags = analyze(sentence, language).flags
    return "" if flags or is_fragment(sentence, language) else sentence


def _finish(candidate: str, language: str, only: str = "final.") -> str:
    """A repaired sentence after the ``final.*`` repairs of the rules file: what the flag's own
    repair leaves behind and still stings ("Of course…", "you guys", an "always" the flagged span
    did not cover), and an absolute turned into a question ("Your reps rarely call anyone back." →
    "Can we make sure your reps call anyone back?"). A step that breaks the sentence is skipped."""
    finals = [r for r in rules.load(language).repairs.values() if r.id.startswith(only)]
    done = []
    for sentence in split_sentences(candidate):
        for repair in finals:
            folded = fold(sentence)
            matches = list(repair.pattern.finditer(folded))
            if not matches:
                continue
            new = sentence
            for match in reversed(matches):
                new = (
                    new[: match.start()]
                    + _expand(repair.replace, match, sentence)
                    + new[match.end() :]
                )
            if repair.question:
                new = new.rstrip(" .!?¡") + "?"
            new = _tidy(new, language)
            if new and not is_fragment(new, language) and analyze(new, language).ok:
                sentence = new
        done.append(sentence)
    return " ".join(done)


def _report_quote(sentence: str, flags: list[Flag], language: str) -> str:
    """ "The customer wrote: '<blame>'" becomes "The customer wrote that ..."; "" if it is not."""
    quotes = quoted_spans(sentence)
    inside = [q for f in flags for q in quotes if q[0] < f.start and f.end < q[1]]
    if len(inside) < len(flags):
        return ""  # some flag is the writer's own words
    attribution = sentence[: min(q[0] for q in inside)].rstrip(" :,")
    if len(attribution.split()) < 2:
        return ""
    return attribution + REPORTED_QUOTE[language]


def _clean_clauses(sentence: str, language: str, backstop: bool) -> str:
    """The clauses of ``sentence`` that pass the check, as one sentence ("" if none)."""
    kept = []
    for clause in _CLAUSE.split(sentence.strip(" .!?¡¿…")):
        if (
            _words(clause) >= 3
            and not _DEPENDENT.search(fold(clause))
            and analyze(clause, language, backstop=backstop).ok
        ):
            kept.append(clause)
    return _tidy(", ".join(kept), language) if kept else ""


def _settle(sentence: str, language: str, backstop: bool) -> str:
    """``sentence`` if it passes the full check; else its clean clauses, with the facts they lost
    said neutrally; else only its facts; else "" (a reproach with nothing else in it)."""
    if analyze(sentence, language, backstop=backstop).ok:
        return sentence
    clauses = _clean_clauses(sentence, language, backstop)
    if clauses and (
        is_fragment(clauses, language) or not analyze(clauses, language, backstop=backstop).ok
    ):
        clauses = ""  # each clause passed alone, the sentence they make does not
    lost = _fact_statement(sentence, [], language, besides=clauses or " ")
    for candidate in (f"{clauses} {lost}".strip(), lost):
        if candidate and analyze(candidate, language, backstop=backstop).ok:
            return candidate
    return ""


def _still_flagged(
    result: str, out: list[str], trusted: set[str], language: str, backstop: bool
) -> bool:
    """Whether the joined rewrite still draws a flag, in one pass: a rule's flag anywhere, or the
    backstop's on a sentence the rules did not repair themselves."""
    starts, at = [], 0
    for sentence in out:  # ``result`` is ``out`` joined by single spaces
        starts.append(at)
        at += len(sentence) + 1
    for flag in analyze(result, language, backstop=backstop).flags:
        if flag.rule != "backstop" and not flag.rule.startswith("meaning."):
            return True
        index = max(i for i, start in enumerate(starts) if start <= flag.start)
        if out[index] not in trusted:
            return True
    return False


def rewrite(text: str, language: str | None = None, backstop: bool = True) -> str:
    """``text`` without blame, labels, sarcasm or absolutes, keeping what happened.

    ``backstop``: also rework sentences the meaning-based backstop flags (coach/backstop.py)."""
    text = strip_invisible(text).strip()
    language = language or detect_language(text)
    if language not in LANGUAGES:
        language = "en"
    ruleset = rules.load(language)
    in_context = analyze(text, language).flags
    out: list[str] = []
    trusted: set[str] = set()  # sentences the rules repaired
    changed = False
    first_kind = in_context[0].kind if in_context else None
    reworked = False  # the sentence before was repaired or cut
    for match in _SENTENCE.finditer(text):
        sentence = match.group().strip()
        if not sentence:
            continue
        offset = match.start() + (len(match.group()) - len(match.group().lstrip()))
        around = [
            Flag(f.kind, f.text, f.start - offset, f.end - offset, f.why, f.rule)
            for f in in_context
            if f.start < match.end() and match.start() < f.end
        ]
        own = analyze(sentence, language).flags
        flags = own or [f for f in around if f.start >= 0 and f.end <= len(sentence)]
        if not flags and around:
            flags = [Flag(around[0].kind, sentence, 0, len(sentence), "", around[0].rule)]
        if flags and ruleset.irony.search(fold(sentence)):
            changed = True  # it means the opposite of what it says
            continue
        tail = "tail" in ruleset.grammar and ruleset.grammar["tail"].fullmatch(fold(sentence))
        if tail and reworked:  # "Love it." after a reproach that was just reworked
            changed = True
            continue
        reworked = False
        repaired = bool(flags)  # a rules' repair: the backstop's second opinion does not undo it
        if flags:
            changed = True
            candidate = _report_quote(sentence, flags, language)
            if not candidate:
                candidate = _fix_sentence(sentence, language, flags)
                candidate = _finish(candidate, language) if candidate else candidate
                lost = _fact_statement(sentence, flags, language, besides=candidate or " ")
                candidate = f"{candidate} {lost}".strip() if candidate else lost
        else:
            candidate = sentence
            praised = ruleset.praise.search(fold(sentence)) and not ruleset.gripe.search(
                ruleset.praise.sub(" ", fold(sentence))
            )
            if in_context and not praised:  # "Of course nobody came." next to a flagged "Shocking."
                candidate = _finish(sentence, language, only="final.opener")
        if candidate and backstop and not repaired and not analyze(candidate, language, True).ok:
            changed = True
            first_kind = first_kind or "tone"
            # what the sentence was about, said neutrally, when no clause of it is clean
            candidate = _clean_clauses(candidate, language, backstop) or _fact_statement(
                sentence, flags, language
            )
        reworked = candidate != sentence
        if candidate and candidate not in out:
            out.append(candidate)
            if repaired:
                trusted.add(candidate)
    if not changed:
        return text
    if not out:
        out.append(REPLACEMENTS[first_kind or "tone"][language])
    result = " ".join(out)

    if _still_flagged(result, out, set(), language, backstop):
        # what the full check (backstop included) still reads as a reproach goes; its facts stay
        settled = []
        for sentence in out:
            sentence = _settle(sentence, language, backstop)
            if sentence and sentence not in settled:
                settled.append(sentence)
        out = settled
        result = " ".join(out)
    if _still_flagged(result, out, set(), language, backstop):  # e.g. side by side
        kept = [s for s in out if analyze(s, language, backstop=backstop).ok]
        result = " ".join(kept) or REPLACEMENTS[first_kind or "tone"][language]
    if not result:
        result = REPLACEMENTS[first_kind or "tone"][language]
    moves = analyze(result, language).solution_markers.keys()
    asks = any(s.endswith("?") for s in split_sentences(result))
    if not (asks and {"request", "ask-view", "solution-question", "proposal", "we"} & moves):
        result = f"{result} {CLOSING_QUESTION[language]}"
    return result

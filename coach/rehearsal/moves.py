"""Reading a learner's turn as moves: what it did, not only how it sounded.

Moves: acknowledge, open or leading question, propose (what, who and when in the learner's own
words), commit, apologise/repair, and the ones that hurt: deflect, blame, sarcasm (passive
aggression), dismiss, threaten escalation; and a vague pleasantry that says nothing yet. Rules run
over accent-folded text; a sentence the rules leave alone is compared, on the bundled embedder,
with labelled example turns (``prototypes.yaml``) and gets a jab move when it sits clearly closer
to the jabs than to the fine ones. Tone comes from the same analyzer as Check my message; its
flags count as blame here.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from coach.tone import DAYS, ToneReport, fold

JABS = ("sarcasm", "threaten", "dismiss", "blame", "deflect")
PROTOTYPES = Path(__file__).with_name("prototypes.yaml")
# A sentence is a jab by meaning when its k nearest jabs beat its k nearest fine lines by this.
JAB_MARGIN = 0.06
JAB_FLOOR = 0.50  # and the nearest jab is at least this close
K = 3

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


# -- rules (accent-folded, lower-case) ---------------------------------------------------------
RULES = {
    "en": {
        "apology": r"\b(i'?m (so |really )?sorry(?! (that )?you (feel|felt|were|took|think))|i apologi[sz]e|my apologies|forgive me|let me take that back)\b",
        "ownership": r"(that'?s|it'?s|it was|that was) on (me|us|my team|my side)|\bmy (fault|mistake|part|bad)\b|wrong of me|(a mistake|wrong|unfair) (on my part|of me)|\b(was|that'?s|that was) (unfair|not fair|out of line|wrong)\b|wasn'?t (fair|right)|i came in (swinging|hot|to fight|angry)|i walked in|came out (as|wrong|like)|sounded (like|as if)|i shouldn'?t have|i was wrong",
        "acknowledge": r"\byou'?re right\b|\bi (can )?see (why|that|how|it)\b|\bi (get|understand|hear) (it|you|that|why|how|the)\b|\bi hear you\b|\bi (totally |really )?get that\b|\bi know\b(?! (what|nothing|better))|\b(hurt|stung|was (rough|tough|brutal|hard)|made it worse|cost you)\b|\bmust (be|have been)\b|\b(is|was) a (lot|real loss|big deal)\b|\bfair (point|enough)\b|\bmakes sense\b|\bthat'?s (hard|tough|rough|a lot)\b|\bthank you for (telling|saying)\b|\bright to be\b",
        "pleasantry": r"\b(thanks for (the time|making time|meeting)|hope (we|things|there)|let'?s (keep|stay|just|see|try)|touch base|keep (talking|in touch|an eye)|go from there|figure (something|it) out|sort (something|it) out|whatever you can|just wanted to|check in|no hard feelings|move past|better going forward|be (more|a bit more) (aligned|proactive)|do better|communicate better|in the loop|see how (it|things) go|hopefully|let me know if there'?s anything)\b",
        "open_question": r"^(so,? |and,? |then,? )?(what|how|which|where|who|when|tell me|help me understand)\b(?! if\b| about\b)",
        "leading_question": r"\b(don'?t you think|wouldn'?t (it|you)|isn'?t it|aren'?t you|right\?|surely|can'?t you just)\b",
        "past_why": r"^(so,? )?why (did|didn'?t|would|were|was) (you|your)\b",
        "propose": r"\b(i propose|let me (propose|suggest)|i suggest|i'?d (like|suggest)|here'?s (what|my|an idea|the plan|an offer)|my offer|how about|what if|could we|can we|can i|shall we|let'?s|i'?ll|i will|we could|why don'?t we|then forget|so let me)\b",
        "commit": r"\b(i'?ll|i will|i commit|i promise|you have my word|count on me|i'?m going to)\b",
        "threaten": r"\b(loop in|copy|cc|go to|talk to|escalate to|bring in) (your|the) (boss|manager|vp|director|ceo|board|head)\b|\blet my (director|boss|manager|vp) know\b|\bescalate (this|it)\b|\b(tell|let) the (ceo|board|client|customer)\b",
        "sarcasm": r"\b(no worries|must be nice|i'?m sure (the|it|they|you)|i suppose|i guess|interesting (word|choice)|of course,|sure, (let'?s|because)|since you clearly|when you'?re ready|like professionals|i'?m sorry you (feel|felt)|a lot to ask|didn'?t realise|didn'?t realize|just happened to|huh\?|what could (possibly )?go wrong|lovely, though|would have been lovely|say thanks for|, got it|got it\.|hand-holding|actually (do|follow|read|care)|finally (care|read|listen)|not just a)\b",
        "dismiss": r"\b(whatever|no big deal|not a big deal|get over it|too personally|overreact\w*|calm down|not my problem|such a big deal)\b",
        "deflect": r"\b(not (on )?me|not my (job|fault|call|decision)|(finance|they|it) (decided|made the call)|decided, not me|i don'?t see why you|take it up with|the normal process|followed the process|a sales problem|a marketing problem|shouldn'?t have to pay)\b",
        "blame": r"\b(your fault|because of you|you should have|if your (reps|team|people) (had|did|would)|don'?t put (it|the \w+) on|never (even )?called|were never (even )?called|dropped the ball|out of line|someone had to say|what everybody|what everyone|you haven'?t moved)\b",
        "i_statement": r"\b(i need|i'?m (worried|concerned)|i feel|i'?d like)\b",
    },
    "es": {
        "apology": r"\b(perdon|perdona|perdoname|disculpa|disculpame|me disculpo|una disculpa|lo siento(?! que)|retiro lo que dije)\b",
        "ownership": r"\b(nos toca|me toca|mi culpa|mi error|un error mio|error de mi parte|mal de mi parte|injusto de mi parte|es responsabilidad (mia|de mi equipo)|fue injusto|eso fue injusto|no fue justo|estuvo mal|llegue atacando|vine a pelear|sono (a|como)|no debi|me equivoque|palabra injusta|no era el lugar)\b",
        "acknowledge": r"\btienes razon\b|\b(te )?(dolio|pego|costo)\b|\bfue (duro|durisimo|injusto contigo)\b|\b(entiendo|veo|se) (que|la|el|lo|tu|por que|como)\b|\bte entiendo\b|\bdebio (ser|haber)\b|\b(es|fue) (muchisimo|mucho|una perdida|muy duro|duro|pesado)\b|\btiene sentido\b|\bentiendo la\b|\bgracias por (decirmelo|contarmelo)\b",
        "pleasantry": r"\b(gracias por (el tiempo|el espacio|verme)|ojala|sigamos|vamos viendo|lo platicamos|lo volvemos a platicar|en contacto|de ahi seguimos|ya encontraremos|seguro (hay|encontramos|algo)|lo que puedas|solo queria|ver como estabas|dejarlo atras|comunicarnos mejor|mas al tanto|mas pendientes|mas alineados|podemos mejorar|cualquier cosa que necesites|vamos a intentar|tratemos de|no te preocupes)\b",
        "open_question": r"^[¿]?\s*(y |entonces |y entonces )?(que|como|cual|cuales|cuando|donde|quien|cuanto|cuanta|cuantos|cuantas|ayudame a entender|cuentame)\b(?! te parece si| tal si)",
        "leading_question": r"(\bno crees\b|\bverdad\?|\bcierto\?|,? ?¿?no\?$|\bno seria mejor\b|\bno te parece que\b)",
        "past_why": r"^[¿]?\s*por que (hiciste|no|lo|le|mandaste|dijiste)\b",
        "propose": r"\b(propongo|te propongo|te parece si|sugiero|que te parece si|y si|que tal|podemos|podriamos|me encargo|hagamos|revisemos|me gustaria hacer|entonces olvidemos|mi propuesta|te mando|te envio|yo me encargo|me comprometo|yo (armo|mando|escribo|saco|cambio|presento|preparo|organizo|hago|configuro|reviso|llevo|te mando))\b",
        "commit": r"\b(me comprometo|me encargo|cuenta conmigo|te lo prometo|yo me encargo|te mando|yo (armo|mando|escribo|saco|cambio|presento|preparo|organizo|hago|configuro|reviso))\b",
        "threaten": r"\b(copiar|copio|meter|avisar|avisarle|decirle|llevar(lo)?|escalar(lo)?) a tu (jefe|jefa|director|directora|gerente)\b|\b(voy a|le voy a) (copiar|meter|avisar|escalar)\b|\ble (digo|aviso) al (consejo|director|cliente)\b|\ble digo al cliente\b|\bescalarlo\b",
        "sarcasm": r"\b(no pasa nada,|tranquil[oa],|que bonito|que comodo|seguro (el|los|la|que) |supongo que|interesante eleccion|claro, (gastemos|porque)|que obviamente|cuando quieras hablar|como profesionales|lamento que te hayas sentido|mucho pedir|no pense que|para tanto|solo tenia mejores|te mandan las gracias|\beh\?|que podria salir mal|muy bonito, eso si|pretexto para todo|para eso estaba|, entendido|supongo$|supongo\.|de verdad\? ya|por fin te|y no solo)\b",
        "dismiss": r"\b(da igual|no es para tanto|supera(lo)?|demasiado personal|exageras|exagerando|calmate|no es mi problema)\b",
        "deflect": r"\b(no me toca|no es mi (trabajo|culpa|problema)|(finanzas|ellos) decidio|decidio, no yo|no entiendo por que estas|el proceso normal|reclamales|problema de ventas|problema de mercadotecnia|no tiene por que pagar)\b",
        "blame": r"\b(tu culpa|por tu culpa|deberias haber|si tus (vendedores|vendedoras|comerciales) (revisaran|hicieran|llamaran)|no nos eches la culpa|nunca recibio|nunca recibieron|fuera de lugar|alguien tenia que decirlo|lo que todos|no te has movido)\b",
        "i_statement": r"\b(necesito|me preocupa|me siento|me gustaria)\b",
    },
}
# A rule may end on punctuation ("no worries,"): its last word ends where a letter does not follow.
_RULES = {
    lang: {k: re.compile(re.sub(r"\\b$", "(?![a-z0-9])", v)) for k, v in kinds.items()}
    for lang, kinds in RULES.items()
}

# -- proposal parts ----------------------------------------------------------------------------
_DATE = {
    "en": r"\b(?:the |on the |by the )(\d{1,2})(?:st|nd|rd|th)\b|\b(\d{1,2})(?:st|nd|rd|th)\b",
    "es": r"\b(?:el|del|al|para el|antes del) (\d{1,2})\b",
}
_DAY = {lang: re.compile(rf"(?<!la )(?<!esta )(?<!por la )\b({d})\b") for lang, d in DAYS.items()}
_FUZZY_WHEN = {
    "en": r"\b(next week|this week|end of (the )?month|before launch|the week after|every other \w+|weekly|in two weeks)\b",
    "es": r"\b(la semana que viene|esta semana|la proxima semana|fin de mes|antes del lanzamiento|la semana siguiente|cada semana|en dos semanas)\b",
}
_OWNERS = {
    "en": {
        "me": r"\b(i|i'?ll|i'?m|me|myself|my team|my reps|my side)\b",
        "you": r"(?:^|, |and |then |so )(you|your team|your reps|your people)\b(?! (on|at|for|in)\b)",
        "we": r"\b(we|we'?ll|let'?s|us|together|the (two|three) of us|both of us)\b",
    },
    "es": {
        "me": r"\b(yo|me encargo|mi equipo|mis vendedores|mis vendedoras|te mando|te presento|te acompano)\b|\b(armo|mando|envio|escribo|saco|cambio|presento|preparo|organizo|hago|configuro|reviso|llevo|traigo|paso|pongo|busco|agendo|comparto|redacto|doy)\b",
        "you": r"\b(tu (haces|armas|traes|decides|eliges|preparas|conservas|mandas|revisas)|tu equipo (adapta|hace|revisa|prepara|elige|decide))\b|(?:^|, |y )tu\b",
        "we": r"\b(juntos|juntas|los dos|las dos|los tres|nosotros|nosotras)\b|\b(?!demos\b|temas\b)\w{2,}(amos|emos|imos)\b",
    },
}
_LEAD_IN = {
    "en": r"^(so,? |then,? |okay,? )?(here'?s (what i'?d like to do|what i suggest|my offer|an idea|the plan|what i propose)|let me (propose|suggest)( something| this)?|i (propose|suggest)( this| something)?|so let me propose|how about this|my offer)\s*[:,.-]?\s*",
    "es": r"^(entonces,? )?(te propongo( algo| esto)?|propongo( algo| esto)?|me gustaria hacer esto|mi propuesta( es)?|sugiero( algo)?)\s*[:,.-]?\s*",
}
_NAME = re.compile(r"(?<![.!?¿¡:]\s)(?<![¿¡])(?<!^)\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b")
_NOT_NAMES = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "zoom",
    "crm",
    "ceo",
    "vp",
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "here",
    "then",
    "okay",
    "forget",
    "que",
    "entonces",
    "como",
    "cual",
    "what",
    "how",
    "i'll",
    "let's",
    "the",
    "and",
    "sdr",
    "sdrs",
    "q3",
}


@dataclass
class Proposal:
    text: str  # the proposal in the learner's words, without its lead-in
    who: list[str] = field(default_factory=list)  # "me", "you", "we", or a name
    when: list[str] = field(default_factory=list)  # days and dates, as said
    fuzzy_when: bool = False  # "next week", "fin de mes": a time, not yet a day

    @property
    def complete(self) -> bool:
        return bool(self.who and (self.when or self.fuzzy_when) and len(self.text.split()) >= 5)

    def to_dict(self) -> dict:
        return {"text": self.text, "who": self.who, "when": self.when, "complete": self.complete}


@dataclass
class Moves:
    kinds: set[str] = field(default_factory=set)
    proposal: Proposal | None = None
    question: str = ""  # the open question, as asked
    jabs: dict[str, str] = field(default_factory=dict)  # jab kind → the sentence that carried it

    @property
    def jabbed(self) -> bool:
        return bool(self.jabs)

    @property
    def substance(self) -> bool:
        """Did the turn do anything beyond being pleasant?"""
        return bool(self.kinds & {"acknowledge", "repair", "open-question", "propose", "apology"})


def _days(folded: str, language: str) -> list[str]:
    found = [m.group(1) for m in _DAY[language].finditer(folded)]
    found += [g for m in re.finditer(_DATE[language], folded) for g in m.groups() if g]
    return list(dict.fromkeys(found))


def extract_owners_and_days(
    text: str, language: str, counterpart_name: str = ""
) -> tuple[list[str], list[str]]:
    """Who (me/you/we/names) and when (days, dates) ``text`` names."""
    folded = fold(text)
    who = [owner for owner, pattern in _OWNERS[language].items() if re.search(pattern, folded)]
    if language == "es" and "tú" in re.findall(r"\w+", text.lower()):
        who.append("you")
    skip = {fold(p) for p in counterpart_name.split()} | _NOT_NAMES
    who += [n for n in _NAME.findall(text) if fold(n) not in skip]
    return list(dict.fromkeys(who)), _days(folded, language)


def extract_proposal(text: str, language: str, counterpart_name: str = "") -> Proposal | None:
    """The proposal in ``text`` (the sentences that propose), or None."""
    rules = _RULES[language]
    picked = [s for s in sentences(text) if rules["propose"].search(fold(s))]
    if not picked:
        return None
    body = " ".join(picked)
    lead = re.match(_LEAD_IN[language], fold(body))  # folding keeps positions: cut the original
    if lead:
        body = body[lead.end() :]
    who, when = extract_owners_and_days(body, language, counterpart_name)
    return Proposal(
        text=body.strip(),
        who=who,
        when=when,
        fuzzy_when=bool(re.search(_FUZZY_WHEN[language], fold(body))),
    )


# -- by meaning ----------------------------------------------------------------------------------
_lock = threading.Lock()


@cache
def _bank(language: str):
    data = yaml.safe_load(PROTOTYPES.read_text("utf-8"))[language]
    labels, texts = [], []
    for group in ("jab", "fine"):
        for kind, lines in data[group].items():
            for line in lines:
                labels.append((group, kind))
                texts.append(line)
    try:
        from coach.embeddings import get_embedder

        vectors = np.asarray(get_embedder("use-m3").embed_documents(texts), dtype=np.float32)
    except Exception:  # noqa: BLE001 - no embedder: the rules read the turn alone
        return None
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return labels, vectors


def jab_by_meaning(sentence: str, language: str) -> str | None:
    """The jab kind ``sentence`` reads as by meaning, or None."""
    with _lock:
        bank = _bank(language)
    if bank is None:
        return None
    labels, vectors = bank
    from coach.embeddings import get_embedder

    v = np.asarray(get_embedder("use-m3").embed_query(sentence), dtype=np.float32)
    v /= max(float(np.linalg.norm(v)), 1e-9)
    sims = vectors @ v
    jab = np.array([g == "jab" for g, _ in labels])
    near_jab = np.sort(sims[jab])[-K:].mean()
    near_fine = np.sort(sims[~jab])[-K:].mean()
    if near_jab - near_fine < JAB_MARGIN or sims[jab].max() < JAB_FLOOR:
        return None
    best = int(np.argmax(np.where(jab, sims, -1.0)))
    return labels[best][1]


def _plain_question_or_plan(sentence: str, language: str) -> bool:
    """An open question, or a plan naming a day: what the rehearsal wants more of."""
    f = fold(sentence).lstrip("¿ ")
    if sentence.rstrip().endswith("?") and any(
        _RULES[language]["open_question"].search(part.strip()) for part in re.split(r"[,¿:;]", f)
    ):
        return True
    return bool(_RULES[language]["propose"].search(f) and _days(f, language))


def analyzer_jabs(text: str, language: str, report: ToneReport | None, mended: bool) -> list:
    """The analyzer's flags that count as jabs here. Two kinds are left out: a flag inside an
    open question or a plan with a day ("If your team took the demo requests, what would…?"
    reads as a counterfactual reproach to the rules, and "you keep the story" as an absolute),
    and, in a turn that apologises, the meaning-based backstop's (an apology names the slip)."""
    if report is None:
        return []
    kept = []
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
    rules = _RULES[language]
    for flag in report.flags:
        if mended and (flag.rule == "backstop" or flag.rule.startswith("meaning.")):
            continue
        around = next((text[a:b] for a, b in spans if a <= flag.start < b), flag.text)
        if mended and (
            rules["apology"].search(fold(around)) or rules["ownership"].search(fold(around))
        ):
            continue  # "sorry, that sounded like it's your reps' fault" names the slip to mend it
        if _plain_question_or_plan(around.strip(), language):
            continue
        kept.append(flag)
    return kept


# -- the whole turn ----------------------------------------------------------------------------
def read_moves(
    text: str,
    language: str,
    report: ToneReport | None = None,
    counterpart_name: str = "",
    slipped_before: bool = False,
    by_meaning: bool = True,
) -> Moves:
    """What ``text`` did. ``slipped_before``: an earlier turn jabbed (an apology now repairs it)."""
    rules = _RULES[language]
    moves = Moves()
    for sentence in sentences(text):
        f = fold(sentence)
        asked = sentence.rstrip().endswith("?") or sentence.lstrip().startswith("¿")
        for kind in JABS:
            if kind in ("blame", "deflect") and _plain_question_or_plan(sentence, language):
                continue  # "if your team did take them, what would make it worth it?" asks
            if rules[kind].search(f):
                moves.jabs.setdefault(kind, sentence)
        if rules["apology"].search(f):
            moves.kinds.add("apology")
        if rules["ownership"].search(f):
            moves.kinds.add("ownership")
        if rules["acknowledge"].search(f):
            moves.kinds.add("acknowledge")
        if rules["pleasantry"].search(f):
            moves.kinds.add("pleasantry")
        if rules["i_statement"].search(f):
            moves.kinds.add("i-statement")
        if asked and rules["past_why"].search(f.lstrip("¿ ")):
            moves.jabs.setdefault("blame", sentence)
        elif asked and rules["leading_question"].search(f):
            moves.kinds.add("leading-question")
        elif (
            asked
            and rules["open_question"].search(f.lstrip("¿ "))
            and not rules["propose"].search(f)
        ):
            moves.kinds.add("open-question")
            moves.question = moves.question or sentence
        if rules["commit"].search(f):
            moves.kinds.add("commit")
    mended = moves.kinds & {"apology", "ownership"}
    if mended:
        # "I'm sorry, that was unfair" names the slip: its words are not a new jab.
        moves.jabs = {k: s for k, s in moves.jabs.items() if not rules["ownership"].search(fold(s))}
    flagged = analyzer_jabs(text, language, report, mended)
    by_rules = [f for f in flagged if f.rule != "backstop" and not f.rule.startswith("meaning.")]
    # The meaning-based second opinion makes a turn the rules found clean a jab; on a turn the
    # rules already flagged it adds no second kind of jab (no extra heat for the same slip).
    for flag in by_rules or flagged:
        moves.jabs.setdefault(
            "sarcasm" if flag.kind in ("contempt", "passive") else "blame", flag.text
        )
    if by_meaning and not moves.jabs and not mended:
        for sentence in sentences(text):
            if sentence.endswith("?") or _days(fold(sentence), language):
                continue
            kind = jab_by_meaning(sentence, language)
            if kind:
                moves.jabs[kind] = sentence
                break
    if mended:
        moves.kinds.add("acknowledge")
        if slipped_before:
            moves.kinds.add("repair")  # an apology mends only a slip that happened
    proposal = extract_proposal(text, language, counterpart_name)
    if (
        proposal is not None
        and "pleasantry" in moves.kinds
        and not (proposal.when or proposal.fuzzy_when)
    ):
        proposal = None  # "let's keep talking and see how it goes" is a pleasantry, not a plan
    if proposal is not None and not moves.jabs:
        moves.proposal = proposal
        moves.kinds.add("propose")
    if moves.jabs:
        moves.kinds.add("jab")
    return moves

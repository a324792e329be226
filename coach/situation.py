"""Read the situation behind a question: who is asking, from which side, with whom, where, when.

Plain functions over accent-folded text, no I/O. Each reading is ``None`` when the words do not
say it: a wrong guess ("you were the one who criticised") does more harm than asking. The
answer uses the reading to pick the playbook written for this side and to speak to the asker
in their own words ("for your one-on-one tomorrow with your star rep").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from coach.agency import who_acted
from coach.language import detect_language
from coach.tone import fold


@dataclass(frozen=True)
class Situation:
    asker: str | None = None  # marketing | sales | leadership | finance | other
    stance: str | None = None  # received | caused | mediating | initiating
    counterpart: str | None = None  # the other person or team, in the user's words
    channel: str | None = None  # meeting | one-on-one | written | public
    when: str | None = None  # the user's words: "mañana", "on Monday"
    # The side came from the learned reader, not from the words the rules know: a probable
    # reading, so where the two sides' playbooks are equally close coach still asks.
    stance_learned: bool = field(default=False, compare=False)
    # It was the asker's own people who said or did it, not the asker ("mis vendedores se
    # burlaron…"): the asker answers for them, but has no words of their own to take back.
    own_people: bool = field(default=False, compare=False)

    def to_dict(self) -> dict:
        reading = asdict(self)
        reading.pop("stance_learned")
        reading.pop("own_people")
        return reading


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# -- who is asking ------------------------------------------------------------------------
_MKT = r"(?:marketing|mercadotecnia|mkt|growth|demand gen|brand|contenido|content|mercadeo)"
_SALES = r"(?:sales|ventas|comercial|commercial|revenue|sdr|bdr|account exec\w*)"
# Up to three words between "I'm" and the team ("I'm the regional ... of sales"), none of them a
# verb in -ing ("I'm telling the sales team" says nothing about who is speaking) nor a word that
# starts another clause ("soy vendedor y marketing no me pasa leads" is a seller).
_ROLE_WORDS = r"(?:(?!\w+ing\b|(?:and|but|or|who|that|y|e|o|pero|que|con|with)\b)[\w-]+ ){0,3}"
_HERE = r"(?:manager|lead|director|head|vp|rep|marketer|coordinator) here\b"
_SELF = {
    "leadership": _any(
        r"\b(?:i am|i'm|im|as) (?:the |our )?(?:ceo|coo|gm|general manager|founder|co-?founder|"
        r"managing director|president|cro|chief revenue officer|country manager|owner)\b(?!')",
        r"\b(?:ceo|coo|founder|gm|general manager) here\b",
        r"\bover both (?:teams|departments|areas)\b|\bboth (?:teams|heads) report to me\b",
        r"\b(?:marketing and sales|sales and marketing) both report to me\b",
        r"\bsoy (?:el |la )?(?:ceo|coo|gm|director general|directora general|gerente general|"
        r"fundador|fundadora|cofundador|duen[oa]|presidente|presidenta|country manager)\b",
        r"\bboth leadership teams\b|\bi want to set up pods\b",
        r"\bcomo (?:ceo|director general|directora general|gerente general|fundador|duen[oa])\b",
        r"\bboth (?:teams|heads|directors|departments)\b.{0,30}\breport to me\b",
        r"\b(?:los dos|ambos|ambas) (?:equipos|areas|directores|directoras)\b.{0,30}\bme reportan\b",
        r"\bme reportan (?:los dos|ambos|ambas)\b",
        r"\bi (?:run|lead|manage) both\b|\bdirijo (?:las dos|ambas)\b",
        r"\bi (?:run|own|founded|co-?founded) (?:the|this|our) (?:company|business|firm|startup)\b|"
        r"\b(?:dirijo|fund[eé]) (?:la|esta|nuestra) (?:empresa|compania|startup)\b",
        r"\bmy (?:two|2) (?:directors|heads|vps)\b|\bmis dos (?:directores|directoras|gerentes)\b",
        r"\b(?:i'?m|i am|as) (?:the )?(?:vp|head|chief) of revenue\b|\btengo a mi cargo (?:a )?(?:marketing "
        r"y ventas|ventas y marketing|(?:los|ambos|las) (?:dos )?(?:equipos|areas))\b|\((?:ceo|coo|gm|"
        r"cro|founder)\)",
    ),
    "finance": _any(
        r"\b(?:i am|i'm|im|as) (?:the |our |an? )?(?:cfo|controller|finance (?:director|lead|manager)|"
        r"head of finance|fp&a)\b",
        r"\b(?:i calculate|i run|i do) (?:the )?(?:commissions|payroll|bonus\w*)\b",
        r"\bcalculo (?:las )?comisiones\b",
        r"\bi (?:work|am) in finance\b",
        r"\bsoy (?:el |la )?(?:cfo|contralor|contralora|director financiero|directora financiera|"
        r"de finanzas|controller)\b",
        r"\bcomo (?:cfo|director financiero|directora financiera|finanzas)\b",
        r"\b(?:trabajo|estoy) en finanzas\b",
        r"\b(?:desde|en) finanzas (?:nos|me|hemos|recortamos|decidimos|pedimos|vemos)\b|\b(?:finance|"
        r"fp ?& ?a)(?: lead| manager| analyst)? here\b|\bi'?m in (?:fp ?& ?a|fpa|finance)\b",
        r"\bi'?m (?:a |an |the )?(?:fp ?& ?a|finance|financial) (?:analyst|controller|business partner|"
        r"manager|director|lead|partner)\b|\bi'?m (?:a |an |the )?finance business partner\b",
        r"\bsoy (?:el |la |un |una )?(?:analista financier[oa]|analista de finanzas|controller "
        r"financier[oa]|del area de finanzas|de fp ?& ?a)\b",
    ),
    "other": _any(
        r"\b(?:i am|i'm|im|as) (?:the |a |an )?(?:\w+ )?(?:hr|people partner|hrbp|product manager|"
        r"customer success|cs manager|ops manager|intern|data analyst|analyst|lawyer|"
        r"legal counsel)\b",
        r"\b(?:i'm|i am) the (?:ceo|cmo|cro|cfo)'s (?:executive )?assistant\b",
        r"\bnot in (?:marketing|sales) or (?:marketing|sales)\b",
        r"\bi (?:work|am) in (?:hr|product|customer success|people|legal)\b",
        r"\bsoy (?:el |la |de )?(?:rrhh|recursos humanos|product manager|gerente de producto|"
        r"customer success|becari[oa]|asistente|abogad[oa]|analista de datos)\b",
        r"\bsoy (?:el |la )?director[a]? de personas\b",
        r"\bsoy de (?:rr\.? ?hh\.?|recursos humanos|producto|legal|operaciones|revops)\b|\bllevo "
        r"revops\b|\b(?:i'?m|i am) in (?:legal|hr|product|ops|operations|revops)\b",
        r"\b(?:ops|hr|legal|revops|product|pm) (?:lead |manager |person )?here\b|\bi'?m the office "
        r"manager\b|\b(?:i|we) run revops\b",
        r"\b(?:trabajo|estoy) en (?:rrhh|recursos humanos|producto|customer success|"
        r"el area legal|legal)\b",
    ),
    "marketing": _any(
        rf"\b(?:i am|i'm|im|as) (?:the |a |an |our )?{_ROLE_WORDS}(?:of |in )?{_MKT}\b",
        rf"\b(?:i work|i'm|i am) (?:in|on) (?:the )?{_MKT}\b",
        rf"\b{_MKT} {_HERE}|\bi run (?:a |the |our )?(?:[\w-]+ ){{0,2}}{_MKT}\b",
        rf"\b(?:dirijo|llevo|lidero) (?:el |la |las )?(?:\w+ ){{0,2}}(?:de )?{_MKT}\b",
        rf"\bsomos (?:\w+ )?en {_MKT}\b|\b(?:acabo de entrar|entre) (?:a|en) {_MKT}\b",
        rf"\bwe'?re (?:a team of )?(?:\w+ )?in {_MKT}\b|\bi (?:just )?joined (?:the )?{_MKT}\b",
        rf"\bmy {_MKT} team\b|\bour {_MKT} team\b|\bwe in {_MKT}\b",
        r"\b(?:our|my) (?:leads|mqls|campaigns?|webinars?|content|brand|events?|newsletter|"
        r"battlecards?|case stud\w+|decks?)\b",
        r"\bthe leads (?:we|i) (?:send|sent|pass|passed|generate)\b",
        r"\bi'?m (?:a |the )?(?:cmo|(?:product |field |growth |content )?marketer|"
        r"content (?:lead|manager|writer)|brand manager|"
        r"(?:marketing|campaign|event|demand gen) (?:coordinator|manager|lead|specialist|analyst))\b",
        rf"\bsoy (?:el |la |un |una )?{_ROLE_WORDS}(?:de |en )?{_MKT}\b",
        rf"\b(?:trabajo|estoy) en {_MKT}\b",
        rf"\bmi (?:equipo|area) de {_MKT}\b|\bnuestro equipo de {_MKT}\b",
        r"\b(?:nuestros|mis) (?:leads|prospectos|mqls|contactos|webinars?|eventos?|contenidos?)\b",
        r"\b(?:nuestra|mi) (?:campana|marca|landing|newsletter)\b",
        r"\blos leads que (?:mandamos|enviamos|generamos|pasamos)\b",
        r"\b(?:organice|organizamos|monte|montamos) (?:el|la|un|una|nuestro|nuestra) (?:\w+ )?"
        r"(?:evento|webinar|desayuno|feria|campana|lanzamiento)\b",
        r"\bi (?:organized|organised|ran|hosted) (?:the|an|our|a) (?:\w+ )?(?:event|webinar|"
        r"breakfast|campaign|roundtable)\b",
        r"\bsoy (?:el |la )?cmo\b",
        r"(?:^|[.!?] )(?:the |a )?new (?:cmo|head of marketing|marketing director|vp (?:of )?marketing)\b|"
        r"\b(?:i|we) run marketing ops\b",
    ),
    "sales": _any(
        rf"\b(?:i am|i'm|im|as) (?:the |a |an |our )?{_ROLE_WORDS}(?:of |in )?{_SALES}\b",
        rf"\b(?:i work|i'm|i am) (?:in|on) (?:the )?{_SALES}\b",
        r"\bi'?m (?:a |an |the |their |your )?(?:rep|salesperson|seller|account manager|ae|cro)\b",
        rf"\b{_SALES} {_HERE}|\bi run (?:a |the |our )?(?:[\w-]+ ){{0,2}}{_SALES}\b",
        rf"\b(?:dirijo|llevo|lidero) (?:el |la |las )?(?:\w+ ){{0,2}}(?:de )?{_SALES}\b",
        rf"\bsomos (?:\w+ )?en {_SALES}\b|\b(?:acabo de entrar|entre) (?:a|en) {_SALES}\b",
        rf"\bwe'?re (?:a team of )?(?:\w+ )?in {_SALES}\b|\bi (?:just )?joined (?:the )?{_SALES}\b",
        r"\b(?:my|our) (?:reps|sellers|salespeople|quota|pipeline|deals?|sales team|"
        r"account executives|sdrs|bdrs|closers)\b",
        r"\b(?:one of my|my best|my top|my star) (?:reps?|sellers?|salespeople|ae|aes|sdrs?)\b",
        rf"\bsoy (?:el |la |un |una )?{_ROLE_WORDS}(?:de |en )?{_SALES}\b",
        r"\bsoy (?:vendedor|vendedora|ejecutiv[oa] de (?:cuenta|ventas)|comercial|sdr|bdr)\b",
        r"\b(?:mis|nuestros) (?:vendedor(?:es|as)|comerciales|ejecutivos|sdrs|reps)\b",
        r"\bun (?:vendedor|comercial|ejecutivo) de mi equipo\b",
        r"\bmi (?:vendedor|vendedora|ejecutiv[oa]|equipo comercial|equipo de ventas|cuota)\b",
        r"\b(?:nuestra|mi) cuota\b|\bmi pipeline\b|\bi carry (?:a )?quota\b|\bllevo cuota\b",
        r"(?:^|[.!?] )(?:the |a )?new (?:vp (?:of )?sales|head of sales|sales director|cro)\b|"
        r"\b(?:i|we) run sales ops\b",
    ),
}
# The other team named as "they": the asker is most likely on the other side.
_THEY_SALES = re.compile(
    r"\b(?:sales|the reps|ventas|los vendedores|los comerciales|el equipo comercial|"
    r"(?:head|director|vp) of sales|sales (?:director|manager|lead|team)|"
    r"(?:el|la|al|del) (?:director|directora|gerente|jefe|jefa) (?:comercial|de ventas))\b"
)
_THEY_MKT = re.compile(
    rf"\b(?:{_MKT}|(?:head|director|vp) of marketing|the cmo|el cmo|la cmo|"
    r"(?:el|la) (?:director|directora|gerente|jefe|jefa) de (?:marketing|mercadotecnia))\b"
)
_ASKER_ORDER = ("leadership", "finance", "other", "sales", "marketing")


# Quoted words are someone else speaking ("a waste of my reps' time"): not who is asking.
_QUOTED = re.compile(r"\"[^\"]{1,160}\"|“[^”]{1,160}”|«[^»]{1,160}»|(?<!\w)'[^']{3,160}'(?!\w)")


# A wider net for who the asker says they are: a self-introduction ("I'm…", "as…", "soy…",
# "como…", "(VP Sales)" after "me") followed by a role, and the role read by word lists. Read when
# the phrasings above found nothing.
_INTRO = re.compile(
    r"(?:\b(?:i am|i'm|im|as|i work as|i'm on|i am on|i'm in|i work in|i run|i manage|i handle|"
    r"i coordinate|soy|como|trabajo (?:como|en)|estoy en|llevo|coordino|gestiono|manejo|"
    r"entre (?:hace [\w ]{1,15} )?como)\b|\b(?:me|i|yo) \((?:soy |i'?m )?)"
    r" ?(?:the |a |an |our |el |la |un |una |de |del )?(?P<role>(?!\w+ing\b)[\w&\- ]{2,48})"
)
# Where a role ends: "soy la responsable de eventos y el proyecto es mío" is about events.
_ROLE_END = re.compile(r" (?:y|and|que|who|con|with|for|para|en el|en la|since|desde) ")
_ROLE_WORDS_BY_ASKER = {
    "leadership": r"\b(?:ceo|coo|founder|co-?founder|fundador\w*|gm|general manager|director[a]? "
    r"general|gerente general|managing director|president\w*|cro|chief revenue officer|country "
    r"manager|owner|duen[oa])\b",
    "finance": r"\b(?:cfo|finance|finanzas|financier[oa]|financial|controller|contralor\w*|fp ?& ?a)\b",
    "other": r"\b(?:hr|rr\.? ?hh|recursos humanos|people|product|producto|compras|procurement|"
    r"purchasing|consult\w*|formacion|training|trainer|formador\w*|revops|operaciones|operations|"
    r"ops|proyecto|project|legal|abogad\w+|customer success|support team|soporte|data team|"
    r"atencion al cliente|customer (?:service|support)|servicio al cliente)\b",
    "marketing": r"\b(?:marketing|mkt|mercadotecnia|content|contenidos?|brand|marca|growth|demand "
    r"gen|campaigns?|campanas?|events?|eventos?|cmo|marketer|pr|comunicacion|partner marketing|"
    r"seo|sem|ppc|pmm|copywriter|redactor[a]?|social media|redes sociales|community manager|"
    r"web team|equipo web|digital)\b",
    "sales": r"\b(?:sales|ventas|comercial|commercial|rep|ae|sdr|bdr|account exec\w*|account "
    r"manager|seller|vendedor\w*|closer|kam|key accounts?|cuentas clave|preventa|presales|"
    r"sales engineer|ejecutiv[oa] de cuentas?|inside sales|field sales)\b",
}
_ROLE_RE = {a: re.compile(p) for a, p in _ROLE_WORDS_BY_ASKER.items()}
_TEAM_OPS = re.compile(r"\b(sales|marketing|ventas) (?:ops|operations|operaciones)\b")


def _self_by_role(folded: str) -> str | None:
    for intro in _INTRO.finditer(folded):
        role = _ROLE_END.split(intro.group("role"), maxsplit=1)[0]
        if team := _TEAM_OPS.search(role):  # "sales ops" is sales, "marketing ops" marketing
            return "marketing" if team[1] == "marketing" else "sales"
        found = [a for a in _ASKER_ORDER if _ROLE_RE[a].search(role)]
        if found:
            return found[0] if set(found) != {"marketing", "sales"} else None
    return None


# "I'm in product marketing", "soy becaria de marketing", "a marketing intern": a role that
# would be another area's, inside marketing or sales.
_IN_TEAM = re.compile(
    r"^\s*(?:(?:en|de|in|on|del equipo de) )?(?:the )?(marketing|mercadotecnia|sales|ventas)\b"
)


def _said(folded: str) -> list[str]:
    """The askers the listed self-descriptions name, in _ASKER_ORDER."""
    found = []
    for asker in _ASKER_ORDER:
        m = _SELF[asker].search(folded)
        if not m:
            continue
        if asker == "other":
            within = _IN_TEAM.match(folded[m.end() :])
            inside = re.search(r"\b(marketing|sales)\b", m.group(0))
            team = (inside and inside[1]) or (within and within[1])
            if team:
                asker = "marketing" if team in ("marketing", "mercadotecnia") else "sales"
        if asker not in found:
            found.append(asker)
    return found


def read_self(folded: str) -> str | None:
    """Who the asker says they are, in their own words ("I'm the events manager")."""
    found = _said(folded)
    if not found:
        return _self_by_role(folded)
    if set(found) == {"marketing", "sales"}:
        return _first_of(folded, ("marketing", "sales"))
    return found[0]


def read_asker(folded: str) -> str | None:
    """Who is asking: what they say they are, else the side opposite the team they talk about."""
    return asker_evidence(folded)[0]


def asker_evidence(folded: str) -> tuple[str | None, str]:
    """Who is asking and how it was read: ``self`` (they say so in a listed phrasing), ``role``
    (a self-introduction and a role word), ``they`` (the other team named as "they") or ``none``."""
    folded = _QUOTED.sub(" ", folded)
    found = _said(folded)
    if found:
        if set(found) == {"marketing", "sales"}:
            return _first_of(folded, ("marketing", "sales")), "self"
        return found[0], "self"
    if said := _self_by_role(folded):
        return said, "role"
    they_sales, they_mkt = bool(_THEY_SALES.search(folded)), bool(_THEY_MKT.search(folded))
    if they_sales and not they_mkt:
        return "marketing", "they"
    if they_mkt and not they_sales:
        return "sales", "they"
    return None, "none"


def _first_of(folded: str, askers: tuple[str, ...]) -> str:
    positions = {a: _SELF[a].search(folded).start() for a in askers}
    return min(positions, key=positions.get)


# -- from which side ----------------------------------------------------------------------
_STANCE = {
    "caused": _any(
        # (second dev set) what I or my own people did, and its consequence for me
        r"\bone of my (?:[\w-]+ ){1,2}(?:posted|said|wrote|told|called|mocked|joked|trashed)\b",
        r"\bi (?:blocked|cut|cancelled|canceled|pulled|killed|rejected|vetoed|changed|moved|"
        r"announced|sent|approved|skipped|gave|pushed|removed|dropped)\b.{0,90}\b(?:and now|now)\b",
        r"\b(?:i|we)\b (?:[\w-]+ ){0,8}without (?:telling|talking to|asking|consulting|checking "
        r"with|warning|looping in|letting)\b",
        r"\b(?:furious|livid|upset|annoyed|angry|mad) (?:with|at) me\b|\b(?:molest\w+|enojad\w+|"
        r"furios\w+|a la defensiva) conmigo\b|\bno me (?:habla|hablan|dirige la palabra)\b",
        r"\b(?:recortamos|cambiamos|lanzamos|movimos|quitamos|decidimos|aprobamos|recorte|cambie|"
        r"lance|movi|quite|decidi|aprobe|bloquee|anuncie|mande|envie)\b.{0,80}\bsin (?:consultar|"
        r"avisar|decir|preguntar|contar)\w*",
        r"(?<!que )(?<!que es )\b(?:culpa nuestra|culpa mia|my fault|our fault|our bad)\b",
        r"\b(?:solte|deje caer) que\b|\bsays i (?:wrecked|ruined|broke|messed up|undermined|hurt)\b",
        r"\bi (?:lost my temper|snapped|yelled|shouted|blew up|lost it|was rude|was harsh|"
        r"overreacted|messed up|screwed up|criticized|criticised|blamed|called (?:them|him|her|"
        r"their)|said (?:something|that)|told (?:him|her|them) (?:that )?(?:their|his|her))",
        r"\b(?:my|our) (?:comment|feedback|email|message|remark|joke|words)\b.{0,40}"
        r"\b(?:upset|offended|hurt|landed badly|took it personally|was taken)\b",
        r"\btook (?:my|our) (?:feedback|comment|words) personally\b",
        r"\bwe (?:launched|sent|announced|shipped|changed|released)\b.{0,60}\bwithout (?:telling|"
        r"letting|warning|looping)\b",
        r"\b(?:forgot|forgotten) to (?:tell|loop in|warn|inform|brief|invite)\b",
        r"\bi gave (?:[\w-]+ ){0,7}(?:notes|feedback|comments|criticism)\b",
        r"\bi (?:was|came across as) (?:too |really |way too )?(?:harsh|rude|blunt|sarcastic|"
        r"dismissive|aggressive)\b|\bmy (?:email|message|comment) came across\b",
        r"\bfui (?:muy |demasiado )?(?:dur[oa]|groser[oa]|brusc[oa]|sarcastic[oa])\b|"
        r"\bmi (?:correo|mensaje|comentario) sono\b|\ble dije (?:que su|algo)\b",
        r"\bi (?:promised|committed|offered) (?:a|the|our|my) (?:prospect|client|customer)\b",
        r"\b(?:annoyed|angry|upset|livid|furious) (?:that|because) i\b",
        r"\b(?:my|our) (?:team|reps|people|sellers|salespeople)\b.{0,20}\b(?:didn'?t|never|did not)"
        r" (?:show|turn) up\b",
        r"\b(?:my|one of my) (?:\w+ ){0,2}(?:reps?|sellers?|marketers?|reports?|"
        r"team members?|people|managers?|aes?|sdrs?)\b.{0,40}\b(?:said|posted|wrote|trashed|"
        r"called|told|complained|bad-?mouth\w*|vented|replied|laughed|mocked|joked|"
        r"(?:keeps? )?(?:calling|mocking|trashing|joking|laughing|making fun)|mocks|trashes|"
        r"makes fun)\b",
        r"\bperdi (?:los estribos|la paciencia|la calma|el control)\b",
        r"\b(?:le|les) (?:grite|hable feo|conteste mal|falte al respeto)\b",
        r"\bme (?:pase|excedi|equivoque|puse agresiv[oa])\b|\bmeti la pata\b|\bexplote\b",
        r"\bmi (?:comentario|correo|mensaje|critica|feedback|broma)\b.{0,50}"
        r"\b(?:molest|ofend|cayo mal|lo tomo personal|se lo tomo|dolio)\w*",
        r"\bse (?:tomo|tomaron) (?:muy )?(?:a mal|personal)\b.{0,40}\b(?:lo que|mi|mis)\b",
        r"\b(?:lanzamos|mandamos|enviamos|anunciamos|publicamos|cambiamos)\b.{0,60}"
        r"\bsin (?:avisar|decir|informar|contarle)\w*",
        r"\bse nos olvido (?:avisar|decir)\b|\bolvidamos (?:avisar|decirle)\w*",
        r"\b(?:mi|mis|uno de mis|una de mis) (?:\w+ ){0,2}(?:vendedor|vendedora|vendedores|"
        r"comercial|comerciales|ejecutiv[oa]s?|colaborador|colaboradora|reporte|gente|equipo)\b"
        r".{0,50}\b(?:dijo|publico|escribio|puso|llamo|hablo mal|se quejo|critico|se rieron|"
        r"se burlaron|se pasaron|contesto|respondio)\b",
        r"\b(?:mi equipo|mis (?:comerciales|vendedores|vendedoras))\b.{0,20}\bno (?:se presento|"
        r"se presentaron|aparecio|aparecieron|fue|fueron|llego|llegaron)\b",
        r"\b(?:molest[oa]|enojad[oa]|enfadad[oa]|furios[oa])\b.{0,20}\by con razon\b",
        r"\b(?:y )?(?:yo )?(?:respondi|conteste|reaccione) (?:fatal|muy mal|mal|feo|de mala manera)\b",
        r"\bi (?:snapped|shot) back\b|\bi (?:answered|responded|reacted) (?:badly|poorly|angrily)\b",
    ),
    "received": _any(
        r"\b(?:blam\w+|accus\w+|yell\w*|shout\w*|humiliat\w+|mock\w*|trash\w*|correct\w*|"
        r"criticiz\w+|criticis\w+|ignor\w+|dump\w*)\b (?:[\w-]+ ){0,4}(?:me|us|my team|my reps|our)\b",
        r"\b(?:none|nobody|no one|neither)\b (?:[\w-]+ ){0,4}(?:knew|told|replied|answered|warned|"
        r"showed up)\b",
        r"\bi (?:looked|felt) like (?:an idiot|a fool)\b|\bquede como\b|\bme sento (?:como un tiro|"
        r"fatal|mal)\b|\bme (?:reclaman|culpan|acusan|ignoran)\b|\b(?:me|nos) (?:ha|han) puesto a "
        r"parir\b",
        r"\b(?:encima|y ahora) (?:\w+ ){0,2}dicen que\b|\b(?:dicen|dice|dijo|dijeron) que (?:es |fue )?"
        r"(?:culpa nuestra|nuestra culpa|culpa mia)\b",
        r"\b(?:implied|suggested|claimed|hinted)\b (?:that )?(?:my team|my reps|we|i) (?:is|are|was|"
        r"were|am)\b|\b(?:both|they) (?:say|said|claim|think) (?:that )?my\b",
        r"\blleva\w* (?:\w+ ){0,3}sin (?:entregar|contestar|responder|mandar)\b|\b(?:no se paso|no "
        r"vino|no vinieron|no aparecio|didn'?t (?:come|show up)) (?:\w+ ){0,3}(?:nuestro|nuestra|our)\b",
        r"\b(?:says?|said|told|claims?|called|calls)\b.{0,40}\b(?:our|my|us|me)\b.{0,30}"
        r"\b(?:garbage|trash|useless|junk|worthless|bad|terrible|crap|waste)\b",
        r"\b(?:blamed|blames|blaming|criticized|criticised|criticizes|attacked|called out|"
        r"threw\b.{0,12}under the bus)\b.{0,30}\b(?:me|us|my team|our team)\b",
        r"\b(?:ignores?|ignored|ignoring|ghost\w*|left on read|never (?:answers|replies|responds)|"
        r"doesn'?t (?:answer|reply|respond)|won'?t (?:answer|reply|meet))\b",
        r"\b(?:went|goes|going) (?:over|around) my head\b|\bwent straight to my boss\b",
        r"\b(?:found|find) out (?:from|through|via) (?:a |the |our )?(?:customers?|clients?|linkedin)\b",
        r"\bnobody (?:told|warned|informed) (?:me|us)\b|\bwithout telling (?:me|us)\b",
        r"\b(?:in front of|during|at) (?:the |our |everyone|all)\b.{0,40}\b(?:said|criticized|"
        r"blamed|trashed)\b.{0,30}\b(?:me|us|my|our)\b",
        r"\bwhose fault\b.{0,40}\b(?:asks?|asked|wants to know)\b|\b(?:asks?|asked) me whose fault\b",
        r"\b(?:dice|dijo|dicen|dijeron|acusa|acuso|llamo)\b.{0,40}\b(?:nuestros|nuestras|mis|mi|"
        r"nos|me|marketing|mercadotecnia|ventas)\b.{0,30}\b(?:basura|no sirven?|no valen?|"
        r"inutiles?|malos?|malas?|pesimos?|desastre)\b",
        r"\bque (?:marketing|mercadotecnia|ventas) no sirve\b",
        r"\b(?:nos|me) (?:echo|echan|echaron|culpa|culpan|culparon|critico|criticaron|ataco|"
        r"exhibio|balconeo|ignora|ignoran|ignoro|dejo en visto)\b",
        r"\b(?:me|nos) (?:deja|dejan|dejaron) en visto\b|\bno (?:me|nos) (?:contesta|contestan|"
        r"responde|responden|hace caso|hacen caso|pela|pelan)\b",
        r"\bpaso por encima de mi\b|\bse fue directo con mi (?:jefe|jefa)\b",
        r"\b(?:nos|me) (?:enteramos|entere) por (?:los |un |una )?(?:clientes?|linkedin)\b",
        r"\bnadie (?:nos|me) (?:aviso|dijo|informo)\b|\bsin avisarnos\b|\bsin decirnos\b",
        r"\b(?:me|nos) pregunta\w* de quien (?:es|fue) la culpa\b|\bquiere saber de quien\b",
        r"\b(?:never|didn'?t|did not) (?:show(?:ed)? up|turn(?:ed)? up)\b",
        r"\bhasn'?t said a word\b|\bno reply\b|\bneither team (?:answers|replies)\b|"
        r"\bnobody (?:answers|replies|followed up|called)\b",
        r"\bnobody in (?:sales|marketing) knew\b|\bi'?ve never seen\b",
        r"\bcalled (?:our|my|us)\b|\b(?:mocks?|mocked|laughs? at|laughed at|makes? fun of|made fun"
        r" of)\b.{0,30}\b(?:our|my|us|me)\b",
        r"\bnames?\b.{0,40}\bas the (?:main )?cause\b|\bslide on my team'?s\b",
        r"\b(?:told|tells|said|says) (?:[\w-]+ ){0,5}that (?:marketing|sales|my|our)\b",
        r"\b(?:hates?|hated) (?:it|us|our|my)\b|\bangry (?:emails|screenshots|messages)\b",
        r"\b\d+ of (?:the )?\d+ (?:reps|sellers) (?:opened|used|read)\b|\bnobody (?:uses|used|"
        r"opened|reads)\b",
        r"\bstabbed in the back\b|\bi'?m fuming\b|\bi'?m (?:\w+ ){0,3}hurt\b|\bunfair\b",
        r"\bno (?:aparecio|aparecieron|se presento|se presentaron|vino|vinieron)\b",
        r"\bningun (?:vendedor|comercial)\b.{0,40}\b(?:seguimiento|llamo|contacto)\b|"
        r"\bnadie (?:les )?dio seguimiento\b",
        r"\b(?:va|anda|andan|van) diciendo\b|\bla culpa es (?:nuestra|mia|de mi equipo)\b",
        r"\b(?:dijo|dice|dijeron|dicen) que \W?(?:marketing|ventas|mi equipo|nuestr\w+)\b",
        r"\bse burl(?:o|aron|a|an) de (?:nuestr\w+|mi|mis|nosotros)\b|\bse rieron de (?:nuestr\w+|mi)\b",
        r"\b(?:me|nos) acus\w+|\baccus\w+ (?:me|us)\b",
        r"\bsiguen (?:tirando de|usando)\b",
        r"\bquieren (?:repartir|quitarme|quitarnos)\b|\bme parece injusto\b|\bme da (?:mucha )?rabia\b",
        r"\bestoy (?:furios[oa]|dolid[oa])\b|\bme dolio\b",
        r"\b(?:dismissed|trashed|ridiculed) (?:our|my|us|me)\b|\btook (?:the )?credit\b|"
        r"\bbehind my back\b|\bcomplained about (?:us|me|my|our)\b|\bescalated (?:it )?to my\b",
        r"\bse (?:llevo|atribuyo) (?:el )?merito\b|\ba mis espaldas\b|\bnos ningunea\w*|"
        r"\bse quej(?:o|aron) de (?:nosotros|mi|nuestr\w+)\b|\bno (?:nos|me) toma\w* en cuenta\b",
    ),
    "mediating": _any(
        r"\b(?:quede|estoy|quedo|me quede) en (?:el )?medio\b|\bstuck between\b",
        r"\b(?:no se hablan|sin hablarse|se estan peleando|se pelean|don'?t (?:talk|speak) to each "
        r"other|aren'?t (?:talking|speaking) to each other)\b",
        r"\bponer orden\b|\bpresidir\b|\b(?:tengo|me toca) (?:que )?decidir\b|\bi have to decide "
        r"between\b",
        r"\bculpa a (?:\w+ )?(?:marketing|ventas)\b.{0,40}\bculpa a (?:\w+ )?(?:marketing|ventas)\b|"
        r"\bcada uno culpa al otro\b|\bse culpan\b",
        r"\b(?:both|each) (?:[\w-]+ ){0,3}(?:wants?|asks?) me to\b|\b(?:los dos|ambos|cada uno) "
        r"(?:\w+ ){0,3}(?:me piden?|quiere que (?:yo )?(?:valide|decida|apruebe))\b",
        r"\b(?:asked|told|wants) me to (?:run|chair|lead|facilitate|sort out|settle)\b|\bme pidio que "
        r"(?:arbitre|medie|modere|dirija)\b",
        # "between my two directors", not "an SLA between marketing and sales" (a topic)
        r"\bbetween (?:my |the |our )?(?:two|heads|directors)\b",
        r"\b(?:my|the) (?:heads|directors|vps) of (?:marketing and sales|sales and marketing)\b",
        r"\b(?:marketing and sales|sales and marketing) (?:are|keep|won'?t|can'?t|don'?t)\b.{0,30}"
        r"\b(?:fight\w*|argu\w*|clash\w*|talk\w*|agree\w*|blam\w*)\b",
        r"\b(?:both teams|both sides|the two teams)\b.{0,40}\b(?:blame|fight|argue|point|"
        r"disagree|claim)\w*",
        r"\bentre (?:mis |los |las )?(?:dos|directores|directoras)\b",
        r"\b(?:marketing y ventas|ventas y marketing|los dos equipos|ambos equipos|las dos areas)\b"
        r".{0,40}\b(?:pelean|discuten|chocan|se culpan|no se hablan|no se ponen de acuerdo|"
        r"se echan la culpa)\b",
        r"\bmediar\b|\bmediate\b|\breferee\b|\barbitr\w+",
        r"\bcaught in the middle\b|\bin the middle of (?:them|both)\b|\ben medio de\b",
        r"\b(?:se estan|estan|se siguen) echando la culpa\b|\bblaming each other\b|"
        r"\bpreparing their defen[cs]e\b",
        r"\bmarketing (?:says|wants)\b.{0,80}\bsales (?:says|wants)\b|\bsales (?:says|wants)\b"
        r".{0,80}\bmarketing (?:says|wants)\b",
        r"\bmarketing quiere\b.{0,80}\bventas (?:quiere|no)\b|\bventas quiere\b.{0,80}\bmarketing "
        r"(?:quiere|no)\b",
        r"\bventas dice\b.{0,80}\bmarketing dice\b|\bmarketing dice\b.{0,80}\bventas dice\b",
        r"\bboth claim\b|\b(?:marketing and sales|sales and marketing) both\b|\bcada uno dice\b|"
        r"\beach (?:team|side) says\b",
        r"\btension between\b|\b(?:marketing-sales|sales-marketing) tension\b|"
        r"\b(?:tension|resentimiento|roces?) entre\b",
        r"\bget both teams in (?:one|the same) room\b|\bjuntar a (?:los dos|ambos) equipos\b",
        r"\btwo of my (?:directors|managers|reports|leads|heads)\b|\bdos de mis (?:directores|"
        r"directoras|gerentes|jefes|reportes)\b|\bentre (?:mis|los|las) dos\b",
    ),
    "initiating": _any(
        r"\bhow (?:do|can|should) i (?:tell|ask|propose|raise|bring up|say no|push back|convince|"
        r"get|pitch|present|set up|start|suggest|announce|introduce|explain)\b",
        r"\bi (?:want|need|have|would like|'d like) to (?:tell|ask|propose|raise|bring up|say no|"
        r"push back|convince|pitch|present|set up|start|suggest|announce|introduce|move|change)\b",
        r"\bcomo (?:le |les )?(?:digo|pido|propongo|planteo|saco el tema|convenzo|presento|"
        r"explico|anuncio|niego|hago para)\b",
        r"\b(?:quiero|necesito|tengo que|me gustaria) (?:decirle|pedirle|pedir|proponer|plantear|"
        r"convencer|presentar|anunciar|decir que no|negarme|cambiar|mover|armar|sacar el tema)\b",
        # Nothing was done to them, by them or between others, and they ask how to act.
        r"\bhow (?:do|can|should|would) (?:i|we)\b|\bwhat (?:do|should) i (?:say|do|tell)\b|"
        r"\bhelp me\b|\bany ideas\b|\b(?:i want|i need|i'?d like|i have) to\b|"
        r"\bi'?m (?:going to|telling|presenting|announcing)\b|\bi present\b|\bwhere do i start\b|"
        r"\bwhat'?s my move\b|\bhelp\W*$",
        r"\bcomo (?:lo |la |le |les |me |se |nos )?[a-z]+(?:o|amos)\b|\bpor donde (?:arranco|empiezo)\b|"
        r"\b(?:quiero|necesito|tengo que|me toca|voy a)\b|\bayudame\b",
    ),
}
# Caused before received (what the asker's own people did comes first), mediating before received
# ("sales says ... and marketing says ..." is a fight between others).
_STANCE_ORDER = ("caused", "mediating", "received", "initiating")


# Families of evidence for a side, over word lists rather than phrasings: read when the rules
# above found nothing, or only a request ("how do I…", which every side makes). Written from the
# third dev set's misses (dev3a) and checked on its other half (dev3b) and the first two sets.
_I_DID = (  # the asker's own act, in the first person past
    r"\bi (?:told|said|called|wrote|replied|answered|emailed|sent|posted|presented|promised|"
    r"blamed|accused|critici[sz]ed|yelled|shouted|snapped|ordered|gave|forwarded|cancelled|"
    r"canceled|changed|cut|pulled|launched|reassigned)\b"
)
_STANCE_FAMILIES = {
    "caused": _any(
        r"\bi was the one who\b|\bit was me who\b|\bfui yo (?:quien|el que|la que)\b|\bi want to "
        r"own (?:it|this|my)\b|\bme pase\b|\bfue un calenton\b|\bpido perdon\b|\bhow do i "
        r"apologi[sz]e\b|\bi said it badly\b|\bi (?:kind of |sort of )?(?:blew up|lost it)\b|"
        r"\bi (?:was|went) (?:out of line|too far|too harsh)\b|\bperdi los papeles\b",
        _I_DID + r"[^.!?]{0,160}\b(?:now|since then|ever since|and (?:she|he|they)(?:'s| is| are|"
        r"'re)?)\b",
        _I_DID + r" (?:\w+ ){0,6}['\"‘“]",
        r"\bse lo tomo (?:fatal|mal|a mal|como algo personal)\b|\ble sento (?:mal|fatal)\b|"
        r"\bse sintio (?:atacad[oa]|ofendid[oa]|senalad[oa])\b|\b(?:icing|freezing|shutting) me "
        r"out\b|\bnot answering my\b|\bsin hablarme\b|\btook it (?:badly|personally|the wrong way)"
        r"\b|\bya no me (?:pone|ponen|habla|hablan|contesta)\b",
        r"\b(?:one of my|my|mi|una de mis|uno de mis) (?:\w+ ){0,3}(?:rep|reps|marketers?|writers?|"
        r"responsable|comercial\w*|vendedor\w*|analyst|copywriter|designer|sdrs?)\b,? (?:\w+,? )"
        r"{0,2}(?:posted|said|wrote|replied|told|contesto|dijo|escribio|publico|puso)\b",
    ),
    "mediating": _any(
        r"\beach other\b|\bmutuamente\b|\bentre (?:ellos|ellas|si)\b|\bno se (?:soportan|"
        r"aguantan|entienden)\b|\bse (?:han denunciado|acusan|atribuye\w*)\b|\bscreaming match\b|"
        r"\bwon'?t (?:be on|sit in) the same\b|\bhate each other\b",
        r"\bboth (?:of them |my )?(?:report to me|(?:heads|leads|directors|managers) (?:want|"
        r"report))\b|\bi manage both\b|\b(?:tengo a mi cargo|me reportan) (?:a )?(?:la|el|los|las|"
        r"ambos|los dos)\b|\bneither (?:budges|side|one)\b|\bcada uno (?:cree|dice|quiere|se)\b|"
        r"\blos dos (?:directores|directoras|equipos|jefes|quieren)\b",
        r"\b(?:moderar|arbitrar|mediar|facilitar|facilite|refereeing|moderate|facilitate)\b",
        r"\b(?:two|dos) (?:managers|mandos|directores|heads|leads|jefes)\b[^.!?]{0,80}\b(?:each "
        r"other|mutuamente|complaints?|denuncia\w*|fighting|pelea\w*|discut\w+)\b",
        r"\b(?:llevan|have been|keep) (?:\w+ ){0,2}(?:discutiendo|peleando|fighting|arguing|"
        r"clashing)\b|\b(?:duplicating|duplicandolo)\b",
        r"\bboth (?:heads|teams|directors) want\b|\b(?:they|both) want their (?:number|figure)\b",
    ),
    "received": _any(
        r"\b(?:\d|two|three|four|five|tres|dos|cuatro|cinco) (?:times|veces)\b[^.!?]{0,100}"
        r"\b(?:nothing|nada|no answer|no reply|sin respuesta)\b|\bstill ['\"‘“]?in the queue\b|"
        r"\b(?:cancelled|canceled|skipped) (?:\d|two|three|four) in a row\b|\bdoesn'?t show up\b",
        r"\b(?:asked me|me pregunto) (?:point blank|a bocajarro|in front|delante)\b",
        r"\b(?:insinuo|insinuated|hinted|implied)\b|\b(?:told|said to) the (?:ceo|board|vp|cro|"
        r"cmo)\b[^.!?]{0,60}\b(?:our|my)\b|\bsaid in (?:standup|the meeting|the all-hands)\b",
        r"\bi'?m (?:really |so |seriously )?(?:pissed|furious|livid|fuming|mortified|frustrated|"
        r"so done)\b|\bme hierve la sangre\b|\bestoy (?:indignad\w|furios\w|hart[oa]|que trino)\b",
        r"\b(?:held accountable|hold (?:them|marketing|sales) accountable)\b",
    ),
}
# Spanish first-person preterite, read with its accent ("culpé", "presenté", "prometí"): folded,
# many of these are other words ("presente", "corte", "llame").
_YO_HICE = re.compile(
    r"\b(?:le |les )?(?:culpé|presenté|prometí|llamé|mandé|envié|contesté|escribí|cambié|lancé|"
    r"recorté|corté|critiqué|acusé|grité|publiqué|respondí|reenvié|solté|dije)\b"
    r"[^.!?]{0,160}\b(?:ahora|desde entonces|lleva|y (?:ella|él|ellos))\b"
)
_FAMILY_ORDER = ("caused", "mediating", "received")


def read_stance(folded: str, question: str = "") -> str | None:
    return stance_evidence(folded, question)[0]


def stance_evidence(folded: str, question: str = "") -> tuple[str | None, str]:
    """The side and how it was read: ``rule`` (a listed phrasing), ``agency-asker`` /
    ``agency-team`` / ``agency-other`` (who did the hurtful act, coach.agency: read before the
    families, which name phrasings), ``family`` (a family of evidence), ``request`` (only "how
    do I…", which every side asks) or ``none``."""
    return _stance_evidence(folded, question, read_asker(folded))


def _stance_evidence(folded: str, question: str, asker: str | None) -> tuple[str | None, str]:
    ruled = next((s for s in _STANCE_ORDER if _STANCE[s].search(folded)), None)
    if ruled not in (None, "initiating"):
        return ruled, "rule"
    if question:
        acted = who_acted(question, detect_language(question), asker)
        if acted:
            return ("received" if acted == "other" else "caused"), f"agency-{acted}"
    if question and _YO_HICE.search(question.lower()):
        return "caused", "family"
    family = next((s for s in _FAMILY_ORDER if _STANCE_FAMILIES[s].search(folded)), None)
    if family:
        return family, "family"
    return ruled, "request" if ruled else "none"


# -- where and when -----------------------------------------------------------------------
_CHANNELS = {
    "one-on-one": r"\b1:1\b|\b1-on-1\b|\bone[- ]on[- ]one\b|\buno a uno\b|\ba solas\b|"
    r"\bin private\b|\bprivately\b|\ben privado\b|\bcafe con\b|\bcoffee with\b",
    "public": r"\bin front of\b|\bdelante de\b|\bfrente a (?:todos|todo el|la direccion|"
    r"los demas|mi equipo)\b|\bgeneral channel\b|\bcanal general\b|\ball[- ]hands?\b|"
    r"\bpublicly\b|\ben publico\b|\bpublicamente\b|\bon linkedin\b|\ben linkedin\b",
    "written": r"\be-?mail\b|\bcorreo\b|\bslack\b|\bmensaje\b|\bmessage\b|\bwhatsapp\b|"
    r"\bteams chat\b|\bwrite (?:to|a|an)\b|\bescribir(?:le)?\b|\bredactar\b|\bdraft\b|\bmemo\b",
    "meeting": r"\bmeeting\b|\bjunta\b|\breunion\b|\bsync\b|\bcall\b|\bllamada\b|\bqbr\b|"
    r"\breview\b|\bcomite\b|\bstand-?up\b|\boffsite\b|\bretro\b|\bpost-?mortem\b|"
    r"\bpipeline review\b|\bplanning\b|\bsesion\b",
}
_CHANNEL_RE = {k: re.compile(v) for k, v in _CHANNELS.items()}
_FUTURE = re.compile(
    r"\b(?:tomorrow|today|tonight|this (?:afternoon|morning|evening|week)|next|on (?:mon|tue|wed|"
    r"thu|fri)\w*|i have|i've got|i'?ll|i'?m going to|i need to|upcoming|later|"
    r"manana|hoy|esta (?:tarde|semana|noche)|el (?:lunes|martes|miercoles|jueves|viernes)|"
    r"tengo|voy a|proxim\w+|necesito|quiero|(?:la|lo|le|los|las) veo|i see (?:him|her|them)|i meet)\b"
)


def read_channel(folded: str) -> str | None:
    """The channel of the conversation ahead when the words say so, else of what happened."""
    found = [(m.start(), k) for k, r in _CHANNEL_RE.items() for m in r.finditer(folded)]
    if not found:
        return None

    def sentence(start: int) -> str:  # "por Slack. El jueves la veo": Slack was before
        before = re.split(r"[.!?]\s", folded[max(0, start - 45) : start])[-1]
        return before + re.split(r"[.!?](?:\s|$)", folded[start : start + 45])[0]

    ahead = [(start, k) for start, k in found if _FUTURE.search(sentence(start))]
    pool = ahead or found
    order = list(_CHANNELS)
    return min(pool, key=lambda item: (order.index(item[1]), item[0]))[1]


_DAYS_EN = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAYS_ES = r"(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo)"
# Families of time words rather than phrasings: months (with the word that ties them to a date,
# "may" alone is a verb), ends and starts of periods, quarters, a day of the month, an hour.
_MONTHS_EN = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_MONTHS_ES = (
    r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre)"
)
_PERIOD_EN = r"(?:day|week|month|quarter|year|q[1-4]|sprint)"
_PERIOD_ES = r"(?:dia|semana|mes|trimestre|ano|q[1-4]|sprint)"
_WHEN = re.compile(
    "|".join(
        [
            rf"\b(?:(?:el |this |on |next |este |el proximo )?(?:{_DAYS_EN}|{_DAYS_ES})|tomorrow|"
            r"manana) (?:a las|at) \d{1,2}(?::\d\d)?(?: ?[ap]m)?\b",
            rf"\b(?:(?:in|by|on|from|starting|until|before|after|early|late|mid|end of|the end of|"
            rf"since) {_MONTHS_EN}(?: \d{{1,2}}(?:st|nd|rd|th)?)?|(?:starting|from) {_MONTHS_EN})\b",
            rf"\b(?:(?:en|para|desde|a partir de|antes de|hasta|a (?:finales|principios|mediados) "
            rf"de) {_MONTHS_ES}|(?:el )?\d{{1,2}} de {_MONTHS_ES})\b",
            rf"\b(?:by |before |at |until )?(?:the )?end of (?:the |this |next )?{_PERIOD_EN}\b|"
            r"\b(?:eod|eow|eom|eoq)\b",
            rf"\b(?:(?:antes de|para|al?|hasta) )?(?:(?:el |la )?(?:fin|final|cierre) de(?:l)? "
            rf"(?:la |este |esta )?{_PERIOD_ES})\b",
            rf"\b(?:este|esta|el proximo|la proxima|el que viene) {_PERIOD_ES}\b|\b(?:a partir "
            rf"del|desde el|para el|en el) (?:proximo|siguiente) {_PERIOD_ES}\b",
            r"\b(?:in|by|before|for|starting) q[1-4]\b|\b(?:en el|para el|antes del) q[1-4]\b",
            r"\b(?:(?:el|del) )?dia \d{1,2}\b",
            r"\bat \d{1,2}(?::\d\d)?(?: ?(?:am|pm|o'?clock))?(?=\s*(?:$|[.,;!?)]|today|tomorrow"
            r"|tonight|on|this|and|but))",
            rf"\bon the \d{{1,2}}(?:st|nd|rd|th)(?: of {_MONTHS_EN})?\b|\bat \d{{1,2}}(?::\d\d)? ?(?:am|pm)\b",
            r"\b(?:in|within) (?:the next |a |the coming )?(?:a|one|two|three|four|\d+|few|couple of) "
            r"(?:days?|weeks?)\b|\bnext sprint\b|\b(?:at|in|before|after) (?:the|our) next (?:\w+ )?"
            r"(?:qbr|meeting|review|standup|stand-up|offsite|all-hands|sync|1:1|one-on-one|board "
            r"meeting)\b|\b(?:en|antes de|para) (?:la|el) (?:proxima|proximo|siguiente) (?:\w+ )?"
            r"(?:reunion|junta|revision|comite|sesion|1:1|all-hands|qbr)\b|\bthis coming "
            rf"(?:{_DAYS_EN}|week|month)\b|\bhoy (?:por|en) la (?:manana|tarde|noche)\b|\besta "
            r"misma (?:manana|tarde|noche|semana)\b",
            rf"\bin (?:a|one|two|three|four|a couple of|a few|\d+) (?:days?|weeks?|months?)\b|"
            rf"\b(?:(?:dentro de|en) )(?:un|una|dos|tres|cuatro|quince|diez|\d+) (?:dias|semanas?|"
            rf"meses|mes)\b|\b(?:before|after) lunch\b|\blater this week\b|\bfirst thing "
            rf"(?:tomorrow|on {_DAYS_EN}|monday)\b",
            r"\b(?:next|this) (?:month|year|quarter)\b",
            r"\bel (?:\d{1,2}|dia \d{1,2})\b|\ba las \d{1,2}(?::\d\d)?\b",
            r"\b(?:el|la) (?:mes|ano|semana|trimestre) (?:que viene|proximo|proxima|entrante)\b",
            r"\bhoy mismo\b|\ben (?:dos|tres|\d+) semanas\b",
            r"\btomorrow(?: (?:morning|afternoon|evening|at \d{1,2}(?::\d\d)?(?: ?[ap]m)?))?\b",
            r"\b(?:later )?today\b|\btonight\b|\byesterday\b|\blast night\b",
            r"\bthis (?:morning|afternoon|evening|week|friday|monday|tuesday|wednesday|thursday)\b",
            rf"\b(?:next|last) (?:week|month|quarter|{_DAYS_EN}(?: morning| afternoon| evening)?)\b",
            rf"\b(?:on |this |by |next )?{_DAYS_EN}(?: morning| afternoon| evening| the "
            r"\d{1,2}(?:st|nd|rd|th)| \d{1,2}(?:st|nd|rd|th))?\b",
            r"\bin (?:an hour|two hours|\d+ (?:minutes|hours|days))\b",
            r"\b(?:a|two|three|\d+) (?:days|weeks) ago\b",
            r"\bmanana (?:por la (?:manana|tarde)|temprano|a primera hora)\b",
            r"\b(?:esta|hoy en la) (?:manana|tarde|noche|semana)\b",
            r"\bpasado manana\b|\bmanana\b|\bhoy\b|\bayer\b|\banoche\b",
            rf"\b(?:el |del |este |el proximo |el pasado )?{_DAYS_ES}(?: (?:pasado|que viene|"
            r"proximo|por la manana|por la tarde|\d{1,2}))?\b",
            r"\b(?:la (?:proxima|otra) semana|la semana (?:que viene|pasada|entrante))\b",
            r"\ben (?:una hora|dos horas|\d+ (?:minutos|horas|dias))\b",
            r"\bhace (?:un|una|dos|tres|\d+) (?:dias?|semanas?)\b",
        ]
    )
)


# What ties a time to the talk ahead: "antes del viernes", "before Friday", "a partir de abril".
_WHEN_TIE = re.compile(
    r"\b(?:antes(?: del?)?|before|until|hasta|a partir(?: del?)?|starting|desde)\s$"
)
_AHEAD_WORDS = re.compile(
    r"\b(?:tomorrow|tonight|next|upcoming|later|in (?:an|two|\d+)|manana|proxim\w+|que viene|"
    r"entrante|en (?:una|dos|\d+)|mismo)\b"
)
PAST_WORDS = re.compile(r"\b(?:yesterday|last|ago|ayer|anoche|pasad[oa]|hace)\b")
# The asker's own meeting ("I meet their CRO on Thursday"), not other news ("merging next month").
_MEETING_NEAR = re.compile(
    r"\b(?:i (?:meet|see|talk|speak|have (?:a|my|the|our)|am meeting)|meeting|call|1:1|one-on-one|"
    r"reunion|junta|llamada|hablar|hablo|veo|me reuno|tengo (?:una|la|un|el))\b"
)
_PAST_NEAR = re.compile(
    r"\b(?:told|said|was|were|did|had|sent|called|posted|happened|dijo|fue|hizo|mando|publico|"
    r"paso|dijeron|tuvimos|hicimos)\b"
)


# "We haven't spoken in two weeks": a span of silence up to now, not a time ahead.
_NOT_SINCE = re.compile(
    r"\b(?:haven'?t|hasn'?t|have not|has not|hadn'?t|not|never|no)\b[^.!?;]{0,40}$"
)


def _span_of_silence(folded: str, match: re.Match) -> bool:
    said = match.group(0)
    if not re.match(r"(?:in|en) (?!an? hour)", said):
        return False
    return bool(_NOT_SINCE.search(folded[max(0, match.start() - 45) : match.start()]))


# A deadline already missed ("the deck by Friday and missed it"): not the talk ahead.
_MISSED_AFTER = re.compile(
    r"^[^.!?;]{0,40}\b(?:missed|didn'?t make|did not make|was late|blew|no (?:llegue|llegamos|"
    r"entregue|entregamos|cumpli|cumplimos)|se me paso|se nos paso)\b"
)
_DUE_BEFORE = re.compile(r"(?:\bby|\bdue|\bdeadline|\bpara el|\bpara|\bantes del?) ?$")


def _missed_deadline(folded: str, match: re.Match) -> bool:
    due = match.group(0).startswith("by ") or _DUE_BEFORE.search(folded[: match.start()])
    return bool(due and _MISSED_AFTER.search(folded[match.end() :]))


def read_when(question: str, folded: str) -> str | None:
    """When the conversation ahead happens, in the user's words. A message often names the past
    ("on Tuesday he told the exec team…") before the meeting ahead ("…Thursday afternoon"):
    times that look ahead win, then the last one named."""

    def ahead(match: re.Match) -> tuple[int, int]:
        said, near = match.group(0), folded[max(0, match.start() - 45) : match.end() + 45]
        score = 2 * bool(_AHEAD_WORDS.search(said)) - 2 * bool(PAST_WORDS.search(said))
        score += bool(_FUTURE.search(near)) - bool(_PAST_NEAR.search(near))
        clause = re.split(r"[.!?;]", folded[max(0, match.start() - 40) : match.start()])[-1]
        after = re.split(r"[.!?;,]", folded[match.end() : match.end() + 25])[0]
        # "I meet their CRO on Thursday", "in Thursday's exec meeting"
        score += 3 * bool(_MEETING_NEAR.search(clause) or _MEETING_NEAR.search(after))
        return score, match.start()

    found = [
        m
        for m in _WHEN.finditer(folded)
        if not _span_of_silence(folded, m) and not _missed_deadline(folded, m)
    ]
    if not found:
        return None
    best = max(found, key=ahead)
    start, end = best.start(), best.end()
    for other in found:  # "at 4pm today", "next Monday morning": one time, said whole
        if 0 <= other.start() - end <= 2 and not folded[end : other.start()].strip(" ,"):
            end = other.end()
        elif 0 <= start - other.end() <= 2 and not folded[other.end() : start].strip(" ,"):
            start = other.start()
    if tie := _WHEN_TIE.search(folded[max(0, start - 14) : start]):
        start -= len(tie.group(0))
    return _original(question, folded, start, end)


# -- with whom ----------------------------------------------------------------------------
_PERSON = (
    r"(?:head|director|vp|chief|manager|lead|cmo|cro|ceo|cfo|boss|rep|reps|seller|ae|sdr|bdr|"
    r"counterpart|peer|colleague|team|teams|department|marketer|coordinator|analyst|"
    r"account executives?|account managers?|committee|comite|board|"
    r"jefe|jefa|director|directora|gerente|vendedor|vendedora|vendedores|comercial|comerciales|"
    r"colega|companer[oa]|equipo|area|ejecutiv[oa]|coordinador|coordinadora|analista|"
    r"socio|socia|lider|responsable|par|guy|gente|proveedor|proveedora|supplier|vendor|agency|agencia)"
)
# The team a role belongs to, both teams at once included ("the heads of sales and marketing").
_TEAMS = (
    r"(?:sales|marketing|ventas|mercadotecnia|finanzas|finance|contenidos?|content|producto|"
    r"product|eventos|events|operaciones|ops|revops|diseno|design)"
)
# "product marketing", "inside sales", "marketing digital", "sales ops": a team with its trade
_TEAM_QUALIFIED = (
    rf"(?:(?:product|field|partner|inside|channel|digital|brand|growth) )?{_TEAMS}"
    r"(?: (?:digital|ops|operations|enablement|de campo))?"
)
_OF_TEAM = rf"(?: (?:of|de|in|from|en) {_TEAM_QUALIFIED}(?: (?:and|y) {_TEAMS})?)"
_DET = (
    r"(?:my|our|the|their|his|her|both|both the|all the|the whole|a|an|mi|mis|nuestro|nuestra|el|"
    r"la|los|las|su|un|una|todo el|toda la|todos los|los dos|las dos|ambos)"
)
# Words between a determiner and the role ("the regional sales director"): no figure, no word
# that starts another phrase ("a las 9 con el jefe" is a time, then the person).
_FILLER = r"(?:(?!(?:con|with|to|a|at|and|y|de|of|que|who|el|la|the)\b)[a-z][\w-]* )"
_COUNTERPART = re.compile(
    rf"\b(?:with|to|con|a) ({_DET}"
    rf" {_FILLER}{{0,3}}?{_PERSON}s?{_OF_TEAM}?(?: (?:comercial|de ventas|de marketing|estrella|"
    r"star|sales|marketing)|(?<=equipo) de \w+)?)\b"
    r"|\b((?:the|el|la|their|our) (?:head|director|directora|vp|jefe|jefa|gerente) (?:of|de) "
    rf"{_TEAM_QUALIFIED})\b"
    r"|\b((?:the|el|la) (?:sales|marketing|comercial) (?:director|manager|lead|team)|"
    r"(?:el|la) (?:director|directora|gerente) comercial|el equipo (?:comercial|de ventas|"
    r"de marketing))\b"
)


# Someone named by their team: "la de field marketing", "la chava de marketing digital",
# "alguien de ventas", "uno de los vendedores", "the sales ops guy", "someone from marketing".
_BY_TEAM = re.compile(
    rf"\b((?:el|la) (?:(?:chava|chavo|chica|chico|tipo|tipa|muchacho|muchacha|senora|senor) )?de "
    rf"{_TEAM_QUALIFIED}|alguien (?:de|del equipo de) {_TEAM_QUALIFIED}|(?:uno|una) de (?:los|las|"
    rf"sus) (?:vendedor(?:es|as)|comerciales|ejecutiv[oa]s|reps|sdrs|aes|marketers)|"
    rf"(?:the|their|our) {_TEAM_QUALIFIED} (?:guy|girl|person|lead|manager|head)|someone (?:from|in|"
    rf"on) {_TEAM_QUALIFIED})\b"
)
_TOP_ROLE = re.compile(
    r"\b((?:the|our|my|their|el|la|nuestro|nuestra|mi|su) (?:new |nuev[oa] )?(?:cmo|cro|ceo|coo|cfo|"
    r"vp (?:of |de )?(?:sales|marketing|ventas|revenue)|(?:sales|marketing) (?:vp|director|manager|"
    r"lead|head)|(?:head|director|directora|jefe|jefa|gerente) (?:of|de) (?:sales|marketing|"
    r"ventas|mercadotecnia|finanzas|finance)|(?:director|directora|jefe|jefa|gerente) "
    r"(?:financier[oa]|comercial))|(?:(?<=^)|(?<=[.!?] ))(?:head|vp) of (?:sales|marketing))\b"
)
_PEER = re.compile(
    r"\b((?:my|our|the|their|mi|mis|nuestro|nuestra|el|la|su) (?:[\w-]+ )?(?:colleague|counterpart|"
    rf"peer|colega|companer[oa]|homolog[oa]){_OF_TEAM}?|my (?:manager|boss)|mi (?:jefe|jefa))\b"
)
# Whoever hears about the conflict rather than takes part in it: the boss, the CEO, the board.
# The other side's person comes first when the question names one ("told the CEO our leads…").
_A_LEAD = re.compile(
    r"^(?:(?:a|an|un|una) (?:[\w-]+ )*leads?|(?:the|los|las|our|nuestros|mis|my|sus|their) "
    r"(?:[\w-]+ )*leads)$"
)
# ...unless the asker means to speak to them ("how do I present it to the committee").
_TO_AUDIENCE = re.compile(
    r"\b(?:recomendar\w*|presentar\w*|plantear\w*|proponer\w*|explicar\w*|pedir\w*|decir\w*|"
    r"contar\w*|planteo|presento|propongo|present(?:ing)? (?:it |this )?to|pitch(?:ing)? (?:it |this "
    r")?to|propose (?:it |this )?to|recommend(?:ing)? (?:it |this )?to|tell|ask|explain (?:it |this "
    r")?to|say (?:something |anything |it |this )?to|talk to|speak (?:to|with)|hablar con|hablarlo "
    r"con|ante)\s+(?:(?:it|this|that|lo|la|le|les) )?(?:al? |the )?$"
)
_AUDIENCE = re.compile(
    r"^(?:(?:the|our|my|their|el|la|al|mi|nuestro|nuestra|su) )?(?:new )?(?:ceo|coo|gm|general "
    r"manager|director general|directora general|board|consejo(?: de \w+)?|comite(?: de \w+)?|"
    r"committee|boss|jefe|jefa|leadership team|exec team|management|direccion|vp|director|"
    r"directora|manager|gerente)$"
)
_CONTRACTED = re.compile(
    rf"\b(?:al|del) ({_FILLER}{{0,2}}?{_PERSON}(?: (?:comercial|de ventas|de marketing|"
    r"de mercadotecnia|estrella)|(?<=equipo) de \w+)?)\b"
)
# A first name the user gives ("a 1:1 with Priya", "con Sofía"), in their original capitals.
_NAMED = re.compile(
    r"\b(?:with|to|con|a|see|meet|meeting|seeing|tell|ask) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b"
    r"|(?:^|[.!?] )([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}), (?:one of my|my|our|una? de mis|mi)\b"
    r"|\b(?:my|our|mi|nuestr[oa]) (?:own )?(?:rep|seller|marketer|ae|sdr|vendedora?|comercial|"
    r"colaboradora?), ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b"
    # "Dave from sales", "Priya, who leads sales", "¿Y si Andrés me niega…", "Now Mark is furious"
    r"|\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}) (?:from|in|de|del equipo de) (?:sales|marketing|ventas|finance|finanzas)\b"
    r"|\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}), (?:who|que|el de|la de) (?:leads|runs|heads|lleva|dirige|ventas|marketing|"
    r"contenidos)\b"
    r"|\b(?:[Ii]f|[Ss]i) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}) (?:me|says|tells|dice|just)\b"
    r"|\b(?:[Nn]ow|[Aa]hora) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}) (?:is|esta|won'?t|no)\b"
    # "their VP, Tom,", "one of the AEs, Marcus", "El jefe de ventas, Iván,", "el Gonza"
    rf"|\b(?i:{_PERSON}s?(?: (?:of|de) \w+)?), ((?:el |la )?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{{2,}})(?=[,.;:)]| "
    r"\(| (?:le|se|is|was|who|que|said|dijo|posted|told))"
    # "our regional sales lead Ana keeps telling…"
    rf"|\b(?i:{_PERSON}) ([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{{2,}})(?= [a-z]|[,.;:])"
    # "blew up at Priya", "Priya (she's the sales ops lead)", "el equipo de Jorge"
    r"|\b(?:blew up|snapped|yelled|shouted|swore|lashed out|lost it|got angry|exploded) at "
    r"([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b"
    r"|\b([A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,}) \((?:she|he|they)(?:'s| is| are|'re)\b"
    r"|\b((?:el|la) (?:equipo|gente|area) de [A-ZÁÉÍÓÚÑ][a-záéíóúñ]{2,})\b"
)
_NAME_GROUPS = 12
_NOT_NAMES = set(
    "Slack Teams Zoom Monday Tuesday Wednesday Thursday Friday Saturday Sunday Marketing Sales "
    "Finance Legal HubSpot Salesforce LinkedIn WhatsApp Google Excel January February March April "
    "May June July August September October November December Ventas Finanzas Lunes Martes "
    "Miércoles Jueves Viernes Sábado Domingo Enero Febrero Marzo Abril Mayo Junio Julio Agosto "
    "Septiembre Octubre Noviembre Diciembre Dirección Soy Estoy Somos Llevo Trabajo Tengo Hoy "
    "Ayer Mañana Como Cómo Para Pero Our The Now Ahora Hay Yes Also Customer Success Product "
    "Producto Operaciones Ops Revops Legal Compras Contenidos Eventos".split()
)
# Someone the asker did something to or wants to approach ("I gave the sales enablement lead…").
_ADDRESSED = re.compile(
    r"\b(?:i(?:'ve| have)? (?:gave|given|told|asked|messaged|emailed|approached|pinged|see|meet|"
    r"am meeting)|i'?m meeting|meeting with|approach|"
    r"(?:\bi|to|i'?ll|i (?:want|need|have) to) (?:tell|ask|confront|email|message|talk to|speak "
    r"(?:to|with)|sit down with|apologi[sz]e to)|"
    r"le dije a|veo a|"
    r"le escribi a|le pedi a|hablar con|hablo con) ((?:the|my|our|their|his|her|two|three|several|a|"
    r"an|el|la|los|las|mi|mis|nuestro|nuestra|su|sus|dos|tres|un|una) "
    rf"{_FILLER}{{0,3}}?"
    rf"{_PERSON}s?{_OF_TEAM}?(?: (?:sales|marketing))?)\b"
)
_TEAM_NAMED = re.compile(
    r"\b((?:the|los|las|el|la) (?:reps|sellers|salespeople|sales team|marketing team|marketers|"
    r"comerciales|vendedores|vendedoras|equipo comercial|equipo de ventas|equipo de marketing|"
    r"de ventas|de marketing|gente de (?:marketing|ventas))|(?:both|the two) (?:teams|heads|"
    r"directors)|(?:los dos|ambos) (?:equipos|directores)|(?:los|las) director(?:es|as)(?: de "
    r"marketing y ventas| de ventas y marketing)?|(?:el|the|al) (?:comite(?: de \w+)?|committee|board|"
    r"leadership team)|(?:both |all )?(?:the )?(?:heads|directors|vps|leads|"
    r"teams) of (?:sales and marketing|marketing and sales)|(?:both )?(?:the )?(?:sales and "
    r"marketing|marketing and sales) (?:heads|teams|directors|vps|leads)|both vps|(?:the )?(?:cmo "
    r"and cro|cro and cmo|cmo y cro|cro y cmo)|(?:los|las) (?:jefes|jefas|directores|directoras|"
    r"responsables) de (?:marketing y ventas|ventas y marketing)|(?:sales and marketing|marketing "
    r"and sales|ventas y marketing|marketing y ventas)"
    # "the AE team", "the demand gen team", "sales leadership", "los chicos de ventas"
    r"|(?:the|their) (?:sales|marketing|ae|sdr|bdr|demand gen|content|revenue|field|product|"
    r"ops|cs|brand|events?|growth) (?:team|teams|leadership|folks|guys|people|org)|(?:sales|"
    r"marketing|revenue) leadership|(?:los|las) (?:chicos|chicas|muchachos|chavos|pibes) de "
    r"(?:ventas|marketing|producto|contenidos|operaciones)"
    # "neither team answers", "every rep treats me like…", "cada vendedor"
    r"|(?:neither|either|every|each) (?:team|head|director|rep|seller|ae|sdr|vp|department)|"
    r"(?:ninguno de los dos|ninguna de las dos) (?:equipos|areas|directores|jefes)|cada "
    r"(?:vendedor|vendedora|comercial|equipo|director|directora))\b"
)
# The asker's own people, when they are the ones to talk to ("mañana les reúno", my reps).
_OWN_TEAM = re.compile(
    r"\b((?:my|mis) (?:reps|sellers|salespeople|marketers|team|comerciales|vendedores|"
    r"vendedoras|equipo)|my (?:top|best|star|senior|new) (?:rep|seller|ae|sdr|marketer))\b"
)
_SELF_INTRO = re.compile(r"^(?:i am|i'm|im|as|soy|como)\b")


def _without_self(folded: str) -> str:
    """The text with the asker's own role blanked ("soy la gerente comercial" is not the other
    person), keeping every offset where it was."""
    for pattern in _SELF.values():
        for m in pattern.finditer(folded):
            if _SELF_INTRO.match(m.group(0)):
                folded = folded[: m.start()] + " " * (m.end() - m.start()) + folded[m.end() :]
    for m in _INTRO.finditer(folded):  # "(soy la directora de finanzas)": a role of one's own
        role = _ROLE_END.split(m.group("role"), maxsplit=1)[0]
        head = " ".join(role.split()[:3])  # "soy la directora de…", not "cómo le digo a mi…"
        if role.startswith(" ") or re.match(r"\w+ing\b", head):  # "I'm telling the team…"
            continue
        if any(r.search(head) for r in _ROLE_RE.values()) and _SELF_INTRO.match(m.group(0)):
            end = m.start("role") + len(role)
            folded = folded[: m.start()] + " " * (end - m.start()) + folded[end:]
    return folded


def read_counterpart(question: str, folded: str, stance: str | None = None) -> str | None:
    """The other person or team, in the user's words: who they will talk with first (after
    "with", "to", "con"), else the other side's lead or team named anywhere."""
    text = _without_self(folded)
    found: list[tuple[int, int, str]] = []  # (rank, position, words)
    for m in _NAMED.finditer(question):
        group = next(g for g in range(1, _NAME_GROUPS + 1) if m.group(g))
        name = m.group(group)
        if name.split()[-1] not in _NOT_NAMES:
            found.append((-1, m.start(group), name))
    for m in _ADDRESSED.finditer(text):
        found.append((1, m.start(1), _original(question, folded, m.start(1), m.end(1))))
    for m in _TEAM_NAMED.finditer(text):
        found.append((3, m.start(1), _original(question, folded, m.start(1), m.end(1))))
    for m in _OWN_TEAM.finditer(text) if stance == "caused" else ():  # they did it: talk to them
        found.append((4, m.start(1), _original(question, folded, m.start(1), m.end(1))))
    for m in _COUNTERPART.finditer(text):
        group = next(g for g in range(1, 4) if m.group(g))
        words = _original(question, folded, m.start(group), m.end(group))
        # "con"/"with" name who they talk to; Spanish "a" also marks whom something is done to
        # ("despedir a la mitad del equipo"), so it yields to one met or addressed.
        weak = group == 1 and folded[m.start() : m.start() + 2] == "a "
        found.append((2 if weak else 0 if group == 1 else 1, m.start(group), words))
    for m in _CONTRACTED.finditer(text):
        words = "el " + _original(question, folded, m.start(1), m.end(1))
        owned = folded[m.start() : m.start() + 3] == "del"  # "la mitad del equipo": not whom
        found.append((2 if owned else 0, m.start(1), words))
    for m in _PEER.finditer(text):
        found.append((2, m.start(1), _original(question, folded, m.start(1), m.end(1))))
    for m in _BY_TEAM.finditer(text):
        found.append((1, m.start(1), _original(question, folded, m.start(1), m.end(1))))
    for m in _TOP_ROLE.finditer(text):
        found.append((2, m.start(1), _original(question, folded, m.start(1), m.end(1))))
    if not found:
        return None
    # "a lead" is a prospect, not a person to talk to
    found = [f for f in found if not _A_LEAD.match(fold(f[2]).lower())]
    if not found:
        return None
    if any(not _AUDIENCE.match(fold(w).lower()) for _, _, w in found):
        found = [
            (
                r
                + 5
                * (
                    bool(_AUDIENCE.match(fold(w).lower()))
                    and not _TO_AUDIENCE.search(text[max(0, at - 30) : at])
                ),
                at,
                w,
            )
            for r, at, w in found
        ]
    words = min(found)[2]
    return words[0].lower() + words[1:] if words[:4].lower() in ("the ", "our ") else words


def _original(question: str, folded: str, start: int, end: int) -> str:
    """The user's own characters for a span found in the folded text (folding keeps length
    for the letters it changes; if it did not, the folded span is what we have)."""
    if len(question) == len(folded):
        return question[start:end]
    return folded[start:end]


# "And if the CRO tells me…", "¿Y si Andrés me dice…": the one who answers back in a follow-up.
_OBJECTOR = re.compile(
    r"\b(?:[Ii]f|[Ss]i) (?:(?:the|el|la|my|mi|our|their|su) (?:[\w-]+ ){0,2}?\w+|[A-ZÁÉÍÓÚÑ]"
    r"[a-záéíóúñ]{2,}) (?:says|tells|replies|answers|denies|refuses|won'?t|me dice|dice|responde|"
    r"contesta|niega|me niega|se niega)\b"
)


# Where the rules find no side or no role, a reader learned from labelled situations
# (coach/situation_reader.py) may say it, when its share for one label reaches these floors
# (chosen on dev, dev2 and dev3a; below them the reading stays null: no guess). Where the rules
# read something, even from a weak family, they stand: the learned reader overriding them lost
# more than it won on every dev set (benchmarks/situation_reader.py, NOTES).
LEARNED_STANCE_FLOOR = 0.35  # of four labels
LEARNED_ASKER_FLOOR = 0.30  # of five labels
LEARNED_MIN_WORDS = 12  # a story, not "my team is a mess" or "hola"
Learned = Callable[[str], dict[str, dict[str, float]]]


def _sure(shares: dict[str, float] | None, floor: float) -> str | None:
    if not shares:
        return None
    best = max(shares, key=shares.get)
    return best if shares[best] >= floor else None


def _by_own_people(question: str, asker: str | None, how: str) -> bool:
    """The asker's own people did it: read by the agency reader, also where a listed phrasing
    gave the side first."""
    if how.startswith("agency"):
        return how == "agency-team"
    return who_acted(question, detect_language(question), asker) == "team"


def read_situation(
    question: str, history: list[dict] | None = None, learned: Learned | None = None
) -> Situation:
    """The situation from the question, with what the conversation so far already said
    (a follow-up like "and if he says no?" keeps the asker and the counterpart). ``learned``
    (question -> {"asker": shares, "stance": shares}) fills what the rules leave null."""
    folded = fold(question)
    asker = read_asker(folded)
    stance, how = _stance_evidence(folded, question, asker)
    ruled_asker = asker  # what the words say, before the learned reader
    story = len(question.split()) >= LEARNED_MIN_WORDS
    learned_stance = None
    if learned is not None and story and (stance is None or asker is None):
        shares = learned(question) or {}
        if stance is None:
            stance = learned_stance = _sure(shares.get("stance"), LEARNED_STANCE_FLOOR)
        asker = asker or _sure(shares.get("asker"), LEARNED_ASKER_FLOOR)
    reading = Situation(
        asker=asker,
        stance=stance,
        stance_learned=learned_stance is not None,
        own_people=stance == "caused" and _by_own_people(question, ruled_asker, how),
        counterpart=read_counterpart(question, folded, stance),
        channel=read_channel(folded),
        when=read_when(question, folded),
    )
    earlier = [m.get("content", "") for m in history or [] if m.get("role") == "user"]
    if not earlier:
        return reading
    # A follow-up ("and if the sales lead says no?") is the same situation: who asks and from
    # which side come from before, unless the asker now says who they are.
    before = read_situation(earlier[-1], None, learned)
    said = read_self(_QUOTED.sub(" ", folded))
    kept = {k: v if v is not None else getattr(before, k) for k, v in reading.to_dict().items()}
    kept["asker"] = said or before.asker or reading.asker
    kept["stance"] = before.stance or reading.stance
    kept["stance_learned"] = before.stance_learned if before.stance else reading.stance_learned
    kept["own_people"] = before.own_people if before.stance else reading.own_people
    # The person and the time are those of the situation: "what do I tell the CEO if he asks?"
    # is a turn of the talk with the CMO tomorrow, not a new one.
    objector = _OBJECTOR.search(question)
    kept["counterpart"] = (
        (reading.counterpart if objector and reading.counterpart else None)
        or before.counterpart
        or reading.counterpart
    )
    kept["when"] = before.when or reading.when
    return Situation(**kept)


# -- the answer to "did you say it, or was it said to you?" ------------------------------
_SIDE_REPLY = {
    "received": re.compile(
        r"\b(?:to me|at me|to us|to my team|about me|about my team|they did|they said|he did|he "
        r"said|she did|she said|it was them|it was him|it was her|not me|wasn'?t me|a mi|a "
        r"nosotros|a mi equipo|me lo (?:dijeron|hicieron|dijo|hizo)|nos lo (?:dijeron|hicieron|"
        r"dijo|hizo)|me (?:dijeron|dijo|hicieron|hizo)|fueron ellos|fue el|fue ella|no fui yo)\b"
    ),
    "caused": re.compile(
        r"\b(?:i did|i said|i wrote|i sent|it was me|i was|i'?m the one|my fault|my team did|"
        r"we did|we said|fui yo|yo lo (?:dije|hice|escribi|mande)|lo (?:dije|hice|escribi|mande) "
        r"yo|fue mi culpa|fuimos nosotros|mi equipo)\b"
    ),
}


def read_side_reply(text: str) -> str | None:
    """``received`` or ``caused`` from a reply to coach's side question ("it was said to me",
    "fui yo"), or None when the reply does not say."""
    folded = fold(text)
    for stance in ("received", "caused"):  # "it wasn't me, they said it" is received
        if _SIDE_REPLY[stance].search(folded):
            return stance
    return None


# -- what a follow-up asks about ----------------------------------------------------------
_OBJECTIONS = {
    "no-time": _any(
        r"\bno time\b|\bnot have time\b|\bdoesn'?t have time\b|\btoo busy\b|\bbusy\b|\bslammed\b",
        r"\bno (?:tiene|tienen|tengo) tiempo\b|\bocupad[oa]s?\b|\bsin tiempo\b",
    ),
    "not-my-problem": _any(
        r"\bnot (?:my|his|her|their|our) (?:problem|job|area|call|responsibility)\b",
        r"\bnot on (?:them|him|her|us)\b|\bnothing to do with (?:them|him|her)\b",
        r"\bno es (?:mi|su|nuestro) (?:problema|trabajo|asunto|tema|area)\b|\bno le toca\b|"
        r"\bno les toca\b",
        r"\b(?:isn'?t|is not|aren'?t|are not|it'?s not) (?:my|his|her|their|our) (?:job|problem|"
        r"area|call|responsibility|role)\b",
        r"\bes (?:trabajo|tarea|cosa|responsabilidad) de (?:los|las|otro|otra|otros|ellos|marketing|"
        r"ventas)\b|\bno (?:de ellos|les corresponde|le corresponde)\b",
    ),
    "tried-before": _any(
        r"\btried (?:that|this|it) (?:before|already)\b|\balready tried\b|\bdidn'?t work (?:last|before)\b",
        r"\bya lo (?:intentamos|intente|probamos|hicimos)\b|\bya se intento\b|\bno funciono\b",
        r"\bya lo (?:intentasteis|intentaron|probaron|probasteis|hicieron|hicisteis)\b|"
        r"\bno sirvio de nada\b|\b(?:we|you|they) (?:already )?tried (?:this|that|it)\b",
        r"\b(?:i'?ve|i have) already asked\b|\bwhy would (?:a|the) (?:\w+ )?(?:time|try) work\b|"
        r"\bya se lo (?:pedi|dije|he pedido|he dicho)\b",
    ),
    "boss": _any(
        r"\b(?:my|the) (?:boss|manager|ceo|director|vp|cro|cmo)\b",
        r"\bmi (?:jefe|jefa|director|directora|gerente)\b|\bel (?:ceo|director general)\b|"
        r"\bla directora general\b",
    ),
    "denies": _any(
        r"\bnot true\b|\bdenies\b|\bdeny\b|\b(?:data|numbers) (?:is|are) wrong\b|\bdisputes\b",
        r"\bno es (?:cierto|verdad)\b|\b(?:lo|me|te) niegan?\b|\blos (?:datos|numeros) (?:estan mal|no son)\b",
    ),
    "gets-angry": _any(
        r"\bgets? (?:angry|mad|defensive|upset)\b|\bblows? up\b|\byells?\b|\bloses? (?:it|his|her)\b",
        r"\b(?:tears|rips|lays|goes off) (?:into|on) me\b|\bsnaps at me\b|\bshouts? at me\b",
        r"\b(?:me|nos) (?:grita|ataca|insulta)\b|\bse pone (?:furios[oa]|como loc[oa])\b",
        r"\bse (?:enoja|molesta|enfada|pone a la defensiva|altera|pone agresiv[oa])\b|\bgrita\b|"
        r"\bexplota\b",
    ),
    "says-no": _any(
        r"\bsays? no\b|\bsaid no\b|\brefuses?\b|\bwon'?t\b|\bdoesn'?t want\b|\brejects?\b|"
        r"\bturns? (?:it|me) down\b|\bdisagrees?\b",
        r"\bdice que no\b|\bse niega\b|\bno quiere\b|\brechaza\b|\bno acepta\b|\bno esta de acuerdo\b",
        r"\bno (?:me|nos|le|les) quiere\b|\bwon'?t even (?:answer|reply|talk|listen)\b",
    ),
}


OBJECTIONS = tuple(_OBJECTIONS)


def objection_in(question: str) -> str | None:
    """Which usual next turn a follow-up asks about ("what if he has no time?"), if any."""
    folded = fold(question)
    return next((k for k, r in _OBJECTIONS.items() if r.search(folded)), None)

"""Does a turn speak to the situation, or to something else?

The offline counterpart reads tone markers; this keeps it from being won over by a polite
proposal about another matter ("what if we order pizza on Friday?"). A turn is off topic when it
names at least two things that appear nowhere in the scenario (its summary, the good outcome, the
counterpart's interests and lines, what they just said) nor in everyday marketing-and-sales
language (words found in several of our knowledge files), and those foreign words are at least
half of what it names, and it names fewer than two of the situation's own things (a new
remedy, "a thirty-minute roundtable on Zoom instead of the client event", is on topic). Vague turns ("I'll draft something by Thursday") name nothing and get the
benefit of the doubt; the counterpart and the feedback already ask them for more.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from coach.rehearsal.scenarios import Scenario
from coach.settings import PROJECT_ROOT
from coach.tone import fold

KNOWLEDGE = PROJECT_ROOT / "knowledge"

_WORD = re.compile(r"[a-z]+")

# Words any conversation at work uses: process, time, people in general. They say nothing about
# what this conversation is about. Accent-folded, in English and Spanish.
GENERIC = set(
    """
    about after again agree agreed also always anything because before being better could does
    doing done during each either else enough even every everything first from going good great
    have here idea just know later like long looks make maybe more most much must need
    never next nothing okay only other over perhaps please really right same says should since
    some something soon still sure take than thank thanks that their them then there these they
    thing things think this those though together understand until very want week weeks well
    were what when where which while will with without work would write your yours
    monday tuesday wednesday thursday friday saturday sunday today tomorrow morning afternoon
    time times hour hours minute minutes month months year years date dates days
    meet meeting meetings call calls review draft proposal propose plan plans send sent share
    team teams people person everyone someone company
    hear feel sounds frustrating hard difficult sorry happy glad fine sense makes help look
    looking result results talk talking point part side both back give keep find start try tell
    said come comes goes kind case fact lots fair room whole weekend order new
    marketing sales
    acuerdo ademas ahora algo algun alguna alguno antes aqui bien bueno cada casi claro como
    creo cual cuando cuanto debe deberia decir dentro desde despues donde durante entiendo
    entonces eres esas escucho esos esta estas este esto estos estoy favor gracias hacer
    hacemos hago hasta igual luego mejor menos mientras mismo mucho nada necesito
    nosotros nuestra nuestro nunca otra otro para parece pero poco podemos podria porque primero
    propongo propuesta puedo pues quieres quiero sabes segun semana semanas sera siempre sobre
    solo somos tambien tanto tenemos tengo todo todos tiempo vamos verdad juntos sentido ayuda
    ayudame resultado hablar hablemos parte lado ambos volver seguir empezar intentar decirte
    dicho tienes razon tiene tienen proximo proxima entre organizar organizamos preparar
    preparemos preparo nueva nuevo nuevos vale pido pedir pedimos comprar compramos compro sala
    toda todas cosa cosas prefiero prefieres pueda puedas puedes mantener encargo encargar mueve mover cambia cambiar
    lunes martes miercoles jueves viernes sabado domingo manana tarde dias meses
    hora horas minutos fecha reunion reunirnos reunimos llamada borrador plan revisar revisamos
    enviar envio equipo equipos gente persona todos empresa siento dificil frustrante
    ventas comercial
    """.split()
)


def stems(text: str) -> set[str]:
    """Content words of ``text``, crudely stemmed so "campaigns" meets "campaign" (and campaña)."""
    found = set()
    for word in _WORD.findall(fold(text)):
        if len(word) < 4 or word in GENERIC:
            continue
        found.add(word.rstrip("s")[:5])
    return found


@cache
def _stems_of(text: str) -> frozenset[str]:
    return frozenset(stems(text))


def situation_stems(scenario: Scenario) -> frozenset[str]:
    """Every content word the scenario itself uses."""
    c = scenario.counterpart
    parts = [scenario.title, scenario.summary, scenario.good_outcome, c.role, c.owed, c.leverage]
    parts += [i.want for i in c.interests] + c.triggers + c.calmers
    parts += [scenario.opening.calm, scenario.opening.tense, scenario.opening.hostile]
    for cell in (scenario.lines.hostile, scenario.lines.tense, scenario.lines.open):
        for lines in cell.model_dump().values():
            parts += lines
    return _stems_of("\n".join(parts))


# A word in this share of the knowledge files is everyday work language. A share, not a count:
# as the library grows, a word seen in three playbooks ("repair", "break") says little.
COMMON_SHARE = 0.06


@cache
def workplace_stems() -> frozenset[str]:
    """Words common across the shipped knowledge (playbooks, article, scenarios): everyday work
    language between marketing and sales, in both languages, that says nothing about topic."""
    counts: Counter[str] = Counter()
    files = [path for path in sorted(KNOWLEDGE.rglob("*")) if path.suffix in (".md", ".yaml")]
    for path in files:
        counts.update(stems(path.read_text(encoding="utf-8")))
    least = max(3, round(COMMON_SHARE * len(files)))
    return frozenset(word for word, seen in counts.items() if seen >= least)


_NUMBER_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|hundred|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|"
    r"quince|veinte|treinta|cuarenta|cincuenta|cien|ciento)\b"
)


def off_topic(text: str, scenario: Scenario, last_line: str = "") -> bool:
    """True when the turn names at least two things foreign to the situation and to work between
    the two teams, and those are at least half of what it names."""
    words = stems(text)
    situation = situation_stems(scenario) | stems(last_line)
    if len(words & situation) >= 2:
        return False  # it names this matter's own things, with new details of its own
    words = stems(_NUMBER_WORDS.sub(" ", fold(text)))  # "thirty leads" names leads, not thirty
    foreign = words - situation_stems(scenario) - workplace_stems() - stems(last_line)
    return len(foreign) >= 2 and len(foreign) >= len(words - foreign)

"""Tone rules as data: one rules file and one lexicon per language, loaded and compiled once.

``<lang>.yaml`` holds the kinds of flag (why each hurts, what a sentence of that kind meant to say),
the flag rules, the solution markers and the repairs the rewrite uses; ``lexicon-<lang>.yaml``
holds the word lists the patterns share (``{TEAM}``, ``{LABEL}``…). A third language is two new
files. See ``en.yaml`` for the format and README ("Check my message") for how to add a rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

RULES_DIR = Path(__file__).parent
_ACCENTS = str.maketrans("áéíóúüñÁÉÍÓÚÜÑ’‘", "aeiouunAEIOUUN''")
_NAME = re.compile(r"\{([A-Z][A-Z_]*)\}")
LET_GO = ("praise", "ownership")  # when a rule's hit is let go (see tone.py)
# A rule may name one of these instead of a repair id: what the rewrite does with its hit (the
# kind's own action otherwise): drop the phrase, cut its clause, or drop the sentence (its facts
# go into text.fact_statement).
ACTIONS = ("drop", "clause", "sentence")


class RulesError(ValueError):
    """A rules or lexicon file is wrong; the message names the file and the rule."""


@dataclass(frozen=True)
class Kind:
    name: str
    priority: int
    why: str
    instead: str  # what a sentence of this kind meant to say, said without judging anyone
    repair: str  # what the rewrite does when no named repair fixes a hit: drop | clause | sentence


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    pattern: re.Pattern[str]
    why: str
    priority: int
    repair: tuple[str, ...] = ()  # repair ids, tried in order, or one of ACTIONS
    let_go: tuple[str, ...] = ()
    unless_before: re.Pattern[str] | None = None
    examples: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Repair:
    id: str
    pattern: re.Pattern[str]
    replace: str
    question: bool = False


@dataclass(frozen=True)
class Ruleset:
    language: str
    kinds: dict[str, Kind]
    flags: list[Rule]
    markers: list[tuple[str, re.Pattern[str]]]
    repairs: dict[str, Repair]
    lexicon: dict[str, str]
    text: dict[str, str]  # closing question, reported quote, quoted why, backstop why
    praise: re.Pattern[str]
    gripe: re.Pattern[str]
    ownership: re.Pattern[str]
    irony: re.Pattern[str]
    # A quote relayed for a purpose ("The client wrote: "…". Forwarding it so we can reply"): the
    # attribution before the quote, and the sender's own purpose outside it. Optional.
    relayed: re.Pattern[str] | None = None
    relay_purpose: re.Pattern[str] | None = None
    # Grammar checks on a repaired sentence (``grammar:`` in the rules file; see rewrite.py):
    # fragment, question_verb, fact_start, fact_link, fact_stop, not_fact.
    grammar: dict[str, re.Pattern[str]] = field(default_factory=dict)


def languages() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml") if "-" not in p.stem)


def fold_pattern(text: str) -> str:
    """Accents off, as in the folded text the patterns run on (case is ignored when matching;
    lower-casing here would turn ``\\W`` into ``\\w``)."""
    return text.translate(_ACCENTS)


def _alternation(words: list[str] | str) -> str:
    if isinstance(words, str):
        words = [words]
    return "(?:" + "|".join(fold_pattern(str(w)).strip() for w in words) + ")"


def _expand(text: str, lexicon: dict[str, str], where: str) -> str:
    def name(m: re.Match[str]) -> str:
        if m.group(1) not in lexicon:
            raise RulesError(f"{where}: unknown lexicon name {{{m.group(1)}}}")
        return lexicon[m.group(1)]

    return _NAME.sub(name, text)


def compile_pattern(source: str, lexicon: dict[str, str], where: str) -> re.Pattern[str]:
    """One alternative per line (blank lines ignored); ``{NAME}`` comes from the lexicon."""
    lines = [line.strip() for line in str(source).splitlines() if line.strip()]
    if not lines:
        raise RulesError(f"{where}: empty pattern")
    text = _expand("|".join(fold_pattern(line) for line in lines), lexicon, where)
    try:
        return re.compile(text, re.IGNORECASE)
    except re.error as exc:
        raise RulesError(f"{where}: bad pattern ({exc})") from None


def _read(path: Path) -> dict:
    if not path.is_file():
        raise RulesError(f"{path.name}: missing")
    data = yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise RulesError(f"{path.name}: must be a YAML mapping")
    return data


def load_lexicon(language: str) -> dict[str, str]:
    data = _read(RULES_DIR / f"lexicon-{language}.yaml")
    lexicon: dict[str, str] = {}
    for name, words in data.items():  # a list may name lists defined above it: {TEAM}
        lexicon[name] = _expand(_alternation(words), lexicon, f"lexicon-{language}.yaml {name}")
    return lexicon


@cache
def load(language: str) -> Ruleset:
    """The compiled rules of ``language`` (once per process)."""
    name = f"{language}.yaml"
    data = _read(RULES_DIR / name)
    lexicon = load_lexicon(language)
    kinds = {}
    for kind, spec in (data.get("kinds") or {}).items():
        if isinstance(spec, dict) and spec.get("repair") not in ("drop", "clause", "sentence"):
            raise RulesError(f"{name} kinds.{kind}: repair must be drop, clause or sentence")
        try:
            kinds[kind] = Kind(
                kind, int(spec["priority"]), spec["why"], spec["instead"], spec["repair"]
            )
        except (KeyError, TypeError, ValueError):
            raise RulesError(f"{name} kinds.{kind}: needs priority, why, instead, repair") from None
    repairs = {}
    for spec in data.get("repairs") or []:
        where = f"{name} repair {spec.get('id')}"
        repairs[spec["id"]] = Repair(
            spec["id"],
            compile_pattern(spec["match"], lexicon, where),
            spec.get("replace", ""),
            bool(spec.get("question", False)),
        )
    flags, seen = [], set()
    for spec in data.get("flags") or []:
        rule_id = spec.get("id")
        where = f"{name} rule {rule_id}"
        if not rule_id or rule_id in seen:
            raise RulesError(f"{where}: every rule needs its own id")
        seen.add(rule_id)
        kind = spec.get("kind")
        if kind not in kinds:
            raise RulesError(f"{where}: unknown kind {kind!r}")
        repair = spec.get("repair") or ()
        repair = (repair,) if isinstance(repair, str) else tuple(repair)
        for name_ in repair:
            if name_ not in repairs and name_ not in ACTIONS:
                raise RulesError(f"{where}: unknown repair {name_!r}")
        let_go = tuple(spec.get("let_go") or ())
        if set(let_go) - set(LET_GO):
            raise RulesError(f"{where}: let_go must be among {', '.join(LET_GO)}")
        unless = spec.get("unless_before")
        flags.append(
            Rule(
                rule_id,
                kind,
                compile_pattern(spec["match"], lexicon, where),
                spec.get("why") or kinds[kind].why,
                int(spec.get("priority", kinds[kind].priority)),
                repair,
                let_go,
                compile_pattern(unless, lexicon, where) if unless else None,
                {k: list(v or []) for k, v in (spec.get("examples") or {}).items()},
            )
        )
    markers = [
        (spec["kind"], compile_pattern(spec["match"], lexicon, f"{name} marker {spec['kind']}"))
        for spec in data.get("markers") or []
    ]
    text = data.get("text") or {}
    keys = ("closing_question", "reported_quote", "quoted_why", "backstop_why", "fact_statement")
    for key in keys:
        if key not in text:
            raise RulesError(f"{name} text.{key}: missing")

    def words(key: str) -> re.Pattern[str]:
        return compile_pattern(data["context"][key], lexicon, f"{name} context.{key}")

    grammar = {
        key: compile_pattern(source, lexicon, f"{name} grammar.{key}")
        for key, source in (data.get("grammar") or {}).items()
    }

    return Ruleset(
        language,
        kinds,
        flags,
        markers,
        repairs,
        lexicon,
        text,
        praise=words("praise"),
        gripe=words("gripe"),
        ownership=words("ownership"),
        irony=words("irony"),
        relayed=words("relayed") if "relayed" in data["context"] else None,
        relay_purpose=words("relay_purpose") if "relay_purpose" in data["context"] else None,
        grammar=grammar,
    )

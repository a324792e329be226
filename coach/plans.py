"""How to go about a situation from the asker's side when no playbook is written for it.

A neighbouring playbook's steps tell a manager to do what does not fit them (apologise for a
remark they never made, run a budget process for an office move). When the closest playbook is
weak or written for the other side (``answers_from_plan``), the answer comes from
``prompts/plans.<lang>.yaml`` instead: steps, a line and a question for the asker's stance and
position, with the other person named in the asker's words, and the playbook kept as a source to
look at. The offline coach composes it; a model gets it in its prompt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from coach.errors import CoachError
from coach.fit import Choice
from coach.parts import mid_sentence, yours
from coach.settings import PROJECT_ROOT
from coach.situation import OBJECTIONS, Situation
from coach.tone import analyze, fold

PLANS_DIR = PROJECT_ROOT / "prompts"  # plans.<lang>.yaml
STANCES = ("received", "caused", "mediating", "initiating", "unknown")
TEAM = "team"  # caused.team: the asker's own people did it
POSITIONS = ("peer", "leader")
# A "related" playbook's own steps are given only when it was written for the asker's side (or
# the reading does not say) and the fit reader gives it at least this share. Otherwise its steps
# fit a neighbouring situation: on the dev sets, 46 of the 70 related answers under this share
# were about another situation, against 13 of the 45 above it.
RELATED_STEPS_SHARE = 0.1

# The article's principles that speak to each stance. The first is cited first; the others follow
# in the order the article ranks them for the question. Whatever point ranks first on its own can
# be beside the point ("finance as referee" for someone who insulted a colleague).
STANCE_PRINCIPLES = {
    "received": ("nothing-personal", "solve-not-blame", "shared-vision"),
    "caused": ("nothing-personal", "solve-not-blame", "shared-vision"),
    "mediating": ("solve-not-blame", "finance-mediation", "shared-vision", "clear-roles"),
    "initiating": (
        "solve-not-blame",
        "clear-roles",
        "continuous-training",
        "balanced-teams",
        "shared-vision",
        "finance-mediation",
    ),
}
_CONTRACTED_ES = ((re.compile(r"\ba el\b"), "al"), (re.compile(r"\bde el\b"), "del"))
# "{le|les}": the form that agrees with the other person, one or several ("los de ventas").
_AGREEMENT = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")
_SEVERAL_ES = re.compile(r"^(?:los|las|mis|tus|sus|unos|unas|ambos|ambas|ustedes|varios|varias)\b")


@dataclass(frozen=True)
class Plan:
    steps: tuple[str, ...]
    say: str
    question: str


@dataclass(frozen=True)
class Turn:
    they_say: str
    do: str
    say: str


@cache
def _load(language: str) -> dict:
    path = PLANS_DIR / f"plans.{language}.yaml"
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CoachError(f"{path}: cannot read the plans ({exc})") from exc
    if not isinstance(data, dict):
        raise CoachError(f"{path}: the plans must be a YAML mapping")
    entries = [(stance, position) for stance in STANCES for position in POSITIONS]
    for stance, position in [*entries, ("caused", TEAM)]:
        entry = (data.get(stance) or {}).get(position) or {}
        if not all(entry.get(k) for k in ("steps", "say", "question")):
            raise CoachError(f"{path}: {stance}.{position} needs steps, say and question")
    for objection in OBJECTIONS:
        turn = (data.get("next_turns") or {}).get(objection) or {}
        if not all(turn.get(k) for k in ("they_say", "do", "say")):
            raise CoachError(f"{path}: next_turns.{objection} needs they_say, do and say")
    return data


def check(languages: tuple[str, ...] = ("en", "es")) -> None:
    """Load every language's plans now: a broken file stops start-up, not an answer."""
    for language in languages:
        _load(language)


def _stance(situation: Situation) -> str:
    """The stance a plan is written for. A side heard only by the learned reader is often the
    wrong one of the pair (it hears "Tom rewrote our invite" as caused), and steps for the wrong
    side tell someone who was wronged to apologise: such a reading gets the plan that holds for
    either side."""
    return "unknown" if situation.stance is None or situation.stance_learned else situation.stance


def position(situation: Situation) -> str:
    """``leader`` when the asker leads both teams or the company; everyone else is a peer (a
    junior's steps never summon the head of the other team)."""
    return "leader" if situation.asker == "leadership" else "peer"


def plan_for(situation: Situation, language: str) -> Plan:
    """The steps, line and question for this asker, with the other person in their words."""
    data = _load(language)
    stance = _stance(situation)
    own_people = stance == "caused" and situation.own_people
    entry = data[stance][TEAM if own_people else position(situation)]
    them = situation.counterpart
    if not them or not analyze(them, language).ok:  # "los flojos de ventas" is not said back
        them = data["them"]
    else:
        them = mid_sentence(yours(them, language))

    several = language == "es" and bool(_SEVERAL_ES.match(fold(them)))

    def fill(text: str) -> str:
        text = _AGREEMENT.sub(lambda m: m.group(2 if several else 1), text)
        text = text.replace("{them}", them)
        if language == "es":
            for pattern, contracted in _CONTRACTED_ES:
                text = pattern.sub(contracted, text)
        return text

    return Plan(tuple(fill(s) for s in entry["steps"]), fill(entry["say"]), entry["question"])


def principles_for(situation: Situation) -> tuple[str, ...]:
    """The principles that can ground a plan for this stance (every one when it is unknown)."""
    return STANCE_PRINCIPLES.get(_stance(situation), ())


def turn_for(objection: str, language: str) -> Turn:
    """The usual next turn asked about ("and if they say no?") after a plan's answer."""
    return Turn(**_load(language)["next_turns"][objection])


def answers_from_plan(choice: Choice | None) -> bool:
    """Whether the answer comes from the asker's plan rather than a playbook: nothing fits, or
    the closest playbook is written for the other side or hardly backed by the fit reader."""
    if choice is None:
        return False
    if choice.playbook is None:
        return choice.fit == "none"
    return choice.fit == "related" and (choice.side < 0 or choice.share < RELATED_STEPS_SHARE)

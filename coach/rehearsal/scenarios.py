"""Scenarios as data: YAML files in the knowledge folders, validated on load."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from coach.errors import KnowledgeError
from coach.knowledge import YamlAliasError, parse_yaml
from coach.language import LANGUAGES
from coach.principles import PRINCIPLES

LEVELS = ("calm", "tense", "hostile")
BANDS = ("hostile", "tense", "open")
MOVES = ("attack", "acknowledge", "ask", "propose", "neutral")


class Interest(BaseModel):
    """Something the counterpart wants and does not say until it is earned."""

    want: str = Field(min_length=3)  # in third person, as a trainer would write it
    earned_by: list[str] = Field(default_factory=list)  # questions/acknowledgements that earn it
    reveal: str = ""  # what they say when it is earned (their words)
    pain: str = ""  # how the learner could name it to them ("your three people carry the launch")


class Remedy(BaseModel):
    """A fix the learner may propose, recognised by any of its ``keywords`` (accent-folded)."""

    remedy: str
    keywords: list[str] = Field(min_length=1)
    amendment: str = ""  # amend: the condition they add
    reason: str = ""  # refuse: why not

    @model_validator(mode="after")
    def _said(self) -> Remedy:
        if not self.keywords or any(not k.strip() for k in self.keywords):
            raise ValueError("keywords must be non-empty words")
        return self


class Remedies(BaseModel):
    accept: list[Remedy] = Field(default_factory=list)
    amend: list[Remedy] = Field(default_factory=list)
    refuse: list[Remedy] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> Remedies:
        for r in self.amend:
            if not r.amendment:
                raise ValueError(f"amend remedy '{r.remedy}' needs an amendment")
        for r in self.refuse:
            if not r.reason:
                raise ValueError(f"refused remedy '{r.remedy}' needs a reason")
        return self


class Objections(BaseModel):
    """What they ask of an incomplete proposal; {what} is the learner's proposal."""

    who: list[str] = Field(default_factory=list)
    when: list[str] = Field(default_factory=list)


class Counterpart(BaseModel):
    name: str
    role: str
    interests: list[Interest] = Field(min_length=1)
    red_lines: list[str] = Field(default_factory=list)

    @field_validator("interests", mode="before")
    @classmethod
    def _plain_interests(cls, value):
        # A plain sentence is an interest with no reveal line yet.
        if isinstance(value, list):
            return [{"want": v} if isinstance(v, str) else v for v in value]
        return value

    owed: str
    leverage: str
    triggers: list[str] = Field(min_length=1)
    calmers: list[str] = Field(min_length=1)


class Cell(BaseModel):
    attack: list[str] = Field(min_length=2)
    acknowledge: list[str] = Field(min_length=2)
    ask: list[str] = Field(min_length=2)
    propose: list[str] = Field(min_length=2)
    neutral: list[str] = Field(min_length=2)


class Lines(BaseModel):
    hostile: Cell
    tense: Cell
    open: Cell


class Closing(BaseModel):
    resolved: list[str] = Field(min_length=1)
    escalated: list[str] = Field(min_length=1)


class Opening(BaseModel):
    calm: str
    tense: str
    hostile: str


class Scenario(BaseModel):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    language: str
    title: str
    learner_role: str
    summary: str
    principles: list[str] = Field(min_length=1)
    good_outcome: str
    counterpart: Counterpart
    opening: Opening
    lines: Lines
    closing: Closing
    remedies: Remedies = Field(default_factory=Remedies)
    objections: Objections = Field(default_factory=Objections)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("principles")
    @classmethod
    def _known_principles(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p not in PRINCIPLES]
        if unknown:
            raise ValueError(f"unknown principle id '{unknown[0]}'")
        return value

    def line(self, band: str, move: str) -> list[str]:
        return getattr(getattr(self.lines, band), move)

    def summary_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "difficulty": list(LEVELS),
            "counterpart": f"{self.counterpart.name}, {self.counterpart.role}",
            "learner_role": self.learner_role,
            "principles": self.principles,
        }


def load_scenario(path: Path) -> Scenario:
    try:
        data = parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise KnowledgeError(path, "is not UTF-8 text", "no es texto UTF-8") from None
    except YamlAliasError as exc:
        raise KnowledgeError(path, str(exc)) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)  # hand-written YAML: say where it broke
        line = f" {where.line + 1}: {exc.problem}" if where else ""
        raise KnowledgeError(
            path,
            "is not valid YAML" + (f" at line{line}" if line else ""),
            "no es YAML válido" + (f" en la línea{line}" if line else ""),
        ) from None
    if not isinstance(data, dict):
        raise KnowledgeError(path, "must be a YAML mapping", "debe ser un mapa YAML")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(  # pydantic says what is wrong in English only
            path, f"{where}: {first['msg']}", f"campo {where}: {first['msg']}"
        ) from None


def load_scenarios(dirs: Iterable[Path]) -> dict[tuple[str, str], Scenario]:
    """Every scenario under the knowledge folders, by (id, language)."""
    found: dict[tuple[str, str], Scenario] = {}
    for root in dirs:
        for path in sorted(Path(root).rglob("*.yaml")):
            scenario = load_scenario(path)
            found[(scenario.id, scenario.language)] = scenario
    return found

"""The rehearsal engine: one Session per learner, a tension meter, and a counterpart that reacts.

Offline, the counterpart speaks the scenario's scripted lines for the tension band and what the
learner just did; the choice is seeded (same script, same transcript) and never repeats the
previous line. Each Session owns all of its state, so two learners never share anything.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from coach.principles import PRINCIPLES
from coach.rehearsal.counterpart import Memory, respond
from coach.rehearsal.debrief import debrief, debrief_markdown
from coach.rehearsal.feedback import TurnFeedback, feedback_by_moves, without_stock
from coach.rehearsal.moves import Moves, analyzer_jabs, read_moves
from coach.rehearsal.reading import Reading
from coach.rehearsal.scenarios import LEVELS, Scenario
from coach.rehearsal.topic import off_topic
from coach.text import user_text
from coach.tone import analyze

# Hostile starts high (their opening is angry) but leaves room for two recoveries: each weak line
# adds 1.5 per flag, so two of them take it to 9.5 and only a third ends the rehearsal (10).
START_TENSION = {"calm": 3.0, "tense": 6.0, "hostile": 6.5}
LEVEL_DESCRIPTIONS = {
    "calm": {
        "en": "Calm: they are open to talk (tension 3/10).",
        "es": "Tranquila: la otra persona está abierta a hablar (tensión 3/10).",
    },
    "tense": {
        "en": "Tense: they are annoyed and expect you to listen (tension 6/10).",
        "es": "Tensa: la otra persona está molesta y espera que la escuches (tensión 6/10).",
    },
    "hostile": {
        "en": "Hostile: they open angry (tension 6.5/10). Two weak lines take them to the edge; "
        "a third and they walk out. Acknowledging them brings it back down.",
        "es": "Hostil: la otra persona empieza enojada (tensión 6.5/10). Dos frases flojas la "
        "llevan al límite; a la tercera se va. Reconocer su punto la vuelve a bajar.",
    },
}
# Levels and outcomes as a Spanish transcript names them.
SPANISH_NAMES = {
    "calm": "tranquila",
    "tense": "tensa",
    "hostile": "hostil",
    "resolved": "resuelta",
    "escalated": "escalada",
    "turn-limit": "terminó por límite de turnos",
    "in-progress": "en curso",
}
MAX_TURNS = 8
MAX_TURN_CHARS = 2000  # a turn is something said aloud; longer is a paste, not a turn

CONVERSATION_BONUS = 4  # each skill the whole conversation showed (Session.skills)
CHANGING_THE_SUBJECT = 0.5  # a turn about something else: its kind words count half
SORE_POINT = 1.5  # the turn touched one of the counterpart's triggers
WHAT_THEY_NEEDED = 1.0  # the turn gave them one of their calmers

# Which markers (good) and flags (bad) speak to each principle, for the scorecard.
PRINCIPLE_SIGNALS = {
    "solve-not-blame": (
        {"solution-question", "proposal"},
        {"blame", "you-accusation", "absolute", "defensive"},
    ),
    "nothing-personal": (
        {"acknowledge", "i-statement", "tentative"},
        {"label", "contempt", "out-group", "stonewall"},
    ),
    "clear-roles": ({"proposal", "date", "ask-view"}, {"demand", "defensive"}),
    "shared-vision": ({"we", "ask-view", "solution-question"}, {"out-group", "stonewall", "blame"}),
    "finance-mediation": ({"observation", "proposal", "ask-view"}, {"demand", "absolute"}),
    "continuous-training": ({"ask-view", "acknowledge", "tentative"}, {"contempt", "label"}),
    "balanced-teams": ({"we", "proposal", "ask-view"}, {"demand", "out-group"}),
}


# How each move moves the tension (negative calms); a jab heats whatever else the turn did.
MOVE_DELTA = {
    "repair": -2.0,
    "acknowledge": -1.5,
    "open-question": -1.0,
    "leading-question": 0.3,
}
JAB_HEAT = 1.5  # a turn with a jab; each further kind of jab in it adds EXTRA_JAB
EXTRA_JAB = 0.5


def tension_delta(moves: Moves, history: dict, tension: float) -> float:
    if moves.jabbed:
        return JAB_HEAT + EXTRA_JAB * (min(len(moves.jabs), 3) - 1)
    kinds = moves.kinds
    delta = 0.0
    if "repair" in kinds:
        delta += MOVE_DELTA["repair"]
    elif "acknowledge" in kinds:
        delta += -0.5 if "pleasantry" in kinds else MOVE_DELTA["acknowledge"]
    for kind in ("open-question", "leading-question"):
        if kind in kinds:
            delta += MOVE_DELTA[kind]
    if moves.proposal is not None:
        delta += -1.5 if moves.proposal.complete else -0.3
        if not (history["acknowledged"] or kinds & {"acknowledge", "repair"}):
            delta /= 2  # a fix offered before any acknowledgement lands only halfway
    if not moves.substance and moves.proposal is None and tension >= 7:
        delta += 0.5  # stalling while they are angry makes it worse
    return delta


def _as_jab(moves: Moves, text: str) -> Moves:
    """The same turn, heard as a jab (it touched a sore point)."""
    return Moves(kinds=set(moves.kinds) | {"jab"}, jabs={"sore": text})


def band(tension: float) -> str:
    return "hostile" if tension >= 7 else "tense" if tension >= 4 else "open"


@dataclass
class Turn:
    user: str
    counterpart: str
    tension: float
    feedback: TurnFeedback
    markers: dict[str, int]
    flag_kinds: list[str]
    voice: str = "script"  # who spoke the counterpart's line: script | model
    moves: set[str] = field(default_factory=set)  # what the turn did (coach/rehearsal/moves.py)
    reply_kind: str = ""  # how the counterpart answered (coach/rehearsal/counterpart.py)
    revealed: str = ""  # the interest this turn earned, if any
    proposal: dict | None = None  # the proposal read in the turn: text, who, when

    def to_dict(self) -> dict:
        return {
            "user": self.user,
            "counterpart": self.counterpart,
            "tension": self.tension,
            "feedback": self.feedback.to_dict(),
            "voice": self.voice,
            "moves": sorted(self.moves),
            "revealed": self.revealed,
            "proposal": self.proposal,
        }


@dataclass
class Session:
    scenario: Scenario
    level: str = "tense"
    seed: int = 0
    tension: float = 0.0
    turns: list[Turn] = field(default_factory=list)
    outcome: str = "in-progress"
    last_line: str = ""
    voice: object = None  # a ModelVoice, or None for the scenario's script
    reader: object = None  # a reading.Reader (triggers and calmers by meaning), or None
    memory: Memory = field(default_factory=Memory)  # lines said, interests revealed, proposal
    agreement: dict | None = None  # the learner's proposal as agreed: text, who, when

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}")
        self.tension = START_TENSION[self.level]
        self.last_line = self.opening
        self.memory.said.add(self.opening)

    @property
    def language(self) -> str:
        return self.scenario.language

    @property
    def opening(self) -> str:
        return getattr(self.scenario.opening, self.level)

    @property
    def finished(self) -> bool:
        return self.outcome != "in-progress"

    # -- one turn -------------------------------------------------------------------------
    def _acknowledged(self, upto: int | None = None) -> bool:
        turns = self.turns if upto is None else self.turns[:upto]
        return any(t.moves & {"acknowledge", "repair"} for t in turns)

    def _history(self, upto: int | None = None) -> dict:
        turns = self.turns if upto is None else self.turns[:upto]
        return {
            "acknowledged": any(t.moves & {"acknowledge", "repair"} for t in turns),
            "asked": any("open-question" in t.moves for t in turns),
            "proposed": any("propose" in t.moves for t in turns),
            "slipped": any("jab" in t.moves for t in turns),
        }

    def _react(self, text: str, tension: float, turn_number: int, history: dict, memory: Memory):
        reading = self.reader.read(text, self.scenario) if self.reader else Reading()
        report = analyze(
            text, self.language, backstop=True
        )  # the same analyzer as Check my message
        moves = read_moves(
            without_stock(text),  # coach's own stock sentences, pasted in, count for nothing
            self.language,
            report,
            counterpart_name=self.scenario.counterpart.name,
            slipped_before=history["slipped"],
            by_meaning=self.reader is not None,
        )
        # A jab is about them, whatever else it names; only a clean turn can be about something else.
        wandered = not moves.jabbed and off_topic(text, self.scenario, self.last_line)
        if wandered:
            moves.proposal = None
            moves.kinds.discard("propose")
        kept_flags = analyzer_jabs(
            text, self.language, report, bool(moves.kinds & {"apology", "ownership"})
        )
        feedback = feedback_by_moves(
            text,
            self.language,
            moves,
            report,
            kept_flags,
            self.scenario,
            history,
            wandered,
            reading,
        )
        delta = tension_delta(moves, history, tension)
        if wandered:
            delta = delta / 2 + CHANGING_THE_SUBJECT
        if reading.trigger and not moves.jabbed:  # a jab already heated it; do not count it twice
            delta += SORE_POINT
        elif reading.calmer and not moves.jabbed:
            delta -= WHAT_THEY_NEEDED
        new_tension = max(0.0, min(10.0, tension + delta))
        rng = random.Random(f"{self.seed}:{self.scenario.id}:{turn_number}")
        embedder = getattr(self.reader, "embedder", None)
        reply = respond(
            self.scenario,
            moves,
            text,
            new_tension,
            band(new_tension),
            history["acknowledged"] or bool(moves.kinds & {"acknowledge", "repair"}),
            memory,
            rng,
            embedder,
            wandered,
        )
        if reading.trigger and reply.outcome is None and reply.kind != "cold":
            pushed = respond(
                self.scenario,
                _as_jab(moves, text),
                text,
                new_tension,
                band(new_tension),
                False,
                memory,
                rng,
            )
            reply = pushed  # a sore point gets pushed back on, however politely it was said
        return reply, new_tension, feedback, report, moves

    def turn(self, text: str) -> Turn:
        """The learner says ``text``; the counterpart answers and the tension moves."""
        if self.finished:
            raise ValueError("This rehearsal has ended; start a new one to practise again.")
        text = user_text(text, "turn", MAX_TURN_CHARS)
        reply, tension, feedback, report, moves = self._react(
            text, self.tension, len(self.turns) + 1, self._history(), self.memory
        )
        line, voice = reply.line, "script"
        if self.voice is not None and reply.outcome is None:  # closing lines stay scripted
            line, voice = self.voice.speak(self, text, tension, band(tension), line)
        turn = Turn(
            text,
            line,
            round(tension, 1),
            feedback,
            dict(report.solution_markers),
            [f["kind"] for f in feedback.flags],
            voice,
            moves=set(moves.kinds),
            reply_kind=reply.kind,
            revealed=reply.revealed.want if reply.revealed else "",
            proposal=moves.proposal.to_dict() if moves.proposal else None,
        )
        self.turns.append(turn)
        self.tension, self.last_line = tension, line
        if reply.agreement:
            self.agreement = reply.agreement
        if reply.outcome:
            self.outcome = reply.outcome
        elif len(self.turns) >= MAX_TURNS:
            self.outcome = "turn-limit"
        return turn

    def what_if(self, text: str, turn_index: int | None = None) -> dict:
        """How the counterpart would have answered ``text`` at a turn, without changing the session."""
        text = user_text(text, "turn", MAX_TURN_CHARS)
        index = len(self.turns) - 1 if turn_index is None else turn_index
        if not 0 <= index < len(self.turns):
            raise ValueError("There is no such turn to replay.")
        before = self.turns[index - 1].tension if index else START_TENSION[self.level]
        memory = Memory(said=set(t.counterpart for t in self.turns[:index]) | {self.opening})
        reply, tension, feedback, _, _ = self._react(
            text, before, index + 1, self._history(index), memory
        )
        outcome = reply.outcome
        reply = reply.line
        return {
            "user": text,
            "counterpart": reply,
            "tension": round(tension, 1),
            "feedback": feedback.to_dict(),
            "outcome": outcome or "in-progress",
        }

    # -- the end --------------------------------------------------------------------------
    def scorecard(self) -> dict:
        if not self.turns:
            return {
                "score": 0,
                "by_principle": {},
                "outcome": self.outcome,
                "best_turn": None,
                "first_turn": None,
                "alternatives": [],
            }
        scores = [t.feedback.score for t in self.turns]
        score = round(
            sum(scores) / len(scores) + sum(CONVERSATION_BONUS * v for v in self.skills().values())
        )
        if self.outcome == "resolved":
            score += 5
        elif self.outcome == "escalated":
            score -= 10
        score = max(0, min(100, score))
        by_principle = {}
        for pid in self.scenario.principles:
            good, bad = PRINCIPLE_SIGNALS[pid]
            per_turn = [
                max(
                    0,
                    min(
                        100,
                        50 + 15 * len(good & t.markers.keys()) - 30 * len(bad & set(t.flag_kinds)),
                    ),
                )
                for t in self.turns
            ]
            by_principle[pid] = round(sum(per_turn) / len(per_turn))
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        worst_first = sorted(range(len(scores)), key=lambda i: scores[i])
        alternatives = [
            {
                "turn": i + 1,
                "user": self.turns[i].user,
                "suggestion": self.turns[i].feedback.suggestion,
            }
            for i in worst_first[:3]
            if scores[i] < 90
        ]
        return {
            "score": score,
            "skills": self.skills(),
            "debrief": debrief(self, START_TENSION[self.level]),
            "by_principle": by_principle,
            "outcome": self.outcome,
            "first_turn": {"turn": 1, "score": scores[0]},
            "best_turn": {"turn": best + 1, "score": scores[best], "user": self.turns[best].user},
            "alternatives": alternatives,
        }

    def skills(self) -> dict[str, bool]:
        """What the conversation did as a whole, in the order the article teaches."""
        first_proposal = next((i for i, t in enumerate(self.turns) if "propose" in t.moves), None)
        acknowledged_at = next(
            (i for i, t in enumerate(self.turns) if t.moves & {"acknowledge", "repair"}), None
        )
        last_jab = max((i for i, t in enumerate(self.turns) if "jab" in t.moves), default=None)
        repaired = last_jab is None or any("repair" in t.moves for t in self.turns[last_jab + 1 :])
        return {
            "acknowledged_before_proposing": first_proposal is not None
            and acknowledged_at is not None
            and acknowledged_at <= first_proposal,
            "explored_interests": any("open-question" in t.moves for t in self.turns),
            "concrete_proposal": any((t.proposal or {}).get("complete") for t in self.turns),
            "no_unrepaired_jab": repaired,
        }

    def transcript(self) -> dict:
        return {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "language": self.language,
            "level": self.level,
            "opening": self.opening,
            "turns": [t.to_dict() for t in self.turns],
            "scorecard": self.scorecard(),
        }

    def transcript_json(self) -> str:
        return json.dumps(self.transcript(), ensure_ascii=False, indent=2)

    def transcript_markdown(self) -> str:
        es = self.language == "es"
        who = self.scenario.counterpart.name
        you = "Tú" if es else "You"
        card = self.scorecard()
        named = SPANISH_NAMES.get if es else lambda key, _: key
        lines = [
            f"# {self.scenario.title}",
            "",
            f"*{'Nivel' if es else 'Level'}: {named(self.level, self.level)}*",
            "",
            f"**{who}:** {self.opening}",
            "",
        ]
        for n, t in enumerate(self.turns, 1):
            lines += [
                f"**{you}:** {t.user}",
                "",
                f"**{who}:** {t.counterpart}",
                "",
                f"> {'Turno' if es else 'Turn'} {n}: {t.feedback.score}/100 · "
                f"{'tensión' if es else 'tension'} {t.tension}/10",
            ]
            for flag in t.feedback.flags:
                lines.append(f"> - “{flag['text']}”: {flag['why']}")
            lines += [f"> {'Alternativa' if es else 'Alternative'}: {t.feedback.suggestion}", ""]
        lines += [
            f"## {'Resultado' if es else 'Scorecard'}",
            "",
            f"- {'Puntaje' if es else 'Score'}: {card['score']}/100",
            f"- {'Desenlace' if es else 'Outcome'}: {named(card['outcome'], card['outcome'])}",
        ]
        for pid, value in card["by_principle"].items():
            lines.append(f"- {PRINCIPLES[pid].label(self.language)}: {value}/100")
        if card.get("debrief"):
            lines += ["", debrief_markdown(card["debrief"], self.language)]
        return "\n".join(lines) + "\n"

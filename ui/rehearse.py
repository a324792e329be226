"""The rehearsal tab as plain functions over ``coach.rehearsal``: pickers, chat, feedback, scorecard."""

from __future__ import annotations

import random
import re
import secrets
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from coach.principles import PRINCIPLES
from coach.rehearsal.debrief import debrief_markdown
from coach.rehearsal.engine import Session
from coach.rehearsal.scenarios import LEVELS
from coach.text import InputError, safe_markdown
from ui.check import highlight
from ui.state import SessionStore, keep
from ui.strings import LANGS, inert, norm_lang, t

DEFAULT_LEVEL = "tense"


# -- what lasts ----------------------------------------------------------------------------
class Recorder:
    """Writes one rehearsal to the database as it goes: the attempt at its first turn, each
    turn once, the outcome and scorecard when it ends. The live session stays in memory
    (``gr.State`` or the API's ``SessionStore``); ``sync`` catches the database up with it and
    can be called as often as wanted."""

    def __init__(
        self,
        store,
        person: str,
        course: str | None = None,
        key: str | None = None,
        on_finish=None,
    ) -> None:
        self.store = store
        self.person = person
        self.course = course
        self.on_finish = on_finish  # (person, attempt key) once the outcome is recorded
        self.key = key or "r-" + secrets.token_urlsafe(12)
        self.started = False
        self.turns = 0
        self.finished = False
        self._lock = threading.Lock()

    def begin(self, session: Session) -> bool:
        """Record the attempt now, before any turn (the API does: another app server may
        take the next turn and must find it)."""
        with self._lock:
            self._start(session)
            return self.started

    def _start(self, session: Session) -> None:
        from coach.store import repo

        if not self.started:
            self.started = bool(
                keep(
                    repo.start_attempt,
                    self.store,
                    self.person,
                    self.key,
                    session.scenario.id,
                    session.level,
                    session.language,
                    title=session.scenario.title,
                    course=self.course,
                    seed=session.seed,
                )
            )

    def behind(self) -> bool:
        """True when the database holds turns this copy of the session has not seen (another
        app server took them): the session must be rebuilt before the next turn."""
        from coach.store import queries

        recorded = keep(queries.turns_recorded, self.store, self.key)
        return isinstance(recorded, int) and recorded > self.turns

    def __deepcopy__(self, memo):  # a copied session (what-if replays) records nothing
        return None

    def sync(self, session: Session) -> None:
        from coach.store import repo

        with self._lock:
            if not session.turns or self.finished:
                return
            self._start(session)
            if not self.started:
                return
            while self.turns < len(session.turns):
                turn = session.turns[self.turns]
                feedback = turn.feedback
                if not keep(
                    repo.record_turn,
                    self.store,
                    self.key,
                    self.turns + 1,
                    turn.user,
                    turn.counterpart,
                    feedback.score,
                    turn.tension,
                    [{"text": f["text"], "why": f["why"]} for f in feedback.flags],
                    sorted(turn.moves),
                    turn.voice,
                ):
                    return  # tried again at the next sync
                self.turns += 1
            if session.finished:
                card = session.scorecard()
                self.finished = bool(
                    keep(
                        repo.finish_attempt,
                        self.store,
                        self.key,
                        session.outcome,
                        card["score"],
                        card,
                    )
                )
                if self.finished and self.on_finish is not None:
                    self.on_finish(self.person, self.key)


class _Replay:
    """The counterpart's recorded replies, spoken again while a session is rebuilt; then
    ``then`` (the live voice, or None for the script) takes over."""

    def __init__(self, replies: list[tuple[str, str]], then=None) -> None:
        self.replies = list(replies)
        self.then = then

    def speak(self, session, text, tension, band, scripted):
        index = len(session.turns)
        if index < len(self.replies):
            return self.replies[index]
        if self.then is not None:
            return self.then.speak(session, text, tension, band, scripted)
        return scripted, "script"


def resume_session(
    store, scenarios: dict, key: str, voice=None, reader=None, on_finish=None
) -> Session | None:
    """The rehearsal ``key`` rebuilt from the database, ready for its next turn on this app
    server: the recorded lines are played again with the same seed (the engine is
    deterministic) and the counterpart's recorded replies (a model would not say the same
    thing twice). None when the attempt is unknown, has no seed (recorded before revision
    0003) or its scenario is no longer there."""
    from coach.store import queries

    if store is None or not isinstance(key, str):
        return None
    found = keep(queries.attempt_for_replay, store, key)
    if not isinstance(found, dict) or found["seed"] is None:
        return None
    try:
        scenario = find_scenario(scenarios, found["scenario"], found["language"])
    except ValueError:
        return None
    replies = [(reply, spoken) for _, reply, spoken in found["turns"]]
    session = Session(
        scenario, level=found["level"], seed=found["seed"], voice=_Replay(replies), reader=reader
    )
    try:
        for said, _, _ in found["turns"]:
            session.turn(said)
    except ValueError:
        return None  # the scenario changed under the attempt: it cannot be replayed
    session.voice = voice
    if found["outcome"] != "in-progress":
        session.outcome = found["outcome"]
    recorder = Recorder(store, found["person"], found["course"], key=key, on_finish=on_finish)
    recorder.started, recorder.turns = True, len(found["turns"])
    recorder.finished = session.finished
    session.recorder = recorder
    return session


def resumer(services):
    """For ``SessionStore(loader=...)``: an API rehearsal this server does not hold (started
    on another app server, or before a restart) is rebuilt from the database."""

    def load(key: str):
        options = services.rehearsal_options()
        options.pop("recorder", None)
        return resume_session(
            services.store, services.scenarios, key, on_finish=services.finished, **options
        )

    return load


def record(session: Session | None) -> None:
    """Catch the database up with ``session`` (nothing when it has no recorder)."""
    recorder = getattr(session, "recorder", None)
    if recorder is not None:
        recorder.sync(session)


# -- pickers -------------------------------------------------------------------------------
def scenario_choices(scenarios: dict, lang: str) -> list[tuple[str, str]]:
    """(title, id) for the dropdown, in ``lang`` (a scenario missing there shows in the other)."""
    lang = norm_lang(lang)
    titles: dict[str, str] = {}
    for (sid, slang), scenario in scenarios.items():
        if slang == lang or sid not in titles:
            titles[sid] = scenario.title
    return sorted(((title, sid) for sid, title in titles.items()), key=lambda c: c[0].lower())


def level_choices(lang: str) -> list[tuple[str, str]]:
    return [(t(lang, f"level_{level}"), level) for level in LEVELS]


def norm_level(level: str | None) -> str:
    level = (level or "").strip().lower()
    return level if level in LEVELS else DEFAULT_LEVEL


def find_scenario(scenarios: dict, scenario_id: str, lang: str):
    """The scenario in ``lang``, else in any language; ``ValueError`` naming the known ids."""
    lang = norm_lang(lang)
    if (scenario_id, lang) in scenarios:
        return scenarios[(scenario_id, lang)]
    for (sid, _), scenario in sorted(scenarios.items()):
        if sid == scenario_id:
            return scenario
    known = ", ".join(sorted({sid for sid, _ in scenarios}))
    raise ValueError(f"No scenario '{scenario_id}'. Known scenarios: {known}.")


def start_session(
    scenarios: dict,
    scenario_id: str,
    level: str | None,
    lang: str,
    seed: int | None = None,
    voice=None,
    reader=None,
    recorder: Recorder | None = None,
) -> Session:
    """``voice``: who plays the counterpart (``coach.rehearsal.voices``); None = the script.
    ``reader``: how they read a turn's meaning (``coach.rehearsal.reading``); None = tone only.
    ``recorder``: where the attempt is kept (``Recorder``); None = nowhere."""
    scenario = find_scenario(scenarios, scenario_id, lang)
    if seed is None:
        seed = random.randrange(1_000_000)
    session = Session(scenario, level=norm_level(level), seed=seed, voice=voice, reader=reader)
    session.recorder = recorder
    return session


# -- views ---------------------------------------------------------------------------------
def brief_markdown(scenario, lang: str) -> str:
    who = f"{scenario.counterpart.name}, {scenario.counterpart.role}"
    return safe_markdown(
        f"### {scenario.title}\n\n"
        + t(lang, "scenario_brief", role=scenario.learner_role, who=who, summary=scenario.summary)
    )


def chat_messages(session: Session) -> list[dict]:
    """The conversation so far: the counterpart's opening, then each turn."""
    who = session.scenario.counterpart.name
    messages = [{"role": "assistant", "content": safe_markdown(f"**{who}:** {session.opening}")}]
    for turn in session.turns:
        messages.append({"role": "user", "content": inert(turn.user)})
        messages.append(
            {"role": "assistant", "content": safe_markdown(f"**{who}:** {turn.counterpart}")}
        )
    return messages


def feedback_markdown(feedback: dict, lang: str) -> str:
    """Score, why the flagged phrases hurt, what worked and what would help."""
    score = feedback["score"]
    lines = [f"### {t(lang, 'score')}: {score}/100", ""]
    if feedback.get("headline"):  # the engine's verdict: never "well done" on a low score
        lines += [f"**{feedback['headline']}**", ""]
    if feedback["flags"]:
        lines.append(f"**{t(lang, 'flagged')}**")
        lines += [f"- **“{inert(f['text'])}”**: {f['why']}" for f in feedback["flags"]]
    else:
        lines.append("✓ " + t(lang, "no_flags"))
    if feedback["strengths"]:
        lines += ["", f"**{t(lang, 'worked')}**"]
        lines += [f"- {s}" for s in feedback["strengths"]]
    if feedback.get("tips"):
        lines += ["", f"**{t(lang, 'tips')}**"]
        lines += [f"- {tip}" for tip in feedback["tips"]]
    return "\n".join(lines)


def last_turn_view(session: Session, lang: str) -> dict:
    """Everything the feedback panel shows for the last turn (empty before the first one)."""
    if not session.turns:
        return {
            "feedback": t(lang, "feedback_empty"),
            "highlighted": [],
            "suggestion": "",
            "tension": session.tension,
        }
    turn = session.turns[-1]
    feedback = turn.feedback.to_dict()
    return {
        "feedback": feedback_markdown(feedback, lang),
        "highlighted": highlight(turn.user, feedback["flags"], session.language),
        "suggestion": ""
        if same_words(feedback["suggestion"], turn.user)
        else feedback["suggestion"],
        "tension": turn.tension,
    }


def same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def what_if_markdown(session: Session, text: str, lang: str) -> str:
    """Replay the last turn with ``text`` instead: what the counterpart would have said."""
    result = session.what_if(text)
    who = session.scenario.counterpart.name
    return "\n\n".join(
        [
            f"**{t(lang, 'what_if_title')}**",
            t(lang, "what_if_reply", who=who, reply=result["counterpart"]),
            t(
                lang,
                "what_if_tension",
                tension=result["tension"],
                score=result["feedback"]["score"],
            ),
        ]
    )


LOW_SCORE = 60  # below this, "resolved" alone would read as praise the score does not back


def outcome_key(card: dict) -> str:
    """The outcome's wording, never at odds with the score: an agreement reached with a low
    score says what it cost."""
    if card["outcome"] == "resolved" and card["score"] < LOW_SCORE:
        return "outcome_resolved_low"
    return "outcome_" + card["outcome"]


def scorecard_markdown(session: Session, lang: str) -> str:
    card = session.scorecard()
    plang = session.language
    lines = [
        f"## {t(lang, 'scorecard')}",
        "",
        f"**{t(lang, 'overall')}: {card['score']}/100**  ",
        f"{t(lang, 'outcome')}: {t(lang, outcome_key(card))}",
    ]
    if card["first_turn"] and card["best_turn"]:
        lines.append(
            "\n"
            + t(
                lang,
                "first_best",
                first=card["first_turn"]["score"],
                best=card["best_turn"]["score"],
                n=card["best_turn"]["turn"],
            )
        )
    if card["by_principle"]:
        lines += ["", f"**{t(lang, 'by_principle')}**"]
        lines += [
            f"- {PRINCIPLES[p].label(plang)}: {v}/100" for p, v in card["by_principle"].items()
        ]
    if card["alternatives"]:
        lines += ["", f"**{t(lang, 'alternatives')}**"]
        for alt in card["alternatives"]:
            lines.append(
                f"- {t(lang, 'turn')} {alt['turn']}: “{inert(alt['user'])}” → "
                f"“{inert(alt['suggestion'])}”"
            )
    if card.get("debrief"):  # best/weakest line, turning point, interests, what to practise
        lines += ["", debrief_markdown(card["debrief"], norm_lang(lang), quote=inert)]
    return "\n".join(lines)


def panel(session: Session | None, lang: str) -> dict:
    """Everything the rehearse tab shows for a session (``None``: nothing started yet).
    The tab asks for it after every turn, so the attempt is recorded here too."""
    record(session)
    if session is None:
        return {
            "chat": [],
            "brief": t(lang, "start_first"),
            "tension": 0.0,
            "feedback": t(lang, "feedback_empty"),
            "highlighted": [],
            "suggestion": "",
            "scorecard": "",
            "finished": False,
            "started": False,
            "placeholder": t(lang, "your_turn_placeholder"),
            "start_label": t(lang, "start"),
        }
    view = last_turn_view(session, lang)
    return {
        "chat": chat_messages(session),
        "brief": brief_markdown(session.scenario, lang),
        "tension": view["tension"],
        "feedback": view["feedback"],
        "highlighted": view["highlighted"],
        "suggestion": view["suggestion"],
        "scorecard": scorecard_markdown(session, lang) if session.finished else "",
        "finished": session.finished,
        "started": True,
        # The input is closed once it ends: its placeholder says why and what to do next.
        "placeholder": t(lang, "rehearse_ended" if session.finished else "your_turn_placeholder"),
        "start_label": t(lang, "restart"),
    }


def write_transcripts(session: Session, folder: Path | None = None) -> tuple[Path, Path]:
    """The transcript as Markdown and JSON files, for download."""
    folder = Path(folder or tempfile.mkdtemp(prefix="coach-transcript-"))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    stem = re.sub(r"[^a-z0-9-]", "", session.scenario.id) or "rehearsal"
    md = folder / f"rehearsal-{stem}-{stamp}.md"
    js = folder / f"rehearsal-{stem}-{stamp}.json"
    md.write_text(session.transcript_markdown(), encoding="utf-8")
    js.write_text(session.transcript_json(), encoding="utf-8")
    return md, js


# -- the API -------------------------------------------------------------------------------
def api_start(
    store: SessionStore,
    scenarios: dict,
    scenario_id: str,
    level: str,
    lang: str,
    voice=None,
    reader=None,
    owner: str = "",
    recorder: Recorder | None = None,
) -> dict:
    """Start a rehearsal kept on the server (counted against ``owner``'s share: see
    ``SessionStore``); returns its id, the brief and the opening line.
    Unlike a deep link (which opens anyway), an API call with a level or language coach does
    not have is refused, so the caller learns about it."""
    if (level or "").strip() and (level or "").strip().lower() not in LEVELS:
        raise ValueError(f"Unknown level '{level}'. Use one of: {', '.join(LEVELS)}.")
    if (lang or "").strip() and (lang or "").strip().lower()[:2] not in LANGS:
        raise ValueError(f"Unknown language '{lang}'. Use one of: {', '.join(LANGS)}.")
    session = start_session(
        scenarios, scenario_id, level, lang, seed=0, voice=voice, reader=reader, recorder=recorder
    )
    if recorder is not None and recorder.begin(session):  # any app server can continue it
        session_id = store.add(session, owner=owner, key=recorder.key)
    else:
        session_id = store.add(session, owner=owner)
    scenario = session.scenario
    return {
        "session_id": session_id,
        "scenario": scenario.id,
        "title": scenario.title,
        "language": scenario.language,
        "level": session.level,
        "learner_role": scenario.learner_role,
        "counterpart": f"{scenario.counterpart.name}, {scenario.counterpart.role}",
        "opening": session.opening,
        "tension": session.tension,
    }


def api_turn(store: SessionStore, session_id: str, text: str) -> dict:
    """One turn of an API rehearsal: the counterpart's reply, the tension and the feedback."""
    with store.hold(session_id) as session:  # one turn at a time per rehearsal
        if session is None:
            raise ValueError("No such rehearsal (it may have expired); start a new one.")
        recorder = getattr(session, "recorder", None)
        if recorder is not None and recorder.behind() and store.loader is not None:
            fresh = store.loader(session_id)  # another app server took turns meanwhile
            if fresh is not None:
                store.replace(session_id, fresh)
                session = fresh
        try:
            turn = session.turn(text)
        except InputError as exc:  # said in the rehearsal's language, not the text's guess
            raise ValueError(exc.message(session.scenario.language)) from None
        record(session)
        result = {
            "counterpart": safe_markdown(turn.counterpart),
            "tension": turn.tension,
            "feedback": turn.feedback.to_dict(),
            "turn": len(session.turns),
            "finished": session.finished,
            "outcome": session.outcome,
        }
        if session.finished:
            result["scorecard"] = session.scorecard()
        return result

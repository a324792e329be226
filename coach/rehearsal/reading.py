"""How the counterpart reads a turn by its meaning: does it touch one of their sore points
(triggers) or give them what calms them (calmers)? Both lists are in every scenario file.

Tone markers say how something was said; this says what it was about. "It was in the marketing
calendar" is polite and still the one thing Marcos can't stand hearing. Matching is by embedding
similarity, with a bar per embedder (``hot_above``); a turn matches a list only when it is clearly
closer to it than to the other one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.rehearsal.scenarios import Scenario

MARGIN = 0.10  # a match must beat the best match on the other list by this much


@dataclass(frozen=True)
class Reading:
    trigger: str | None = None  # the sore point the turn touched, as the scenario words it
    calmer: str | None = None  # what the turn gave them that they wanted


class Reader:
    """Reads turns against each scenario's triggers and calmers with ``embedder``."""

    def __init__(self, embedder, hot_above: float) -> None:
        self.embedder = embedder
        self.hot_above = hot_above
        self._lists: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    @classmethod
    def for_embedder(cls, embedder) -> Reader | None:
        """A reader if the embedder says where its bar is (``hot_above``), else None."""
        bar = getattr(embedder, "hot_above", None)
        return cls(embedder, bar) if bar is not None else None

    def _vectors(self, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
        key = (scenario.id, scenario.language)
        if key not in self._lists:
            c = scenario.counterpart
            self._lists[key] = (
                np.array(self.embedder.embed_documents(c.triggers)),
                np.array(self.embedder.embed_documents(c.calmers)),
            )
        return self._lists[key]

    def read(self, text: str, scenario: Scenario) -> Reading:
        triggers, calmers = self._vectors(scenario)
        turn = np.array(self.embedder.embed_query(text))
        hot, calm = triggers @ turn, calmers @ turn
        if hot.max() >= self.hot_above and hot.max() >= calm.max() + MARGIN:
            return Reading(trigger=scenario.counterpart.triggers[int(hot.argmax())])
        if calm.max() >= self.hot_above and calm.max() >= hot.max() + MARGIN:
            return Reading(calmer=scenario.counterpart.calmers[int(calm.argmax())])
        return Reading()

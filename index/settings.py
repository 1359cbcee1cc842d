"""One settings object for the whole product, read from `ASSISTANT_*` environment variables.

Built once at the entry points (the CLIs, `app.py`) and passed down; library code never reads the
environment itself. Nested groups use a double underscore: `ASSISTANT_STORE__PATH=/data/store`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class StoreSettings(BaseModel):
    """Where the Chroma store lives."""

    path: Path = Field(REPO_ROOT / ".assistant", description="Directory of the embedded Chroma store.")
    host: str = Field("", description="Chroma server host; empty means the embedded store at `path`.")
    port: int = Field(8000, description="Chroma server port.")
    ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    auth_token: str = Field("", description="Bearer token for the Chroma server, if it needs one.")
    collection: str = Field("news", description="Name prefix of the Chroma collections.")


class EmbeddingSettings(BaseModel):
    """Which sentence-transformers model embeds chunks and questions."""

    model_path: str = Field(
        "",
        description="Local sentence-transformers folder; empty means the packaged all-MiniLM-L6-v2.",
    )
    batch_size: int = Field(
        32, description="Chunks embedded per batch (32 beat 64 and 128 on CPU: docs/BENCHMARKS.md)."
    )
    precision: Literal["auto", "float32", "bfloat16"] = Field(
        "auto",
        description="Compute dtype on CPU; `auto` is bfloat16 where the CPU has it natively (2-4x faster, "
        "same vectors to cosine 0.9999), else float32. int8 was measured and rejected (cosine 0.92).",
    )


class IndexSettings(BaseModel):
    """How articles are read and cut into chunks."""

    max_file_bytes: int = Field(20_000_000, description="Files larger than this are skipped.")
    chunk_chars: int = Field(700, description="Target chunk length in characters.")
    overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next chunk.")


class RetrievalSettings(BaseModel):
    """How passages are found for a question."""

    top_k: int = Field(8, description="Passages handed to the answer engine.")
    candidates: int = Field(40, description="Candidates taken from each retriever before fusion.")
    per_article: int = Field(2, description="At most this many passages from one article.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")


class LLMSettings(BaseModel):
    """Which chat model writes answers; `none` answers extractively with no model."""

    backend: Literal["none", "llamacpp", "openai", "ollama"] = Field("none", description="Answer backend.")
    model: str = Field("", description="Model name (openai, ollama) or GGUF path (llamacpp).")
    base_url: str = Field("", description="Server URL for openai-compatible or ollama backends.")
    api_key: str = Field("", description="API key for the openai-compatible backend.")
    temperature: float = Field(0.0, description="Sampling temperature.")
    max_tokens: int = Field(400, description="Longest answer the model may write.")
    timeout_s: float = Field(60.0, description="Seconds before a backend call is abandoned.")


class Settings(BaseSettings):
    """Every setting of the product, grouped."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore")

    store: StoreSettings = Field(default_factory=lambda: StoreSettings())
    embedding: EmbeddingSettings = Field(default_factory=lambda: EmbeddingSettings())
    index: IndexSettings = Field(default_factory=lambda: IndexSettings())
    retrieval: RetrievalSettings = Field(default_factory=lambda: RetrievalSettings())
    llm: LLMSettings = Field(default_factory=lambda: LLMSettings())

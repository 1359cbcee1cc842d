"""One settings object for the whole product, read from `ASSISTANT_*` environment variables.

Built once at the entry points (the CLIs, `app.py`) and passed down; library code never reads the
environment itself. Nested groups use a double underscore: `ASSISTANT_STORE__PATH=/data/store`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class StoreSettings(BaseModel):
    """Where the Chroma store lives: an embedded folder, or a Chroma server shared by many processes."""

    path: Path = Field(
        REPO_ROOT / ".assistant",
        description="Directory of the embedded Chroma store, and of uploaded files (`uploads/`) either way.",
    )
    host: str = Field("", description="Chroma server host; empty means the embedded store at `path`.")
    port: int = Field(8000, description="Chroma server port.")
    ssl: bool = Field(False, description="Use HTTPS to reach the Chroma server.")
    ca_file: str = Field(
        "", description="PEM file of the CA that signed the server's TLS certificate; empty: the usual CAs."
    )
    auth_token: SecretStr = Field(
        SecretStr(""),
        description="Bearer token sent to the Chroma server (checked by the proxy in front of it); "
        "empty: none.",
    )
    timeout_s: float = Field(
        30.0, description="Seconds before a Chroma server call is abandoned and the store reported down."
    )
    collection: str = Field(
        "news", description="Name prefix of the Chroma collections; processes sharing one set it alike."
    )
    search_ef: int = Field(
        400,
        ge=10,
        description="Candidates Chroma's vector index keeps while searching (HNSW ef_search). Chroma's "
        "default of 100 gives approximate neighbours that differ from one process to the next when the "
        "index is rebuilt on opening; 400 gives the exact top candidates on stores of thousands of "
        "chunks, the same every time.",
    )


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


class FetchSettings(BaseModel):
    """How pages and feeds are fetched from the web (`python -m index build URL`, `refresh`)."""

    timeout_s: float = Field(15.0, description="Seconds one page may take, connection to last byte.")
    max_bytes: int = Field(5_000_000, description="Pages or feeds larger than this are refused.")
    max_redirects: int = Field(5, description="Redirects followed before a page is given up.")
    user_agent: str = Field(
        "news-assistant/0.1 (+local news question answering; fetches pages you asked to index)",
        description="User-Agent sent with every request; its first word is matched against robots.txt.",
    )
    respect_robots: bool = Field(True, description="Skip pages a site's robots.txt disallows.")
    allow_private_hosts: bool = Field(
        False,
        description="Let the web app fetch addresses on this machine or its private network; the "
        "command line always may (its user already can reach them).",
    )


class RetrievalSettings(BaseModel):
    """How passages are found for a question."""

    top_k: int = Field(8, description="Passages handed to the answer engine.")
    candidates: int = Field(40, description="Candidates taken from each retriever before fusion.")
    per_article: int = Field(2, description="At most this many passages from one article.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")


class LLMSettings(BaseModel):
    """Which chat model writes answers; `none` answers extractively with no model."""

    model_config = ConfigDict(validate_assignment=True)  # a key set from the CLI stays a SecretStr

    backend: Literal["none", "llamacpp", "openai", "ollama"] = Field("none", description="Answer backend.")
    model: str = Field("", description="Model name (openai, ollama) or GGUF path (llamacpp).")
    base_url: str = Field("", description="Server URL for openai-compatible or ollama backends.")
    api_key: SecretStr = Field(SecretStr(""), description="API key for the openai-compatible backend.")
    temperature: float = Field(0.0, description="Sampling temperature.")
    max_tokens: int = Field(400, description="Longest answer the model may write.")
    timeout_s: float = Field(60.0, description="Seconds before a backend call is abandoned.")


class ServerSettings(BaseModel):
    """How the web app and its REST API are served (`app.py`)."""

    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (`https://wiki.example.org`) allowed to embed the chat in an iframe and to "
        "call the API from a browser; CSP `frame-ancestors` and CORS follow this list. Empty: this "
        "site only.",
    )
    api_token: SecretStr = Field(
        SecretStr(""), description="Bearer token every `/api/` call must carry; empty means no token."
    )
    read_only: bool = Field(False, description="Refuse uploads and deletions (for public embeds).")
    rate_limit_per_minute: int = Field(
        120, description="API requests one client may make per minute; 0 turns the limit off."
    )
    max_body_bytes: int = Field(
        1_000_000, description="Largest JSON request body; uploads are limited by index.max_file_bytes."
    )
    workers: int = Field(8, description="Questions the web page answers at the same time.")


class Settings(BaseSettings):
    """Every setting of the product, grouped."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore")

    store: StoreSettings = Field(default_factory=lambda: StoreSettings())
    embedding: EmbeddingSettings = Field(default_factory=lambda: EmbeddingSettings())
    index: IndexSettings = Field(default_factory=lambda: IndexSettings())
    fetch: FetchSettings = Field(default_factory=lambda: FetchSettings())
    retrieval: RetrievalSettings = Field(default_factory=lambda: RetrievalSettings())
    llm: LLMSettings = Field(default_factory=lambda: LLMSettings())
    server: ServerSettings = Field(default_factory=lambda: ServerSettings())

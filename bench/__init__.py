"""Measurements of answer quality, retrieval and latency; run as `python -m bench.eval`."""

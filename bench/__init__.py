"""Measurements of answer quality, retrieval and latency (`python -m bench.eval`) and of indexing
speed and chunking (`python bench/index_bench.py`, `bench/embed_levers.py`, `bench/chunk_size.py`)."""

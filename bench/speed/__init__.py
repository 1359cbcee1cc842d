"""Speed, memory and scale (`make bench`): indexing, latency from 1k to 1M
chunks, SmolLM2 generation, plots."""

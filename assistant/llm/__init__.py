"""Language-model backends, prompts, generation, rewriting follow-ups, and checking what a model wrote."""

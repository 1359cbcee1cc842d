"""Words, numbers, quantities and dates as news prose writes them; shared by
retrieval, conflicts and the LLM room."""

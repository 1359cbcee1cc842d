"""Answer and conflict quality (`make eval`): seeds, RAMDocs, ConflictQA,
citations, against the naive pipeline."""

"""The few errors indexing raises; the CLI turns them into one-line messages."""


class IndexingError(Exception):
    """Base class for indexing errors."""


class SkipFile(IndexingError):
    """A file that cannot be indexed; the message says why in one line."""


class StoreUnavailable(IndexingError):
    """The Chroma store cannot be opened or reached; it may come back (the API answers 503)."""


class StoreMismatch(IndexingError):
    """The store was built with another embedding model and must be rebuilt."""


class UnknownArticle(IndexingError):
    """An article id that is not in the store."""

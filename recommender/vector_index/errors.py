"""Exceptions raised by the vector index package."""


class VectorIndexError(Exception):
    """The index is reachable but not in the state the caller asked for.

    Examples: rolling back to a version whose collection was pruned, or a publish whose
    row count does not match what was inserted.
    """


class VectorIndexUnavailable(VectorIndexError):
    """Milvus cannot serve the request right now; callers fall back to non-vector results.

    Raised when the server cannot be reached or a call times out, by searches when the
    alias does not exist yet (nothing published), and by the read functions for any error
    Milvus answers with, because for a web request all of these mean the same thing: answer
    without the index.
    """

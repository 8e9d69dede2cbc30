"""PostgreSQL's binary COPY format as numpy records: bulk rows in and out without a Python
object per row (the MovieLens import writes ratings this way, the training export reads).

Every column here is fixed-width and NOT NULL, so a row is a fixed-width record: the field
count (int16), then for each column its byte length (int32) and its big-endian value.
"""

from collections.abc import Iterable

import numpy as np
from django.db import connection

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags (int32), extension length
TRAILER = b"\xff\xff"  # int16 -1

Columns = Iterable[tuple[str, str]]  # (name, numpy big-endian code such as ">i4")


def row_dtype(columns: Columns) -> np.dtype:
    fields = [("fields", ">i2")]
    for name, code in columns:
        fields += [(f"{name}_len", ">i4"), (name, code)]
    return np.dtype(fields)


def rows_empty(count: int, columns: Columns) -> np.ndarray:
    """`count` records with the field count and every length filled: set the values."""
    dtype = row_dtype(columns)
    rows = np.empty(count, dtype=dtype)
    rows["fields"] = (len(dtype.names) - 1) // 2
    for name in dtype.names[2::2]:
        rows[f"{name}_len"] = dtype[name].itemsize
    return rows


def copy_out(query: str, columns: Columns) -> np.ndarray:
    """The rows of `query` (its columns cast to the given types) as records."""
    buffer = bytearray()
    sql = f"COPY ({query}) TO STDOUT (FORMAT binary)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for block in copy:
            buffer += block
    body = memoryview(buffer)[len(HEADER) : len(buffer) - len(TRAILER)]
    return np.frombuffer(body, dtype=row_dtype(columns))

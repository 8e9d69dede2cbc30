"""Dropping catalog_rating's indexes and constraints around a bulk load, and putting
them back exactly as they were (see catalog/movielens/ratings.py for when and why)."""

from dataclasses import dataclass

TABLE = "catalog_rating"


@dataclass(frozen=True)
class SavedDefinition:
    """A constraint (kind p, u, x or f) or a plain index (kind i) and how to re-create it."""

    name: str
    kind: str
    definition: str


def table_indexes_and_constraints(cursor) -> list[SavedDefinition]:
    """What the bulk path drops: every index and key constraint of the table except
    those another table's foreign key depends on."""
    cursor.execute(
        "SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c"
        " WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u', 'x', 'f')"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.contype = 'f'"
        "   AND r.confrelid = c.conrelid AND r.conindid = c.conindid AND c.contype <> 'f')"
        " ORDER BY c.contype <> 'p', c.contype, c.conname",
        [TABLE],
    )
    saved = [SavedDefinition(*row) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        "   WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)"
        " ORDER BY 1",
        [TABLE],
    )
    return saved + [
        SavedDefinition(name, "i", definition) for name, definition in cursor.fetchall()
    ]


def table_definitions_drop(cursor, saved: list[SavedDefinition]) -> None:
    constraints = [item for item in saved if item.kind != "i"]
    # Foreign keys first: nothing else in the table depends on them.
    constraints.sort(key=lambda item: item.kind != "f")
    if constraints:
        drops = ", ".join(f"DROP CONSTRAINT {quoted(item.name)}" for item in constraints)
        cursor.execute(f"ALTER TABLE {TABLE} {drops}")
    indexes = [item.name for item in saved if item.kind == "i"]
    if indexes:
        cursor.execute(f"DROP INDEX {', '.join(indexes)}")


def table_definitions_recreate(cursor, saved: list[SavedDefinition], *, foreign_keys: bool) -> None:
    for item in saved:
        if (item.kind == "f") != foreign_keys:
            continue
        if item.kind == "i":
            cursor.execute(item.definition)
        else:
            cursor.execute(
                f"ALTER TABLE {TABLE} ADD CONSTRAINT {quoted(item.name)} {item.definition}"
            )


def maintenance_work_mem_set(cursor, value: str) -> None:
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [value])


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_ids_reserve(cursor, count: int) -> int | None:
    """The first of `count` consecutive ids taken from the table's id sequence, or None
    (let the column default number the rows) when the sequence does not count by one.

    Safe because the caller holds ACCESS EXCLUSIVE on the table: nobody else can insert
    a rating, hence draw from its sequence, until the transaction ends.
    """
    cursor.execute(
        "SELECT s.seqrelid::regclass::text, s.seqincrement FROM pg_sequence s"
        " WHERE s.seqrelid = pg_get_serial_sequence(%s, 'id')::regclass",
        [TABLE],
    )
    row = cursor.fetchone()
    if row is None or row[1] != 1:
        return None
    cursor.execute("SELECT nextval(%s::regclass)", [row[0]])
    first = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s::regclass, %s)", [row[0], first + count - 1])
    return first

"""Lines that start with MovieLens ids: "UserID::MovieID[::Rating...]" (ratings.dat style),
as the predict, evaluate and recommend commands read them."""


def id_fields(line: str, names: tuple[str, ...]) -> tuple[int, ...] | None:
    """The line's leading `::`-separated fields, one integer per name; None for a blank line.

    ValueError("expected UserID::MovieID") (the names) when they are missing or not ids."""
    text = line.strip()
    if not text:
        return None
    fields = text.split("::")
    if len(fields) < len(names) or not all(field.isdigit() for field in fields[: len(names)]):
        raise ValueError(f"expected {'::'.join(names)}")
    return tuple(int(field) for field in fields[: len(names)])

"""Docker Compose's variable interpolation, for reading docker-compose.yml as compose
would without a Docker engine: `$$`, `$VAR`, `${VAR}`, and `${VAR<op>arg}` with the
operators `:-` `-` (default), `:?` `?` (required, with an error) and `:+` `+` (alternative),
the colon forms treating an empty value as unset. Values are interpolated after YAML
parsing, as compose does, so a value may hold any character."""

import re
from typing import Any

_REFERENCE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_]\w*))")
_BRACED = re.compile(r"(?P<name>[A-Za-z_]\w*)(?:(?P<op>:?[-?+])(?P<arg>.*))?\Z", re.DOTALL)


class MissingVariableError(Exception):
    """What `docker compose` stops with when a required variable has no value."""


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """`value` (a parsed compose file or any part of it) with every reference replaced."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if isinstance(value, str):
        return _REFERENCE.sub(lambda match: _resolve(match, env), value)
    return value


def _resolve(match: re.Match, env: dict[str, str]) -> str:
    if match["escaped"]:
        return "$"
    if match["named"]:
        return env.get(match["named"], "")
    parts = _BRACED.match(match["braced"])
    if parts is None:
        raise ValueError(f"invalid interpolation format: ${{{match['braced']}}}")
    name, op, arg = parts["name"], parts["op"] or "", parts["arg"] or ""
    value = env.get(name)
    unset = value is None or (op.startswith(":") and value == "")
    if op.endswith("-"):
        return arg if unset else value
    if op.endswith("?"):
        if unset:
            raise MissingVariableError(f"required variable {name} is missing a value: {arg}")
        return value
    if op.endswith("+"):
        return "" if unset else arg
    return value or ""

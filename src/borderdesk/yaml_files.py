"""Course files in YAML read into pydantic models, with errors a trainer can act on.

The chapter manifest and the glossary files share this: read the file, validate it,
and on failure name the file, the entry (by its own name, not its position) and the
field, then say what is wrong.
"""

from __future__ import annotations

from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import BorderDeskError

M = TypeVar("M", bound=BaseModel)


def describe(err: ValidationError, data: Any, items: str, key: str, label: str) -> str:
    """pydantic's errors as ``<label> 'name': field 'x': problem; ...``.

    ``items`` is the list of entries in ``data`` (``chapters``), ``key`` the field that
    names an entry (``slug``) and ``label`` the word for one (``chapter``).
    """
    lines = []
    for e in err.errors():
        loc = list(e["loc"])
        where = ""
        if len(loc) >= 2 and loc[0] == items and isinstance(loc[1], int):
            try:
                where = f"{label} {data[items][loc[1]][key]!r}"
            except (KeyError, IndexError, TypeError):
                where = f"{label} #{loc[1] + 1}"
            loc = loc[2:]
        field = ".".join(str(p) for p in loc)
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{where}{': ' if where else ''}{'field ' + repr(field) + ': ' if field else ''}{msg}")
    return "; ".join(lines)


def read_model(
    text: str,
    model: type[M],
    *,
    name: str,
    error: type[BorderDeskError],
    items: str,
    key: str,
    label: str,
    context: dict | None = None,
    hint: str = "",
) -> M:
    """Parse YAML ``text`` (the file called ``name``) as ``model``; problems raise ``error``."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise error(f"{name} must be a mapping with a `{items}:` list{hint}")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as err:
        raise error(f"{name}: {describe(err, data, items, key, label)}") from None

"""The build's model as bytes and back, quickly: the state a later ``newsgen build`` resumes
from (``newsgen.resume``) is the whole archive and plan of a large site.

Every dataclass of the model is pickled by its fields (``newsgen.byfields``: about 40%
faster both ways than plain ``pickle``), the records' own by their decorator and the archive's,
plan's and timeline's through this pickler's dispatch table. ``MappingProxyType`` (the pages'
read-only contexts) is pickled as its dict.
"""

from __future__ import annotations

import copyreg
import dataclasses
import gc
import io
import pickle
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from newsgen import archive, model, plan, timeline
from newsgen.byfields import reducer


def _proxy(values: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(values)


def _table() -> dict[type, Callable[[Any], Any]]:
    table: dict[type, Callable[[Any], Any]] = dict(copyreg.dispatch_table)
    table[MappingProxyType] = lambda proxy: (_proxy, (dict(proxy),))
    for module in (model, archive, plan, timeline):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and dataclasses.is_dataclass(value)
                and value.__module__ == module.__name__
            ):
                table[value] = reducer(value)
    return table


_TABLE = _table()


def dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _TABLE
    pickler.dump(value)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """The value ``dumps`` gave ``data`` for. The caller checks what it is: a damaged or old
    snapshot raises, or gives something else, and is only a miss.

    The collector is off meanwhile: the objects made are all kept, and collecting while a
    million of them are made (again and again, as each generation fills) more than doubled
    the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)
    finally:
        if enabled:
            gc.enable()

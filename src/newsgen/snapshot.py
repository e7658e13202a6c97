"""The build's model as bytes and back, quickly: the state a later ``newsgen build`` resumes
from (``newsgen.resume``) is the whole archive and plan of a large site.

Plain ``pickle`` restores a frozen dataclass through ``__setstate__``, which for a slotted one
is Python code calling ``dataclasses.fields`` per object: most of the time of loading 10,000
articles and their pages. Here every dataclass of the model is rebuilt by calling its class
with its fields in order (each field is an ``__init__`` argument, none has a
``__post_init__``), which unpickles in C up to the generated ``__init__``: about 40% faster
both ways. ``MappingProxyType`` (the pages' read-only contexts) is pickled as its dict.
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


def _proxy(values: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(values)


def _by_fields(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = tuple(f.name for f in dataclasses.fields(cls))
    assert all(f.init for f in dataclasses.fields(cls)), cls
    assert not hasattr(cls, "__post_init__"), cls

    def reduce(value: Any) -> tuple[Any, ...]:
        return (cls, tuple([getattr(value, name) for name in names]))

    return reduce


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
                table[value] = _by_fields(value)
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

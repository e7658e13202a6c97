"""A frozen dataclass pickled as its class and its fields' values, rebuilt by ``__init__``.

Plain ``pickle`` restores a frozen slotted dataclass through ``__setstate__``, which is
Python code asking ``dataclasses.fields`` for every object, and reduces it the same way:
half the cost of sending an article between ingest's processes, and most of the time of
loading a build's model (``newsgen.snapshot``). Rebuilt by calling the class with its fields
in order, an object unpickles in C up to its generated ``__init__``.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def reducer(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    """The reduce function of ``cls``: every field must be a positional ``__init__``
    argument, and no ``__post_init__`` may change what ``__init__`` is given."""
    fields = dataclasses.fields(cls)
    if any(not f.init or f.kw_only for f in fields) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: every field must be a positional __init__ argument")
    values = operator.attrgetter(*(f.name for f in fields))
    single = len(fields) == 1  # attrgetter of one name gives the value, not a tuple

    def reduce(value: Any) -> tuple[type, tuple[Any, ...]]:
        got = values(value)
        return cls, (got,) if single else got

    return reduce


def pickled_by_fields(cls: C) -> C:
    """Decorate a dataclass so that every pickle of it is by ``reducer``."""
    setattr(cls, "__reduce__", reducer(cls))  # noqa: B010  (mypy: a type has no such attribute)
    return cls

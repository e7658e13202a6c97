"""A record's front matter written by libyaml straight from events, as ``yaml.dump`` writes it.

``yaml.dump`` with the C dumper spends most of its time in Python before libyaml sees
anything: the representer walks the data (a type lookup, an alias check and a node per
value) and the serializer asks the resolver, twice per scalar, which tag the text would read
back as. The front matter is only mappings, lists, strings, integers, booleans and ``None``,
built fresh for each record (no object twice, so no anchors): the events the serializer
would send are known from the values alone, and sending them to the same C emitter gives
the same text (tests/test_records.py checks it against ``yaml.dump`` with hypothesis).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

import yaml
from yaml.resolver import Resolver

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

_RESOLVER = Resolver()
# The first characters with an implicit resolver ("1", "y", "n", "~", ...): a text that starts
# with any other reads back as a string without a pattern being tried.
_TYPED_STARTS = frozenset(k for k in Resolver.yaml_implicit_resolvers if k is not None)
_WILDCARD = None in Resolver.yaml_implicit_resolvers


def _plain_reads_as_text(value: str) -> bool:
    """Whether ``value`` written plain would read back as a string: the serializer's
    ``implicit[0]`` for a string scalar (a string that would read as a number or a date must
    be quoted)."""
    if value and value[0] not in _TYPED_STARTS and not _WILDCARD:
        return True
    tag: str = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return tag == _STR


def _add_events(data: object, events: list[yaml.Event]) -> None:
    # The same events, field for field, as SafeRepresenter then Serializer would produce
    # with default_flow_style=False and default_style=None. Appended to one list (a
    # generator per level cost as much as the emitter).
    if isinstance(data, str):
        events.append(yaml.ScalarEvent(None, _STR, (_plain_reads_as_text(data), True), data))
    elif isinstance(data, bool):  # before int: a bool is an int
        events.append(yaml.ScalarEvent(None, _BOOL, (True, False), "true" if data else "false"))
    elif isinstance(data, int):
        events.append(yaml.ScalarEvent(None, _INT, (True, False), str(data)))
    elif data is None:
        events.append(yaml.ScalarEvent(None, _NULL, (True, False), "null"))
    elif isinstance(data, list):
        events.append(yaml.SequenceStartEvent(None, _SEQ, True, flow_style=False))
        for item in data:
            _add_events(item, events)
        events.append(yaml.SequenceEndEvent())
    elif isinstance(data, dict):
        events.append(yaml.MappingStartEvent(None, _MAP, True, flow_style=False))
        for key, value in data.items():
            _add_events(key, events)
            _add_events(value, events)
        events.append(yaml.MappingEndEvent())
    else:
        raise _Unsupported(type(data).__name__)


class _Unsupported(TypeError):
    pass


def dump_mapping(
    data: Mapping[str, object],
    dumper: Callable[..., Any],
    fallback: Callable[[], str],
    **options: Any,
) -> str:
    """``yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=False, **options)``
    for plain data built afresh (see the module's docstring); ``fallback()`` for anything
    else (another type, or one list or dict reached twice, which the representer would
    write as an anchor and an alias)."""
    if _shares_containers(data):
        return fallback()
    stream = io.StringIO()
    emitter = dumper(stream, **options)
    try:
        events: list[yaml.Event] = [
            yaml.StreamStartEvent(),
            yaml.DocumentStartEvent(explicit=False),
        ]
        _add_events(dict(data), events)
        events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
    except _Unsupported:
        return fallback()
    try:
        for event in events:
            emitter.emit(event)
    finally:
        emitter.dispose()
    return stream.getvalue()


def _shares_containers(data: object) -> bool:
    seen: set[int] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list | dict):
            if id(item) in seen:
                return True
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return False

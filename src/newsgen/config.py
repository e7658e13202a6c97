"""``newsgen.yaml`` to ``Config``: validated once, every problem reported at once.

The file is trusted like code but still checked: safe loader only, no aliases (so no alias
bombs), no duplicate keys, and each problem located by line with a did-you-mean for typos.
"""

from __future__ import annotations

import difflib
import re
import urllib.parse
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import yaml

from newsgen.errors import NewsgenError
from newsgen.fs import CONFIG_NAME

_URL_FIELDS = frozenset({"slug", "year", "month"})


@dataclass(frozen=True)
class DeploySettings:
    """Where and how ``newsgen deploy`` publishes. Credentials are never set here: boto3 finds
    them in the environment, ``~/.aws`` or an instance role, and ``profile`` picks one."""

    target: str | None = None  # the default TARGET: a folder or s3://bucket/prefix
    endpoint_url: str | None = None  # an S3-compatible host; None is AWS
    region: str | None = None
    profile: str | None = None


@dataclass(frozen=True)
class Config:
    """The site settings. Every one has a default, so no config file is needed."""

    title: str = "News archive"
    description: str = "A browsable archive of news articles."
    language: str = "en"
    # Served by ``python3 -m http.server -d site 8000`` out of the box; set yours to publish.
    base_url: str = "http://localhost:8000/"
    per_page: int = 20
    timezone: str = "UTC"
    article_url: str = "/articles/{slug}/"
    feed_size: int = 20
    # topic name -> keywords; ingest uses them, build only validates them.
    topic_rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A Pagefind index and a /search/ page; ``newsgen build --no-search`` turns it off once.
    search: bool = True
    deploy: DeploySettings = DeploySettings()

    @property
    def base_path(self) -> str:
        """The path part of ``base_url``: "/" or "/news/"; every internal link starts with it."""
        return urllib.parse.urlsplit(self.base_url).path

    def with_base_url(self, base_url: str) -> Config:
        """The same settings under another base URL (the ``--base-url`` option)."""
        problem = _check_base_url(base_url)
        if problem:
            raise NewsgenError(f"--base-url: {problem}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["base_url"] = _normal_base_url(base_url)
        return Config(**values)

    def without_search(self) -> Config:
        """The same settings without the search index (the ``--no-search`` option)."""
        return replace(self, search=False)


class ConfigError(NewsgenError):
    """Several problems in one config file; ``problems`` holds each, located."""

    def __init__(self, problems: list[NewsgenError]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __str__(self) -> str:
        return self.message


_DEFAULTS = Config()
_KEYS = tuple(f.name for f in fields(Config))
_DEPLOY_KEYS = tuple(f.name for f in fields(DeploySettings))


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases (alias bombs) and keeping every key's line."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                None, None, "aliases not allowed in newsgen.yaml", event.start_mark
            )
        return super().compose_node(parent, index)


def load_config(text: str | None, path: str = CONFIG_NAME) -> Config:
    """Parse and validate the config text (None: no file, all defaults)."""
    if text is None or not text.strip():
        return _DEFAULTS
    try:
        loader = _NoAliasLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise ConfigError(
            [NewsgenError(f"invalid YAML: {exc.problem}", path, line, column)]
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError([NewsgenError(f"invalid YAML: {exc}", path)]) from None
    if data is None:
        return _DEFAULTS
    if not isinstance(data, Mapping) or not isinstance(node, yaml.MappingNode):
        raise ConfigError([NewsgenError("the config must be a mapping of settings", path, 1)])
    return _validate(data, _key_lines(node), path)


def _key_lines(node: yaml.MappingNode) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    for key_node, _ in node.value:
        lines.setdefault(str(key_node.value), []).append(key_node.start_mark.line + 1)
    return lines


def _validate(data: Mapping[Any, Any], lines: dict[str, list[int]], path: str) -> Config:
    problems: list[NewsgenError] = []

    def fail(key: str, message: str) -> None:
        problems.append(NewsgenError(message, path, lines.get(key, [None])[0]))

    for key, seen in sorted(lines.items(), key=lambda kv: kv[1][0]):
        if len(seen) > 1:
            for line in seen[1:]:
                problems.append(
                    NewsgenError(f"duplicate key '{key}' (first at line {seen[0]})", path, line)
                )
    values: dict[str, Any] = {}
    for raw_key in sorted(data, key=lambda k: lines.get(str(k), [0])[0]):
        key = str(raw_key)
        value = data[raw_key]
        if key not in _KEYS:
            fail(key, _unknown(key, _KEYS))
            continue
        checked = _check_value(key, value)
        if isinstance(checked, _Problem):
            fail(key, f"'{key}' {checked.text}")
        else:
            values[key] = checked
    if problems:
        raise ConfigError(problems)
    return Config(**values)


def _unknown(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"unknown key '{key}'{hint}"


@dataclass(frozen=True)
class _Problem:
    text: str


def _check_value(key: str, value: Any) -> Any:
    """The value converted, or a ``_Problem`` (collected, not raised, by the caller)."""
    default = getattr(_DEFAULTS, key)
    if key == "topic_rules":
        return _check_topic_rules(value)
    if key == "deploy":
        return _check_deploy(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            return _Problem(f"must be true or false, not {type(value).__name__}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return _Problem(f"must be a whole number, not {type(value).__name__}")
        if not 1 <= value <= 10_000:
            return _Problem(f"must be between 1 and 10000, not {value}")
        return value
    if not isinstance(value, str) or not value.strip():
        return _Problem(f"must be non-empty text, not {type(value).__name__}")
    value = value.strip()
    problem = {
        "base_url": _check_base_url,
        "timezone": _check_timezone,
        "article_url": _check_article_url,
        "language": _check_language,
    }.get(key, lambda _: "")(value)
    if problem:
        return _Problem(problem)
    return _normal_base_url(value) if key == "base_url" else value


def _check_topic_rules(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return _Problem("must be a mapping of topic name to a list of keywords")
    rules: dict[str, tuple[str, ...]] = {}
    for topic, words in value.items():
        if not isinstance(topic, str) or not isinstance(words, list):
            return _Problem(f"entry {topic!r} must map a topic name to a list of keywords")
        if not all(isinstance(w, str) and w.strip() for w in words):
            return _Problem(f"keywords of {topic!r} must be non-empty text")
        rules[topic] = tuple(words)
    return rules


def _check_deploy(value: Any) -> Any:
    # One problem at a time inside the section: it is small, and the line is the section's.
    if not isinstance(value, Mapping):
        return _Problem("must be a mapping (target, endpoint_url, region, profile)")
    settings: dict[str, str] = {}
    for raw_key, item in value.items():
        key = str(raw_key)
        if key not in _DEPLOY_KEYS:
            return _Problem("has an " + _unknown(key, _DEPLOY_KEYS))
        if not isinstance(item, str) or not item.strip():
            return _Problem(f"key '{key}' must be non-empty text, not {type(item).__name__}")
        if key == "endpoint_url" and _check_base_url(item):
            return _Problem(f"key 'endpoint_url' must be an http(s) URL, not {item!r}")
        settings[key] = item.strip()
    return DeploySettings(**settings)


def _check_base_url(value: str) -> str:
    parts = urllib.parse.urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an absolute http(s) URL like https://example.org/news/, not {value!r}"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
    return ""


def _normal_base_url(value: str) -> str:
    return value if value.endswith("/") else value + "/"


def _check_timezone(value: str) -> str:
    if value == "UTC":
        return ""
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f"is not a known time zone: {value!r} (e.g. UTC, Europe/Paris)"
    return ""


def _check_article_url(value: str) -> str:
    names = set(re.findall(r"{(\w*)}", value))
    if "slug" not in names:
        return "must contain {slug}"
    if names - _URL_FIELDS:
        return f"may only use {{slug}}, {{year}} and {{month}}, not {sorted(names - _URL_FIELDS)}"
    if not (value.startswith("/") and value.endswith("/")) or ".." in value or "\\" in value:
        return "must start and end with '/' and contain no '..' (e.g. /articles/{slug}/)"
    return ""


def _check_language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        return f"must be a language tag like en or fr-CA, not {value!r}"
    return ""


def default_config_text() -> str:
    """The commented ``newsgen.yaml`` that ``newsgen init`` writes: every setting at its default."""
    d = _DEFAULTS
    return f"""\
# newsgen.yaml: the settings of this news archive. Every one is optional; these are the defaults.

# Shown in the header, the page titles and the feeds.
title: {d.title}
description: {d.description}
# The language of the articles, as an HTML language tag (en, fr, pt-BR).
language: {d.language}
# Where the site will live. Canonical links, feeds and the sitemap use it; every internal link
# starts with its path, so https://example.org/news/ works under /news/.
base_url: {d.base_url}
# Articles per listing page (home, topics, people, archives, quotes).
per_page: {d.per_page}
# The time zone in which article dates are shown and feeds are stamped.
timezone: {d.timezone}
# Where each article lives; {{slug}} is required, {{year}} and {{month}} are allowed.
article_url: {d.article_url}
# Entries in /feed.xml and in each topic's feed.
feed_size: {d.feed_size}
# Topic name -> keywords that put an article in that topic (used by `newsgen ingest`).
topic_rules: {{}}
#  Politics: [election, parliament, senate]
#  Economy: [inflation, market, bank]
# A full-text search page at /search/ (a Pagefind index built with the site).
search: {"true" if d.search else "false"}
# `newsgen deploy` settings. Credentials come from the usual AWS sources (environment variables,
# ~/.aws/credentials, an instance role), never from this file; `profile` picks a named one.
# deploy:
#   target: s3://my-bucket/news        # or a folder; the default TARGET of `newsgen deploy`
#   endpoint_url: https://s3.example.com   # any S3-compatible host; leave out for AWS
#   region: eu-west-1
#   profile: newsgen
"""

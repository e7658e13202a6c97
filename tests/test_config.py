"""``newsgen.yaml`` validation: defaults, every problem at once, safe YAML only."""

from __future__ import annotations

import time

import pytest

from newsgen.config import (
    Config,
    ConfigError,
    DeploySettings,
    default_config_text,
    load_config,
)


def _problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(text)
    return [str(p) for p in info.value.problems]


def test_no_file_means_defaults() -> None:
    assert load_config(None) == Config()
    assert load_config("# only a comment\n") == Config()


def test_the_scaffolded_config_is_the_defaults() -> None:
    assert load_config(default_config_text()) == Config()


def test_every_problem_is_reported_with_its_line() -> None:
    text = "title: ok\nper_pgae: 3\nfeed_size: 0\ntimezone: Mars/Base\narticle_url: /{id}/\n"
    assert _problems(text) == [
        "newsgen.yaml:2: unknown key 'per_pgae'; did you mean 'per_page'?",
        "newsgen.yaml:3: 'feed_size' must be between 1 and 10000, not 0",
        "newsgen.yaml:4: 'timezone' is not a known time zone: 'Mars/Base' (e.g. UTC, Europe/Paris)",
        "newsgen.yaml:5: 'article_url' must contain {slug}",
    ]


def test_duplicate_keys_are_errors() -> None:
    assert _problems("title: a\ntitle: b\n") == [
        "newsgen.yaml:2: duplicate key 'title' (first at line 1)"
    ]


def test_invalid_yaml_is_located() -> None:
    assert _problems("title: a: b\n") == [
        "newsgen.yaml:1:9: invalid YAML: mapping values are not allowed here"
    ]


def test_python_tags_are_refused() -> None:
    (problem,) = _problems("title: !!python/object/apply:os.system ['touch /tmp/pwned']\n")
    assert "invalid YAML" in problem


def test_alias_bomb_is_refused_fast() -> None:
    lines = ['a: &a ["x","x"]'] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)}]" for i in range(9)
    ]
    started = time.perf_counter()
    (problem,) = _problems("\n".join(lines) + "\n")
    assert "aliases not allowed" in problem
    assert time.perf_counter() - started < 1


def test_not_a_mapping() -> None:
    assert _problems("- a\n- b\n") == ["newsgen.yaml:1: the config must be a mapping of settings"]


def test_base_url_gets_a_trailing_slash_and_gives_the_path() -> None:
    config = load_config("base_url: https://example.org/news\n")
    assert config.base_url == "https://example.org/news/"
    assert config.base_path == "/news/"


def test_article_url_may_use_year_and_month() -> None:
    config = load_config("article_url: /{year}/{month}/{slug}/\n")
    assert config.article_url == "/{year}/{month}/{slug}/"
    assert "must start and end" in _problems("article_url: /../{slug}/\n")[0]


def test_topic_rules_are_checked() -> None:
    assert load_config("topic_rules:\n  Economy: [bank, market]\n").topic_rules == {
        "Economy": ("bank", "market")
    }
    assert "list of keywords" in _problems("topic_rules:\n  Economy: bank\n")[0]


def test_search_is_on_unless_turned_off() -> None:
    assert Config().search is True
    assert load_config("search: false\n").search is False
    assert _problems("search: yes please\n") == [
        "newsgen.yaml:1: 'search' must be true or false, not str"
    ]


def test_deploy_settings_are_checked_with_a_did_you_mean() -> None:
    config = load_config("deploy:\n  target: s3://b/news\n  region: eu-west-1\n")
    assert config.deploy == DeploySettings(target="s3://b/news", region="eu-west-1")
    assert _problems("title: t\ndeploy:\n  endpoint: https://s3.example.com\n") == [
        "newsgen.yaml:2: 'deploy' has an unknown key 'endpoint'; did you mean 'endpoint_url'?"
    ]
    assert _problems("deploy:\n  endpoint_url: ftp://x\n") == [
        "newsgen.yaml:1: 'deploy' key 'endpoint_url' must be an http(s) URL, not 'ftp://x'"
    ]
    assert _problems("deploy: s3://b\n") == [
        "newsgen.yaml:1: 'deploy' must be a mapping (target, endpoint_url, region, profile)"
    ]

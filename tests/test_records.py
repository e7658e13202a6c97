"""Record format: round trip, and clear errors that name the file and line."""

from __future__ import annotations

import datetime as dt
import pickle
import string
from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsgen.errors import NewsgenError
from newsgen.model import Article, BodyRef, Entities, Quote, Source
from newsgen.records import dump_article, load_article

text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
names = st.lists(text, max_size=3, unique=True).map(lambda xs: tuple(sorted(xs)))

articles = st.builds(
    Article,
    id=st.text(alphabet="0123456789abcdef", min_size=16, max_size=16),
    slug=st.text(alphabet=string.ascii_lowercase + string.digits + "-", min_size=1, max_size=30)
    .map(lambda s: s.strip("-"))
    .filter(bool),
    title=text,
    body=st.lists(text, min_size=1, max_size=4).map(lambda ps: "\n\n".join(ps) + "\n"),
    origin=text,
    kicker=st.none() | text,
    date=st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    byline=st.none() | text,
    source=st.none() | st.builds(Source, name=text, url=st.none() | text),
    topics=names,
    quotes=st.lists(
        st.builds(Quote, text=text, speaker=st.none() | text, role=st.none() | text), max_size=3
    ).map(tuple),
    entities=st.builds(Entities, people=names, places=names, organizations=names),
    summary=st.just("") | text,
    word_count=st.integers(min_value=0, max_value=100_000),
    duplicate_of=st.none() | text,
    draft=st.booleans(),
)


@given(articles)
def test_record_to_file_to_record_is_identity(article: Article) -> None:
    assert load_article(dump_article(article), "x.md") == article


@given(articles, st.none() | st.builds(BodyRef, record=text, digest=text))
def test_an_article_pickled_and_unpickled_is_the_same_article(
    article: Article, body_ref: BodyRef | None
) -> None:
    # Articles cross process boundaries (ingest's and the build's workers, the build cache).
    article = replace(article, body_ref=body_ref)
    copy = pickle.loads(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == article
    assert [type(x) for x in (copy.entities, copy.source, *copy.quotes, copy.body_ref)] == [
        type(x) for x in (article.entities, article.source, *article.quotes, article.body_ref)
    ]


def test_invalid_yaml_is_located_in_the_file() -> None:
    with pytest.raises(NewsgenError) as error:
        load_article("---\nslug: a\ntitle: a: b\n---\nbody\n", "articles/x.md")
    assert str(error.value).startswith("articles/x.md:3:")


def test_unclosed_front_matter() -> None:
    with pytest.raises(NewsgenError, match="front matter not closed"):
        load_article("---\ntitle: a\n", "x.md")


def test_front_matter_must_be_a_mapping() -> None:
    with pytest.raises(NewsgenError, match="must be a mapping"):
        load_article("---\n- a\n- b\n---\nbody\n", "x.md")


def test_missing_title_is_named() -> None:
    with pytest.raises(NewsgenError, match="missing required field 'title'"):
        load_article("---\nslug: a\n---\nbody\n", "x.md")


def test_python_tags_are_refused() -> None:
    with pytest.raises(NewsgenError):
        load_article("---\ntitle: !!python/object/apply:os.system ['true']\n---\nb\n", "x.md")


def test_wrong_type_is_an_error_naming_the_field() -> None:
    with pytest.raises(NewsgenError, match="field 'topics' must be a list"):
        load_article("---\ntitle: a\nslug: a\ntopics: a,b\n---\nbody\n", "x.md")


def test_bom_and_crlf_are_accepted() -> None:
    article = load_article("\ufeff---\r\ntitle: a\r\nslug: a\r\n---\r\nbody\r\n", "x.md")
    assert (article.title, article.body) == ("a", "body\n")


def _load_both(text: str) -> tuple[object, object]:
    """What the plain walk and PyYAML's own way make of ``text`` (or the error each raises)."""
    import yaml

    from newsgen import records

    def outcome(load: Callable[[], object]) -> object:
        try:
            return ("ok", load())
        except yaml.YAMLError as exc:
            return ("error", type(exc).__name__, str(exc))

    return (
        outcome(lambda: records._load_plain(text)),
        outcome(lambda: yaml.load(text, Loader=records._FastLoader)),
    )


TRICKY_FRONT_MATTER = [
    "",
    "title: T\nslug: s\n",
    "title: T\ntitle: U\n",  # duplicate key: an error with its line
    "base: &b {a: 1}\n",  # an anchor (no alias): libyaml's own
    "<<: {a: 1}\nb: 2\n",  # a merge key
    "date: 2024-02-30\n",  # an impossible date
    "date: 2024-02-03\nwhen: 2024-02-03 10:00:00+02:00\n",
    "n: 0x1F\nm: 1_000\no: 0o17\nf: 1.5e3\nx: .inf\n",
    "y: yes\nn: no\nt: ~\nq: '123'\nd: \"yes\"\n",
    "s: !!str 5\nb: !!binary aGVsbG8=\nset: !!set {a, b}\n",
    "? [a, b]\n: complex key\n",
    "1: one\ntrue: yes\n",
    "quotes:\n- text: a\n  speaker: B\n- text: c\n",
    "- a list\n- at the top\n",
    "a: [1, [2, {b: c}]]\n",
    "= : value key\n",
    "a: b\n  c: d\n",  # a scanner error
]


@pytest.mark.parametrize("text", TRICKY_FRONT_MATTER)
def test_front_matter_walked_plainly_is_what_pyyaml_makes_of_it(text: str) -> None:
    plain, pyyaml = _load_both(text)
    assert plain == pyyaml


_SCALARS = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.dates(),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=10), _DATA, max_size=6))
def test_any_dumped_front_matter_loads_the_same_both_ways(data: dict[str, object]) -> None:
    import yaml

    plain, pyyaml = _load_both(yaml.safe_dump(data, allow_unicode=True))
    assert plain == pyyaml


def test_a_plain_record_is_walked_without_pyyaml_constructing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    from newsgen import records

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the plain walk fell back to yaml.load")

    monkeypatch.setattr(yaml, "load", refuse)
    text = (
        "title: T\ncount: 3\ndate: 2024-02-03\ntags: [a, b]\nquotes:\n- text: x\n  speaker: null\n"
    )
    assert records._load_plain(text) == {
        "title": "T",
        "count": 3,
        "date": dt.date(2024, 2, 3),
        "tags": ["a", "b"],
        "quotes": [{"text": "x", "speaker": None}],
    }

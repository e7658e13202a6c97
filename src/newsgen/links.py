"""The internal link check: every link and asset a built page names must be a built file.

Runs on the rendered files in memory, before anything is written, so ``--strict`` can stop
a build with a broken link from replacing the previous site.
"""

from __future__ import annotations

import functools
import html as html_lib
import itertools
import posixpath
import re
import urllib.parse
from collections.abc import Collection, Container, Mapping

from newsgen.errors import NewsgenError

_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
# The same links, found by patterns that start with a literal: the regex engine jumps from one
# "href" to the next instead of trying ``_LINK`` at every character of the page (that was most
# of the link check's time). The whitespace before the name is checked looking back.
_HREF = re.compile(r'href(?<=\shref)="([^"]*)"')
_SRC = re.compile(r'src(?<=\ssrc)="([^"]*)"')
OUTSIDE = "\x00outside"  # never a file name, so never found


def links_of(html: str) -> list[str]:
    """Every href and src value of a page the theme rendered.

    A regular expression, not a parser: autoescaped templates always double-quote attribute
    values, and this runs on every page of every build (a parser cost as much as rendering).
    """
    # Most links have nothing to unescape.
    return [html_lib.unescape(link) if "&" in link else link for link in _links(html) if link]


def _links(html: str) -> list[str]:
    """``_LINK.findall(html)``, faster: the href and src values in page order."""
    if 'src="' not in html:
        return _HREF.findall(html)
    found = sorted(
        (m.start(), m.end(), m[1]) for pattern in (_HREF, _SRC) for m in pattern.finditer(html)
    )
    for (_, end, _), (start, _, _) in itertools.pairwise(found):
        if start < end:
            # One inside another's value: only in broken markup. Which one counts is
            # ``_LINK``'s business (the leftmost, then the next after it).
            return _LINK.findall(html)
    return [link for _, _, link in found]


def target_file(link: str, page_path: str, base_url: str) -> str | None:
    """The output file an internal ``link`` on ``page_path`` points to; None if external."""
    if _is_root(link):
        # A root-relative link means the same on every page: worked out once per build.
        return _target_file(link, "", base_url)
    return _target_file(link, page_path, base_url)


# A path of plain segments: no ".", "..", empty segment (but a trailing slash), query,
# fragment, escape, backslash, space or control character, so that splitting, unquoting
# and normalising it changes nothing. ``_SITE_PATH`` starts at the root, ``_IN_SITE`` below
# the site's own URL.
_SEGMENT = r"(?!\.\.?(?:/|\Z))[^/?#%\\\x00-\x20\x7f]+"
_SITE_PATH = re.compile(rf"(?:/{_SEGMENT})*/?")
_IN_SITE = re.compile(rf"(?:{_SEGMENT}/)*(?:{_SEGMENT})?")


@functools.lru_cache(maxsize=16)
def _site(base_url: str) -> tuple[str, str | None]:
    """The site's folder (``base_url``'s path); and ``base_url`` itself when it is spelled as
    ``urlsplit`` gives it back, its folder already normal, so that a link which starts with
    it names the file after it (else None: every link is worked out the whole way)."""
    base = urllib.parse.urlsplit(base_url)
    plain = (
        base.scheme
        and base.netloc
        and base_url == f"{base.scheme}://{base.netloc}{base.path}"
        and _SITE_PATH.fullmatch(base.path) is not None
        and base.path.endswith("/")
    )
    return base.path, base_url if plain else None


@functools.lru_cache(maxsize=1 << 16)
def _target_file(link: str, page_path: str, base_url: str) -> str | None:
    # The links a theme writes (one page's own canonical URL, the first link to each page
    # from a worker's pages): a plain path under the site's folder, or the site's URL and
    # a plain path, whose file is the path itself (what ``_worked_out`` finds, faster).
    folder, site = _site(base_url)
    if link.startswith("/") and link.startswith(folder):
        if _SITE_PATH.fullmatch(link) is not None:
            return _index(link[len(folder) :])
    elif site is not None and link.startswith(site):
        rest = link[len(site) :]
        if _IN_SITE.fullmatch(rest) is not None:
            return _index(rest)
    return _worked_out(link, page_path, base_url)


def _index(rel: str) -> str:
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


def _worked_out(link: str, page_path: str, base_url: str) -> str | None:
    base = urllib.parse.urlsplit(base_url)
    parts = urllib.parse.urlsplit(link)
    if (parts.scheme or parts.netloc) and (parts.scheme, parts.netloc) != (
        base.scheme,
        base.netloc,
    ):
        return None  # another site, or mailto: — not ours to check
    path = urllib.parse.unquote(parts.path)
    if not path:
        return page_path  # a fragment or query on the page itself
    if not path.startswith("/"):
        path = posixpath.join(base.path + posixpath.dirname(page_path), path)
    trailing = path.endswith("/")
    path = posixpath.normpath(path)
    if path != "/" and trailing:
        path += "/"
    if not path.startswith(base.path):
        return OUTSIDE  # on our host but outside the site's folder: always broken
    return _index(path[len(base.path) :])


def check_links(
    files: Mapping[str, bytes], base_url: str, later: Collection[str] = ()
) -> list[NewsgenError]:
    """One problem per broken internal link, naming the page and the link. ``later`` names
    files a later step adds (the search index), which count as built."""
    problems = []
    for path in sorted(files):
        if path.endswith(".html"):
            for link in broken_links(files[path].decode("utf-8"), path, files, base_url, later):
                problems.append(link_problem(path, link))
    return problems


def link_problem(path: str, link: str) -> NewsgenError:
    return NewsgenError(f"broken internal link to {link}", f"site/{path}")


def broken_links(
    html: str, path: str, files: Container[str], base_url: str, later: Collection[str] = ()
) -> list[str]:
    """The links of the page at ``path`` to files not in ``files`` (nor in ``later``, files a
    later step adds), in page order."""
    # A link that names the same file from every page (root-relative, or a URL with a host):
    # its verdict is looked up, not worked out, on all but the first page that has it (every
    # page links the same sections, and an article from a dozen listings). Links relative to
    # the page are worked out on each page.
    verdicts = _verdicts(files, later, base_url)
    broken = []
    for raw in _links(html):
        if not raw:
            continue
        found = verdicts.get(raw)
        if found is None:
            link = html_lib.unescape(raw) if "&" in raw else raw
            found = (link, _is_broken(link, path, files, base_url, later))
            if verdicts is not _NO_VERDICTS and _anywhere(link):
                if len(verdicts) >= _MAX_VERDICTS:
                    verdicts.clear()
                verdicts[raw] = found
        if found[1]:
            broken.append(found[0])
    return broken


def _is_root(link: str) -> bool:
    return link.startswith("/") and not link.startswith("//") and not link.startswith("/#")


def _anywhere(link: str) -> bool:
    """Whether ``link`` names the same file from every page: root-relative, or a URL with a
    host and a path (the canonical link of every page; another site's)."""
    if _is_root(link):
        return True
    if link.startswith("#"):
        return False
    parts = urllib.parse.urlsplit(link)
    return bool(parts.scheme or parts.netloc) and parts.path.startswith("/")


def _is_broken(
    link: str, path: str, files: Container[str], base_url: str, later: Collection[str]
) -> bool:
    # A fragment on the page itself (every page's skip link): no URL to work out.
    target = path if link.startswith("#") else target_file(link, path, base_url)
    if target is None or target in files or target in later:
        return False
    # A folder link without its trailing slash is not broken: servers redirect it.
    return target + "/index.html" not in files


# The verdicts on root-relative links (raw link -> the link unescaped, broken?) for one set of
# files: kept only for sets that cannot change (a build's frozenset of paths), held so that
# the identity test is sound.
_Verdicts = dict[str, tuple[str, bool]]
_SCOPE: list[tuple[Container[str], Collection[str], str, _Verdicts]] = []
_NO_VERDICTS: _Verdicts = {}  # never written to: a scope that cannot be remembered
# Every page's own URL and canonical URL at 10,000 articles fit; at 100,000 a memo of 2**18
# verdicts held 20 MB more in each worker, and the links every page repeats (the sections,
# the site's own) are found again soon after a clear.
_MAX_VERDICTS = 1 << 16


def _verdicts(files: Container[str], later: Collection[str], base_url: str) -> _Verdicts:
    if type(files) is not frozenset or type(later) not in (tuple, frozenset):
        return _NO_VERDICTS
    if _SCOPE:
        known_files, known_later, known_base, verdicts = _SCOPE[0]
        if known_files is files and known_later is later and known_base == base_url:
            return verdicts
        _SCOPE.clear()
    verdicts = {}
    _SCOPE.append((files, later, base_url, verdicts))
    return verdicts

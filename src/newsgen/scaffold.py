"""``newsgen init``: the files of a new, empty archive. Refuses to overwrite anything."""

from __future__ import annotations

from pathlib import Path

from newsgen.config import default_config_text
from newsgen.errors import NewsgenError
from newsgen.fs import CONFIG_NAME

TEMPLATES_README = """\
# templates/

Templates here override newsgen's default theme, file by file: a file named like one of the
theme's replaces it. The theme's templates are:

- `base.html`: the page frame (head, header, navigation, footer); blocks `title`,
  `description`, `canonical`, `head`, `main`
- `article.html`: one article; blocks `kicker`, `body`, `quotes`, `terms`, `related`
- `listing.html`: home, topic, person, place, organization, source and date pages; block `intro`
- `terms.html`, `archive.html`, `quotes.html`, `404.html`, `macros.html`
- `search.html`: the search page (Pagefind's UI); `static/search.js` starts it
- `feed.xml`, `sitemap.xml`, `sitemap-index.xml`, `robots.txt`
- `static/style.css`: the one stylesheet, copied as is

`article.html` tells the search index what to read: `data-pagefind-body` on the article,
`data-pagefind-ignore` on what is not its title or text, `data-pagefind-filter` on its topics,
people, places, organizations, source and year. Keep those attributes in an override. Only
the folders of pages whose template writes `data-pagefind-body` are given to the indexer. An
override of `search.html` keeps `data-shards="{{ shards }}"` beside `data-bundle`: past 4,000
articles the index is in shards, and `static/search.js` searches that many.

To change one part of a page, extend the default and replace one block. For example,
`templates/article.html`:

```jinja
{% extends "default/article.html" %}
{% block kicker %}
<p class="kicker" data-pagefind-ignore>Breaking: {{ article.kicker or "news" }}</p>
{% endblock %}
```

`default/NAME` always means the theme's own file, even when you override NAME. Templates are
Jinja with autoescaping and strict undefined variables: a misspelt variable stops the build
with the template's name and line.

`macros.html` renders a teaser once per build, not on every listing that shows it:
`{{ teaser|once(article, level) }}` reuses a macro's output for the same arguments. Use `once`
only for a macro whose output depends on its arguments and the site alone, never on the page.
"""

GITIGNORE = """\
# newsgen output and caches
/site/
.newsgen-cache/
.site.tmp-*/
.site.old-*/
.site.mirror-*/
.site.spare/
.site.lock
"""


def scaffold(target: Path) -> list[Path]:
    """Create a new archive in ``target``; return the files made."""
    files = {
        target / CONFIG_NAME: default_config_text(),
        target / "templates" / "README.md": TEMPLATES_README,
        target / ".gitignore": GITIGNORE,
    }
    existing = [p for p in files if p.exists()]
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise NewsgenError(f"refusing to overwrite existing files: {names}")
    for folder in ("seeds", "articles", "templates"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return sorted(files)

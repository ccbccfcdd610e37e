"""Changes to the built HTML site that Sphinx's templates cannot make, applied at build end."""

from __future__ import annotations

import shutil
from pathlib import Path


def label_code_toggles(site: Path) -> None:
    """myst-nb's 'Show code cell source' toggles carry aria-label="Toggle hidden content", which
    hides their visible text from screen readers (axe: label-content-name-mismatch). Drop it, so
    the visible text is the name."""
    stale = '<summary aria-label="Toggle hidden content">'
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if stale in text:
            page.write_text(text.replace(stale, "<summary>"), encoding="utf-8")


def refresh_static(srcdir: Path, site: Path) -> None:
    """Sphinx skips copying static files when no page is out of date; a CSS or JS edit alone
    would then never reach the site. Copy the book's own static files that differ."""
    for source in sorted((srcdir / "_static").glob("*")):
        target = site / "_static" / source.name
        if source.is_file() and (not target.is_file() or target.read_bytes() != source.read_bytes()):
            shutil.copyfile(source, target)


def write_sitemap(site: Path, version_url: str, docnames: list[str]) -> None:
    """sitemap.xml of this version's pages at their public addresses (no dates: the same
    commit gives the same bytes)."""
    from xml.sax.saxutils import escape

    urls = "".join(f"  <url><loc>{escape(version_url + doc + '.html')}</loc></url>\n"
                   for doc in docnames)
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n",
        encoding="utf-8")

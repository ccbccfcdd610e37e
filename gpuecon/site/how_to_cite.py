"""Citing the book: its public address on every page (canonical link), a "How to cite" block at
the end of every chapter, the version line, and each chapter's verdicts as ClaimReview."""

from __future__ import annotations

import json

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ConfigError
from sphinx.util.docutils import SphinxDirective

from .. import edition, paths, results
from . import citation, reference_files
from .blocks import book, is_chapter, link
from .citation import citation_meta


def set_addresses(app: Sphinx, config) -> None:
    """The version's public address (BASE_URL overrides the configured base) becomes Sphinx's
    html_baseurl, so every page gets its canonical link; a scenario edition has none."""
    try:
        config.gpuecon_base_url = citation.base_url(config.gpuecon_base_url)
    except citation.AddressError as error:
        raise ConfigError(str(error)) from None
    config.html_baseurl = ("" if edition.current().is_scenario else
                           citation.version_url(config.gpuecon_base_url,
                                                citation_meta()["version"]))


class BookVersionDirective(SphinxDirective):
    """'Version X, released YYYY-MM-DD.' from CITATION.cff."""

    def run(self):
        meta = citation_meta()
        return [nodes.paragraph("", f"Version {meta['version']}, released {meta['released']}.",
                                classes=["book-version"])]


def append_how_to_cite(app: Sphinx, doctree: nodes.document) -> None:
    """Every chapter ends with a short and a full citation, the version and the data's dates."""
    docname = app.env.docname
    if not is_chapter(docname) or edition.current().is_scenario:
        return  # a scenario edition is not the book's to cite
    meta = citation_meta()
    stem = docname.rsplit("/", 1)[-1]
    title = next(iter(doctree.findall(nodes.title))).astext()
    page_url = app.config.html_baseurl + f"{docname}.html"
    box = nodes.container(classes=["how-to-cite"], ids=["how-to-cite"])
    box += nodes.rubric("", "How to cite this chapter")
    box += nodes.paragraph("", f"Short: {meta['author']}, “{title}” (version {meta['version']}, "
                               f"{meta['released']}).")
    full = nodes.paragraph("", f"Full: {meta['author']}. “{title}”. In {meta['title']}, version "
                               f"{meta['version']}, released {meta['released']}. ")
    full += link(page_url, page_url)
    own = results.read(stem)  # this chapter has just run; the others may not have yet
    full += nodes.Text(f". Data as of {own.as_of() if own else ''}.")
    box += full
    box += nodes.paragraph(
        "", "To cite one number, link its row in the citable-values appendix (anchor val- "
            f"and its key, with hyphens): each row there gives a citation ready to copy.")
    files = nodes.paragraph("", "For a reference manager: ")
    cite = f"../{paths.EXPORT_FOLDER}/{reference_files.CITE_FOLDER}/{reference_files.STEM}"
    files += nodes.raw("", f'<a href="{cite}.bib" download>BibTeX</a> · '
                           f'<a href="{cite}.ris" download>RIS</a> · '
                           '<a href="../CITATION.cff" download>Citation File Format</a>', format="html")
    files += nodes.Text(" (the book as a report: author, title, version, date and address; a "
                        "reference manager reading this page finds the same).")
    box += files
    run = nodes.paragraph("", "To run this chapter yourself: ")
    run += nodes.raw("", f'<a href="../{paths.EXPORT_FOLDER}/bundles/{stem}.zip" download>'
                         "download it as a runnable bundle</a>", format="html")
    run += nodes.Text(" (the notebook, the gpuecon package, the data it reads and the pinned "
                      "packages; its README says how).")
    box += run
    box += nodes.paragraph("", f"In print: this chapter's code, interactive charts and downloads "
                               f"are at {page_url}.", classes=["print-note"])
    doctree += box


def page_metadata(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Every page says which version it is (the old-version banner reads it); a chapter page
    carries its verdicts as schema.org ClaimReview."""
    tags = [f'<meta name="book-version" content="{citation_meta()["version"]}">']
    stem = pagename.rsplit("/", 1)[-1]
    if edition.current().is_scenario:
        tags.append('<meta name="robots" content="noindex">')  # not the book's verdicts
    elif is_chapter(pagename):
        reviews = citation.claim_reviews(book().claims_table(), stem,
                                         f"{app.config.html_baseurl}{pagename}.html")
        if reviews:
            body = json.dumps(reviews, ensure_ascii=False, indent=1, sort_keys=True)
            tags.append('<script type="application/ld+json">\n'
                        + body.replace("</", "<\\/") + "\n</script>")
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"

"""The build's lifecycle: validate the data and run the chapters before anything is read, read
each chapter from its executed copy, re-read the generated pages when a chapter changed, and at
the end fix the built HTML and write the exports."""

from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from .. import data, edition, paths, results
from . import (built_pages, citation, execution, export_package, exports, findings,
               page_metadata, reference_files)
from .blocks import GENERATED_PAGES_KEY, book, is_chapter


def validate_data(app: Sphinx) -> None:
    """Point gpuecon (here and in every kernel the build starts) at this book, then stop the
    build before any chapter runs if a data file is malformed (gpuecon.validation records the
    files that passed, so the chapters' kernels do not check them again)."""
    edition.enter_book_build(Path(app.srcdir))
    data.load_all()


def run_chapters(app: Sphinx) -> None:
    """Run the chapters that need it, in parallel, before anything is read (after the data are
    validated); the build then renders their executed copies."""
    try:
        execution.prepare()
    except execution.ChapterFailed as error:
        stop = "The scenario edition stopped" if edition.current().is_scenario else \
            "A chapter stopped the build"
        raise ExtensionError(f"{stop}: {error}") from None


def read_executed_copy(app: Sphinx, docname: str, source: list[str]) -> None:
    """A chapter is read from its executed copy, and re-read whenever that copy is rewritten."""
    if not is_chapter(docname):
        return
    copy = execution.executed_copy(Path(docname).name)
    if not copy.is_file():
        raise ExtensionError(f"{copy} is missing: the chapters run before the build reads them "
                             "(gpuecon.site.execution); build with make book")
    app.env.note_dependency(str(copy))
    source[0] = copy.read_text(encoding="utf-8")


def reread_generated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Pages built from data/ or the chapters' results follow any re-read document."""
    if not (added or changed or removed):
        return []
    app.gpuecon_results_changed = True
    return [doc for doc, meta in env.metadata.items() if meta.get(GENERATED_PAGES_KEY)]


def publish(app: Sphinx, exception) -> None:
    """At build end: fix the built HTML, then write the exports if any result may have moved."""
    if exception is not None or app.builder.format != "html":
        return
    site = Path(app.outdir)
    current = edition.current()
    built_pages.refresh_static(Path(app.srcdir), site)
    built_pages.label_code_toggles(site)
    built_pages.tables_as_cards(site)
    built_pages.one_title(site)
    first_page = f"{app.config.root_doc}.html"
    built_pages.write_root_redirect(site, first_page, app.config.html_title,
                                    f"{app.config.html_baseurl}{first_page}")
    if not current.is_scenario:
        built_pages.write_sitemap(site, app.config.html_baseurl,
                           sorted(app.env.found_docs - {"genindex", "search"}))
        exports.write_citation_file(site, app.config.html_baseurl)
        page_metadata.write_robots(site, app.config.html_baseurl)
    if not getattr(app, "gpuecon_results_changed", False) and \
            (site / paths.EXPORT_FOLDER / "values.csv").is_file():
        return  # nothing was re-read, so no result or input changed since the last export
    out = exports.write_exports(book(), site, app.config.html_baseurl)
    if not current.is_scenario:  # runnable copies of the published chapters, the references
        reference_files.write_reference_files(out, app.config.html_baseurl)
        feed = citation.claim_review_feed(book().claims_table(), app.config.html_baseurl)
        (out / "claimreview.json").write_text(
            json.dumps(feed, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        for stem, doc in results.chapter_docs().items():
            exports.write_bundle(stem, app.env.titles[doc].astext(), out / "bundles",
                                 f"{app.config.html_baseurl}{doc}.html")
    findings.save_claims_chart_downloads(app, out / "figures")
    meta = citation.citation_meta()
    export_package.add_figures(out, export_package.describe_figures(
        site, out, {**meta, "book": app.config.html_title}, app.config.html_baseurl))

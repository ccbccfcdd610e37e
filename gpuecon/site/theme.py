"""What the book changes in the theme's page furniture: no live-kernel (thebe) configuration,
Binder launch buttons only when the book's repository is named, and scripts only where needed."""

from __future__ import annotations

import os

from docutils import nodes
from sphinx.application import Sphinx

from .. import edition

REPOSITORY_VARIABLE = "REPOSITORY_URL"


def launch_options(repository_url: str) -> dict:
    """Theme options for Binder launch buttons on the chapters, given the book's repository
    (not its site). Binder builds from binder/ (the lock file and the package); Colab stays off,
    since a notebook opened alone there sees neither gpuecon nor data/."""
    if not repository_url:
        return {}
    return {"repository_url": repository_url, "repository_branch": "main", "path_to_docs": "",
            "use_repository_button": True,
            "launch_buttons": {"notebook_interface": "jupyterlab",
                               "binderhub_url": "https://mybinder.org"}}


def set_launch_buttons(app: Sphinx, config) -> None:
    """Launch buttons appear only when the repository's address is set (REPOSITORY_URL, or
    gpuecon_repository_url in _config.yml); a scenario edition has none."""
    url = os.environ.get(REPOSITORY_VARIABLE) or config.gpuecon_repository_url
    if url and not edition.current().is_scenario:
        config.html_theme_options = {**config.html_theme_options, **launch_options(url)}


def drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """sphinx-thebe appends a live-kernel configuration to every page, naming its own example
    repository; the book has no live kernel, so the page carries none (runs after it)."""
    for node in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in node.astext() or node.astext().startswith("<script>kernelName"):
            node.parent.remove(node)


def drop_thebe(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The book has no live-kernel buttons; sphinx-thebe (always loaded by Jupyter Book 1)
    would still add its config script twice per page (a console error) and a CDN address."""
    scripts = context.get("script_files", [])
    context["script_files"] = [
        js for js in scripts
        if "sphinx-thebe" not in str(js)
        and "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))]


CHART_LIBRARIES = "vega-offline.js"
CHART_MARK = "gpueconCharts"  # what a page with a chart carries (gpuecon.charts.page_chart_html)
DEFERRED = ("book.js", CHART_LIBRARIES)


def scripts_where_needed(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Light pages: the chart libraries (805 KiB) only on pages that draw a chart, and the
    book's scripts deferred so that nothing of ours blocks the first screen."""
    has_chart = CHART_MARK in context.get("body", "")
    kept = []
    for js in context.get("script_files", []):
        name = os.fspath(getattr(js, "filename", js) or "").split("?")[0].rsplit("/", 1)[-1]
        if name == CHART_LIBRARIES and not has_chart:
            continue
        if name in DEFERRED:  # a new entry: the builder's own is shared by every page
            js = type(js)(js.filename, priority=js.priority, **{**js.attributes, "defer": "defer"})
        kept.append(js)
    context["script_files"] = kept

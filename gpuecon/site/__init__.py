"""The book's Sphinx extension: everything that runs inside the build (`_config.yml` names this
package). Chapters never import it; it reads what they leave (gpuecon.results).

    lifecycle.py          validate data, run chapters, read executed copies, publish at the end
    execution.py          run the chapters in parallel (both editions), or keep or reuse them
    blocks.py             tables, links, badges, placeholders: the parts page parts are built of
    findings.py           the introduction's "What we found" and claims chart
    scoreboard.py         the scoreboard
    citable_values.py     the citable-values appendix and the links from numbers to it
    appendix.py           sources, assumptions, the data dictionary, conventions, readings
    reproducibility.py    the reproducibility record; provenance.py what it lists
    how_to_cite.py        addresses, "How to cite", the version line, ClaimReview in each page
    citation.py           the book's metadata, public addresses and ClaimReview objects
    page_metadata.py      what reference managers and previews read: citation_*, DC, OpenGraph;
                          robots.txt
    reference_files.py    the book as BibTeX and RIS (artifacts/cite/)
    scenario_edition.py   a scenario edition's banner, "What changed" and notes
    glue.py               linked {glue:text} and numbered {glue-table}
    theme.py              launch buttons; no live-kernel configuration
    exports.py            the exports and runnable bundles; export_package.py their descriptor
    built_pages.py        changes to the built HTML that templates cannot make
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import __version__
from ..rerun import encrypt_kernel_transport
from . import (appendix, citable_values, execution, findings, glue, how_to_cite, lifecycle,
               page_metadata, reproducibility, scenario_edition, scoreboard, theme)
from .blocks import Placeholder


def setup(app: Sphinx) -> dict:
    encrypt_kernel_transport()
    # The book's public address (_config.yml; BASE_URL overrides it) and repository (for launch
    # buttons; empty: none).
    app.add_config_value("gpuecon_base_url", "", "env")
    app.add_config_value("gpuecon_repository_url", "", "env")
    app.connect("config-inited", how_to_cite.set_addresses)
    app.connect("config-inited", theme.set_launch_buttons)
    app.connect("config-inited", scenario_edition.set_banner)

    # Before anything is read: the data are checked, then the chapters run.
    app.connect("builder-inited", lifecycle.validate_data)
    app.connect("builder-inited", lifecycle.run_chapters)
    app.connect("source-read", lifecycle.read_executed_copy)
    app.connect("env-get-outdated", lifecycle.reread_generated)

    # Page parts.
    app.add_node(Placeholder)
    app.add_directive("findings-summary", findings.FindingsSummaryDirective)
    app.add_directive("claims-chart", findings.ClaimsChartDirective)
    app.add_directive("claims-scoreboard", scoreboard.ScoreboardDirective)
    app.add_directive("citable-values", citable_values.CitableValuesDirective)
    app.add_directive("sources-table", appendix.SourcesTableDirective)
    app.add_directive("assumptions-table", appendix.AssumptionsTableDirective)
    app.add_directive("data-dictionary", appendix.DataDictionaryDirective)
    app.add_directive("conventions-table", appendix.ConventionsTableDirective)
    app.add_directive("readings-table", appendix.ReadingsTableDirective)
    app.add_directive("reproducibility-record", reproducibility.ReproducibilityDirective)
    app.add_directive("book-version", how_to_cite.BookVersionDirective)
    app.add_directive("scenario-changes", scenario_edition.ScenarioChangesDirective)
    for fill in (findings.fill_findings, findings.fill_claims_chart, scoreboard.fill_scoreboard,
                 citable_values.fill_citable_values, reproducibility.fill_chapter_status,
                 appendix.fill_readings,
                 scenario_edition.fill_scenario_changes, scenario_edition.mark_scenario_text,
                 citable_values.link_glued_values):
        app.connect("doctree-resolved", fill)
    app.connect("doctree-read", how_to_cite.append_how_to_cite)
    app.connect("doctree-resolved", glue.style_glued_numbers, priority=400)
    app.connect("html-page-context", how_to_cite.page_metadata)
    app.connect("html-page-context", page_metadata.add_head_tags)

    # Glue: tables numbered as tables; numbers that keep their key.
    app.add_enumerable_node(glue.GluedTable, "table", glue.glued_table_title,
                            html=(glue.visit_glued_table, glue.depart_glued_table))
    app.add_directive("glue-table", glue.glue_table_directive())
    app.add_role_to_domain("glue", "text", glue.glue_text_role(), override=True)

    # The theme's furniture, and the built site's last touches.
    app.connect("html-page-context", theme.drop_thebe)
    app.connect("html-page-context", theme.scripts_where_needed)
    app.connect("doctree-resolved", theme.drop_thebe_config, priority=900)
    app.connect("build-finished", lifecycle.publish)
    return {"version": __version__, "parallel_read_safe": False, "parallel_write_safe": True}

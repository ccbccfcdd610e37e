"""The reproducibility page's record: the two commands, the commit, each chapter with its status
and recorded run time, Python, every pinned package and the data's checksums."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import edition, results
from . import execution, provenance
from .blocks import Placeholder, book, mark_generated, placeholders, table

CHAPTER_STATUS = "chapter-status"


class ReproducibilityDirective(SphinxDirective):
    """How this build can be reproduced: commands, commit, chapters with their recorded run
    times, Python and every pinned package, the data's checksums."""

    def run(self):
        mark_generated(self)
        record = provenance.benchmark_record()
        out = [nodes.rubric("", "Two commands on a fresh machine")]
        out.append(table(["command", "what it does"],
                         [[nodes.literal("", c), what] for c, what in provenance.COMMANDS]))
        if record:
            out.append(nodes.paragraph(
                "", f"Expected run time on a {record['cores']}-core machine (recorded by "
                    f"make benchmark): a cold build {record['cold_build_s']:.0f} s; the tests "
                    f"{record['test_suite_after_build_s'] / 60:.0f} minutes after it, plus the "
                    "one-off installation of the packages and Chromium."))
        out.append(nodes.rubric("", "This build"))
        out.append(table(["what", "value"], [["commit", nodes.literal("", provenance.commit())],
                                             ["Python", provenance.python_version()]]))
        out.append(nodes.rubric("", "Chapters"))
        out.append(Placeholder(kind=CHAPTER_STATUS))  # after every chapter has run
        out.append(nodes.paragraph("", "The print edition leaves out the list of pinned packages "
                                       "and the data's checksums; they are in the web version of "
                                       "this page.", classes=["print-note"]))
        listing = nodes.container(classes=["screen-only"])
        listing += nodes.rubric("", "Pinned packages (requirements-lock.txt)")
        listing += table(["package", "version"], [list(p) for p in provenance.locked_packages()],
                         ("reproducibility-packages",))
        listing += nodes.rubric("", "Data checksums (data/MANIFEST.sha256)")
        listing += table(["file", "SHA-256"],
                         [[f, nodes.literal("", d)] for f, d in provenance.data_checksums()],
                         ("reproducibility-data",))
        return out + [listing]


def fill_chapter_status(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    found = placeholders(doctree, CHAPTER_STATUS)
    if not found:
        return
    ran = book().chapters
    times = provenance.benchmark_record().get("chapter_execution_s", {})
    how = execution.manifest() if edition.current().is_scenario else {}
    rows = []
    for stem, doc in results.chapter_docs().items():
        if stem in how:  # a scenario edition: run with its assumptions, or reused, and why
            status = f"{how[stem]['how']}: {how[stem]['why']}"
        elif stem in ran:
            status = "executed in this build; every check passed"
        else:
            status = "not executed"
        seconds = f"{times[stem]:.1f} s" if stem in times else "not recorded"
        rows.append([app.env.titles[doc].astext(), status, seconds])
    chapters = table(["chapter", "status", "run time (recorded)"], rows,
                     ("reproducibility-chapters",))
    for node in found:
        node.replace_self(chapters.deepcopy())

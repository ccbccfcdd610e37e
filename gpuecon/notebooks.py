"""The chapters as stored: no outputs, no execution counts, one kernel, nothing an editor adds,
and every dollar sign in the text escaped (JupyterLab would read "$2 ... $4" as maths; the book
uses none, and MyST renders `\\$` as `$`).

`clean` is what JupyterLab's save hook (`make lab`, tools/jupyter/jupyter_server_config.py)
applies before writing a chapter, so working in the notebook interface leaves the stored
notebook as the book reads it; `problems` is what the tests check.
"""

from __future__ import annotations

import re

# The kernel every chapter names, exactly as ipykernel's own kernel spec spells it, so opening a
# chapter in Jupyter never rewrites it.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
CELL_METADATA_KEPT = ("tags",)
# Code is read in the notebook; on the published page every code cell is folded or removed.
HIDDEN_CODE_TAGS = ("hide-input", "remove-input", "remove-cell")
# Inline code and a role's target (`...`) are left alone; so are fence lines (```{directive}).
_INLINE_CODE = re.compile(r"(`[^`]*`)")
_BARE_DOLLAR = re.compile(r"(?<!\\)\$")


def _escape_line(line: str) -> str:
    if line.lstrip().startswith("```"):
        return line
    parts = _INLINE_CODE.split(line)
    return "".join(p if i % 2 else _BARE_DOLLAR.sub(r"\\$", p) for i, p in enumerate(parts))


def escape_dollars(markdown: str) -> str:
    """Every bare `$` in a markdown cell's text escaped, code left as it is."""
    return "\n".join(_escape_line(line) for line in markdown.split("\n"))


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def clean(nb: dict) -> dict:
    """Strip what running or editing adds (in place; returns the notebook)."""
    nb["metadata"] = {"kernelspec": dict(KERNELSPEC)}
    for cell in nb["cells"]:
        cell["metadata"] = {k: v for k, v in cell.get("metadata", {}).items()
                            if k in CELL_METADATA_KEPT}
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            tags = cell["metadata"].setdefault("tags", [])
            if not set(tags) & set(HIDDEN_CODE_TAGS):
                tags.append("hide-input")
        elif cell["cell_type"] == "markdown":
            escaped = escape_dollars(_source(cell))
            cell["source"] = (escaped.splitlines(keepends=True)
                              if isinstance(cell.get("source"), list) else escaped)
    return nb


def problems(nb: dict) -> list[str]:
    """What `clean` would change, in words."""
    found = []
    if nb.get("metadata") != {"kernelspec": KERNELSPEC}:
        found.append(f"notebook metadata is {nb.get('metadata')!r}, not only the kernel spec "
                     f"{KERNELSPEC!r}")
    for i, cell in enumerate(nb["cells"]):
        extra = set(cell.get("metadata", {})) - set(CELL_METADATA_KEPT)
        if extra:
            found.append(f"cell {i} has metadata {sorted(extra)}")
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
            found.append(f"cell {i} has outputs or an execution count")
        if cell["cell_type"] == "code" and not (set(cell.get("metadata", {}).get("tags", []))
                                                & set(HIDDEN_CODE_TAGS)):
            found.append(f"cell {i} would show its code open on the page (tag it hide-input)")
        if "id" not in cell:
            found.append(f"cell {i} has no id")
        if cell["cell_type"] == "markdown":
            text = _source(cell)
            bare = [n for n, line in enumerate(text.split("\n"), 1)
                    if _escape_line(line) != line]
            if bare:
                found.append(f"cell {i}, line {bare[0]}: a bare '$' (write '\\$'; JupyterLab "
                             f"reads $...$ as maths)")
    return found


def jupyter_pre_save_hook(model: dict, **_kwargs) -> None:
    """Jupyter server's pre-save hook: clean a chapter notebook before it is written."""
    if model.get("type") == "notebook" and model.get("content") is not None:
        clean(model["content"])

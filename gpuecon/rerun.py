"""Run one chapter on its own, as a chapter's bundle says: execute the notebook, write the
executed copy beside it, and print what it found (its values and its verdicts).

    python -m gpuecon.rerun chapters/payback.ipynb

Run it from the folder that holds `_config.yml` and `data/` (a bundle's root, or the book's).
The chapter's kernel imports this copy of gpuecon, whatever else is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import numbers, results


def encrypt_kernel_transport() -> None:
    """Chapters run in kernels started by nbclient, which reads no Jupyter config file: without
    this, every kernel talks over plain TCP and ipykernel warns about it once per chapter.
    'auto' provisions CurveZMQ keys for kernels whose spec declares support (ipykernel's does)."""
    from jupyter_client.manager import KernelManager

    KernelManager.transport_encryption.default_value = "auto"


def execute(notebook: Path) -> Path:
    """Run every cell in a fresh kernel (working directory: the notebook's folder); the
    executed notebook is written beside it as `<name>.executed.ipynb`."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    package_root = str(Path(__file__).resolve().parents[1])
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [package_root, *filter(None, [os.environ.get("PYTHONPATH")])])
    encrypt_kernel_transport()
    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    try:
        client.execute()
    except CellExecutionError as error:
        failed = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                       and any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                      None)
        lines = [f"{notebook}: cell {failed} stopped the chapter."
                 if failed is not None else f"{notebook} stopped."]
        output = next(o for o in nb.cells[failed].outputs if o.output_type == "error") \
            if failed is not None else None
        if output is not None:
            lines.append(f"{output.ename}: {output.evalue}")
        raise SystemExit("\n".join(lines)) from error
    out = notebook.with_name(f"{notebook.stem}.executed.ipynb")
    nbformat.write(nb, out)
    return out


def summary(chapter: str) -> str:
    """What the chapter found, in words: each verdict with its reason, then each value."""
    found = results.read(chapter)
    if found is None:
        return f"{chapter}: the chapter wrote no results"
    lines = []
    for claim in found.claims:
        lines.append(f"{claim.claim_id}: {claim.verdict}. {claim.reason}")
    for forecast in found.forecasts:
        lines.append(f"{forecast.forecast_id}: {forecast.verdict}. {forecast.reason}")
    if lines:
        lines.append("")
    width = max((len(numbers.with_unit(v.display, v.unit)) for v in found.values), default=0)
    for value in found.values:
        shown = numbers.with_unit(value.display, value.unit)
        premise = f", {value.premise}" if value.premise else ""
        lines.append(f"{shown:>{width}}  {value.description}{premise} (as of {value.as_of})")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].endswith(".ipynb"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    notebook = Path(argv[0]).resolve()
    if not notebook.is_file():
        print(f"no such notebook: {argv[0]}", file=sys.stderr)
        return 2
    executed = execute(notebook)
    print(summary(notebook.stem))
    here = Path.cwd().resolve()
    print(f"\nThe executed notebook: "
          f"{executed.relative_to(here) if executed.is_relative_to(here) else executed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

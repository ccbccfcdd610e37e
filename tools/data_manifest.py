"""Write or check data/MANIFEST.sha256 (sha256sum format: `sha256sum -c` reads it too).

    python tools/data_manifest.py          write it after a deliberate data change (make data-manifest)
    python tools/data_manifest.py --check  exit 1 if any file differs, is missing or is unlisted
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
MANIFEST = DATA / "MANIFEST.sha256"


def current() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(DATA.iterdir()) if p.is_file() and p != MANIFEST}


def recorded() -> dict[str, str]:
    entries = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        digest, name = line.split(maxsplit=1)
        entries[name] = digest
    return entries


def differences() -> list[str]:
    now, then = current(), recorded()
    out = [f"{name}: changed since the manifest" for name in now if name in then and now[name] != then[name]]
    out += [f"{name}: not in the manifest" for name in now if name not in then]
    out += [f"{name}: in the manifest but missing" for name in then if name not in now]
    return out


def main() -> int:
    if "--check" in sys.argv[1:]:
        problems = differences()
        for p in problems:
            print(f"data/{p}")
        return 1 if problems else 0
    MANIFEST.write_text("".join(f"{d}  {n}\n" for n, d in current().items()), encoding="utf-8")
    print(f"wrote {MANIFEST.relative_to(DATA.parent)} ({len(current())} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

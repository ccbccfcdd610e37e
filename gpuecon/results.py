"""The contract between the chapters and the site: what a chapter's run leaves behind.

A chapter (through `report.ChapterReport`) writes one results file per run; the site (the
`sphinx_ext` directives, the exports) reads them all through `load_book`, which checks them as a
book: the format version, value keys unique across chapters, every claim in the register. The
record types, the file format and the joins the exports and the scoreboard need live here, once.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from . import claims as verdicts
from . import data, edition, numbers, paths

# Raised when the file's shape changes; a results file of another version is not read.
FORMAT_VERSION = 7


@dataclass
class ValueRecord:
    """One number a chapter publishes: glued for its prose, exported, citable."""

    key: str
    value: float
    unit: str
    display: str
    description: str
    chapter: str
    as_of: str
    claim_id: str = ""
    premise: str = ""  # what it assumes, in words ("assuming 2% of step time on the network")


@dataclass
class ClaimResult:
    """A claim's two answers: does the post's arithmetic reproduce (`reproduction`), and does the
    claim hold (`verdict`), with our value (for a claim with a stated figure) and the reason."""

    claim_id: str
    chapter: str
    reproduction: str
    verdict: str
    ours: float | None
    ours_display: str
    ours_unit: str
    stated_text: str
    reason: str
    as_of: str
    value_keys: list[str] = field(default_factory=list)
    redone: list[dict] = field(default_factory=list)  # the post's calculations, redone
    decision: dict = field(default_factory=dict)  # the value that decided it, its thresholds
    robustness: dict = field(default_factory=dict)  # robustness.Robustness.as_record()


@dataclass
class ForecastResult:
    """A forecast's outcome so far: borne out, not borne out or too early."""

    forecast_id: str
    chapter: str
    verdict: str
    reason: str
    as_of: str
    value_keys: list[str] = field(default_factory=list)
    decision: dict = field(default_factory=dict)
    robustness: dict = field(default_factory=dict)


BORNE_OUT, NOT_BORNE_OUT, TOO_EARLY = verdicts.BORNE_OUT, verdicts.NOT_BORNE_OUT, verdicts.TOO_EARLY
FORECAST_VERDICTS = verdicts.FORECAST_VERDICTS


@dataclass
class ChapterResults:
    chapter: str
    values: list[ValueRecord]
    claims: list[ClaimResult]
    forecasts: list[ForecastResult]
    texts: dict[str, str]
    inputs: list[dict]  # what the chapter read: {"resource", "row"} ("*" = the whole file)
    prose_flags: list[str] = field(default_factory=list)  # a scenario's failed text guards

    def as_of(self) -> str:
        """'2023 to 2026-05': the dates the chapter's values and verdicts describe."""
        dates = sorted({v.as_of for v in self.values} | {c.as_of for c in self.claims}
                       | {f.as_of for f in self.forecasts})
        return f"{dates[0]} to {dates[-1]}" if len(dates) > 1 else (dates[0] if dates else "")


class ResultsError(ValueError):
    """The chapters' results do not make a consistent book."""


def results_path(chapter: str, folder: Path | None = None) -> Path:
    return (folder or edition.current().results_dir) / f"{chapter}.json"


def write(results: ChapterResults, folder: Path | None = None) -> Path:
    """Write one chapter's results (sorted keys, stable order: the same run, the same bytes)."""
    out = {
        "format_version": FORMAT_VERSION,
        "chapter": results.chapter,
        "values": [asdict(v) for v in sorted(results.values, key=lambda v: v.key)],
        "claims": [asdict(c) for c in sorted(results.claims, key=lambda c: c.claim_id)],
        "forecasts": [asdict(f) for f in sorted(results.forecasts, key=lambda f: f.forecast_id)],
        "texts": dict(sorted(results.texts.items())),
        "inputs": results.inputs,
        "prose_flags": results.prose_flags,
    }
    path = results_path(results.chapter, folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    # written whole, then moved into place: a reader never sees half a file
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    os.replace(partial, path)
    return path


def read(chapter: str, folder: Path | None = None) -> ChapterResults | None:
    """One chapter's results (this edition's, or those in `folder`), or None if it has not run."""
    path = results_path(chapter, folder)
    if not path.is_file():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    if raw.get("format_version") != FORMAT_VERSION:
        raise ResultsError(
            f"{path}: results of format {raw.get('format_version')!r}, this version reads "
            f"{FORMAT_VERSION}. Rebuild every chapter: make rebuild.")
    return ChapterResults(
        chapter=raw["chapter"],
        values=[ValueRecord(**v) for v in raw["values"]],
        claims=[ClaimResult(**c) for c in raw["claims"]],
        forecasts=[ForecastResult(**f) for f in raw["forecasts"]],
        texts=raw["texts"],
        inputs=raw["inputs"],
        prose_flags=raw["prose_flags"],
    )


def chapter_docs() -> dict[str, str]:
    """Chapter stem -> document name, for every notebook in the table of contents, in its order:
    the one definition of what a chapter is."""
    root = paths.book_root()
    toc = root / "_toc.yml"
    return dict(_chapter_docs(str(root), toc.stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _chapter_docs(root_str: str, toc_mtime: int) -> tuple:
    import yaml

    root = Path(root_str)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    entries = [toc.get("root")]
    for part in toc.get("parts", []):
        entries += [c["file"] for c in part.get("chapters", [])]
    return tuple((doc.rsplit("/", 1)[-1], doc) for doc in entries
                 if doc and (root / f"{doc}.ipynb").is_file())


@dataclass
class BookResults:
    """Every chapter's results, checked together."""

    chapters: dict[str, ChapterResults]

    def check(self) -> BookResults:
        owner: dict[str, str] = {}
        problems = []
        for stem, res in self.chapters.items():
            for v in res.values:
                if v.key in owner:
                    problems.append(
                        f"value key '{v.key}' is published by both {owner[v.key]} and {stem}: a "
                        "key names one value in the whole book. Publish it in one chapter and "
                        f"quote it elsewhere as {{glue:text}}`{owner[v.key]}.ipynb::{v.key}`.")
                owner.setdefault(v.key, stem)
        register = set(data.load("claims", record=False)["claim_id"])
        forecasts = set(data.load("forecasts", record=False)["forecast_id"])
        for stem, res in self.chapters.items():
            problems += [f"chapter {stem} gives a verdict for claim {c.claim_id}, which is not "
                         "in data/claims.csv" for c in res.claims if c.claim_id not in register]
            problems += [f"chapter {stem} gives an outcome for forecast {f.forecast_id}, which "
                         "is not in data/forecasts.csv"
                         for f in res.forecasts if f.forecast_id not in forecasts]
        if problems:
            raise ResultsError("The chapters' results do not fit together:\n- "
                               + "\n- ".join(problems))
        return self

    # -- joins for the site and the exports -----------------------------------------------------
    def claims_table(self) -> pd.DataFrame:
        """The register joined with the verdicts; a claim no chapter has checked is pending."""
        register = data.load("claims", record=False)
        found = {c.claim_id: c for res in self.chapters.values() for c in res.claims}
        values = {v.key: v for res in self.chapters.values() for v in res.values}
        rows = []
        for _, rec in register.iterrows():
            res = found.get(rec["claim_id"])
            evidence = _evidence_value(res, values)
            rows.append({
                "claim_id": rec["claim_id"], "document": rec["document"],
                "first_appearance": rec["first_appearance"],
                "short_name": rec["short_name"],
                "paraphrase": rec["paraphrase"], "stated": rec["stated_text"],
                "unit": rec["unit"], "chapter": rec["chapter"],
                "our_value": None if res is None else res.ours,
                "our_value_display": "" if res is None else res.ours_display,
                "ours_unit": "" if res is None else res.ours_unit,
                "reproduction": "" if res is None else res.reproduction,
                "verdict": verdicts.PENDING if res is None else res.verdict,
                "reason": "" if res is None else res.reason,
                "as_of": "" if res is None else res.as_of,
                "evidence": "" if evidence is None else evidence.description,
                "evidence_display": "" if evidence is None else numbers.with_unit(
                    evidence.display, evidence.unit),
                **_robustness_columns(None if res is None else res.robustness),
            })
        table = pd.DataFrame(rows)
        table["our_value_in_words"] = [our_value_in_words(r) for _, r in table.iterrows()]
        return table

    def forecasts_table(self) -> pd.DataFrame:
        """The forecasts register joined with their outcomes so far."""
        register = data.load("forecasts", record=False)
        found = {f.forecast_id: f for res in self.chapters.values() for f in res.forecasts}
        rows = []
        for _, rec in register.iterrows():
            res = found.get(rec["forecast_id"])
            rows.append({
                "forecast_id": rec["forecast_id"], "document": rec["document"],
                "short_name": rec["short_name"],
                "forecast": rec["paraphrase"], "chapter": rec["chapter"],
                "verdict": verdicts.PENDING if res is None else res.verdict,
                "reason": "" if res is None else res.reason,
                "as_of": "" if res is None else res.as_of,
                "value_keys": "" if res is None else " ".join(res.value_keys),
                **_robustness_columns(None if res is None else res.robustness),
            })
        return pd.DataFrame(rows)

    def calculations_table(self) -> pd.DataFrame:
        """The posts' own calculations (data/arithmetic.csv), each as the post states it and as
        redone on the post's own inputs: the first of each claim's two answers, shown whole."""
        register = data.load("arithmetic", record=False)
        redone = {(c.claim_id, r["calculation_id"]): r for res in self.chapters.values()
                  for c in res.claims for r in c.redone}
        rows = []
        for _, rec in register.iterrows():
            found = redone.get((rec["claim_id"], rec["calculation_id"]))
            rows.append({
                "claim_id": rec["claim_id"], "calculation_id": rec["calculation_id"],
                "calculation": rec["calculation"], "document": rec["document"],
                "comparison": rec["comparison"], "stated_value": rec["stated_value"],
                "stated_high": rec["stated_high"], "stated_precision": rec["stated_precision"],
                "redone": None if found is None else found["redone"],
                "reproduces": None if found is None else found["reproduces"],
            })
        return pd.DataFrame(rows)

    def values_table(self) -> pd.DataFrame:
        rows = [asdict(v) for stem in sorted(self.chapters) for v in self.chapters[stem].values]
        cols = ["key", "value", "unit", "display", "description", "claim_id", "chapter", "as_of",
                "premise"]
        df = pd.DataFrame(rows, columns=cols).sort_values(["chapter", "key"], kind="stable")
        df["citable_at"] = "chapters/citable_values.html#" + df["key"].map(value_anchor)
        return df.reset_index(drop=True)

    def inputs_table(self, overrides: dict[str, float] | None = None) -> pd.DataFrame:
        """Every input each chapter read, with its value (a row) or the file's checksum (a whole
        file), so two versions of the exports show which input moved a number. `overrides`: the
        assumptions a scenario edition read in place of the book's."""
        frames = data.load_all()
        keyed = {"reported_figures": ("figure_id", "value"),
                 "assumptions": ("assumption_id", "value"),
                 "h100_rental_prices": ("price_id", "usd_per_gpu_hour")}
        units = {"h100_rental_prices": "USD per GPU-hour"}
        files = {r["name"]: paths.data_dir() / r["path"] for r in data.resources()}
        overridden = overrides or {}
        rows = []
        for stem in sorted(self.chapters):
            for item in self.chapters[stem].inputs:
                resource, row = item["resource"], item["row"]
                record = {"chapter": stem, "resource": resource, "row": row, "value": "",
                          "unit": "",
                          "sha256": hashlib.sha256(files[resource].read_bytes()).hexdigest()}
                if row != "*" and resource in keyed:
                    id_col, value_col = keyed[resource]
                    hit = frames[resource].set_index(id_col).loc[row]
                    value = (overridden[row] if resource == "assumptions" and row in overridden
                             else float(hit[value_col]))
                    record.update(value=repr(float(value)),
                                  unit=units.get(resource) or hit["unit"], sha256="")
                rows.append(record)
        return pd.DataFrame(rows, columns=["chapter", "resource", "row", "value", "unit",
                                           "sha256"])

    def claims_chart_frame(self) -> pd.DataFrame:
        """One row per claim, in the register's order: ours as a multiple of the stated figure
        where the claim states one and we have a value for it (blank otherwise)."""
        register = data.load("claims", record=False).set_index("claim_id")
        table = self.claims_table().copy()
        stated = table["claim_id"].map(register["stated_value"])
        table["ours_over_stated"] = table["our_value"].astype("float64") / stated
        return table[["claim_id", "short_name", "stated", "our_value_display", "ours_unit",
                      "our_value_in_words", "verdict", "ours_over_stated",
                      "chapter"]].reset_index(drop=True)


def our_value_in_words(row) -> str:
    """Our value for a claim with a stated figure; otherwise the value that decides it (a share
    of draws, say), or else the evidence the verdict names, with what it is; empty where the
    book has no number for the claim."""
    if row["our_value_display"]:
        return numbers.with_unit(row["our_value_display"], row["ours_unit"])
    if row["deciding_display"]:
        return f"{row['deciding_display']} ({_lower_first(row['deciding'])})"
    if row["evidence_display"]:
        return f"{row['evidence_display']} ({row['evidence']})"  # a description: as written
    return ""


def _lower_first(text: str) -> str:
    """'Share of draws …' -> 'share of draws …' (a label the book wrote as a sentence); an
    acronym stays ('ASML …')."""
    first = text.split(" ", 1)[0]
    return text if first[1:2].isupper() else text[:1].lower() + text[1:]


def _evidence_value(res: ClaimResult | None, values: dict) -> ValueRecord | None:
    """The first value a verdict names as its evidence, else the first value published for the
    claim: what the book found, for a claim with no stated figure of its own."""
    if res is None:
        return None
    named = [values[k] for k in res.value_keys if k in values]
    for_claim = [v for v in values.values() if v.claim_id == res.claim_id]
    return (named or for_claim or [None])[0]


def _robustness_columns(record: dict | None) -> dict:
    """How robust a verdict is, as export columns (empty until its chapter has run)."""
    record = record or {}
    book = record.get("book", {})
    return {"robustness": record.get("answer", ""),
            "robustness_summary": record.get("summary", ""),
            "deciding": record.get("deciding", ""),
            "deciding_value": book.get("value"),
            "deciding_display": book.get("shown", ""),
            "margin": record.get("margin", ""),
            "tipping_points": " ".join(record.get("tipping_points", [])),
            "readings": len(record.get("readings", [])),
            "readings_flipping": sum(r["verdict"] != book.get("verdict")
                                     for r in record.get("readings", [])),
            "readings_reversing": sum(verdicts.side(r["verdict"]) != verdicts.side(book["verdict"])
                                      for r in record.get("readings", [])),
            "why_the_book_keeps_its_verdict": record.get("keeps", "")}


def value_anchor(key: str) -> str:
    """The citable-values page's anchor of a value: 'val-' and the key with hyphens."""
    return "val-" + key.replace("_", "-")


def load_book(folder: Path | None = None) -> BookResults:
    """The results of every chapter that has run (this edition's, or those in `folder`),
    checked as a book. Read once per state of the files (the site asks for it on every page)."""
    folder = folder or edition.current().results_dir
    state = tuple((stem, p.stat().st_mtime_ns, p.stat().st_size)
                  for stem in chapter_docs() for p in [results_path(stem, folder)] if p.is_file())
    return _load_book(str(folder), state)


@functools.lru_cache(maxsize=4)
def _load_book(folder_str: str, state: tuple) -> BookResults:
    folder = Path(folder_str)
    found = {}
    for stem in chapter_docs():
        res = read(stem, folder)
        if res is not None:
            found[stem] = res
    return BookResults(found).check()

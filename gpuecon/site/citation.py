"""How the book is cited: its metadata, its public addresses, and its verdicts as ClaimReview.

The book's public base address is one setting, `gpuecon_base_url` in `_config.yml`, which the
environment variable BASE_URL overrides at publish time. A version lives at `<base>v<version>/`:
every citation, canonical link, sitemap entry and ClaimReview of that version points there.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pandas as pd

from .. import claims as verdicts
from .. import data, paths

# Addresses that only exist on the machine that built the book: never in a published file.
LOCAL_ADDRESS = re.compile(r"\b(localhost|127\.0\.0\.1|0\.0\.0\.0)\b|file://")


def citation_meta() -> dict:
    """Title, version, release date and author from CITATION.cff (tested to match the package)."""
    import yaml

    cff = yaml.safe_load((paths.book_root() / "CITATION.cff").read_text(encoding="utf-8"))
    return {"title": cff["title"], "version": str(cff["version"]),
            "released": str(cff["date-released"]), "author": cff["authors"][0]["name"]}


class AddressError(ValueError):
    """The configured public address cannot be cited."""


def base_url(configured: str) -> str:
    """The book's public base address: BASE_URL if set, else the configured one; it must be an
    absolute http(s) address on a public host, and ends with '/'."""
    url = (os.environ.get("BASE_URL") or configured or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AddressError(f"the book's base address must be an absolute http(s) URL; got {url!r} "
                           "(set gpuecon_base_url in _config.yml, or BASE_URL=...)")
    if LOCAL_ADDRESS.search(url):
        raise AddressError(f"the book's base address {url!r} is a local address, which no reader "
                           "can open; set the public one")
    return url if url.endswith("/") else url + "/"


def version_url(base: str, version: str) -> str:
    """Where one version of the book lives: '<base>v0.2.0/'."""
    return f"{base}v{version}/"


# ClaimReview's reviewRating on the numeric scale fact-check consumers document (1 = false ...
# 5 = true); a claim no source settles has a textual rating only.
RATING_SCALE = {verdicts.DOES_NOT_HOLD: 1, verdicts.HOLDS_APPROX: 3, verdicts.HOLDS: 5}
WORST_RATING, BEST_RATING = 1, 5


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _publisher(source) -> dict | None:
    """Who published a source, or None where nobody is known (the commentary's Japanese copy
    names no author or publisher: better no claimant than "unknown" shown as one)."""
    if str(source["publisher"]).startswith("unknown"):
        return None
    return {"@type": "Organization", "name": source["publisher"]}


def _appearance(source) -> dict:
    """Where a claim appeared, as a fact-check aggregator reads it."""
    work = {"@type": "CreativeWork", "headline": source["title"]}
    if _publisher(source):
        work["author"] = _publisher(source)
    if pd.notna(source["url"]):
        work["url"] = source["url"]
    if ISO_DATE.fullmatch(str(source["date_published"])):
        work["datePublished"] = source["date_published"]
    return work


def claim_reviews(claims_table: pd.DataFrame, chapter: str, page_url: str) -> list[dict]:
    """schema.org ClaimReview objects for the claims a chapter checks (`results.claims_table`)."""
    meta = citation_meta()
    base = page_url.split("/chapters/")[0] + "/"
    sources = data.load("sources", record=False).set_index("source_id")
    reviews = []
    for _, row in claims_table[claims_table["chapter"] == chapter].iterrows():
        if row["verdict"] == verdicts.PENDING:
            continue
        first, post = sources.loc[row["first_appearance"]], sources.loc[row["document"]]
        claim = {"@type": "Claim",
                 "appearance": [_appearance(s) for s in ([first, post] if first.name != post.name
                                                          else [first])]}
        if _publisher(first):
            claim["author"] = _publisher(first)
        if ISO_DATE.fullmatch(str(first["date_published"])):  # a month alone is no date
            claim["datePublished"] = first["date_published"]
        rating = {"@type": "Rating", "alternateName": row["verdict"],
                  "worstRating": WORST_RATING, "bestRating": BEST_RATING}
        if row["verdict"] in RATING_SCALE:
            rating["ratingValue"] = RATING_SCALE[row["verdict"]]
        reviews.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{page_url}#claim-{row['claim_id'].lower()}",
            "claimReviewed": row["short_name"],
            "itemReviewed": claim,
            "reviewRating": rating,
            "reviewBody": " ".join(filter(None, (
                verdicts.REPRODUCTION_SENTENCES[row["reproduction"]], row["reason"],
                row["robustness_summary"]))),
            "author": {"@type": "Organization", "name": meta["author"], "url": base},
            "datePublished": meta["released"],
            "identifier": row["claim_id"],
        })
    return reviews


def claim_review_feed(claims_table: pd.DataFrame, version_url: str) -> dict:
    """Every verdict as one schema.org DataFeed of ClaimReviews (artifacts/claimreview.json),
    for aggregators that read a feed rather than the pages."""
    from .. import results

    reviews = []
    for stem, doc in results.chapter_docs().items():
        for review in claim_reviews(claims_table, stem, f"{version_url}{doc}.html"):
            reviews.append({k: v for k, v in review.items() if k != "@context"})
    meta = citation_meta()
    return {"@context": "https://schema.org", "@type": "DataFeed",
            "name": f"{meta['title']}: verdicts as ClaimReview", "url": version_url,
            "dateModified": meta["released"], "license": "https://creativecommons.org/licenses/by/4.0/",
            "dataFeedElement": sorted(reviews, key=lambda r: r["identifier"])}

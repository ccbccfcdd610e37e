"""CITATION.cff is valid Citation File Format 1.2.0 and matches the package version."""

import json
from pathlib import Path

import jsonschema
import yaml

import gpuecon

ROOT = Path(__file__).resolve().parents[1]
# The official schema, as shipped in the cffconvert 2.0.0 wheel (cffconvert/schemas/1.2.0).
SCHEMA = Path(__file__).parent / "schemas" / "citation-file-format-1.2.0.schema.json"


def test_citation_file_is_valid_cff():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(citation, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_citation_version_is_the_book_version():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == gpuecon.__version__


def test_a_broken_citation_fails_validation():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    del citation["authors"]
    try:
        jsonschema.validate(citation, json.loads(SCHEMA.read_text(encoding="utf-8")))
    except jsonschema.ValidationError as exc:
        assert "authors" in str(exc)
    else:
        raise AssertionError("a citation without authors passed validation")


def test_launch_buttons_appear_only_with_a_repository_address():
    from gpuecon.site import theme

    assert theme.launch_options("") == {}
    options = theme.launch_options("https://github.com/example/gpu-economics-checked")
    assert options["repository_url"] == "https://github.com/example/gpu-economics-checked"
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert "colab_url" not in options["launch_buttons"]  # a bare notebook cannot run there
    # the published build has no address set, so no page offers a launch button
    pages = (ROOT / "_build" / "html" / "chapters").glob("*.html")
    assert not any("mybinder.org" in p.read_text(encoding="utf-8") for p in pages)
    # Binder's environment is the lock file, and the package is installed in place
    assert "-r ../requirements-lock.txt" in (ROOT / "binder" / "requirements.txt").read_text()
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_the_preferred_citation_is_this_version_as_a_report():
    """What cffconvert and GitHub's "Cite this repository" read first: a report by the
    organisation, at this version's address, in step with the package version."""
    from gpuecon import __version__

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    cited = cff["preferred-citation"]
    assert cited["type"] == "report" and cited["title"] == cff["title"]
    assert cited["authors"] == [{"name": "GPU Economics Checked"}] == cff["authors"]
    assert str(cited["version"]) == __version__ and cited["url"].endswith(f"/v{__version__}/")
    assert str(cited["date-published"]) == str(cff["date-released"])


def test_the_zenodo_metadata_matches_the_citation_file():
    """What Zenodo reads when a release of the repository mints a DOI."""
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert zenodo["title"] == cff["title"] and zenodo["version"] == str(cff["version"])
    assert zenodo["creators"] == [{"name": cff["authors"][0]["name"]}]
    assert zenodo["publication_date"] == str(cff["date-released"])
    assert zenodo["license"] == cff["license"].lower() and zenodo["publication_type"] == "report"

"""Bad input stops everything with a message naming file, row and column (gpuecon.data)."""

import csv
import json
import re

import pytest

from gpuecon import data


def edit_cell(path, row, column, value):
    """Set one cell; `row` counts lines of the file, the header being row 1."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def rewrite_header(path, transform):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows = transform(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def load_error(root) -> str:
    with pytest.raises(data.DataError) as info:
        data.load_all(root / "data")
    return str(info.value)


def test_the_real_data_are_valid():
    frames = data.load_all()
    assert len(frames["claims"]) == 22
    assert set(frames["claims"]["claim_id"]) == {f"B{i:02d}" for i in range(1, 11)} | {
        f"N{i:02d}" for i in range(1, 13)
    }


def test_rows_are_numbered_as_lines_of_the_file():
    df = data.load("reported_figures")
    assert df.index[0] == 2  # the header is line 1


def test_missing_file(book_copy):
    (book_copy / "data" / "assumptions.csv").unlink()
    assert "data/assumptions.csv, row -, column -: file not found" in load_error(book_copy)


def test_empty_file(book_copy):
    (book_copy / "data" / "assumptions.csv").write_text("")
    assert "data/assumptions.csv, row -, column -: file is empty" in load_error(book_copy)


def test_header_but_no_rows(book_copy):
    path = book_copy / "data" / "assumptions.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    assert "data/assumptions.csv, row -, column -: has a header but no rows" in load_error(
        book_copy
    )


def test_missing_column(book_copy):
    def drop_unit(rows):
        i = rows[0].index("unit")
        return [r[:i] + r[i + 1 :] for r in rows]

    rewrite_header(book_copy / "data" / "reported_figures.csv", drop_unit)
    msg = load_error(book_copy)
    assert "data/reported_figures.csv, row 1, column 'unit': column missing from the header" in msg
    assert msg.count("reported_figures.csv") == 1  # one error, not one per shifted cell


def test_misnamed_column(book_copy):
    def rename(rows):
        rows[0][rows[0].index("value")] = "valeu"
        return rows

    rewrite_header(book_copy / "data" / "assumptions.csv", rename)
    msg = load_error(book_copy)
    assert "data/assumptions.csv, row 1, column 'value': column missing from the header" in msg
    assert "data/assumptions.csv, row 1, column 'valeu': column is not in the schema" in msg


def test_wrong_type(book_copy):
    edit_cell(book_copy / "data" / "reported_figures.csv", 3, "value", "thirteen")
    assert (
        "data/reported_figures.csv, row 3, column 'value': 'thirteen' is not of type number"
        in load_error(book_copy)
    )


def test_negative_value(book_copy):
    edit_cell(book_copy / "data" / "reported_figures.csv", 7, "value", "-30000")
    msg = load_error(book_copy)
    assert "data/reported_figures.csv, row 7, column 'value': '-30000' is not allowed" in msg
    assert "minimum" in msg


def test_a_recorded_validation_never_hides_a_later_edit(book_copy):
    """The files that passed are recorded (the chapters' kernels skip the schema pass); a file
    edited since, even to the same size, is checked again."""
    from gpuecon import validation

    data.load_all(book_copy / "data")
    assert (book_copy / validation.STAMP).is_file()
    edit_cell(book_copy / "data" / "reported_figures.csv", 7, "value", "-3")  # was a number
    msg = load_error(book_copy)
    assert "data/reported_figures.csv, row 7, column 'value': '-3' is not allowed" in msg


def test_utilisation_above_one(book_copy):
    edit_cell(book_copy / "data" / "assumptions.csv", 2, "high", "1.5")
    assert (
        "data/assumptions.csv, row 2, column 'high': 1.5 is not a fraction between 0 and 1"
        in load_error(book_copy)
    )


def test_low_above_value(book_copy):
    edit_cell(book_copy / "data" / "assumptions.csv", 2, "low", "0.99")
    edit_cell(book_copy / "data" / "assumptions.csv", 2, "value", "0.9")
    assert "data/assumptions.csv, row 2, column 'low': low 0.99 is above value 0.9" in load_error(
        book_copy
    )


def test_precision_below_zero(book_copy):
    edit_cell(book_copy / "data" / "claims.csv", 14, "stated_precision", "-0.1")  # N03
    assert "data/claims.csv, row 14, column 'stated_precision'" in load_error(book_copy)


def test_convention_out_of_range(book_copy):
    edit_cell(book_copy / "data" / "conventions.csv", 3, "value", "1.5")
    assert "data/conventions.csv, row 3, column 'value'" in load_error(book_copy)


def test_duplicate_key(book_copy):
    path = book_copy / "data" / "reported_figures.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n")
    row = len(lines) + 1
    assert (
        f"data/reported_figures.csv, row {row}, column 'figure_id': duplicate key"
        in load_error(book_copy)
    )


def test_unknown_source_id(book_copy):
    edit_cell(book_copy / "data" / "reported_figures.csv", 4, "source_id", "no_such_source")
    msg = load_error(book_copy)
    assert "data/reported_figures.csv, row 4, column 'source_id': unknown id" in msg
    assert "no_such_source" in msg


def test_unknown_claim_in_statements(book_copy):
    edit_cell(book_copy / "data" / "statements.csv", 2, "claim_id", "N99")
    assert "data/statements.csv, row 2, column 'claim_id': unknown id" in load_error(book_copy)


def test_enum_violation(book_copy):
    edit_cell(book_copy / "data" / "sources.csv", 2, "tier", "rumour")
    assert "data/sources.csv, row 2, column 'tier': 'rumour' is not allowed" in load_error(
        book_copy
    )


def test_approximate_claim_needs_its_precision(book_copy):
    row = claims_row(book_copy, comparison="approx")
    edit_cell(book_copy / "data" / "claims.csv", row, "stated_precision", "")
    assert (
        f"data/claims.csv, row {row}, column 'stated_precision': required when comparison is 'approx'"
        in load_error(book_copy)
    )


def claims_row(book_copy, **match):
    """The line number of the first claim whose columns equal `match`."""
    with (book_copy / "data" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            if all(rec[k] == v for k, v in match.items()):
                return line
    raise AssertionError(f"no claim with {match}")


def test_broken_package_descriptor(book_copy):
    (book_copy / "data" / "datapackage.json").write_text("{ not json")
    assert "data/datapackage.json, row 1, column -: not valid JSON" in load_error(book_copy)


def test_every_problem_is_reported_at_once(book_copy):
    edit_cell(book_copy / "data" / "reported_figures.csv", 3, "value", "x")
    edit_cell(book_copy / "data" / "sources.csv", 2, "tier", "rumour")
    msg = load_error(book_copy)
    assert msg.startswith("2 problems in the book's data:")


def test_figures_check_the_unit():
    figs = data.figures()
    with pytest.raises(ValueError, match="is in USD_bn, the chapter expects USD"):
        figs.value("nvda_dc_revenue_q4fy24", "USD")
    with pytest.raises(KeyError, match="no figure_id"):
        figs.get("nope")


def test_schema_documents_every_column():
    for res in data.resources():
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['path']}: column {field['name']} undocumented"


def test_every_resource_names_its_sources():
    """Every data file except the source list itself points to sources.csv."""
    descriptor = json.loads((data.paths.data_dir() / "datapackage.json").read_text())
    for res in descriptor["resources"]:
        if res["name"] == "sources":
            continue
        refs = [fk["reference"]["resource"] for fk in res["schema"].get("foreignKeys", [])]
        assert "sources" in refs, f"{res['path']} has no source_id foreign key"


def test_tier_enum_matches_the_tier_order():
    tier = next(f for f in data.schema("sources")["schema"]["fields"] if f["name"] == "tier")
    assert tier["constraints"]["enum"] == data.TIER_ORDER


@pytest.mark.parametrize(
    "file, row, column, value, expected",
    [
        ("h100_rental_prices.csv", 2, "usd_per_gpu_hour", "25",
         "data/h100_rental_prices.csv, row 2, column 'usd_per_gpu_hour': '25' is not allowed"),
        ("h100_rental_prices.csv", 3, "price_type", "spot-ish",
         "data/h100_rental_prices.csv, row 3, column 'price_type': 'spot-ish' is not allowed"),
        ("asml_bookings.csv", 2, "quarter", "2022-Q5",
         "data/asml_bookings.csv, row 2, column 'quarter': '2022-Q5' is not allowed"),
        ("asml_bookings.csv", 4, "net_bookings_eur_m", "-6316",
         "data/asml_bookings.csv, row 4, column 'net_bookings_eur_m': '-6316' is not allowed"),
        ("asml_consensus.csv", 2, "consensus_eur_m", "five",
         "data/asml_consensus.csv, row 2, column 'consensus_eur_m': 'five' is not of type number"),
        ("h100_cluster_costs.csv", 3, "nodes", "2",
         "data/h100_cluster_costs.csv, row 3, column 'nodes': duplicate key"),
        ("h100_cluster_costs.csv", 4, "gpus", "1024.5",
         "data/h100_cluster_costs.csv, row 4, column 'gpus': '1024.5' is not of type integer"),
        ("statements.csv", 2, "bearing", "maybe",
         "data/statements.csv, row 2, column 'bearing': 'maybe' is not allowed"),
        ("sources.csv", 2, "date_published", "October 2024",
         "data/sources.csv, row 2, column 'date_published': 'October 2024' is not allowed"),
        ("claims.csv", 2, "chapter", "nowhere",
         "data/claims.csv, row 2, column 'chapter': 'nowhere' is not allowed"),
        ("reported_figures.csv", 2, "unit", "USD_millions",
         "data/reported_figures.csv, row 2, column 'unit': 'USD_millions' is not allowed"),
    ],
)
def test_one_bad_cell_in_each_file(book_copy, file, row, column, value, expected):
    edit_cell(book_copy / "data" / file, row, column, value)
    assert expected in load_error(book_copy)


# -- files a spreadsheet may save: the locale's encoding or separator, impossible dates -------
def test_semicolon_separated_file(book_copy):
    path = book_copy / "data" / "assumptions.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\n").writerows(rows)
    msg = load_error(book_copy)
    assert "data/assumptions.csv, row 1, column -: columns are separated by semicolons" in msg
    assert "re-save it with ',' as the separator" in msg


def test_file_saved_as_windows_1252(book_copy):
    path = book_copy / "data" / "reported_figures.csv"
    rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # one accented character in the description of the figure on line 3
    rows[2] = rows[2].replace(",NVIDIA ", ",NVIDIA café ", 1)
    assert "café" in rows[2]
    path.write_bytes("".join(rows).encode("utf-8").replace("café".encode(), "café".encode("cp1252")))
    msg = load_error(book_copy)
    assert ("data/reported_figures.csv, row 3, column 'description': not UTF-8 text: "
            "byte 0xe9 cannot be read") in msg
    assert "re-save it as 'CSV UTF-8'" in msg


def test_binary_file(book_copy):
    (book_copy / "data" / "statements.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    msg = load_error(book_copy)
    assert "data/statements.csv, row 3, column -: not a text file" in msg


@pytest.mark.parametrize(
    "file, row, column, value",
    [("h100_rental_prices.csv", 2, "date", "2024-13-01"),
     ("reported_figures.csv", 3, "period", "2024-02-30"),
     ("sources.csv", 2, "date_accessed", "2026-00")],
)
def test_date_not_in_the_calendar(book_copy, file, row, column, value):
    edit_cell(book_copy / "data" / file, row, column, value)
    assert (f"data/{file}, row {row}, column '{column}': '{value}' is not a date in the calendar"
            in load_error(book_copy))


def test_every_source_has_an_address_or_says_where_it_was_looked_for():
    sources = data.load("sources", record=False)
    for _, row in sources.iterrows():
        if row["tier"] == "our assumption":
            continue
        has_url = isinstance(row["url"], str) and row["url"].startswith("http")
        note = row["note"] if isinstance(row["note"], str) else ""
        assert has_url or re.search(r"not found|no public address|no single address", note,
                                    re.I), row["source_id"]


def test_a_quote_in_another_language_needs_its_english(book_copy):
    """reported_figures.csv row 5 quotes Hedgehog's German copy."""
    edit_cell(book_copy / "data" / "reported_figures.csv", 5, "translation", "")
    msg = load_error(book_copy)
    assert "data/reported_figures.csv, row 5, column 'translation'" in msg
    assert "give it in English" in msg

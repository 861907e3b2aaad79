"""benchmarks/xlsx_corpus.py: the comparison rules, reading and poisoning cached values, obtaining files by manifest,
and one whole run on workbooks built here (no third-party files)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsx_corpus
from corpus import cells, compare, files, report
from corpus.cells import POISON


# ============================================================================================= comparison
@pytest.mark.parametrize(
    ("expected", "got", "agree"),
    [
        (("n", 0.1 + 0.2), ("n", 0.3), True),  # last-bit difference
        (("n", 1234567.0), ("n", 1234567.01), False),  # visible in the 9th significant digit
        (("n", 0.0), ("n", 5.6e-17), True),  # Excel rounds a result this small to 0
        (("n", 1e-10), ("n", 2e-10), False),
        (("s", "Total"), ("s", "total"), False),
        (("s", "a b"), ("s", "a b"), True),
        (("s", ""), ("empty", None), True),
        (("n", 0.0), ("empty", None), False),
        (("b", True), ("n", 1.0), False),
        (("b", False), ("b", False), True),
        (("e", "#N/A"), ("e", "#N/A"), True),
        (("e", "#N/A"), ("e", "#VALUE!"), False),
        (("n", 7.0), ("s", POISON), False),
    ],
)
def test_agreement_rules(expected, got, agree):
    assert compare.agrees(expected, got) is agree


def test_function_names_skip_string_literals_and_future_prefixes():
    formula = 'IF(_xlfn.XLOOKUP(A1,B:B,C:C)>0,"SUM(no)",Sheet1!A1+_xlfn._xlws.SORT(D1:D3))'
    assert compare.function_names(formula) == ["IF", "XLOOKUP", "SORT"]


def test_volatile_and_locale_cached_cells():
    assert compare.is_volatile("A1+RANDBETWEEN(1,6)")
    assert not compare.is_volatile('"NOW()"&A1')
    assert compare.is_locale_cached_text('TEXT(A2,"mmm")', ("s", "9月"))
    assert compare.is_locale_cached_text('TEXT(A2,"dddd")', ("s", "miércoles"))
    assert not compare.is_locale_cached_text('TEXT(A2,"mmm")', ("s", "Sep"))  # English: an engine can match
    assert not compare.is_locale_cached_text('A1&"月"', ("s", "9月"))  # not TEXT: the formula says it
    assert not compare.is_locale_cached_text('TEXT(A2,"0.00")', ("s", "3,14€"))  # no month or day names


# =============================================================================== cached values and poisoning
def _workbook_with_cached_values(path: Path) -> Path:
    """Values and formulas of every kind, saved by openpyxl, then cached values written into the sheet XML."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet["A1"], sheet["A2"], sheet["A3"] = 2, 3, "text"
    book.save(path)
    rows = (
        '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f>A1*10</f><v>20</v></c>'
        '<c r="C1"><f t="shared" ref="C1:C2" si="0">A1+1</f><v>3</v></c>'
        '<c r="D1" t="str"><f>A3&amp;"!"</f><v>text!</v></c><c r="E1" t="b"><f>A1&gt;1</f><v>1</v></c>'
        '<c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="G1"><f t="array" ref="G1:G2">A1:A2*2</f><v>4</v></c>'
        '<c r="H1" t="s"><f>A3</f><v>0</v></c><c r="I1"><f>NOW()</f><v>45000.5</v></c><c r="J1"><f>A1</f></c></row>'
        '<row r="2"><c r="A2"><v>3</v></c><c r="C2"><f t="shared" si="0"/><v>4</v></c><c r="G2"><v>6</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>0</v></c></row>'
    )
    contents = _package(path)
    sheet_xml = contents["xl/worksheets/sheet1.xml"].decode()
    contents["xl/worksheets/sheet1.xml"] = re.sub(r"<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>",
                                                  sheet_xml, flags=re.DOTALL).encode()
    contents["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>text</t></si></sst>'
    )
    types = contents["[Content_Types].xml"].decode()
    if "sharedStrings" not in types:
        contents["[Content_Types].xml"] = types.replace("</Types>", (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/></Types>')).encode()
        rels = contents["xl/_rels/workbook.xml.rels"].decode()
        contents["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
            '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>')).encode()
    _write_package(path, contents)
    return path


def _package(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write_package(path: Path, contents: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def test_formula_cells_and_their_cached_values(tmp_path):
    book = cells.read_formula_cells(_workbook_with_cached_values(tmp_path / "book.xlsx"))
    assert book.sheets == ["Data"]
    found = {c.address: (c.kind, c.formula, c.expected) for c in book.cells}
    assert found == {
        "B1": ("plain", "A1*10", ("n", 20.0)),
        "C1": ("plain", "A1+1", ("n", 3.0)),
        "C2": ("shared", "A1+1", ("n", 4.0)),  # a shared formula's follower carries its anchor's text
        "D1": ("plain", 'A3&"!"', ("s", "text!")),
        "E1": ("plain", "A1>1", ("b", True)),
        "F1": ("plain", "1/0", ("e", "#DIV/0!")),
        "G1": ("array-range", "A1:A2*2", ("n", 4.0)),
        "G2": ("array-member", "A1:A2*2", ("n", 6.0)),
        "H1": ("plain", "A3", ("s", "text")),
        "I1": ("plain", "NOW()", ("n", 45000.5)),
        "J1": ("plain", "A1", None),  # no cached value
    }


def test_poisoned_copy_replaces_every_cached_formula_value_and_nothing_else(tmp_path):
    original = _workbook_with_cached_values(tmp_path / "book.xlsx")
    poisoned = tmp_path / "poisoned.xlsx"
    read = cells.write_poisoned(original, poisoned)
    assert [c.expected for c in read.cells] == [c.expected for c in cells.read_formula_cells(original).cells]
    again = cells.read_formula_cells(poisoned)
    for cell in again.cells:
        expected = None if cell.address == "J1" else ("s", POISON)
        assert cell.expected == expected, cell.address
    assert [c.formula for c in again.cells] == [c.formula for c in read.cells]  # formulas untouched
    cached = openpyxl.load_workbook(poisoned, data_only=True)["Data"]
    assert [cached["A1"].value, cached["A2"].value, cached["A3"].value] == [2, 3, "text"]  # literals untouched
    assert cached["B1"].value == POISON and cached["G2"].value == POISON
    formulas = openpyxl.load_workbook(poisoned)["Data"]
    assert formulas["B1"].value == "=A1*10"
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(poisoned) as b:
        assert a.namelist() == b.namelist()
        assert a.read("xl/styles.xml") == b.read("xl/styles.xml")


def test_poisoning_keeps_a_namespace_prefix(tmp_path):
    xml = (b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1"><x:c r="A1"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
           b"</x:row></x:sheetData></x:worksheet>")
    records, poisoned = cells.scan_sheet(xml, 0, [], poison=True)
    assert records[0].expected == ("n", 2.0)
    assert poisoned is not None
    assert b'<x:c r="A1" t="str"><x:f>1+1</x:f><x:v>' + POISON.encode() + b"</x:v></x:c>" in poisoned


# ========================================================================================= manifest and cache
def _git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(repo)}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def _mirror(tmp_path: Path, workbooks: dict[str, Path]) -> tuple[Path, str]:
    """A Git repository owner+name (the layout --fetch-from reads) holding the workbooks; returns it and HEAD."""
    repo = tmp_path / "mirrors" / "example+workbooks"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    for name, source in workbooks.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(source.read_bytes())
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "workbooks")
    return repo, _git(repo, "rev-parse", "HEAD")


def _entry(path: Path, commit: str, name: str, sha: str | None = None) -> files.Entry:
    data = path.read_bytes()
    return files.Entry("example/workbooks", commit, name, sha or hashlib.sha256(data).hexdigest(), len(data), 1,
                       "Microsoft Excel")


def test_manifest_round_trip(tmp_path):
    entries = [files.Entry("b/repo", "c" * 40, "x/y.xlsx", "0" * 64, 10, 3, "Microsoft Excel"),
               files.Entry("a/repo", "d" * 40, "z.xlsm", "f" * 64, 20, 1, "")]
    files.write_manifest(tmp_path / "m.tsv", entries)
    assert files.read_manifest(tmp_path / "m.tsv") == sorted(entries, key=lambda e: e.source)


def test_obtain_verifies_sha256_and_counts_what_it_cannot_find(tmp_path):
    book = _workbook_with_cached_values(tmp_path / "book.xlsx")
    _, commit = _mirror(tmp_path, {"book.xlsx": book})
    good = _entry(book, commit, "book.xlsx")
    tampered = _entry(book, commit, "book.xlsx", sha="1" * 64)
    absent = _entry(book, commit, "missing.xlsx")
    cache = tmp_path / "cache"
    result = files.obtain([good, tampered, absent], cache, [tmp_path / "mirrors"], log=lambda _: None)
    assert result.fetched == 1 and result.cached == 0
    reasons = {entry.path + entry.sha256[:1]: why for entry, why in result.missing}
    assert "sha256 is" in reasons["book.xlsx1"]
    assert "is not in the mirror" in reasons["missing.xlsx" + absent.sha256[:1]]
    assert files.cached_file(cache, good).read_bytes() == book.read_bytes()
    again = files.obtain([good], cache, [], log=lambda _: None)
    assert again.cached == 1 and not again.missing
    nowhere = files.obtain([absent], tmp_path / "other", [], log=lambda _: None)
    assert "no mirror" in nowhere.missing[0][1]


def test_scan_lists_workbooks_with_cached_formula_values(tmp_path):
    book = _workbook_with_cached_values(tmp_path / "book.xlsx")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    repo, commit = _mirror(tmp_path, {"dir/book.xlsx": book, "plain.xlsx": plain})
    found = files.scan_repository(repo, "example/workbooks")
    # nine formulas cache a value (J1 has none; G2 belongs to the array formula in G1 and has no formula of its own)
    assert [(e.path, e.commit, e.formula_cells) for e in found] == [("dir/book.xlsx", commit, 9)]


# ================================================================================================= a whole run
def _formula_workbook(path: Path, rows: str) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "S"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = contents["xl/worksheets/sheet1.xml"].decode()
    contents["xl/worksheets/sheet1.xml"] = re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>",
                                                  f"<sheetData>{rows}</sheetData>", xml, flags=re.DOTALL).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    return path


def test_a_run_compares_recalculated_values_and_names_the_causes(tmp_path):
    good = _formula_workbook(tmp_path / "good.xlsx", (
        '<row r="1"><c r="A1"><v>4</v></c><c r="B1"><f>A1*2</f><v>8</v></c><c r="C1"><f>B1+1</f><v>9</v></c>'
        '<c r="D1"><f>RAND()</f><v>0.5</v></c><c r="E1"><f>D1*2</f><v>1</v></c></row>'))
    # C1's cached value is wrong on purpose: an engine that echoed cached values would agree with it
    odd = _formula_workbook(tmp_path / "odd.xlsx", (
        '<row r="1"><c r="A1"><v>4</v></c><c r="B1"><f>NOSUCHFUNCTION(A1)</f><v>1</v></c>'
        '<c r="C1"><f>A1+1</f><v>6</v></c><c r="D1"><f>B1+1</f><v>2</v></c></row>'))
    _, commit = _mirror(tmp_path, {"good.xlsx": good, "odd.xlsx": odd})
    manifest = tmp_path / "manifest.tsv"
    files.write_manifest(manifest, [_entry(good, commit, "good.xlsx"), _entry(odd, commit, "odd.xlsx")])
    results = tmp_path / "results.jsonl"
    summary = tmp_path / "summary.md"
    code = xlsx_corpus.main([
        "--manifest", str(manifest), "--cache", str(tmp_path / "cache"), "--fetch-from", str(tmp_path / "mirrors"),
        "--engines", "sheetrl", "--jobs", "1", "--results", str(results), "--summary", str(summary),
    ])
    assert code == 0
    records = [json.loads(line) for line in results.read_text().splitlines()]
    run = records[0]
    assert run["kind"] == "run" and run["corpus"]["files"] == 2
    assert run["corpus"]["excluded_volatile"] == 2  # RAND() and the formula reading it
    engine = {r["path"]: r for r in records if r["kind"] == "engine"}
    assert engine["good.xlsx"]["status"] == "ok"
    assert (engine["good.xlsx"]["compared"], engine["good.xlsx"]["agree"]) == (2, 2)
    assert (engine["odd.xlsx"]["compared"], engine["odd.xlsx"]["agree"]) == (3, 0)
    assert engine["odd.xlsx"]["causes"] == {"missing function|NOSUCHFUNCTION": 1, "precedent differs|": 1,
                                            "semantics|operators and references": 1}
    assert "| **sheetrl** | **40.0%** (2 / 5) |" in report.markdown(report.Results.read(results), "cmd")
    assert "- NOSUCHFUNCTION: 1 cells, 1 files (neither peer has it)" in summary.read_text()


def test_update_benchmarks_replaces_only_its_own_section(tmp_path):
    target = tmp_path / "BENCHMARKS.md"
    target.write_text("# Benchmarks\n\n## Engine\ntext\n")
    report.update_benchmarks(target, f"{report.MARKER_START}\nfirst\n{report.MARKER_END}\n")
    report.update_benchmarks(target, f"{report.MARKER_START}\nsecond\n{report.MARKER_END}\n")
    text = target.read_text()
    assert text.startswith("# Benchmarks\n\n## Engine\ntext\n")
    assert "second" in text and "first" not in text and text.count(report.MARKER_START) == 1


def test_errors_stored_as_rich_values_are_expected_as_excel_showed_them(tmp_path):
    """Excel writes #SPILL!, #CALC! ... as #VALUE! with value metadata naming the error type (ERROR.TYPE - 1)."""
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = 1
    book.save(path)
    rich = "http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"
    blocks = "".join(f'<bk><extLst><ext uri="x"><xlrd:rvb i="{i}"/></ext></extLst></bk>' for i in range(2))
    parts = {
        "xl/metadata.xml": (
            f'<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xlrd="{rich}">'
            '<metadataTypes><metadataType name="XLDAPR"/><metadataType name="XLRICHVALUE"/></metadataTypes>'
            f'<futureMetadata name="XLRICHVALUE" count="2">{blocks}</futureMetadata>'
            '<valueMetadata><bk><rc t="2" v="1"/></bk><bk><rc t="2" v="0"/></bk></valueMetadata></metadata>'
        ),
        "xl/richData/rdrichvalue.xml": (
            f'<rvData xmlns="{rich}"><rv s="0"><v>13</v><v>3</v></rv><rv s="0"><v>8</v><v>1</v></rv></rvData>'
        ),
        "xl/richData/rdrichvaluestructure.xml": (
            f'<rvStructures xmlns="{rich}"><s t="_error"><k n="errorType" t="i"/><k n="subType" t="i"/></s>'
            "</rvStructures>"
        ),
    }
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="e" vm="1"><f>_xlfn.UNIQUE(A1:A3)</f><v>#VALUE!</v></c>'
            '<c r="C1" t="e" vm="2"><f>_xlfn.SEQUENCE(0)</f><v>#VALUE!</v></c><c r="D1" t="e"><f>1/0</f>'
            "<v>#DIV/0!</v></c></row>")
    relationships = (
        '<Relationship Id="rIdM" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sheetMetadata" Target="metadata.xml"/><Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/'
        '2017/06/relationships/rdRichValue" Target="richData/rdrichvalue.xml"/><Relationship Id="rIdS" '
        'Type="http://schemas.microsoft.com/office/2017/06/relationships/rdRichValueStructure" '
        'Target="richData/rdrichvaluestructure.xml"/>'
    )
    contents = _package(path)
    contents["xl/worksheets/sheet1.xml"] = re.sub(
        r"<sheetData>.*</sheetData>", f"<sheetData>{rows}</sheetData>", contents["xl/worksheets/sheet1.xml"].decode(),
        flags=re.DOTALL).encode()
    contents["xl/_rels/workbook.xml.rels"] = contents["xl/_rels/workbook.xml.rels"].decode().replace(
        "</Relationships>", relationships + "</Relationships>").encode()
    contents.update({name: text.encode() for name, text in parts.items()})
    _write_package(path, contents)
    found = {c.address: c.expected for c in cells.read_formula_cells(path).cells}
    assert found == {"B1": ("e", "#SPILL!"), "C1": ("e", "#CALC!"), "D1": ("e", "#DIV/0!")}

"""CHAR and CODE in Windows' and the Macintosh's character sets, and the workbook setting that chooses one."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from sheetrl.sheet import character_sets
from sheetrl.sheet.workbook import Workbook
from sheetrl.sheet.xlsx import CHARACTER_SET_PROPERTY


@pytest.mark.parametrize(
    ("name", "code", "char"),
    [
        # Mac OS Roman as Excel for Mac shows it (formulas library test.xlsx and SheetJS formula_stress_test.xlsx,
        # both cached by Microsoft Macintosh Excel: CHAR(128) "Ä", CHAR(240) the Apple logo, CHAR(255) "ˇ")
        (character_sets.MACINTOSH, 128, "Ä"),
        (character_sets.MACINTOSH, 240, "\uf8ff"),
        (character_sets.MACINTOSH, 255, "ˇ"),
        (character_sets.MACINTOSH, 65, "A"),
        (character_sets.WINDOWS, 128, "€"),
        (character_sets.WINDOWS, 240, "ð"),
        (character_sets.WINDOWS, 129, "\x81"),  # undefined in Windows-1252: the control character
        (character_sets.WINDOWS, 65, "A"),
    ],
)
def test_characters_of_each_set(name: str, code: int, char: str) -> None:
    previous = character_sets.activate(name)
    try:
        assert character_sets.character(code) == char
        assert character_sets.code_of(char) == code
    finally:
        character_sets.activate(previous)


@pytest.mark.parametrize("name", character_sets.CHARACTER_SETS)
def test_code_inverts_char_for_every_code(name: str) -> None:
    previous = character_sets.activate(name)
    try:
        assert [character_sets.code_of(character_sets.character(code)) for code in range(1, 256)] == list(range(1, 256))
        assert character_sets.code_of("中") == 63  # outside the set: "?"
    finally:
        character_sets.activate(previous)


def test_unknown_set_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown character set"):
        character_sets.activate("latin-9")


@pytest.mark.parametrize(
    ("application", "expected"),
    [("Microsoft Macintosh Excel", "macintosh"), ("Microsoft Excel", "windows"), ("LibreOffice/7.4", "windows"),
     (None, "windows")],
)
def test_set_of_the_application_that_wrote_a_file(application: str | None, expected: str) -> None:
    assert character_sets.from_application(application) == expected


def test_workbook_setting_recalculates_and_is_undone() -> None:
    wb = Workbook()
    wb.set("A1", "=CHAR(128)")
    wb.set("A2", '=CODE("Ä")')
    assert (wb.character_set, wb.value("A1"), wb.value("A2")) == ("windows", "€", 196)
    clone = wb.clone()
    wb.character_set = "macintosh"
    assert (wb.value("A1"), wb.value("A2")) == ("Ä", 128)
    assert (clone.character_set, clone.value("A1")) == ("windows", "€")  # a clone keeps its own setting
    wb.undo()
    assert (wb.character_set, wb.value("A1")) == ("windows", "€")
    with pytest.raises(ValueError, match="character_set must be one of"):
        wb.character_set = "latin"
    assert CHARACTER_SET_PROPERTY  # the property name files keep it under


def test_the_setting_survives_a_save_and_a_mac_file_loads_with_it(tmp_path: Path) -> None:
    wb = Workbook()
    wb.set("A1", "=CHAR(128)")
    wb.character_set = "macintosh"
    wb.save(tmp_path / "mac.xlsx")
    again = Workbook.load(tmp_path / "mac.xlsx")
    assert (again.character_set, again.value("A1")) == ("macintosh", "Ä")
    # a file Excel for Mac wrote says so in docProps/app.xml, and nothing else
    _as_if_from_a_mac(tmp_path / "plain.xlsx", tmp_path / "from_mac.xlsx")
    from_mac = Workbook.load(tmp_path / "from_mac.xlsx")
    assert (from_mac.character_set, from_mac.value("A1")) == ("macintosh", "Ä")
    assert Workbook.load(tmp_path / "plain.xlsx").value("A1") == "€"


def _as_if_from_a_mac(plain: Path, target: Path) -> None:
    """A workbook with ``=CHAR(128)`` in A1 saved at ``plain``, and a copy at ``target`` whose app.xml names Excel
    for Mac."""
    wb = Workbook()
    wb.set("A1", "=CHAR(128)")
    wb.save(plain)
    _rewrite(plain, target, "docProps/app.xml", lambda text: re.sub(
        "<Application>[^<]*</Application>", "<Application>Microsoft Macintosh Excel</Application>", text))


def _rewrite(source: Path, target: Path, part: str, edit: object) -> None:
    with zipfile.ZipFile(source) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    edited = edit(contents[part].decode())  # type: ignore[operator]
    assert edited != contents[part].decode(), f"the edit changed nothing in {part}"
    contents[part] = edited.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(name, data)


def test_threads_recalculating_workbooks_of_both_sets_keep_their_own() -> None:
    """The active set is per thread, as the rest of the evaluation state."""
    import threading

    books = {}
    for name in character_sets.CHARACTER_SETS:
        wb = Workbook()
        wb.character_set = name
        for row in range(1, 301):
            wb.set(f"A{row}", f"=CHAR(128+B1*{row % 3})")
        books[name] = wb
    expected = {character_sets.WINDOWS: "€", character_sets.MACINTOSH: "Ä"}
    failures: list[str] = []

    def work(name: str) -> None:
        wb = books[name]
        for round_ in range(15):
            wb.set("B1", 0 if round_ % 2 else 0.0)
            values = {wb.value(f"A{row}") for row in range(1, 301)}
            if values != {expected[name]}:
                failures.append(f"{name}: {values}")

    threads = [threading.Thread(target=work, args=(name,)) for name in books]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


def test_a_strict_package_names_its_properties_otherwise(tmp_path: Path) -> None:
    _as_if_from_a_mac(tmp_path / "plain.xlsx", tmp_path / "mac.xlsx")
    _rewrite(tmp_path / "mac.xlsx", tmp_path / "strict.xlsx", "_rels/.rels", lambda text: text.replace(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
        "http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties"))
    assert Workbook.load(tmp_path / "strict.xlsx").character_set == "macintosh"

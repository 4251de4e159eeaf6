"""Export text values: text_value writes what text_cell writes."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from question_bank.export_safety import text_cell, text_value


@pytest.mark.parametrize(
    "value",
    [
        "=SUM(1)",
        "=",
        "+1",
        "-2",
        "@x",
        "#N/A",
        "#REF!",
        "a\x01b\x1f",
        "Nguyễn Văn An",
        "",
        "12:05.3",
        3.5,
        7,
        None,
    ],
)
def test_text_value_writes_what_text_cell_writes(value):
    cells = {}
    for name, make in (("cell", text_cell), ("value", text_value)):
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("x")
        ws.append([make(ws, value), "tail"])
        out = io.BytesIO()
        wb.save(out)
        cell = load_workbook(io.BytesIO(out.getvalue()))["x"]["A1"]
        cells[name] = (cell.value, cell.data_type)
    assert cells["value"] == cells["cell"]
    if isinstance(value, str) and value:
        assert cells["value"][1] == "s"
    assert text_value(None, "Nguyễn Văn An") == "Nguyễn Văn An"  # no cell object needed

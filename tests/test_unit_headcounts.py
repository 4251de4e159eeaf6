"""The unit list's headcount column as organisers title it; a column that only looks like a
headcount, or two of them, is an error naming the column, never a list of zeros."""

import io

import pytest
from conftest import xlsx_bytes

from question_bank.cells import fold
from question_bank.headcount import is_headcount, looks_like_headcount

VARIANTS = [
    "Số CBCCVC",
    "Số lượng CBCCVC",
    "Biên chế",
    "Tổng số CB, CC, VC",
    "Số người",
    "Số CB, CC, VC",
    "Biên chế được giao",
    "SỐ LƯỢNG CBCCVC (người)",
    "Tổng số cán bộ, công chức, viên chức",
    "Số cán bộ",
    "Quân số",
    "Số CBCCVC hiện có",
    "Tổng số CBCCVC và người lao động",
    "Số lượng",
]
UNMAPPABLE = ["Số CBCCVC nữ", "Số lượng năm 2024", "Biên chế còn thiếu"]
NOT_HEADCOUNT = [
    "Số điện thoại cán bộ đầu mối",
    "Tỷ lệ CBCCVC",
    "Ghi chú",
    "Người",
    "Tên đơn vị",
    "Mã đơn vị cấp trên",
    "Địa chỉ",
]


def upload(organiser, header, rows):
    data = xlsx_bytes([header] + rows, title_rows=[["DANH SÁCH ĐƠN VỊ"], []])
    return organiser.post("/api/v1/units/import", data={"file": (io.BytesIO(data), "don-vi.xlsx")})


def headcounts(organiser) -> dict:
    return {u["code"]: u["headcount"] for u in organiser.get("/api/v1/units").json}


@pytest.mark.parametrize("title", VARIANTS)
def test_headcount_header_variants_are_read(organiser, title):
    response = upload(
        organiser,
        ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên", title],
        [["UB", "UBND thị xã", "", 120], ["PNV", "Phòng Nội vụ", "UB", "1.250"]],
    )
    assert response.status_code == 200, response.json
    assert headcounts(organiser) == {"UB": 120, "PNV": 1250, "PTC": 20}


@pytest.mark.parametrize("title", UNMAPPABLE)
def test_a_headcount_like_column_that_cannot_be_read_is_an_error(organiser, title):
    response = upload(
        organiser,
        ["Mã đơn vị", "Tên đơn vị", "Ghi chú", title],
        [["UB", "UBND thị xã", "", 0], ["PNV", "Phòng Nội vụ", "", 7]],
    )
    assert response.status_code == 422
    (error,) = response.json["error"]["errors"]
    assert (error["row"], error["column"]) == (3, "D")  # the header row, below two title rows
    assert "Số CBCCVC" in error["message"] and "Biên chế" in error["message"]
    assert headcounts(organiser) == {"UB": 100, "PNV": 10, "PTC": 20}  # nothing saved


def test_two_headcount_columns_are_an_error(organiser):
    response = upload(
        organiser,
        ["Mã đơn vị", "Tên đơn vị", "Biên chế được giao", "Số CBCCVC hiện có"],
        [["UB", "UBND thị xã", 130, 120]],
    )
    assert response.status_code == 422
    (error,) = response.json["error"]["errors"]
    assert error["column"] == "D" and "C" in error["message"] and "D" in error["message"]


def test_a_readable_headcount_beside_a_look_alike_is_used(organiser):
    response = upload(
        organiser,
        ["Mã đơn vị", "Tên đơn vị", "Số lượng CBCCVC", "Số CBCCVC nữ"],
        [["UB", "UBND thị xã", 150, 80]],
    )
    assert response.status_code == 200, response.json
    assert headcounts(organiser)["UB"] == 150


def test_a_list_without_any_headcount_column_keeps_the_headcounts(organiser):
    response = upload(
        organiser,
        ["Mã đơn vị", "Tên đơn vị", "Mã đơn vị cấp trên"],
        [["PNV", "Phòng Nội vụ (đổi tên)", "UB"], ["XA1", "Phường 1", "UB"]],
    )
    assert response.status_code == 200, response.json
    assert headcounts(organiser) == {"UB": 100, "PNV": 10, "PTC": 20, "XA1": 0}


def test_bad_headcount_values_name_their_row_and_column(organiser):
    response = upload(
        organiser,
        ["Mã đơn vị", "Tên đơn vị", "Tổng số CB, CC, VC"],
        [["UB", "UBND", "12,5"], ["PNV", "Phòng Nội vụ", "-3"], ["PTC", "PTC", "15"]],
    )
    assert response.status_code == 422
    assert {(e["row"], e["column"]) for e in response.json["error"]["errors"]} == {
        (4, "C"),
        (5, "C"),
    }


def test_the_header_grammar():
    assert all(is_headcount(fold(h)) for h in VARIANTS)
    assert not any(is_headcount(fold(h)) for h in UNMAPPABLE + NOT_HEADCOUNT)
    assert all(looks_like_headcount(fold(h)) for h in UNMAPPABLE)
    assert not any(looks_like_headcount(fold(h)) for h in NOT_HEADCOUNT)

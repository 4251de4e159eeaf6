"""The bank template (with an instructions sheet) and a bank's export in the same layout."""

import io

from openpyxl import Workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .export_safety import text_cell
from .i18n import _l
from .parsed import LETTERS
from .vocab import Difficulty

HEADERS = (
    ["STT", "Mã câu hỏi", "Câu hỏi"]
    + list(LETTERS)
    + ["Đáp án đúng", "Giải thích", "Chủ đề", "Mức độ", "Điểm", "Nguồn", "Giữ thứ tự", "Hình ảnh"]
)
WIDTHS = [6, 14, 60] + [28] * 4 + [12] * 4 + [12, 40, 24, 12, 8, 40, 12, 16]
TEXT_COLUMN, FIRST_CHOICE_COLUMN = 2, 3  # 0-based: "Câu hỏi", "A"
SHOWN_WIDTH = 160  # pixels: how wide an exported picture looks on the sheet
EXAMPLE = [
    "1",
    "CCHC-001",
    (
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn "
        "2021 - 2030 được ban hành kèm theo văn bản nào?"
    ),
    "Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ",
    "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ",
    "Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ",
    "Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ",
    "",
    "",
    "",
    "",
    "A",
    "Nghị quyết 76/NQ-CP ban hành Chương trình tổng thể CCHC 2021 - 2030.",
    "Văn bản chỉ đạo",
    Difficulty.EASY.word,
    "1",
    "",
    "",
    "",
]
INSTRUCTIONS = [
    _l("HƯỚNG DẪN NHẬP NGÂN HÀNG CÂU HỎI"),
    "",
    _l(
        'Mỗi dòng của trang "Câu hỏi" là một câu hỏi. Dòng tiêu đề có thể nằm ở bất kỳ dòng '
        "nào trong 10 dòng đầu (có thể để tiêu đề văn bản phía trên)."
    ),
    _l("Dòng số 2 là ví dụ: hãy thay bằng câu hỏi của bạn hoặc xoá đi trước khi tải lên."),
    _l("STT: số thứ tự (không bắt buộc)."),
    _l("Mã câu hỏi: không bắt buộc; nếu có thì không được trùng trong tệp."),
    _l("Câu hỏi: nội dung câu hỏi (bắt buộc, tối đa 2000 ký tự)."),
    _l(
        "A đến H: các phương án trả lời; cần ít nhất A và B, không bỏ trống phương án ở giữa. "
        'Tên cột có thể viết "Đáp án A", "Phương án A" hoặc "Lựa chọn A".'
    ),
    _l(
        "Đáp án đúng: một chữ cái (ví dụ C) hoặc nhiều chữ cái cách nhau bằng dấu phẩy hay "
        "chấm phẩy (ví dụ A,C) cho câu hỏi nhiều đáp án."
    ),
    _l("Giải thích: không bắt buộc; chỉ hiển thị cho người thi sau khi đợt thi kết thúc."),
    _l("Chủ đề: không bắt buộc, dùng để thống kê và rút câu hỏi theo chủ đề."),
    _l("Mức độ: Dễ, Trung bình hoặc Khó (để trống là Trung bình)."),
    _l("Điểm: số điểm của câu (để trống là 1)."),
    _l("Nguồn: văn bản và câu trích dẫn làm căn cứ cho câu hỏi (không bắt buộc)."),
    _l(
        "Giữ thứ tự: các phương án của mỗi câu được đảo ngẫu nhiên cho từng người thi. Ghi "
        '"Có" (hoặc x) để giữ nguyên thứ tự A, B, C, D của câu đó, "Không" để luôn đảo. '
        "Để trống thì hệ thống tự giữ nguyên thứ tự khi có phương án nhắc đến phương án khác "
        '("Tất cả các phương án trên", "Cả A và B đều đúng", "A và C", "Không có '
        'phương án nào đúng"...).'
    ),
    "",
    _l("HÌNH ẢNH TRONG CÂU HỎI VÀ PHƯƠNG ÁN"),
    _l(
        "Cách 1 - chèn hình vào bảng tính (Chèn > Hình ảnh > Đặt trên ô): đặt góc trên bên trái "
        'của hình vào đúng dòng của câu hỏi. Hình đặt ở cột "Câu hỏi" là hình của câu hỏi; '
        "hình đặt ở cột A, B, C... là hình của phương án đó (phương án có hình có thể để trống "
        "chữ)."
    ),
    _l(
        'Cách 2 - ghi tên tệp hình: cột "Hình ảnh" ghi tên hình của câu hỏi (ví dụ '
        'hinh1.png); trong ô phương án ghi thêm [hình: ten-hinh.png] (ví dụ "Biển số 2 '
        '[hình: bien2.png]" hoặc chỉ "[hình: bien2.png]"). Sau đó nén tệp Excel này cùng '
        "tất cả các hình vào một tệp .zip và tải tệp .zip lên."
    ),
    _l(
        "Mỗi câu hỏi và mỗi phương án có tối đa một hình. Chỉ nhận hình PNG, JPEG, GIF hoặc "
        "WebP, mỗi hình tối đa 2 MB và 25 triệu điểm ảnh; không nhận hình SVG. Hình được thu nhỏ "
        "và lưu lại (bỏ thông tin EXIF như vị trí chụp) để hiển thị nhanh trên điện thoại."
    ),
    _l(
        "Trong tệp Word (.docx): chèn hình ngay trong đoạn của câu hỏi, hoặc trong đoạn của "
        'phương án ("A. " rồi chèn hình), hoặc thành một đoạn riêng ngay dưới phương án đó.'
    ),
    "",
    _l(
        "Ô bắt đầu bằng = + - @ được nhập nguyên văn như chữ, không bao giờ được tính như công "
        "thức. Tệp có lỗi sẽ không được lưu: mọi lỗi được liệt kê theo dòng và cột để sửa."
    ),
]


def bank_workbook(rows: list[list], pictures: list[list[tuple[int, bytes]]] | None = None) -> bytes:
    """An .xlsx in the template layout holding `rows` (each in HEADERS order) and, for each
    row, its pictures as (0-based column, bytes), placed in that row's cell so that importing
    the file again gives the same pictures."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Câu hỏi")
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    ws.append([_bold(ws, h) for h in HEADERS])
    for number, row in enumerate(rows, start=2):
        ws.append([text_cell(ws, v) for v in row])
        for column, data in pictures[number - 2] if pictures else ():
            place_picture(ws, f"{get_column_letter(column + 1)}{number}", data)
    guide = wb.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for line in INSTRUCTIONS:
        guide.append([text_cell(guide, str(line))])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def place_picture(ws, cell: str, data: bytes) -> None:
    picture = SheetImage(io.BytesIO(data))
    if picture.width > SHOWN_WIDTH:
        picture.height, picture.width = (
            round(picture.height * SHOWN_WIDTH / picture.width),
            SHOWN_WIDTH,
        )
    picture.anchor = cell
    ws.add_image(picture)


def _bold(ws, value):
    cell = text_cell(ws, value)
    cell.font = Font(bold=True)
    return cell


def template_workbook() -> bytes:
    return bank_workbook([EXAMPLE])


def question_row(q) -> list:
    """A stored Question as a template row (STT filled by position)."""
    choices = {c.label: c.text for c in q.choices}
    correct = ",".join(c.label for c in q.choices if c.correct)
    points = int(q.points) if float(q.points).is_integer() else q.points
    return (
        [q.position, q.code or "", q.text]
        + [choices.get(letter, "") for letter in LETTERS]
        + [
            correct,
            q.explanation,
            q.topic,
            Difficulty.word_of(q.difficulty),
            points,
            q.source,
            "Có" if q.keep_choice_order else "Không",
            "",
        ]
    )


def question_pictures(q) -> list[tuple[int, bytes]]:
    """A stored Question's pictures as (0-based column, bytes) for bank_workbook."""
    columns = {"": TEXT_COLUMN} | {
        letter: FIRST_CHOICE_COLUMN + i for i, letter in enumerate(LETTERS)
    }
    return [
        (columns[image.choice_label], image.data)
        for image in q.images
        if image.choice_label in columns
    ]

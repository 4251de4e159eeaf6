"""What every reader of an uploaded file shares: the limits it holds the file to and how it
reports what it refuses (a whole file: FileRejected; a row: RowError, placed by error_place)."""

from dataclasses import dataclass

from .i18n import _l


@dataclass
class RowError:
    row: int | None
    column: str | None
    message: str
    sheet: str | None = None  # the worksheet's name, for Excel files

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": str(self.message),
            "sheet": self.sheet,
        }

    @property
    def place(self) -> str:
        """'Trang tính «Luật», dòng 7, cột G' (the parts known)."""
        return error_place(self.sheet, self.row, self.column)


def error_place(sheet: str | None, row: int | None, column: str | None) -> str:
    parts = [str(_l("Trang tính «%(s)s»", s=sheet))] if sheet else []
    if row is not None:
        parts.append(str(_l("dòng %(r)d", r=row)))
    if column:
        parts.append(str(_l("cột %(c)s", c=column)))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


class FileRejected(Exception):
    """The whole file is refused before any row is read."""

    def __init__(self, message):
        super().__init__(str(message))
        self.error = RowError(None, None, str(message))


@dataclass
class Limits:
    max_entries: int = 200
    max_uncompressed: int = 100 * 1024 * 1024
    max_ratio: int = 200
    max_rows: int = 20000
    max_columns: int = 40

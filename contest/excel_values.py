"""What an export cell holds, typed as Excel reads it: a time is a real Excel date and time in
Vietnam time, a duration a real Excel duration, a score a number, a rate a fraction shown as a
percentage. The same values written to CSV read as a person types them (19, not 19.0)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from openpyxl.cell import WriteOnlyCell

from question_bank.export_safety import text_value

from .timing import format_duration, to_local

DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
DURATION_FORMAT = "[m]:ss.0"  # 12:05.3, as the pages show it; minutes past 60 keep counting
SCORE_FORMAT = "General"  # 19 and 9.5 alike; "0.##" would show "19." in Excel
RATE_FORMAT = "0.0%"


@dataclass(frozen=True)
class Score:
    """A number of points: whole scores are integers (19), others keep their decimals (9.5)."""

    value: float


@dataclass(frozen=True)
class Rate:
    """A fraction (0.3), shown as 30.0%."""

    value: float


def local_time(dt: datetime | None) -> datetime | None:
    """A stored UTC time as Excel's naive wall-clock time in Asia/Ho_Chi_Minh."""
    local = to_local(dt)
    return None if local is None else local.replace(tzinfo=None)


def duration(ms: int | None) -> timedelta | None:
    return None if ms is None else timedelta(milliseconds=ms)


def score(value) -> Score | None:
    return None if value is None else Score(float(value))


def rate(value) -> Rate | None:
    return None if value is None else Rate(float(value))


def plain_number(value: float):
    """19.0 -> 19, 9.5 -> 9.5, 2/3 -> 0.67."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def xlsx_value(ws, value):
    """What to append to a write-only sheet: typed cells for times, durations, scores and rates,
    everything else as question_bank.export_safety.text_value writes it (text stays text)."""
    if isinstance(value, datetime):
        return _formatted(ws, value, DATETIME_FORMAT)
    if isinstance(value, timedelta):
        return _formatted(ws, value, DURATION_FORMAT)
    if isinstance(value, Score):
        return _formatted(ws, plain_number(value.value), SCORE_FORMAT)
    if isinstance(value, Rate):
        return _formatted(ws, round(value.value, 4), RATE_FORMAT)
    return text_value(ws, value)


def cell_value(value):
    """The value for an ordinary (not write-only) cell, and its number format or None."""
    if isinstance(value, datetime):
        return value, DATETIME_FORMAT
    if isinstance(value, timedelta):
        return value, DURATION_FORMAT
    if isinstance(value, Score):
        return plain_number(value.value), SCORE_FORMAT
    if isinstance(value, Rate):
        return round(value.value, 4), RATE_FORMAT
    return value, None


def csv_value(value):
    """The text a person would type: dd/mm/yyyy hh:mm:ss, 12:05.3, 19, 9.5, 30.0%."""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, timedelta):
        return format_duration(value // timedelta(milliseconds=1))
    if isinstance(value, Score):
        return plain_number(value.value)
    if isinstance(value, Rate):
        return f"{value.value * 100:.1f}%"
    if isinstance(value, float):
        return plain_number(value)
    return value


def _formatted(ws, value, number_format: str):
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell

"""Targets, schedules, standards, frequencies and online platforms: "100% phường …",
"Tháng 3: …", ISO 9001, "Định kỳ … (mỗi tháng): …", "trên nền tảng Myaloha"."""

import re

from ..cells import fold
from .catalogue import catalogue
from .common import Fact, by_hash, clean_end, expand, lower_first
from .plan import Plan

PERCENT = re.compile(r"(?<![\d.,])(?P<value>\d{1,3})\s?%\s+(?P<what>[^.;:]{5,150})")
PERIOD = r"(?:[Tt]ừ tháng|[Tt]háng)\s+(\d{1,2})(?:\s+(?:đến|-|–)\s+tháng\s+(\d{1,2}))?"
SCHEDULE_FIRST = re.compile(rf"^(?P<period>{PERIOD})\s*:\s*(?P<what>.+)$")
SCHEDULE_LAST = re.compile(rf"^(?P<what>.+?)\s*:\s*(?P<period>{PERIOD})\s*\.?$")
FREQUENCY = re.compile(
    r"[Đđ]ịnh kỳ\s+(?P<verb>[^():;]{0,40}?)\s*\((?:mỗi|hằng|hàng)\s+"
    r"(?P<unit>ngày|tuần|tháng|quý|năm)\)\s*:\s*(?P<what>[^.;]+)"
)
QUALITY = re.compile(r"(?P<tcvn>TCVN\s+)?ISO\s*9001(?:\s*:\s*(?P<year>\d{4}))?")
ONLINE_LEVEL = re.compile(r"dịch vụ công trực tuyến mức độ\s*(\d)\s*(,|và)\s*(\d)")
PLATFORM = re.compile(
    r"(?P<what>[^.;:]{8,200}?)\s+trên nền tảng\s+"
    r"(?P<name>[A-Z][\w-]*(?:\.[\w-]+)*)"
)


def target_facts(plan: Plan) -> list[Fact]:
    facts: list[Fact] = []
    schedule: list[tuple[int, int, str, str, str]] = []
    for para in plan.paras:
        body = para.body if para.bullet else para.text
        for sentence in plan.sentences(para):
            facts.extend(percent_facts(sentence))
            facts.extend(frequency_facts(sentence))
            facts.extend(standard_facts(sentence))
            facts.extend(online_level_facts(sentence))
            facts.extend(platform_facts(sentence))
        item = schedule_item(body)
        if item:
            schedule.append(item + (body,))
    facts.extend(schedule_facts(schedule))
    return facts


def percent_facts(sentence: str) -> list[Fact]:
    out = []
    for match in PERCENT.finditer(sentence):
        value = int(match.group("value"))
        what = clean_end(match.group("what"))
        if value > 100 or len(what.split()) < 3:
            continue
        steps = [-10, -20, -5, -30] if value >= 90 else [-10, 10, -20, 20, 5, -5]
        pool = [f"{value + s}%" for s in steps if 0 < value + s <= 100]
        out.append(
            Fact(
                "target",
                f"percent {fold(what)}",
                f"Theo kế hoạch, chỉ tiêu đặt ra là bao nhiêu phần trăm "
                f"{lower_first(expand(what))}?",
                f"{value}%",
                pool,
                sentence,
                f"Kế hoạch đặt chỉ tiêu: {value}% {expand(what)}.",
            )
        )
    return out


def schedule_item(text: str) -> tuple[int, int, str, str] | None:
    match = SCHEDULE_FIRST.match(text) or SCHEDULE_LAST.match(text)
    if not match:
        return None
    first, last = (int(g) if g else None for g in re.match(PERIOD, match.group("period")).groups())
    last = last or first
    if not (1 <= first <= last <= 12):
        return None
    return first, last, clean_end(match.group("what")), match.group("period")


def period_text(first: int, last: int, like: str = "") -> str:
    """A period written as the plan writes its own ("Từ tháng 3 đến tháng 4", "Tháng 3 đến
    tháng 4", "Tháng 3 - tháng 4"), so that the answer is the plan's words."""
    if first == last:
        return f"Tháng {first}"
    start = "Từ tháng" if like.lower().startswith("từ") else "Tháng"
    between = "-" if re.search(r"\d\s*[-–]\s*tháng", like) else "đến"
    return f"{start} {first} {between} tháng {last}"


def schedule_facts(items: list[tuple[int, int, str, str, str]]) -> list[Fact]:
    out = []
    for first, last, what, like, sentence in items:
        if last - first >= 9 or len(what.split()) < 4:
            continue
        same = [i for i in items if fold(i[2]) == fold(what)]
        if len(same) > 1:
            continue
        taken = set(range(first, last + 1))
        listed = [
            period_text(f, t, like) for f, t, _, _, _ in items if not taken & set(range(f, t + 1))
        ]
        made = [period_text(m, m) for m in by_hash(range(1, 13), what) if m not in taken]
        pool = list(dict.fromkeys(by_hash(listed, what) + made))
        out.append(
            Fact(
                "schedule",
                fold(what),
                f"Theo kế hoạch, việc “{lower_first(expand(what))}” được thực hiện vào "
                f"thời gian nào?",
                period_text(first, last, like),
                pool,
                sentence,
                f"Kế hoạch ghi: {period_text(first, last, like).lower()}: {expand(what)}.",
            )
        )
    return out


def frequency_facts(sentence: str) -> list[Fact]:
    out = []
    for match in FREQUENCY.finditer(sentence):
        unit = match.group("unit")
        answer = f"Mỗi {unit}"
        what = clean_end(match.group("what"))
        pool = [f for f in catalogue()["frequencies"] if f != answer]
        out.append(
            Fact(
                "target",
                f"frequency {fold(what)}",
                f"Theo kế hoạch, việc “{lower_first(expand(what))}” được thực hiện định kỳ "
                f"bao lâu một lần?",
                answer,
                pool,
                sentence,
                f"Kế hoạch ghi định kỳ {match.group('verb')} (mỗi {unit}).",
            )
        )
    return out


def standard_facts(sentence: str) -> list[Fact]:
    match = QUALITY.search(sentence)
    if not match or "quản lý chất lượng" not in sentence.lower():
        return []
    standards = catalogue()["standards"]
    prefix = "TCVN " if match.group("tcvn") else ""
    years = standards["tcvn_years" if prefix else "years"]

    def name(code: str) -> str:
        return f"{prefix}{code}:{years[code]}" if match.group("year") else f"{prefix}{code}"

    answer = (
        f"{prefix}ISO 9001:{match.group('year')}" if match.group("year") else f"{prefix}ISO 9001"
    )
    pool = [name(code) for code in standards["ISO 9001"]]
    return [
        Fact(
            "target",
            "standard iso 9001",
            "Theo kế hoạch, Hệ thống quản lý chất lượng được áp dụng theo tiêu chuẩn nào?",
            answer,
            pool,
            sentence,
            f"Kế hoạch nêu việc áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn {answer} "
            f"(ISO 9001 là tiêu chuẩn về hệ thống quản lý chất lượng).",
        )
    ]


def online_level_facts(sentence: str) -> list[Fact]:
    match = ONLINE_LEVEL.search(sentence)
    if not match:
        return []
    levels = sorted({int(match.group(1)), int(match.group(3))})
    if levels != [3, 4]:
        return []
    joint = ", " if match.group(2) == "," else " và "  # as the plan writes it
    return [
        Fact(
            "target",
            "online service level",
            "Theo kế hoạch, dịch vụ công trực tuyến được tuyên truyền ở mức độ nào?",
            f"Mức độ 3{joint}4",
            [f"Mức độ 1{joint}2", "Mức độ 1", "Mức độ 2"],
            sentence,
            "Kế hoạch nêu dịch vụ công trực tuyến mức độ 3, 4.",
        )
    ]


def platform_facts(sentence: str) -> list[Fact]:
    match = PLATFORM.search(sentence)
    if not match:
        return []
    name = match.group("name")
    what = clean_end(re.sub(r"^(?:[-–]\s*)?(?:Nội dung\s*:\s*)", "", match.group("what")))
    pool = [p for p in catalogue()["platforms"] if fold(p) != fold(name)]
    return [
        Fact(
            "propaganda_form",
            f"platform {fold(what)}",
            f"Theo kế hoạch, việc “{lower_first(expand(what))}” được thực hiện trên nền tảng nào?",
            name,
            pool,
            sentence,
            f"Kế hoạch ghi: {expand(what)} trên nền tảng {name}.",
        )
    ]

"""Facts other than documents: the year's theme, the six areas of reform, the indices, targets
and schedules, the forms of propaganda, and which office leads which task."""
import re

from ..sheets import fold
from .catalogue import catalogue
from .common import Fact, by_hash, clean_end, expand, lower_first, upper_first
from .plan import Para, Plan, clauses, key_words, similarity

# --- theme --------------------------------------------------------------------------------

THEME = re.compile(r"(?P<what>[Cc]hủ đề[^“\"”:]{0,150}?)\s*:?\s*[“\"](?P<theme>[^”\"]{8,250})[”\"]")


def theme_facts(plan: Plan) -> list[Fact]:
    for para in plan.paras:
        for sentence in plan.sentences(para):
            match = THEME.search(sentence)
            if match:
                what = lower_first(expand(clean_end(match.group("what"))))
                theme = clean_end(match.group("theme"))
                pool = by_hash(catalogue()["theme_distractors"], theme)
                return [Fact("theme", fold(theme), f"Theo kế hoạch, {what} là gì?", theme, pool,
                             sentence, f"Kế hoạch nêu {what}: “{theme}”.")]
    return []


# --- the six areas --------------------------------------------------------------------------

def area_facts(plan: Plan) -> list[Fact]:
    """One question per area, where the plan lists all six: the other five are given, the
    missing one is asked."""
    areas = catalogue()["areas"]
    for para in plan.paras:
        for sentence in plan.sentences(para):
            found = [re.search(a["pattern"], sentence, re.IGNORECASE) for a in areas]
            if not all(found):
                continue
            names = []
            for area, match in zip(areas, found, strict=True):
                variant = next((v for k, v in area.get("variants", {}).items()
                                if k in match.group(0).lower()), area["name"])
                names.append(variant)
            start = sentence.rfind(";", 0, found[0].start()) + 1
            end = sentence.find(";", max(m.end() for m in found))
            span = sentence[start:end if end >= 0 else None].strip(" ;")
            span = re.sub(r"^[-–+]\s+", "", span)
            return [area_fact(names, i, span) for i in range(len(names))]
    return []


def area_fact(names: list[str], missing: int, sentence: str) -> Fact:
    given = "; ".join(lower_first(n) for i, n in enumerate(names) if i != missing)
    answer = names[missing]
    shape = answer.split(" ")[0]
    not_areas = catalogue()["not_areas"]
    pool = [n for n in not_areas if n.split(" ")[0] == shape] + \
        by_hash([n for n in not_areas if n.split(" ")[0] != shape], answer)
    question = (f"Theo kế hoạch, cải cách hành chính nhà nước có sáu nội dung. Ngoài {given}, "
                f"nội dung còn lại là gì?")
    return Fact("area", fold(answer), question, answer, pool, sentence,
                "Sáu nội dung cải cách hành chính nhà nước kế hoạch nêu: "
                + "; ".join(lower_first(n) for n in names) + ".")


# --- indices --------------------------------------------------------------------------------

def index_facts(plan: Plan) -> list[Fact]:
    indices = catalogue()["indices"]
    facts = []
    for index in indices:
        others = [i for i in indices if i["code"] != index["code"]]
        allowed = [i for i in others if i["code"] not in index["conflicts"]]
        named = find_sentence(plan, index["pattern"], 0)
        if named:
            facts.append(Fact(
                "index_meaning", index["code"],
                f"Theo kế hoạch, chỉ số {index['code']} đo lường nội dung nào?",
                index["measures"], [i["measures"] for i in by_hash(allowed, index["code"])],
                named, f"{index['code']} là {lower_first(index['name'])}: đo "
                f"{lower_first(index['measures'])}."))
            continue
        mentioned = find_sentence(plan, index["mention"], re.IGNORECASE)
        if mentioned:
            facts.append(Fact(
                "index_name", index["code"],
                f"{index['name']}, được kế hoạch nêu trong nội dung tuyên truyền, có tên viết "
                f"tắt là gì?", index["code"], [i["code"] for i in by_hash(others, index["code"])],
                mentioned, f"Kế hoạch nêu {lower_first(index['name'])}; chỉ số này có tên viết "
                f"tắt là {index['code']} (danh mục dữ kiện CCHC)."))
    return facts


def find_sentence(plan: Plan, pattern: str, flags: int) -> str:
    """The clause (or sentence) where the pattern first occurs."""
    for para in plan.paras:
        for sentence in plan.sentences(para):
            if re.search(pattern, sentence, flags):
                for clause in clauses(sentence):
                    if re.search(pattern, clause, flags):
                        return clause
                return sentence
    return ""


# --- targets, schedules, standards, frequencies ----------------------------------------------

PERCENT = re.compile(r"(?<![\d.,])(?P<value>\d{1,3})\s?%\s+(?P<what>[^.;:]{5,150})")
PERIOD = r"(?:[Tt]ừ tháng|[Tt]háng)\s+(\d{1,2})(?:\s+(?:đến|-|–)\s+tháng\s+(\d{1,2}))?"
SCHEDULE_FIRST = re.compile(rf"^(?P<period>{PERIOD})\s*:\s*(?P<what>.+)$")
SCHEDULE_LAST = re.compile(rf"^(?P<what>.+?)\s*:\s*(?P<period>{PERIOD})\s*\.?$")
FREQUENCY = re.compile(r"[Đđ]ịnh kỳ\s+(?P<verb>[^():;]{0,40}?)\s*\((?:mỗi|hằng|hàng)\s+"
                       r"(?P<unit>ngày|tuần|tháng|quý|năm)\)\s*:\s*(?P<what>[^.;]+)")
QUALITY = re.compile(r"(?P<tcvn>TCVN\s+)?ISO\s*9001(?:\s*:\s*(?P<year>\d{4}))?")
ONLINE_LEVEL = re.compile(r"dịch vụ công trực tuyến mức độ\s*(\d)\s*(?:,|và)\s*(\d)")
PLATFORM = re.compile(r"(?P<what>[^.;:]{8,200}?)\s+trên nền tảng\s+"
                      r"(?P<name>[A-Z][\w-]*(?:\.[\w-]+)*)")


def target_facts(plan: Plan) -> list[Fact]:
    facts: list[Fact] = []
    schedule: list[tuple[int, int, str, str]] = []
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
        out.append(Fact("target", f"percent {fold(what)}",
                        f"Theo kế hoạch, chỉ tiêu đặt ra là bao nhiêu phần trăm "
                        f"{lower_first(expand(what))}?",
                        f"{value}%", pool, sentence,
                        f"Kế hoạch đặt chỉ tiêu: {value}% {expand(what)}."))
    return out


def schedule_item(text: str) -> tuple[int, int, str] | None:
    match = SCHEDULE_FIRST.match(text) or SCHEDULE_LAST.match(text)
    if not match:
        return None
    first, last = (int(g) if g else None for g in re.match(PERIOD, match.group("period")).groups())
    last = last or first
    if not (1 <= first <= last <= 12):
        return None
    return first, last, clean_end(match.group("what"))


def period_text(first: int, last: int) -> str:
    return f"Tháng {first}" if first == last else f"Từ tháng {first} đến tháng {last}"


def schedule_facts(items: list[tuple[int, int, str, str]]) -> list[Fact]:
    out = []
    for first, last, what, sentence in items:
        if last - first >= 9 or len(what.split()) < 4:
            continue
        same = [i for i in items if fold(i[2]) == fold(what)]
        if len(same) > 1:
            continue
        taken = set(range(first, last + 1))
        listed = [period_text(f, t) for f, t, _, _ in items
                  if not taken & set(range(f, t + 1))]
        made = [period_text(m, m) for m in by_hash(range(1, 13), what) if m not in taken]
        pool = list(dict.fromkeys(by_hash(listed, what) + made))
        out.append(Fact("schedule", fold(what),
                        f"Theo kế hoạch, việc “{lower_first(expand(what))}” được thực hiện vào "
                        f"thời gian nào?", period_text(first, last), pool, sentence,
                        f"Kế hoạch ghi: {period_text(first, last).lower()}: {expand(what)}."))
    return out


def frequency_facts(sentence: str) -> list[Fact]:
    out = []
    for match in FREQUENCY.finditer(sentence):
        unit = match.group("unit")
        answer = f"Mỗi {unit}"
        what = clean_end(match.group("what"))
        pool = [f for f in catalogue()["frequencies"] if f != answer]
        out.append(Fact("target", f"frequency {fold(what)}",
                        f"Theo kế hoạch, việc “{lower_first(expand(what))}” được thực hiện định kỳ "
                        f"bao lâu một lần?", answer, pool, sentence,
                        f"Kế hoạch ghi định kỳ {match.group('verb')} (mỗi {unit})."))
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
    answer = f"{prefix}ISO 9001:{match.group('year')}" if match.group("year") else \
        f"{prefix}ISO 9001"
    pool = [name(code) for code in standards["ISO 9001"]]
    return [Fact("target", "standard iso 9001",
                 "Theo kế hoạch, Hệ thống quản lý chất lượng được áp dụng theo tiêu chuẩn nào?",
                 answer, pool, sentence,
                 f"Kế hoạch nêu việc áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn {answer} "
                 f"(ISO 9001 là tiêu chuẩn về hệ thống quản lý chất lượng).")]


def online_level_facts(sentence: str) -> list[Fact]:
    match = ONLINE_LEVEL.search(sentence)
    if not match:
        return []
    levels = sorted({int(match.group(1)), int(match.group(2))})
    if levels != [3, 4]:
        return []
    return [Fact("target", "online service level",
                 "Theo kế hoạch, dịch vụ công trực tuyến được tuyên truyền ở mức độ nào?",
                 "Mức độ 3 và 4", ["Mức độ 1 và 2", "Mức độ 1", "Mức độ 2"], sentence,
                 "Kế hoạch nêu dịch vụ công trực tuyến mức độ 3, 4.")]


def platform_facts(sentence: str) -> list[Fact]:
    match = PLATFORM.search(sentence)
    if not match:
        return []
    name = match.group("name")
    what = clean_end(re.sub(r"^(?:[-–]\s*)?(?:Nội dung\s*:\s*)", "", match.group("what")))
    pool = [p for p in catalogue()["platforms"] if fold(p) != fold(name)]
    return [Fact("propaganda_form", f"platform {fold(what)}",
                 f"Theo kế hoạch, việc “{lower_first(expand(what))}” được thực hiện trên nền tảng "
                 f"nào?", name, pool, sentence, f"Kế hoạch ghi: {expand(what)} trên nền tảng {name}.")]


# --- forms of propaganda ----------------------------------------------------------------------

def visual_facts(plan: Plan) -> list[Fact]:
    """Posters, banners, leaflets...: the plan's visual propaganda ("tuyên truyền trực quan")."""
    items = catalogue()["visual_items"]
    forms = catalogue()["propaganda_forms"]
    for para in plan.paras:
        context = " ".join([para.text] + [p.title for p in para.parents])
        if "trực quan" not in context.lower():
            continue
        for sentence in plan.sentences(para):
            folded = f" {fold(sentence)} "
            found = list(dict.fromkeys(name for key, name in sorted(
                items.items(), key=lambda kv: folded.find(f" {kv[0]} "))
                if f" {key} " in folded))
            if len(found) >= 3:
                listing = ", ".join(found)
                titles = [p.title for p in para.parents if "trực quan" in p.title.lower()]
                where = f" (mục “{titles[-1]}”)" if titles and "trực quan" not in \
                    sentence.lower() else ""
                return [Fact("propaganda_form", "visual",
                             f"Theo kế hoạch, tuyên truyền bằng {listing} thuộc hình thức tuyên "
                             f"truyền nào?", forms["visual"], list(forms["others"]), sentence,
                             f"Kế hoạch xếp {listing} vào tuyên truyền trực quan{where}.")]
    return []


# --- who leads what -----------------------------------------------------------------------------

OFFICE_START = re.compile(
    r"(?:Phòng|Văn phòng|Trung tâm|Trung|Công an|Thị đoàn|Thành đoàn|Huyện đoàn|Quận đoàn|Đoàn|"
    r"Đài|Ủy ban|Uỷ ban|UBND|Báo|Bưu điện|Thanh tra|Chi cục|Ban|Mặt trận|Liên đoàn|Các|các)\b")
SPECIFIC_START = re.compile(r"(?:Phòng|Văn phòng|Trung tâm|Ủy ban|Uỷ ban|UBND|Đài|Công an|Báo)\b")
LEADS = re.compile(r"^(?:[-–]\s*)?(?:Cơ quan|Đơn vị) chủ trì\s*:\s*(?P<offices>.+?)[.;]?$")
ABBREV = [("HĐND", "hội đồng nhân dân"), ("UBND", "ủy ban nhân dân"), ("&", " và "),
          ("Uỷ", "Ủy"), ("uỷ", "ủy")]
LOCAL_TAIL = re.compile(r"(?: (?:thi xa|thanh pho|huyen|quan|cap thi|cap huyen)\b.*)$")


def office_key(name: str, plan: Plan | None = None) -> str:
    for short, full in ABBREV:
        name = name.replace(short, full)
    key = " ".join(w for w in fold(name).split() if w != "va")
    if plan and plan.local_name:
        key = key.replace(" " + fold(plan.local_name), "")
    return LOCAL_TAIL.sub("", key).strip()


def text_key(text: str) -> str:
    for short, full in ABBREV:
        text = text.replace(short, full)
    return " " + " ".join(w for w in fold(text).split() if w != "va") + " "


def office_name(title: str) -> str:
    name = clean_end(re.sub(r"^(?:Đề nghị|Trách nhiệm của)\s+", "", title.strip(" *_")))
    name = re.sub(r"^Trung (?!tâm)", "Trung tâm ", name)
    return name.replace("Uỷ", "Ủy")


def is_office(name: str) -> bool:
    return bool(OFFICE_START.match(name))


def is_group(name: str) -> bool:
    """"Các phòng, ban chuyên môn", "các cơ quan": everyone, so never an answer."""
    return name.lower().startswith("các ")


def office_group(key: str) -> str:
    for group, words in catalogue()["office_groups"].items():
        if any(w in key for w in words):
            return group
    return key


def mentioned(office: str, text: str, plan: Plan) -> bool:
    """The office, or one of its kind (the media centre and the radio), is named in the text."""
    key = office_key(office, plan)
    haystack = text_key(text)
    if f" {key} " in haystack:
        return True
    group = catalogue()["office_groups"].get(office_group(key), [])
    if any(f" {w} " in haystack for w in group):
        return True
    core = re.sub(r"^(?:phong|van phong|trung tam|dai|uy ban nhan dan) ", "", key)
    return len(core.split()) >= 2 and f" {core} " in haystack


def split_offices(text: str) -> list[str]:
    parts: list[str] = []
    for piece in text.split(", "):
        if parts and not is_office(piece.strip()):
            parts[-1] += ", " + piece
        else:
            parts.append(piece)
    out = []
    for part in parts:
        out.extend(re.split(r"\s+và\s+(?=" + SPECIFIC_START.pattern + ")", part))
    return [clean_end(p) for p in out if clean_end(p)]


def implementation_offices(plan: Plan) -> list[tuple[Para, str]]:
    """(heading, office) for each office heading under "Tổ chức thực hiện"."""
    out = []
    for heading in plan.paras:
        if not heading.heading or heading.level != 1 or "to chuc thuc hien" not in fold(
                heading.title):
            continue
        for para in plan.under(heading):
            if para.heading and para.level > 1:
                name = office_name(para.title)
                if is_office(name):
                    out.append((para, name))
    return out


def office_pool(plan: Plan, exclude: list[str], text: str, salt: str) -> list[str]:
    """Offices that are neither the answer (nor of its kind) nor named in the text, nor whose
    general remit covers the text (the culture and information office for any propaganda
    task): those of the plan first, then the catalogue's."""
    plan_offices = [name for _, name in implementation_offices(plan) if not is_group(name)]
    for para in plan.paras:
        match = LEADS.match(para.text)
        if match:
            plan_offices += [o for o in split_offices(match.group("offices")) if not is_group(o)]
    known = [o["name"] for o in catalogue()["offices"]]
    banned_keys = {office_key(o, plan) for o in exclude}
    folded_text = f" {fold(text)} "
    for remit in catalogue()["office_remits"]:
        if any(f" {w} " in folded_text for w in remit["words"]):
            banned_keys.add(remit["office"])
    banned_groups = {office_group(k) for k in banned_keys}
    pool, seen = [], set()
    for name in by_hash(dict.fromkeys(plan_offices), salt) + by_hash(known, salt):
        key = office_key(name, plan)
        if key in seen or key in banned_keys or office_group(key) in banned_groups:
            continue
        if mentioned(name, text, plan):
            continue
        seen.add(key)
        pool.append(name)
    return pool


def lead_facts(plan: Plan) -> list[Fact]:
    return task_facts(plan) + chair_facts(plan)


GENERIC_LEAD = re.compile(r"^(?:(?:Đồng thời|Tích cực|Chủ động),?\s+)?phối hợp với các "
                          r"(?:cơ quan|phòng|đơn vị|ngành)[^,;]*?(?:liên quan|thị xã|thành phố)?"
                          r"\s", re.IGNORECASE)
SELF = re.compile(r"của đơn vị\b|(?:đơn vị|cơ quan|địa phương) mình|tại địa phương\b", re.IGNORECASE)
AMBIGUOUS, RIVAL = 0.45, 0.15


def task_facts(plan: Plan, per_office: int = 4) -> list[Fact]:
    """"Which office was given this task?" for the tasks under each office's heading in the
    implementation section. A task much like another office's is not asked; an office with a
    somewhat similar task is never a distractor."""
    offices = implementation_offices(plan)
    tasks: list[tuple[str, str, str, Para, Para]] = []  # office, clause, sentence, heading, para
    for heading, name in offices:
        for para in plan.under(heading):
            if para.heading:
                break
            for sentence in plan.sentences(para):
                parts = clauses(sentence)
                first = re.sub(r"^Đồng thời,\s*", "", clean_end(parts[0])) if parts else ""
                tasks.append((name, upper_first(first), sentence, heading, para))
    facts = []
    count: dict[str, int] = {}
    for name, clause, sentence, heading, para in tasks:
        if is_group(name) or len(clause.split()) < 6 or len(expand(clause)) > 320:
            continue
        generic = GENERIC_LEAD.match(clause)
        if (generic and len(key_words(clause[generic.end():])) < 6) or SELF.search(clause):
            continue
        rivals = [(t[0], similarity(clause, t[1])) for t in tasks
                  if office_key(t[0], plan) != office_key(name, plan)]
        if any(score >= AMBIGUOUS for _, score in rivals):
            continue
        if count.get(name, 0) >= per_office:
            continue
        count[name] = count.get(name, 0) + 1
        source = plan.joined(heading.text, sentence) if para.index == heading.index + 1 \
            else sentence
        close = [office for office, score in rivals if score >= RIVAL]
        pool = office_pool(plan, [name] + close, f"{clause} {sentence}", clause)
        facts.append(Fact("lead_office", f"{office_key(name, plan)} | {fold(clause)}",
                          f"Theo kế hoạch, cơ quan, đơn vị nào được giao nhiệm vụ: "
                          f"“{expand(clause)}”?", name, pool, source,
                          f"Mục “{heading.text}” của kế hoạch giao: {expand(clause)}."))
    return facts


def activity_of(plan: Plan, para: Para) -> Para | None:
    """The activity a "Cơ quan chủ trì:" line belongs to: the nearest heading or numbered
    paragraph above it (a long numbered title in Word is not always a heading)."""
    for before in reversed(plan.paras[:para.index]):
        if before.heading or before.number:
            return before if before.title else None
    return None


def activity_block(plan: Plan, activity: Para) -> list[Para]:
    """The activity's title and the paragraphs under it, up to the next numbered one."""
    if activity.heading:
        return [activity, *plan.under(activity)]
    block = [activity]
    for para in plan.paras[activity.index + 1:]:
        if para.heading or para.number:
            break
        block.append(para)
    return block


def chair_facts(plan: Plan) -> list[Fact]:
    facts = []
    for para in plan.paras:
        match = LEADS.match(para.text)
        heading = activity_of(plan, para) if match else None
        if not heading:
            continue
        leads = split_offices(match.group("offices"))
        if not leads or len(leads) > 3 or any(is_group(o) for o in leads):
            continue
        block = " ".join(p.text for p in activity_block(plan, heading))
        activity = clean_end(heading.title)
        uninvolved = office_pool(plan, leads, block, activity)
        size = len(leads)
        if size == 1:
            answer, pool = leads[0], uninvolved
            question = f"Theo kế hoạch, cơ quan nào chủ trì hoạt động “{expand(activity)}”?"
        else:
            answer = "; ".join(leads)
            pool = ["; ".join(uninvolved[i:i + size]) for i in range(0, len(uninvolved), size)
                    if len(uninvolved[i:i + size]) == size]
            question = (f"Theo kế hoạch, những cơ quan nào cùng chủ trì hoạt động "
                        f"“{expand(activity)}”?")
        source = plan.joined(heading.text, para.text) if para.index == heading.index + 1 \
            else para.text
        source = re.sub(r"^(?:[-–]\s*)", "", source)
        facts.append(Fact("lead_office", f"chair | {fold(activity)}", upper_first(question),
                          answer, pool, source,
                          f"Hoạt động “{expand(activity)}”: cơ quan chủ trì là "
                          f"{', '.join(leads)}."))
    return facts

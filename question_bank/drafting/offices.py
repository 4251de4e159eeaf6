"""Who leads what: the tasks under each office's heading in "Tổ chức thực hiện" and the
"Cơ quan chủ trì: …" lines under an activity, with offices of no part in it as distractors."""

import re

from ..cells import fold
from .catalogue import catalogue
from .common import Fact, by_hash, clean_end, expand, upper_first
from .plan import Para, Plan, clauses, key_words, similarity

OFFICE_START = re.compile(
    r"(?:Phòng|Văn phòng|Trung tâm|Trung|Công an|Thị đoàn|Thành đoàn|Huyện đoàn|Quận đoàn|Đoàn|"
    r"Đài|Ủy ban|Uỷ ban|UBND|Báo|Bưu điện|Thanh tra|Chi cục|Ban|Mặt trận|Liên đoàn|Các|các)\b"
)
SPECIFIC_START = re.compile(r"(?:Phòng|Văn phòng|Trung tâm|Ủy ban|Uỷ ban|UBND|Đài|Công an|Báo)\b")
LEADS = re.compile(r"^(?:[-–]\s*)?(?:Cơ quan|Đơn vị) chủ trì\s*:\s*(?P<offices>.+?)[.;]?$")
ABBREV = [
    ("HĐND", "hội đồng nhân dân"),
    ("UBND", "ủy ban nhân dân"),
    ("&", " và "),
    ("Uỷ", "Ủy"),
    ("uỷ", "ủy"),
]
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
    """ "Các phòng, ban chuyên môn", "các cơ quan": everyone, so never an answer."""
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
        if (
            not heading.heading
            or heading.level != 1
            or "to chuc thuc hien" not in fold(heading.title)
        ):
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


GENERIC_LEAD = re.compile(
    r"^(?:(?:Đồng thời|Tích cực|Chủ động),?\s+)?phối hợp với các "
    r"(?:cơ quan|phòng|đơn vị|ngành)[^,;]*?(?:liên quan|thị xã|thành phố)?"
    r"\s",
    re.IGNORECASE,
)
SELF = re.compile(
    r"của đơn vị\b|(?:đơn vị|cơ quan|địa phương) mình|tại địa phương\b", re.IGNORECASE
)
AMBIGUOUS, RIVAL = 0.45, 0.15


def task_facts(plan: Plan, per_office: int = 4) -> list[Fact]:
    """ "Which office was given this task?" for the tasks under each office's heading in the
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
        if (generic and len(key_words(clause[generic.end() :])) < 6) or SELF.search(clause):
            continue
        rivals = [
            (t[0], similarity(clause, t[1]))
            for t in tasks
            if office_key(t[0], plan) != office_key(name, plan)
        ]
        if any(score >= AMBIGUOUS for _, score in rivals):
            continue
        if count.get(name, 0) >= per_office:
            continue
        count[name] = count.get(name, 0) + 1
        source = (
            plan.joined(heading.text, sentence) if para.index == heading.index + 1 else sentence
        )
        close = [office for office, score in rivals if score >= RIVAL]
        pool = office_pool(plan, [name] + close, f"{clause} {sentence}", clause)
        facts.append(
            Fact(
                "lead_office",
                f"{office_key(name, plan)} | {fold(clause)}",
                f"Theo kế hoạch, cơ quan, đơn vị nào được giao nhiệm vụ: “{expand(clause)}”?",
                name,
                pool,
                source,
                f"Mục “{heading.text}” của kế hoạch giao: {expand(clause)}.",
                grounds=office_grounds(name, heading.title),
            )
        )
    return facts


def office_grounds(name: str, title: str) -> list[str]:
    """Where the office's name is in the plan: its heading, or, for a heading that reads
    "Trung Văn hóa…" (a word left out), "Trung tâm" and the rest of the heading."""
    if name.startswith("Trung tâm ") and re.match(
        r"^(?:Đề nghị\s+|Trách nhiệm của\s+)?Trung "
        r"(?!tâm)",
        title.strip(" *_"),
    ):
        return ["Trung tâm", name[len("Trung tâm ") :]]
    return [name]


def activity_of(plan: Plan, para: Para) -> Para | None:
    """The activity a "Cơ quan chủ trì:" line belongs to: the nearest heading or numbered
    paragraph above it (a long numbered title in Word is not always a heading)."""
    for before in reversed(plan.paras[: para.index]):
        if before.heading or before.number:
            return before if before.title else None
    return None


def activity_block(plan: Plan, activity: Para) -> list[Para]:
    """The activity's title and the paragraphs under it, up to the next numbered one."""
    if activity.heading:
        return [activity, *plan.under(activity)]
    block = [activity]
    for para in plan.paras[activity.index + 1 :]:
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
            pool = [
                "; ".join(uninvolved[i : i + size])
                for i in range(0, len(uninvolved), size)
                if len(uninvolved[i : i + size]) == size
            ]
            question = (
                f"Theo kế hoạch, những cơ quan nào cùng chủ trì hoạt động “{expand(activity)}”?"
            )
        source = (
            plan.joined(heading.text, para.text) if para.index == heading.index + 1 else para.text
        )
        source = re.sub(r"^(?:[-–]\s*)", "", source)
        facts.append(
            Fact(
                "lead_office",
                f"chair | {fold(activity)}",
                upper_first(question),
                answer,
                pool,
                source,
                f"Hoạt động “{expand(activity)}”: cơ quan chủ trì là {', '.join(leads)}.",
                grounds=leads,
            )
        )
    return facts

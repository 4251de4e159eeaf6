"""Forms of propaganda: posters, banners, leaflets… under "tuyên truyền trực quan"."""

from ..cells import fold
from .catalogue import catalogue
from .common import Fact
from .plan import Plan


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
            found = list(
                dict.fromkeys(
                    name
                    for key, name in sorted(items.items(), key=lambda kv: folded.find(f" {kv[0]} "))
                    if f" {key} " in folded
                )
            )
            if len(found) >= 3:
                listing = ", ".join(found)
                titles = [p.title for p in para.parents if "trực quan" in p.title.lower()]
                where = (
                    f" (mục “{titles[-1]}”)"
                    if titles and "trực quan" not in sentence.lower()
                    else ""
                )
                return [
                    Fact(
                        "propaganda_form",
                        "visual",
                        f"Theo kế hoạch, tuyên truyền bằng {listing} thuộc hình thức tuyên "
                        f"truyền nào?",
                        forms["visual"],
                        list(forms["others"]),
                        sentence,
                        f"Kế hoạch xếp {listing} vào tuyên truyền trực quan{where}.",
                    )
                ]
    return []

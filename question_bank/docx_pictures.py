"""Pictures of a Word bank: an inline picture (Insert > Pictures) in a question's paragraphs is
the question's picture; one in a choice's paragraph, or in a paragraph of its own under that
choice, is the choice's (a choice may be a picture alone: "A. [hình]"). A picture in the
explanation or above the first question is left out, as before. One picture per question and
per choice; an embedded object that is not a picture (an equation, a chart) is refused, since
its content would be lost. The pictures come from the .docx's own parts (word/media/...),
already checked with the archive; each is checked by question_bank.images."""

from .i18n import _l
from .images import ImageRefused, StoredImage, accept_image, check_total

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
V = "urn:schemas-microsoft-com:vml"
PICTURES = ".//w:drawing | .//w:pict | .//w:object"


def run_pictures(part, run) -> list[bytes | None]:
    """The bytes of each picture in a run; None for an object that holds no picture."""
    found = []
    for element in run.xpath(PICTURES):
        ids = [e.get(f"{{{R}}}embed") for e in element.iter(f"{{{A}}}blip")]
        ids += [e.get(f"{{{R}}}id") for e in element.iter(f"{{{V}}}imagedata")]
        blobs = [_blob(part, rid) for rid in ids if rid]
        is_object = element.tag.endswith("}object")
        found.extend([None] if is_object or not blobs else blobs)
    return found


def _blob(part, rid: str) -> bytes | None:
    related = part.related_parts.get(rid)
    return getattr(related, "blob", None)


def attach_pictures(draft, pictures: list[tuple[int, bytes | None]], first_new: int) -> None:
    """Give a line's pictures (offset, bytes) to the choice they follow on that line, else to
    the last choice read before, else to the question."""
    new = draft.choices[first_new:]
    for at, blob in pictures:
        owner = None
        for choice in new:
            if choice.start <= at:
                owner = choice
        if owner is None and draft.choices[:first_new]:
            owner = draft.choices[first_new - 1]
        (owner.pictures if owner else draft.pictures).append(blob)


def settle_pictures(draft, choices) -> StoredImage | None:
    """Check the draft's pictures; set each choice's image; the question's image."""
    for choice, parsed in zip(draft.choices, choices, strict=True):
        parsed.image = _one(draft, choice.pictures, _l("phương án %(l)s", l=choice.label))
    return _one(draft, draft.pictures, _l("câu hỏi"))


def _one(draft, blobs: list, where) -> StoredImage | None:
    n = draft.number
    if len(blobs) > 1:
        draft.fault(
            _l(
                "Câu %(n)d: %(w)s có %(k)d hình; mỗi câu hỏi và mỗi phương án chỉ có một hình.",
                n=n,
                w=str(where),
                k=len(blobs),
            )
        )
        return None
    if not blobs:
        return None
    if blobs[0] is None:
        draft.fault(
            _l(
                "Câu %(n)d: %(w)s có đối tượng nhúng không phải hình ảnh (công thức, "
                "biểu đồ...): hãy chụp lại thành hình PNG hoặc JPEG.",
                n=n,
                w=str(where),
            )
        )
        return None
    try:
        return accept_image(blobs[0])
    except ImageRefused as refused:
        draft.fault(_l("Câu %(n)d: hình ở %(w)s: %(m)s", n=n, w=str(where), m=str(refused)))
        return None


def total_fault(questions) -> str | None:
    """The message when the pictures of the whole file are too many bytes together."""
    images = [q.image for q in questions if q.image]
    images += [c.image for q in questions for c in q.choices if c.image]
    try:
        check_total(images)
    except ImageRefused as refused:
        return str(refused)
    return None

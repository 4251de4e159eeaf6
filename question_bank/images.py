"""Pictures in questions and choices: what an upload may hold, and what is stored.

Only PNG, JPEG, GIF and WebP are accepted, told by their first bytes (never by the file name);
SVG (which can carry scripts) and everything else are refused. The declared size is read from
the header before any pixel is decoded, so a decompression bomb (a small file declaring
50,000 x 50,000 pixels) is refused without being inflated. An accepted picture is decoded and
re-encoded by Pillow: EXIF and every other metadata block are dropped, it is scaled down to
MAX_SIDE, and a phone-sized copy (SMALL_WIDTH wide) is kept beside it for `srcset`.
Flask-free; every refusal is a Vietnamese message for the row's error.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from .i18n import _l

MAX_BYTES = 2 * 1024 * 1024  # one picture as uploaded
MAX_PIXELS = 25_000_000  # declared width x height (5000 x 5000)
MAX_TOTAL = 40 * 1024 * 1024  # all pictures of one upload, as uploaded
MAX_SIDE = 1600  # the stored picture's longest side
SMALL_WIDTH = 480  # the phone-sized copy
FEW_COLOURS = 1024  # up to this many colours: a diagram, kept as PNG
MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
)


class ImageRefused(ValueError):
    """A picture that cannot be stored; str() is the Vietnamese reason."""


@dataclass(frozen=True)
class StoredImage:
    """A picture as stored: the re-encoded bytes and a phone-sized copy. Two are equal when
    their content is (sha256 of `data`), so a re-upload of the same picture changes nothing."""

    sha256: str
    media_type: str
    width: int
    height: int
    data: bytes = field(compare=False, repr=False)
    small: bytes | None = field(default=None, compare=False, repr=False)
    small_width: int | None = field(default=None, compare=False)
    small_height: int | None = field(default=None, compare=False)


def sniff(data: bytes) -> str | None:
    """The format the first bytes say: PNG, JPEG, GIF, WEBP, SVG; None for anything else."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) or b"<svg" in head:
        return "SVG"
    return None


def accept_image(data: bytes) -> StoredImage:
    """The picture re-encoded for storing, or ImageRefused saying why."""
    kind = sniff(data)
    if kind == "SVG":
        raise ImageRefused(
            _l(
                "Hình SVG không được chấp nhận (có thể chứa mã chạy được): hãy "
                "lưu hình dưới dạng PNG hoặc JPEG."
            )
        )
    if kind is None:
        raise ImageRefused(_l("Tệp không phải là hình ảnh PNG, JPEG, GIF hoặc WebP."))
    if len(data) > MAX_BYTES:
        raise ImageRefused(_l("Hình quá lớn: tối đa %(m)d MB mỗi hình.", m=MAX_BYTES // 1048576))
    picture = _open(data, kind)
    return _store(picture)


def _open(data: bytes, kind: str):
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=[kind])
            width, height = picture.size
            if width * height > MAX_PIXELS or not width or not height:
                raise ImageRefused(
                    _l(
                        "Hình có kích thước khai báo %(w)d x %(h)d điểm ảnh, quá "
                        "lớn (tối đa %(m)d triệu điểm ảnh).",
                        w=width,
                        h=height,
                        m=MAX_PIXELS // 1_000_000,
                    )
                )
            picture.seek(0)
            picture.load()
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(
            _l("Hình có kích thước khai báo quá lớn: có thể là tệp độc hại.")
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on a damaged picture
        raise ImageRefused(_l("Hình bị hỏng hoặc không đọc được.")) from None
    return picture


def _store(picture) -> StoredImage:
    """Re-encode (no metadata survives): PNG when the picture has transparency or few colours
    (diagrams, text), JPEG otherwise (photos)."""
    from PIL import Image

    keep_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
    picture = picture.convert("RGBA" if keep_alpha else "RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    flat = keep_alpha or picture.getcolors(FEW_COLOURS) is not None
    media_type = "image/png" if flat else "image/jpeg"
    data = _encode(picture, media_type)
    small = small_w = small_h = None
    if picture.width > SMALL_WIDTH:
        copy = picture.resize(
            (SMALL_WIDTH, max(1, round(picture.height * SMALL_WIDTH / picture.width))),
            Image.LANCZOS,
        )
        small, small_w, small_h = _encode(copy, media_type), copy.width, copy.height
    return StoredImage(
        hashlib.sha256(data).hexdigest(),
        media_type,
        picture.width,
        picture.height,
        data,
        small,
        small_w,
        small_h,
    )


def _encode(picture, media_type: str) -> bytes:
    out = io.BytesIO()
    if media_type == "image/png":
        picture.save(out, "PNG", optimize=True)
    else:
        picture.save(out, "JPEG", quality=78, optimize=True, progressive=True)
    return out.getvalue()


def check_total(images, limit: int = MAX_TOTAL) -> None:
    """All pictures of one upload together, as stored."""
    total = sum(len(image.data) for image in images)
    if total > limit:
        raise ImageRefused(
            _l(
                "Các hình trong tệp quá lớn (tổng %(s)s MB, tối đa %(m)d MB).",
                s=f"{total / 1048576:.1f}",
                m=limit // 1048576,
            )
        )

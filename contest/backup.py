"""A consistent copy of the SQLite database while the app serves (SQLite's online backup API:
it copies page by page and restarts when a writer changes a page it has copied, so the copy is
one moment's state). PostgreSQL is backed up with its own tool, pg_dump (docs/deploy.md)."""

import sqlite3
from pathlib import Path

from flask_babel import gettext as _


def backup_sqlite(engine, out: Path) -> int:
    """Write the copy to `out` (a new file); returns how many pages were copied."""
    if engine.dialect.name != "sqlite":
        raise ValueError(
            _("Cơ sở dữ liệu là PostgreSQL: hãy sao lưu bằng pg_dump (xem docs/deploy.md).")
        )
    if out.exists():
        raise ValueError(_("Tệp %(f)s đã có: hãy chọn tên khác.", f=str(out)))
    source = sqlite3.connect(engine.url.database, timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target, pages=256)
        return target.execute("PRAGMA page_count").fetchone()[0]
    finally:
        target.close()
        source.close()

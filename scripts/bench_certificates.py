"""Benchmark certificates for 1,000 prize winners: issuing them when the prizes are confirmed,
and the organiser's batch (one PDF, a page each) through the API: the one-request download, and
the background batch the organiser's page starts and follows (start, progress polled every
0.5 s, download).

Run:  .venv/bin/python scripts/bench_certificates.py [winners]     (SQLite in a temporary folder)
      DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python scripts/bench_certificates.py
Figures are recorded in docs/performance.md.
"""

import io
import os
import platform
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def build(app, winners: int) -> int:
    """An organiser, a contest with a closed round and `winners` scored entries; its id."""
    from contest.extensions import db
    from contest.models import (
        Attempt,
        Bank,
        Contest,
        Entry,
        Organisation,
        Round,
        Unit,
        UnitList,
        User,
    )
    from contest.timing import utcnow

    now = utcnow()
    org = db.session.scalar(db.select(Organisation)) or Organisation(
        code="default", name="Mặc định"
    )
    db.session.add(org)
    db.session.flush()
    unit_list = UnitList(organisation_id=org.id, name="Danh sách đơn vị")
    db.session.add(unit_list)
    db.session.flush()
    unit = Unit(
        organisation_id=org.id,
        unit_list_id=unit_list.id,
        code="PNV",
        name="Phòng Nội vụ thị xã Cửa Lò",
        headcount=10,
    )
    boss = User(
        organisation_id=org.id,
        role="organiser",
        full_name="Ban Tổ chức",
        email="btc@bench.vn",
        password_hash="x",
    )
    bank = Bank(organisation_id=org.id, name="Ngân hàng")
    db.session.add_all([unit, boss, bank])
    db.session.flush()
    contest = Contest(
        organisation_id=org.id,
        slug="bench",
        title="Cuộc thi trực tuyến tìm hiểu về cải cách hành chính năm 2026",
        certificate_rule={
            "winners": True,
            "participation": None,
            "place": "Cửa Lò",
            "issuer": "Ban Tổ chức Cuộc thi thị xã Cửa Lò",
            "signer_title": "Trưởng ban Tổ chức",
            "signer_name": "Trần Văn Hùng",
        },
        unit_list_id=unit_list.id,
    )
    db.session.add(contest)
    db.session.flush()
    rnd = Round(
        contest_id=contest.id,
        name="Tuần 1",
        opens_at=now - timedelta(days=8),
        closes_at=now - timedelta(days=1),
        bank_id=bank.id,
        question_count=20,
        time_limit_s=900,
        finalized_at=now,
        prize_first=10,
        prize_second=40,
        prize_third=150,
        prize_consolation=winners - 200,
    )
    db.session.add(rnd)
    db.session.flush()
    for i in range(winners):
        user = User(
            organisation_id=org.id,
            full_name=f"Nguyễn Thị Ánh Tuyết {i}",
            phone=f"09{i:08d}",
            password_hash="x",
            unit_id=unit.id,
            gender="nu",
        )
        db.session.add(user)
        db.session.flush()
        started = rnd.opens_at + timedelta(minutes=i)
        attempt = Attempt(
            user_id=user.id,
            round_id=rnd.id,
            seq=1,
            status="submitted",
            started_at=started,
            deadline=started + timedelta(minutes=15),
            submitted_at=started + timedelta(seconds=300 + i),
            score=20 - i % 7,
            max_score=20,
            duration_ms=(300 + i) * 1000,
        )
        db.session.add(attempt)
        db.session.flush()
        db.session.add(
            Entry(
                round_id=rnd.id,
                user_id=user.id,
                unit_id=unit.id,
                attempt_id=attempt.id,
                score=attempt.score,
                max_score=20,
                duration_ms=attempt.duration_ms,
                submitted_at=attempt.submitted_at,
            )
        )
    db.session.commit()
    return rnd.id


def main() -> None:
    winners = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    from conftest import Api
    from flask_migrate import upgrade

    from contest import create_app
    from contest.extensions import db

    url = os.environ.get("DATABASE_URL") or "sqlite:///" + tempfile.mkdtemp() + "/bench.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATE_LIMIT_LOGIN": "1000 per minute",
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        round_id = build(app, winners)
        from contest.models import User

        db.session.scalar(db.select(User).filter_by(email="btc@bench.vn")).set_password("matkhau1")
        db.session.commit()
    api = Api(app.test_client())
    api.post("/api/v1/login", json={"login": "btc@bench.vn", "password": "matkhau1"})
    api.refresh_csrf()
    started = time.perf_counter()
    response = api.post(f"/api/v1/rounds/{round_id}/prizes/confirm")
    confirm_s = time.perf_counter() - started
    assert response.status_code == 200, response.json
    started, cpu = time.perf_counter(), time.process_time()
    response = api.get(f"/api/v1/rounds/{round_id}/certificates.pdf")
    batch_s, batch_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 200
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(response.data)).pages)
    print(
        f"Python {platform.python_version()}, {url.split(':')[0]}, load {os.getloadavg()[0]:.1f}"
        f": {winners} winners; confirm + issue {confirm_s:.2f} s; batch PDF {batch_s:.2f} s "
        f"({batch_cpu:.2f} s CPU), {pages} pages, {len(response.data) / 1e6:.1f} MB"
    )
    background(api, round_id)


def background(api, round_id: int) -> None:
    """The page's way: start the batch, follow its progress, download it."""
    from pypdf import PdfReader

    started = time.perf_counter()
    state = api.post("/api/v1/contests/bench/certificates/batch", json={"round_id": round_id}).json
    start_s, seen = time.perf_counter() - started, []
    while state["status"] == "running":
        time.sleep(0.5)
        state = api.get(state["status_url"]).json
        seen.append(state["done"])
    response = api.get(state["pdf_url"])
    total_s = time.perf_counter() - started
    assert state["status"] == "ready" and response.status_code == 200, state
    pages = len(PdfReader(io.BytesIO(response.data)).pages)
    print(
        f"background batch: started in {start_s:.2f} s, ready and downloaded in {total_s:.2f} s,"
        f" {pages} pages; progress seen {len(set(seen))} times "
        f"({', '.join(map(str, sorted(set(seen))[:6]))}, …)"
    )


if __name__ == "__main__":
    main()

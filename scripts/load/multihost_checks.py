"""The checks of scripts/load/multihost.py, each on the two running hosts (or the saves they
took): a session made on one host works on the other, the per-account login limit counts on
both, caches show a change made on the other host, the scheduler finalises a round once, and no
acknowledged save is lost when a host is killed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import requests

ORGANISER = ("bantochuc@demo.vn", "tochuc2026")
PARTICIPANT = ("0912345678", "thisinh2026")
SLUG = "tim-hieu-cai-cach-hanh-chinh"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def bearer(base: str, login: str, password: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/api/v1/login", json={"login": login, "password": password}, timeout=30
    )
    response.raise_for_status()
    session.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return session


def check_session(a, b) -> dict:
    session = requests.Session()
    csrf = session.get(f"{a.base}/api/v1/session", timeout=10).json()["csrf_token"]
    session.post(
        f"{a.base}/api/v1/login",
        json={"login": PARTICIPANT[0], "password": PARTICIPANT[1]},
        headers={"X-CSRFToken": csrf},
        timeout=30,
    ).raise_for_status()
    user = session.get(f"{b.base}/api/v1/session", timeout=10).json().get("user")
    return {"ok": bool(user), "user_on_b": (user or {}).get("full_name")}


def check_limit(a, b) -> dict:
    """Wrong passwords for one account (its own, made for this), alternately on A and B, until
    one answers 429."""
    account = "0915000001"
    requests.post(
        f"{a.base}/api/v1/register",
        json={
            "full_name": "Người thử giới hạn",
            "phone": account,
            "password": "matkhau-thu",
            "unit_code": "CL-PNV",
        },
        timeout=30,
    ).raise_for_status()
    statuses = []
    for i in range(30):
        host = a if i % 2 == 0 else b
        statuses.append(
            requests.post(
                f"{host.base}/api/v1/login",
                json={"login": account, "password": "sai-mat-khau"},
                timeout=30,
            ).status_code
        )
        if statuses[-1] == 429:
            break
    from contest.config import Defaults

    allowed = int(Defaults.RATE_LIMIT_LOGIN_ACCOUNT.split()[0])
    return {
        "ok": 429 in statuses and statuses.index(429) == allowed,
        "limit": Defaults.RATE_LIMIT_LOGIN_ACCOUNT,
        "first_429_at_try": (statuses.index(429) + 1 if 429 in statuses else None),
    }


def wait_for(predicate, seconds: float) -> float | None:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if predicate():
            return round(time.monotonic() - began, 2)
        time.sleep(0.25)
    return None


def new_round(base: str, organiser: requests.Session, bank_id: int, open_s: float, **fields) -> int:
    """A round of the demo contest, opened a minute ago and closing in `open_s` seconds."""
    now = datetime.now(UTC)
    response = organiser.post(
        f"{base}/api/v1/contests/{SLUG}/rounds",
        json={
            "opens_at": iso(now - timedelta(minutes=1)),
            "closes_at": iso(now + timedelta(seconds=open_s)),
            "bank_id": bank_id,
            "confirm_exposed": True,
            **fields,
        },
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["id"]


def check_cache(a, b, organiser: requests.Session, bank_id: int) -> dict:
    round_id = new_round(
        a.base,
        organiser,
        bank_id,
        2 * 86400,
        name="Đợt nhiều máy",
        question_count=5,
        time_limit_s=600,
        max_attempts=3,
        score_display="after_submit",
    )
    round_seen = wait_for(
        lambda: any(
            r["id"] == round_id
            for r in requests.get(f"{b.base}/api/v1/contests/{SLUG}", timeout=10).json()["rounds"]
        ),
        10,
    )
    board = f"{b.base}/api/v1/rounds/{round_id}/leaderboard"
    assert requests.get(board, timeout=10).json()["entries"] == []  # B has cached it empty
    participant = bearer(a.base, *PARTICIPANT)
    attempt = participant.post(f"{a.base}/api/v1/rounds/{round_id}/attempts", timeout=30).json()
    participant.post(
        f"{a.base}/api/v1/attempts/{attempt['id']}/submit", json={}, timeout=30
    ).raise_for_status()
    entry_seen = wait_for(lambda: requests.get(board, timeout=10).json()["entries"], 10)
    return {
        "ok": round_seen is not None and entry_seen is not None and entry_seen <= 5.5,
        "round_on_b_after_s": round_seen,
        "entry_on_b_after_s": entry_seen,
    }


def check_scheduler(a, organiser: requests.Session, bank_id: int, database: str) -> dict:
    round_id = new_round(
        a.base,
        organiser,
        bank_id,
        6,
        name="Đợt đóng sớm",
        question_count=5,
        time_limit_s=600,
        max_attempts=1,
        grace_s=0,
    )
    participant = bearer(a.base, *PARTICIPANT)
    attempt = participant.post(f"{a.base}/api/v1/rounds/{round_id}/attempts", timeout=30).json()
    import psycopg  # no request is made after the close: the database is read directly

    with psycopg.connect(
        database.replace("postgresql+psycopg", "postgresql"), autocommit=True
    ) as connection:

        def finalised():
            return (
                connection.execute(
                    "SELECT finalized_at FROM rounds WHERE id = %s", (round_id,)
                ).fetchone()[0]
                is not None
            )

        after = wait_for(finalised, 75)
        time.sleep(5)  # a second finalisation, if any, would have happened by now
        audits = connection.execute(
            "SELECT count(*) FROM audit_entries WHERE action = 'finalise_round' AND target = %s",
            (f"round:{round_id}",),
        ).fetchone()[0]
        status = connection.execute(
            "SELECT status FROM attempts WHERE id = %s", (attempt["id"],)
        ).fetchone()[0]
    return {
        "ok": after is not None and audits == 1 and status != "in_progress",
        "finalised_within_s_of_start": after,
        "finalise_audit_entries": audits,
        "open_attempt_now": status,
    }


def check_kill(records: list[tuple], killed_at: float, database: str) -> dict:
    """Every acknowledged save is stored (the stored seq is at least the highest acknowledged
    one for that attempt and question), and what happened to saves after the kill."""
    acknowledged: dict[tuple, int] = {}
    for _n, attempt_id, question_id, seq, _choice, status, _at in records:
        if status == 200:
            key = (attempt_id, question_id)
            acknowledged[key] = max(acknowledged.get(key, 0), seq)
    import psycopg

    with psycopg.connect(database, autocommit=True) as connection:
        stored = {
            (a, q): s
            for a, q, s in connection.execute("SELECT attempt_id, question_id, seq FROM answers")
        }
    lost = sum(1 for key, seq in acknowledged.items() if stored.get(key, -1) < seq)
    after = [r for r in records if r[6] > killed_at]
    after_ok = sum(1 for r in after if r[5] == 200)
    failed_after = [r for r in after if r[5] != 200]
    return {
        "ok": lost == 0 and after_ok > 0,
        "acknowledged_saves": sum(1 for r in records if r[5] == 200),
        "lost": lost,
        "saves_after_kill": len(after),
        "ok_after_kill": after_ok,
        "failed_after_kill": len(failed_after),
        "failed_statuses": sorted({r[5] for r in failed_after}),
    }

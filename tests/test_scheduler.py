"""The application finishes what the clock starts, with no cron and no page view: the
scheduler closes expired attempts and finalises a closed round, exactly once whatever the
number of runners (threads racing here, and two real processes on the same database)."""

import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import START, correct_choice_ids, iso
from sqlalchemy import func, select

from contest import jobs
from contest.extensions import db
from contest.models import Attempt, AuditEntry, Round, SchedulerLease
from contest.scheduler import LEASE, JobRunner, release_lease, take_lease

ROOT = Path(__file__).resolve().parents[1]


def abandon(app, api, round_id) -> dict:
    """Start, answer the first question correctly, and walk away."""
    attempt = api.post(f"/api/v1/rounds/{round_id}/attempts").json
    q = attempt["questions"][0]
    assert (
        api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": correct_choice_ids(app, q["id"]), "seq": 1},
        ).status_code
        == 200
    )
    return attempt


def finish(api, attempt) -> None:
    assert (
        api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={"prediction": 2}).status_code
        == 200
    )


def closing_round(make_round, **extra):
    return make_round(
        closes_at=iso(START + timedelta(minutes=20)),
        time_limit_s=600,
        grace_s=30,
        prediction="participant_count",
        **extra,
    )


def finalise_count(app, round_id=None) -> int:
    with app.app_context():
        query = select(func.count(AuditEntry.id)).where(AuditEntry.action == "finalise_round")
        if round_id is not None:
            query = query.where(AuditEntry.target == f"round:{round_id}")
        return db.session.scalar(query)


def assert_finalised_once(app, round_ids) -> None:
    """Each round finalised once, and no attempt left in progress."""
    for round_id in round_ids:
        assert finalise_count(app, round_id) == 1
    with app.app_context():
        left = select(func.count(Attempt.id)).where(Attempt.status == "in_progress")
        assert db.session.scalar(left) == 0


def wait_for(app, check, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            try:
                if check():
                    return True
            finally:
                db.session.remove()
        time.sleep(0.1)
    return False


def test_a_running_scheduler_finalises_a_round_with_no_request_after_the_close(
    app, make_round, register, clock, monkeypatch, organiser
):
    rnd = closing_round(make_round)
    left = abandon(app, register(phone="0912000101"), rnd["id"])
    done_api = register(phone="0912000102", name="Trần Thị Bình")
    finish(done_api, done_api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json)
    monkeypatch.setitem(app.config, "SCHEDULER_INTERVAL_S", 0.2)
    runner = JobRunner(app).start()
    try:
        clock.set(START + timedelta(minutes=10, seconds=31))  # the abandoned one's time is up
        assert wait_for(app, lambda: db.session.get(Attempt, left["id"]).status == "expired")
        with app.app_context():
            assert db.session.get(Round, rnd["id"]).finalized_at is None  # still open
        clock.set(START + timedelta(minutes=20, seconds=31))  # closed, grace over
        assert wait_for(app, lambda: db.session.get(Round, rnd["id"]).finalized_at is not None)
    finally:
        runner.stop()
    with app.app_context():
        attempt = db.session.get(Attempt, left["id"])
        assert attempt.submitted_at == attempt.deadline and attempt.score == 1
        assert db.session.get(Round, rnd["id"]).prediction_truth == 2
    assert finalise_count(app, rnd["id"]) == 1
    page = organiser.get(f"/to-chuc/dot-thi/{rnd['id']}").get_data(as_text=True)
    assert "Trần Thị Bình" in page.split('id="giai"')[1].split("</section>")[0]


def test_a_disabled_scheduler_does_not_start(app):
    from contest.scheduler import start_scheduler

    assert app.config["SCHEDULER_ENABLED"] is False
    assert start_scheduler(app) is None


def closed_rounds(app, make_round, register, clock, n=3):
    rounds = []
    for i in range(n):
        rnd = closing_round(make_round, name=f"Tuần {i + 1}")
        for j in range(2):
            abandon(app, register(phone=f"09120002{i}{j}"), rnd["id"])
        rounds.append(rnd["id"])
    clock.set(START + timedelta(minutes=21))
    return rounds


def race(n, work):
    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def go(i):
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_two_runners_racing_take_turns_by_the_lease(app, make_round, register, clock):
    rounds = closed_rounds(app, make_round, register, clock)
    runners = [JobRunner(app), JobRunner(app)]
    won = [0, 0]
    for _ in range(4):
        for i, ran in enumerate(race(2, lambda i: runners[i].run_once())):
            won[i] += ran
    assert sorted(won) == [0, 4]  # one holder, renewing its lease each run
    assert_finalised_once(app, rounds)


def test_racing_finalisers_without_the_lease_still_finalise_each_round_once(
    app, make_round, register, clock
):
    rounds = closed_rounds(app, make_round, register, clock)

    def finalise(_i):
        with app.app_context():
            try:
                return jobs.finalise_due_rounds(clock())
            finally:
                db.session.remove()

    done = race(3, finalise)
    assert sorted(r for d in done for r in d) == sorted(rounds)
    assert finalise_count(app) == len(rounds)


def test_the_lease_passes_only_once_expired_or_released(app, clock):
    now = START
    with app.app_context():
        assert take_lease(LEASE, "a", now, 30)
        assert not take_lease(LEASE, "b", now + timedelta(seconds=29), 30)
        assert take_lease(LEASE, "a", now + timedelta(seconds=29), 30)  # renewed
        assert not take_lease(LEASE, "b", now + timedelta(seconds=58), 30)
        assert take_lease(LEASE, "b", now + timedelta(seconds=60), 30)  # a died: b takes over
        release_lease(LEASE, "a", now + timedelta(seconds=61))  # not a's to release
        assert not take_lease(LEASE, "a", now + timedelta(seconds=61), 30)
        release_lease(LEASE, "b", now + timedelta(seconds=61))
        assert take_lease(LEASE, "a", now + timedelta(seconds=61), 30)
        assert db.session.scalar(select(func.count()).select_from(SchedulerLease)) == 1


PROCESS = """
import sys, time
from contest import create_app, jobs, timing
from contest.extensions import db
from contest.scheduler import JobRunner
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SCHEDULER_ENABLED": False})
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
if sys.argv[2] == "lease":
    runner = JobRunner(app)
    print(sum(runner.run_once() for _ in range(3)))
else:
    with app.app_context():
        print(len(jobs.finalise_due_rounds(timing.utcnow())))
"""


@pytest.mark.parametrize("mode", ["lease", "raw"])
def test_two_worker_processes_finalise_each_round_exactly_once(
    app, make_round, register, clock, mode
):
    real_now = datetime.now(UTC).replace(tzinfo=None).replace(microsecond=0)
    clock.set(real_now - timedelta(minutes=50))
    rounds = []
    for i in range(3):
        rnd = make_round(
            name=f"Tuần {i + 1}",
            opens_at=iso(real_now - timedelta(hours=1)),
            closes_at=iso(real_now - timedelta(minutes=30)),
            time_limit_s=600,
            grace_s=30,
            prediction="participant_count",
        )
        for j in range(2):
            abandon(app, register(phone=f"09120003{i}{j}"), rnd["id"])
        rounds.append(rnd["id"])
    start_at = str(time.time() + 4)  # both processes imported, then released together
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS, app.config["SQLALCHEMY_DATABASE_URI"], mode, start_at],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=90) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    counts = sorted(int(out.strip().splitlines()[-1]) for out, _err in outputs)
    if mode == "lease":  # one process held the lease and ran three times; the other none
        assert counts == [0, 3], counts
    else:  # both finalised, each round by one of them
        assert sum(counts) == 3, counts
    assert_finalised_once(app, rounds)
    with app.app_context():
        assert all(db.session.get(Round, r).prediction_truth == 2 for r in rounds)


def test_a_round_closed_early_is_finalised_by_the_next_run(
    app, organiser, make_round, register, clock
):
    rnd = make_round(prediction="participant_count")
    left = abandon(app, register(phone="0912000401"), rnd["id"])
    clock.advance(minutes=3)
    assert (
        organiser.post(
            f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "Đóng sớm theo chỉ đạo"}
        ).status_code
        == 200
    )
    runner = JobRunner(app)
    assert runner.run_once()
    assert finalise_count(app, rnd["id"]) == 0  # the grace is not over yet
    clock.advance(seconds=31)
    assert runner.run_once()
    assert finalise_count(app, rnd["id"]) == 1
    with app.app_context():
        attempt = db.session.get(Attempt, left["id"])
        assert attempt.status == "expired" and attempt.submitted_at == START + timedelta(minutes=3)
    assert organiser.get(f"/api/v1/rounds/{rnd['id']}").json["finalized_at"] == iso(
        START + timedelta(minutes=3, seconds=31)
    )


def test_the_app_factory_and_gunicorns_worker_hook_start_one_runner_each(
    app, monkeypatch, make_app
):
    import runpy

    from contest.scheduler import stop_scheduler

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    started = make_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_ENABLED": True, "SCHEDULER_INTERVAL_S": 3600}
    )
    try:
        runner = started.extensions["job_runner"]
        assert runner.scheduler.running and runner.scheduler.get_job(LEASE)
    finally:
        stop_scheduler(started)
    assert not runner.scheduler.running
    # gunicorn: the config file defers the start to each worker, after the fork
    for name in ("CONTEST_SCHEDULER_ENABLED", "CONTEST_SCHEDULER_START"):
        monkeypatch.setenv(name, "")  # so that what the config file sets is undone after
        monkeypatch.delenv(name)
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    deferred = make_app({"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_INTERVAL_S": 3600})
    assert deferred.config["SCHEDULER_ENABLED"] is True
    assert "job_runner" not in deferred.extensions  # not in the master

    class Worker:
        wsgi = deferred

    hooks["post_worker_init"](Worker())
    try:
        assert deferred.extensions["job_runner"].scheduler.running
    finally:
        hooks["worker_exit"](None, Worker())
    assert not deferred.extensions["job_runner"].scheduler.running


def test_an_attempt_that_read_the_old_close_still_ends_at_the_new_one(
    app, organiser, make_round, register, clock
):
    """A start racing an early close can store a deadline past the new close; the next run
    brings it back to the close, and the attempt is scored there."""
    from sqlalchemy import update

    rnd = make_round()
    left = abandon(app, register(phone="0912000501"), rnd["id"])
    clock.advance(minutes=2)
    assert (
        organiser.post(f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "Sự cố"}).status_code
        == 200
    )
    with app.app_context():  # as if the start had committed just after the close
        db.session.execute(
            update(Attempt)
            .where(Attempt.id == left["id"])
            .values(deadline=START + timedelta(minutes=10))
        )
        db.session.commit()
    clock.advance(seconds=5)  # the next run, still in the grace
    runner = JobRunner(app)
    assert runner.run_once()
    with app.app_context():
        assert db.session.get(Attempt, left["id"]).deadline == START + timedelta(minutes=2)
    clock.advance(seconds=26)
    assert runner.run_once()
    with app.app_context():
        attempt = db.session.get(Attempt, left["id"])
        assert attempt.status == "expired" and attempt.submitted_at == START + timedelta(minutes=2)

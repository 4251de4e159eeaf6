"""Units' participation figures: one aggregate, the same as counted one by one, cached for the
public pages."""

from sqlalchemy import func, select, update
from test_results import play

from contest.extensions import cache, db
from contest.models import Entry, Participation, Unit, User
from contest.ranking import unit_stats


def reference_figures(round_ids, level):
    """The former query: one aggregate over the entries joined to their units."""
    home = func.coalesce(Unit.parent_id, Unit.id) if level == "top" else Unit.id
    rows = db.session.execute(
        select(
            home,
            func.count(func.distinct(Entry.user_id)),
            func.count(Entry.id),
            func.avg(Entry.score),
        )
        .join(Unit, Unit.id == Entry.unit_id)
        .where(Entry.round_id.in_(round_ids), Entry.voided.is_(False))
        .group_by(home)
    ).all()
    return {
        unit_id: (people, entries, round(float(avg), 2)) for unit_id, people, entries, avg in rows
    }


def _move(app, phone, unit_code):
    """The person's unit in the contest changes (closed rounds' entries keep theirs)."""
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(phone=phone))
        user.unit_id = db.session.scalar(select(Unit.id).filter_by(code=unit_code))
        db.session.execute(
            update(Participation)
            .where(Participation.user_id == user.id)
            .values(unit_id=user.unit_id)
        )
        db.session.commit()


def _selectable(app, code):
    with app.app_context():
        db.session.execute(update(Unit).where(Unit.code == code).values(selectable=True))
        db.session.commit()


def test_unit_figures_match_one_aggregate(app, make_round, register, clock):
    first, second = make_round(), make_round(name="Tuần 2")
    _selectable(app, "UB")  # a unit with units under it that people also work in
    people = {
        p: register(phone=p, unit=u)
        for p, u in (
            ("0912000801", "PNV"),
            ("0912000802", "PNV"),
            ("0912000803", "PTC"),
            ("0912000804", "UB"),
        )
    }
    play(app, people["0912000801"], first["id"], 5, clock, 10)
    play(app, people["0912000802"], first["id"], 3, clock, 20)
    play(app, people["0912000803"], first["id"], 4, clock, 10)
    _move(app, "0912000801", "PTC")  # counts under PNV in week 1, under PTC in week 2
    play(app, people["0912000801"], second["id"], 2, clock, 10)
    play(app, people["0912000803"], second["id"], 5, clock, 10)
    play(app, people["0912000804"], second["id"], 1, clock, 10)
    with app.app_context():
        voided = db.session.scalar(
            select(Entry).filter_by(round_id=second["id"]).order_by(Entry.score.desc())
        )
        voided.voided = True
        db.session.commit()
        org = db.session.scalar(select(Unit.unit_list_id).limit(1))
        for round_ids in ([first["id"]], [second["id"]], [first["id"], second["id"]]):
            for level in ("unit", "top"):
                expected = reference_figures(round_ids, level)
                for basis in ("participation_rate", "average_score", "entries"):
                    stats = unit_stats(org, round_ids, level=level, basis=basis)
                    got = {
                        s.unit.id: (s.participants, s.entries, s.average_score)
                        for s in stats
                        if s.entries
                    }
                    assert got == expected, (round_ids, level)
                    assert [s.rank for s in stats] == list(range(1, len(stats) + 1))
        both = unit_stats(org, [first["id"], second["id"]], level="top")
        assert [(s.unit.code, s.participants, s.entries) for s in both] == [("UB", 4, 5)]


def test_unit_figures_cached_for_public_pages(app, make_round, register, clock):
    rnd = make_round()
    play(app, register(phone="0912000901", unit="PNV"), rnd["id"], 4, clock, 10)
    with app.app_context():
        cache.clear()
        org = db.session.scalar(select(Unit.unit_list_id).limit(1))

        def participants(**kw):
            return {s.unit.code: s.participants for s in unit_stats(org, [rnd["id"]], **kw)}

        assert participants(cache_s=60)["PTC"] == 0
    play(app, register(phone="0912000902", unit="PTC"), rnd["id"], 3, clock, 10)
    with app.app_context():
        assert participants(cache_s=60)["PTC"] == 0  # served from the cache
        assert participants()["PTC"] == 1  # organisers' figures are always fresh
    assert app.config["LEADERBOARD_CACHE_S"] == 0  # so the API answers fresh figures here
    ranking = app.test_client().get(f"/api/v1/contests/thu/units/ranking?round_id={rnd['id']}")
    assert {r["unit_code"]: r["participants"] for r in ranking.json}["PTC"] == 1

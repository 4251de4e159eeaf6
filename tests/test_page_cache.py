"""The anonymous home and contest pages are served from the cache (contest/page_cache.py), and
any change by an organiser, or a round opening or closing by the clock, shows on the next
request; nothing personal is ever served from it."""

import socket
from datetime import timedelta

import pytest
from conftest import START, iso

from contest import create_app
from contest.extensions import cache


@pytest.fixture
def cached(app):
    app.config["PAGE_CACHE_S"] = 300
    with app.app_context():
        cache.clear()
    yield app
    app.config["PAGE_CACHE_S"] = 0
    with app.app_context():
        cache.clear()


def visitor(app, lang=None):
    client = app.test_client()
    if lang:
        client.get(f"/ngon-ngu/{lang}")
    return client


def test_served_from_cache_until_an_organiser_changes_it(cached, organiser, make_round, clock):
    rnd = make_round()
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Cuộc thi thử" in page and "Tuần 1" in page
    assert "Cuộc thi thử" in visitor(cached).get("/").text
    with cached.app_context():  # a write behind the app's back is not seen: it is cached
        from contest.extensions import db
        from contest.models import Contest

        db.session.execute(Contest.__table__.update().values(title="Lén đổi tên"))
        db.session.commit()
    assert "Lén đổi tên" not in visitor(cached).get("/cuoc-thi/thu").text

    # every organiser action shows at once, on both pages
    assert organiser.put("/api/v1/contests/thu", json={"title": "Tên mới"}).status_code == 200
    assert "Tên mới" in visitor(cached).get("/cuoc-thi/thu").text
    assert "Tên mới" in visitor(cached).get("/").text
    assert organiser.patch(f"/api/v1/rounds/{rnd['id']}", json={"name": "Tuần đầu"}).status_code
    assert "Tuần đầu" in visitor(cached).get("/cuoc-thi/thu").text
    second = make_round(name="Tuần hai", opens_at=iso(START + timedelta(days=8)))
    assert "Tuần hai" in visitor(cached).get("/cuoc-thi/thu").text
    assert organiser.delete(f"/api/v1/rounds/{second['id']}").status_code in (200, 204)
    assert "Tuần hai" not in visitor(cached).get("/cuoc-thi/thu").text
    assert organiser.post(f"/api/v1/rounds/{rnd['id']}/close", json={}).status_code == 200
    assert "Tuần đầu kết thúc sau" not in visitor(cached).get("/cuoc-thi/thu").text


def test_clock_opens_and_closes_rounds_without_a_write(cached, make_round, clock):
    make_round(opens_at=iso(START + timedelta(hours=1)), closes_at=iso(START + timedelta(hours=3)))
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Tuần 1 bắt đầu sau" in page or "bắt đầu" in page
    assert "Cuộc thi thử" in visitor(cached).get("/").text
    clock.advance(hours=1, seconds=1)
    assert "Tuần 1 kết thúc sau" in visitor(cached).get("/cuoc-thi/thu").text
    clock.advance(hours=2)
    assert "Tuần 1 kết thúc sau" not in visitor(cached).get("/cuoc-thi/thu").text
    assert "Cuộc thi thử" not in visitor(cached).get("/").text  # nothing open or to come


def test_no_personal_content_served_to_anyone_else(cached, make_round, register, clock):
    make_round()
    person = register(name="Trần Thị Bình")
    mine = person.client.get("/cuoc-thi/thu").text if hasattr(person, "client") else None
    anon = visitor(cached)
    first = anon.get("/cuoc-thi/thu").text
    other = visitor(cached).get("/cuoc-thi/thu").text
    assert "Trần Thị Bình" not in first and "Trần Thị Bình" not in other
    if mine is not None:
        assert "Trần Thị Bình" in mine
        assert "Trần Thị Bình" not in visitor(cached).get("/cuoc-thi/thu").text

    def token(html):
        return html.split('name="csrf-token" content="')[1].split('"')[0]

    assert token(first) != token(other)  # each visitor's own token, not the first one's
    with anon.session_transaction() as session:  # a flash waiting: rendered fresh, once
        session["_flashes"] = [("info", "Thông báo riêng")]
    assert "Thông báo riêng" in anon.get("/cuoc-thi/thu").text
    assert "Thông báo riêng" not in visitor(cached).get("/cuoc-thi/thu").text


def test_languages_cached_apart(cached, make_round, clock):
    make_round()
    vi = visitor(cached).get("/cuoc-thi/thu")
    en = visitor(cached, "en").get("/cuoc-thi/thu")
    assert vi.headers["Content-Language"] == "vi" and en.headers["Content-Language"] == "en"
    assert 'lang="vi"' in vi.text and 'lang="en"' in en.text
    assert 'lang="vi"' in visitor(cached).get("/").text
    assert 'lang="en"' in visitor(cached, "en").get("/").text


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis does not answer on 127.0.0.1:6379")
def test_with_redis(app, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/12")
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PAGE_CACHE_S": 300,
        }
    )
    assert other.config["CACHE_TYPE"] == "RedisCache"
    from contest import page_cache

    with other.app_context():
        cache.clear()
        before = page_cache.generation()
        page_cache.content_changed()
        assert page_cache.generation() == before + 1
        with other.test_request_context("/"):
            html = page_cache.cached_page("t", "vi", START, lambda: ("<p>một</p>", None))
            again = page_cache.cached_page("t", "vi", START, lambda: ("<p>hai</p>", None))
            assert html == again == "<p>một</p>"
            page_cache.content_changed()
            assert page_cache.cached_page("t", "vi", START, lambda: ("<p>ba</p>", None)) == (
                "<p>ba</p>"
            )
            later = START + timedelta(minutes=1)
            ends = page_cache.cached_page("u", "vi", START, lambda: ("<p>1</p>", later))
            assert ends == "<p>1</p>"
            assert page_cache.cached_page("u", "vi", later, lambda: ("<p>2</p>", None)) == (
                "<p>2</p>"
            )
        cache.clear()

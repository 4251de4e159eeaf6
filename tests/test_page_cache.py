"""The anonymous home and contest pages are served from the cache (contest/page_cache.py), and
any change by an organiser, or a round opening or closing by the clock, shows on the next
request; nothing personal is ever served from it."""

import re
import secrets
import socket
from datetime import timedelta

import pytest
from conftest import START, iso
from sqlalchemy import text

from contest.extensions import cache, db
from contest.timing import format_local


def visitor(app, lang=None):
    client = app.test_client()
    if lang:
        client.get(f"/ngon-ngu/{lang}")
    return client


def sneak_title(app, title):
    """A write outside the ORM's sight (raw SQL on its own connection): the cache cannot know."""
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(text("UPDATE contests SET title = :t"), {"t": title})


def test_served_from_cache_until_an_organiser_changes_it(cached, organiser, make_round, clock):
    rnd = make_round()
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Cuộc thi thử" in page and "Tuần 1" in page
    assert "Cuộc thi thử" in visitor(cached).get("/").text
    sneak_title(cached, "Lén đổi tên")  # the next visitors get the stored pages
    assert "Cuộc thi thử" in visitor(cached).get("/cuoc-thi/thu").text
    assert "Lén đổi tên" not in visitor(cached).get("/").text

    # every organiser action shows at once, on both pages
    assert organiser.put("/api/v1/contests/thu", json={"title": "Tên mới"}).status_code == 200
    assert "Tên mới" in visitor(cached).get("/cuoc-thi/thu").text
    assert "Tên mới" in visitor(cached).get("/").text
    new_close = START + timedelta(days=5)
    moved = organiser.call(
        "PATCH", f"/api/v1/rounds/{rnd['id']}", json={"closes_at": iso(new_close)}
    )
    assert moved.status_code == 200, moved.json
    assert format_local(new_close) in visitor(cached).get("/cuoc-thi/thu").text
    second = make_round(
        name="Tuần hai",
        opens_at=iso(START + timedelta(days=8)),
        closes_at=iso(START + timedelta(days=15)),
    )
    assert "Tuần hai" in visitor(cached).get("/cuoc-thi/thu").text
    renamed = organiser.call("PATCH", f"/api/v1/rounds/{second['id']}", json={"name": "Tuần sau"})
    assert renamed.status_code == 200, renamed.json
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Tuần sau" in page and "Tuần hai" not in page
    assert organiser.call("DELETE", f"/api/v1/rounds/{second['id']}").status_code == 204
    assert "Tuần sau" not in visitor(cached).get("/cuoc-thi/thu").text
    closed = organiser.post(f"/api/v1/rounds/{rnd['id']}/close", json={"reason": "Sự cố mạng"})
    assert closed.status_code == 200, closed.json
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Tuần 1 kết thúc sau" not in page and "Đã kết thúc" in page
    assert "Tên mới" not in visitor(cached).get("/").text  # nothing open or to come


def test_clock_opens_and_closes_rounds_without_a_write(cached, make_round, clock):
    make_round(opens_at=iso(START + timedelta(hours=1)), closes_at=iso(START + timedelta(hours=3)))
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Tuần 1 mở sau" in page and "Sắp mở" in page
    assert "Cuộc thi thử" in visitor(cached).get("/").text
    sneak_title(cached, "Lén đổi tên")  # stored: only the clock moves on from here
    assert "Tuần 1 mở sau" in visitor(cached).get("/cuoc-thi/thu").text
    clock.advance(hours=1, seconds=1)
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Tuần 1 kết thúc sau" in page and "Đang mở" in page
    clock.advance(hours=2)
    page = visitor(cached).get("/cuoc-thi/thu").text
    assert "Tuần 1 kết thúc sau" not in page and "Đã kết thúc" in page
    assert "Lén đổi tên" not in visitor(cached).get("/").text  # nothing open or to come


def test_no_personal_content_served_to_anyone_else(cached, make_round, register, clock):
    make_round()
    anon = visitor(cached)
    first = anon.get("/cuoc-thi/thu").text  # stored
    person = register(name="Trần Thị Bình")
    mine = person.client.get("/cuoc-thi/thu").text
    assert "Trần Thị Bình" in mine and "Đăng xuất" in mine  # a fresh render for the signed-in
    assert "Bắt đầu thi" in mine and "Đăng nhập để thi" not in mine
    home = person.client.get("/").text
    assert "Trần Thị Bình" in home
    other = visitor(cached).get("/cuoc-thi/thu").text
    assert "Trần Thị Bình" not in other and "Đăng nhập để thi" in other
    assert "Trần Thị Bình" not in visitor(cached).get("/").text

    def token(html):
        return html.split('name="csrf-token" content="')[1].split('"')[0]

    assert token(first) != token(other)  # each visitor's own token, not the first one's
    assert token(mine) not in (token(first), token(other))
    with anon.session_transaction() as session:  # a flash waiting: rendered fresh, once
        session["_flashes"] = [("info", "Thông báo riêng")]
    assert "Thông báo riêng" in anon.get("/cuoc-thi/thu").text
    assert "Thông báo riêng" not in visitor(cached).get("/cuoc-thi/thu").text
    assert "Thông báo riêng" not in anon.get("/cuoc-thi/thu").text


def test_the_address_asked_is_not_served_to_others(cached, make_round, clock):
    make_round()
    forged = cached.test_client().get("/cuoc-thi/thu", headers={"Host": "evil.example"})
    assert "evil.example" in forged.text
    assert "evil.example" not in visitor(cached).get("/cuoc-thi/thu").text


def test_languages_cached_apart(cached, make_round, clock):
    make_round()
    vi = visitor(cached).get("/cuoc-thi/thu")
    en = visitor(cached, "en").get("/cuoc-thi/thu")
    assert vi.headers["Content-Language"] == "vi" and en.headers["Content-Language"] == "en"
    assert 'lang="vi"' in vi.text and 'lang="en"' in en.text
    assert "Đăng nhập để thi" in vi.text and "Đăng nhập để thi" not in en.text
    assert 'lang="vi"' in visitor(cached).get("/cuoc-thi/thu").text
    assert 'lang="en"' in visitor(cached, "en").get("/cuoc-thi/thu").text
    assert 'lang="vi"' in visitor(cached).get("/").text
    assert 'lang="en"' in visitor(cached, "en").get("/").text
    assert 'lang="vi"' in visitor(cached).get("/").text


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis does not answer on 127.0.0.1:6379")
def test_with_redis(app, monkeypatch, make_app):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/12")
    other = make_app(
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
        assert page_cache.generation() not in (before, None)
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


# --- the Host header -----------------------------------------------------------------------


def _entries(app, marker: str) -> set:
    """The stored page entries whose address holds `marker`, in process or in Redis."""
    with app.app_context():
        store = cache.cache
        if hasattr(store, "_cache"):
            keys = list(store._cache)
        else:
            prefix = store.key_prefix
            found = store._read_client.scan_iter(f"{prefix}page:*{marker}*")
            keys = [k.decode()[len(prefix) :] for k in found]
    return {k for k in keys if k.startswith("page:") and marker in k}


def _links(response) -> set:
    return set(re.findall(r"https?://[^<\"' ]*/cuoc-thi/thu", response.text))


def _invented_hosts_add_no_entry(app, domain: str) -> None:
    """With the site's names set: its one address is stored once, however spelled; any other
    name (another host, a port, a trailing dot) is rendered fresh with its own links and
    stored nowhere."""
    app.config["PAGE_CACHE_HOSTS"] = [f"thi.{domain}"]
    try:
        for host in (f"thi.{domain}", f"THI.{domain.upper()}", f"thi.{domain}:80"):
            page = app.test_client().get("/cuoc-thi/thu", headers={"Host": host})
            assert page.status_code == 200 and _links(page) == {f"http://thi.{domain}/cuoc-thi/thu"}
        assert len(_entries(app, domain)) == 1
        for host in [f"a{i}.{domain}" for i in range(5)] + [f"thi.{domain}:8080", f"thi.{domain}."]:
            page = app.test_client().get("/cuoc-thi/thu", headers={"Host": host})
            assert page.status_code == 200 and _links(page) == {f"http://{host}/cuoc-thi/thu"}
        assert len(_entries(app, domain)) == 1, _entries(app, domain)
        evil = app.test_client().get("/cuoc-thi/thu", headers={"Host": "evil.example"})
        assert _links(evil) == {"http://evil.example/cuoc-thi/thu"}
        assert not _entries(app, "evil.example")
        plain = app.test_client().get("/cuoc-thi/thu", headers={"Host": f"thi.{domain}"})
        assert _links(plain) == {f"http://thi.{domain}/cuoc-thi/thu"}
    finally:
        app.config["PAGE_CACHE_HOSTS"] = None


def test_with_the_sites_names_set_invented_hosts_add_no_entry(cached, make_round, clock):
    make_round()
    _invented_hosts_add_no_entry(cached, "thi-host.test")


def test_without_names_one_entry_an_address_never_another_addresss_links(cached, make_round, clock):
    make_round()
    for host in ("Thi.Example.TEST", "thi.example.test:80", "thi.example.test"):
        page = cached.test_client().get("/cuoc-thi/thu", headers={"Host": host})
        assert _links(page) == {"http://thi.example.test/cuoc-thi/thu"}
    assert len(_entries(cached, "example.test")) == 1
    odd = cached.test_client().get("/cuoc-thi/thu", headers={"Host": "a b"})  # no name at all
    assert odd.status_code == 200 and len(_entries(cached, "page:contest")) == 1
    dotted = cached.test_client().get("/cuoc-thi/thu", headers={"Host": "thi.example.test."})
    assert _links(dotted) == {"http://thi.example.test./cuoc-thi/thu"}
    again = cached.test_client().get("/cuoc-thi/thu", headers={"Host": "thi.example.test"})
    assert _links(again) == {"http://thi.example.test/cuoc-thi/thu"}


@pytest.mark.skipif(not _redis_up(), reason="Redis does not answer on 127.0.0.1:6379")
def test_with_redis_invented_hosts_add_no_entry(app, make_round, clock, monkeypatch, make_app):
    make_round()
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/12")
    shared = make_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PAGE_CACHE_S": 300,
        }
    )
    assert shared.config["CACHE_TYPE"] == "RedisCache"
    domain = f"r{secrets.token_hex(4)}.test"  # this run's own keys in the shared Redis
    _invented_hosts_add_no_entry(shared, domain)

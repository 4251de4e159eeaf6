"""The English catalogue is complete and current, and the app speaks it when asked to.

Vietnamese is the source language; translations/en holds English. A new string wrapped in
_() / _l() without an English translation fails test_catalogue_is_current. To update:
    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-wrap \\
        -o translations/messages.pot .
    .venv/bin/pybabel update -i translations/messages.pot -d translations --no-wrap
    (translate the new entries in translations/en/LC_MESSAGES/messages.po)
    .venv/bin/pybabel compile -d translations
"""

import gettext
import io
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from conftest import Api
from flask import render_template_string

from contest.i18n import safe_next

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[a-z]|%%|\{\w*\}")


def read_catalogue(path: Path):
    with path.open("rb") as f:
        return read_po(f)


def translations_of(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue(PO)


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory):
    """The strings in the code now, extracted as the documented command does."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-wrap",
            "-o",
            str(out),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return read_catalogue(out)


# (a) complete


def test_catalogue_is_complete(catalogue):
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 400
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy: pybabel compile skips it"
    empty = [m.id for m in messages if not all(translations_of(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not empty, f"{len(empty)} strings without an English translation: {empty[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy translations to review: {fuzzy[:10]}"


def test_translations_keep_their_placeholders(catalogue):
    """%(n)d, {n} and %% must survive translation, or formatting breaks (or raises)."""
    problems = [(m.id, errors) for m, errors in catalogue.check()]
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[0])))
        for text in translations_of(m):
            if sorted(set(PLACEHOLDER.findall(text))) != wanted:
                problems.append((m.id, text))
    assert not problems


def test_translations_are_not_copies_of_the_vietnamese(catalogue):
    """A Vietnamese string "translated" by copying it is a miss (pasted to silence the tests)."""
    vietnamese = re.compile(
        r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE
    )
    copies = [
        m.id
        for m in catalogue
        if m.id
        and vietnamese.search(str(m.id))
        and any(text == (m.id if isinstance(m.id, str) else m.id[0]) for text in translations_of(m))
    ]
    assert not copies


# (b) current


def test_catalogue_is_current(catalogue, fresh_template):
    """Every string in the code has an entry in the English catalogue (pybabel update)."""
    translated = {m.id: m for m in catalogue if m.id}
    missing = [m.id for m in fresh_template if m.id and m.id not in translated]
    assert not missing, (
        f"{len(missing)} new strings without an English translation "
        f"(run pybabel extract/update, translate, compile): {missing[:10]}"
    )
    untranslated = [
        m.id for m in fresh_template if m.id and not all(translations_of(translated[m.id]))
    ]
    assert not untranslated


# (c) the .mo matches the .po


def test_compiled_catalogue_is_current(catalogue):
    buffer = io.BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with MO.open("rb") as f:
        committed = gettext.GNUTranslations(f)
    # _catalog: msgid -> msgstr, as gettext reads it; the header ("") differs only in dates
    fresh_map = {k: v for k, v in fresh._catalog.items() if k}
    committed_map = {k: v for k, v in committed._catalog.items() if k}
    assert committed_map == fresh_map, "translations/*.mo is stale: run pybabel compile"


# (d) through the app


def test_vietnamese_by_default_whatever_the_browser_says(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.status_code == 200
    assert "Đăng nhập" in page.text and 'lang="vi"' in page.text
    assert page.headers["Content-Language"] == "vi" and "Cookie" in page.headers["Vary"]
    assert "/ngon-ngu/en?next=/" in page.text and "English" in page.text
    client.set_cookie("lang", "fr")  # an unknown language is ignored
    assert "Đăng nhập" in client.get("/").text


def test_switching_to_english_and_back(client):
    switch = client.get("/ngon-ngu/en?next=/")
    assert switch.status_code == 303 and switch.headers["Location"] == "/"
    cookie = switch.headers["Set-Cookie"]
    assert cookie.startswith("lang=en;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    assert 'lang="en"' in page.text and page.headers["Content-Language"] == "en"
    assert "Log in" in page.text and "Register" in page.text and "Đăng nhập" not in page.text
    assert "Tiếng Việt" in page.text  # the way back
    assert client.get("/dang-nhap").status_code == 200
    assert "Password" in client.get("/dang-nhap").text

    assert client.get("/ngon-ngu/vi?next=/dang-nhap").headers["Location"] == "/dang-nhap"
    page = client.get("/")
    assert "Đăng nhập" in page.text and "Log in" not in page.text and 'lang="vi"' in page.text


def test_api_errors_speak_the_clients_language(app):
    client = app.test_client()
    client.get("/ngon-ngu/en")
    response = client.get("/api/v1/khong-co")
    assert response.status_code == 404 and response.json["error"]["message"] == "Not found."
    api = Api(client)
    bad = api.login("0912000009", "sai-mat-khau")
    assert bad.status_code == 401
    assert bad.json["error"]["message"] == "Wrong phone number/email or password."
    other = app.test_client()  # another client, no cookie: still Vietnamese
    assert other.get("/api/v1/khong-co").json["error"]["message"] == "Không tìm thấy."
    client.get("/ngon-ngu/vi")
    assert client.get("/api/v1/khong-co").json["error"]["message"] == "Không tìm thấy."


def test_switch_rejects_unknown_languages_and_foreign_redirects(client):
    assert client.get("/ngon-ngu/fr").status_code == 404
    cookies = client.get("/ngon-ngu/xx?next=/").headers.getlist("Set-Cookie")
    assert not [c for c in cookies if c.startswith("lang=")]
    for target in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "evil",
        "javascript:alert(1)",
        "/\r\nSet-Cookie: a=b",
        "",
    ):
        response = client.get("/ngon-ngu/en", query_string={"next": target})
        assert response.status_code == 303 and response.headers["Location"] == "/", target
    kept = client.get("/ngon-ngu/en", query_string={"next": "/cuoc-thi/thu?trang=2"})
    assert kept.headers["Location"] == "/cuoc-thi/thu?trang=2"
    assert safe_next("/bang-xep-hang/3") == "/bang-xep-hang/3"


def test_the_switcher_comes_back_to_the_same_page(client):
    page = client.get("/dang-nhap?next=/to-chuc/")
    assert "/ngon-ngu/en?next=/dang-nhap?next%3D/to-chuc/" in page.text
    back = client.get("/ngon-ngu/en?next=/dang-nhap?next%3D/to-chuc/")
    assert back.headers["Location"] == "/dang-nhap?next=/to-chuc/"


NOON = datetime(2026, 11, 22, 6, 52)  # 13:52 in Hà Nội


def render_in(app, lang: str, source: str, **context) -> str:
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        return render_template_string(source, **context).replace("\u202f", " ")


def test_numbers_and_dates_follow_the_language(app):
    source = (
        "{{ n|number }}|{{ x|number }}|{{ r|percent }}|{{ t|local }}|{{ t|local('%d/%m %H:%M') }}"
    )
    values = {"n": 12345, "x": 1234.5, "r": 0.1234, "t": NOON}
    assert render_in(app, "vi", source, **values) == (
        "12.345|1.234,50|12,3%|13:52 22/11/2026|22/11 13:52"
    )
    assert render_in(app, "en", source, **values) == (
        "12,345|1,234.50|12.3%|Nov 22, 2026, 1:52 PM|22/11 13:52"
    )
    empty = "{{ none|number }}{{ none|percent }}{{ none|local }}"
    assert render_in(app, "en", empty, none=None) == ""


def test_pages_show_english_dates_and_labels(app, runner):
    runner.invoke(args=["demo"])
    client = app.test_client()
    vietnamese = client.get("/").text
    assert "Đang mở" in vietnamese and re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", vietnamese)
    client.get("/ngon-ngu/en")
    english = client.get("/").text
    assert "Open" in english and "Đang mở" not in english
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M", english)
    assert not re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", english)

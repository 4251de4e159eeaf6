"""Passwords are stored as Argon2id at OWASP's minimum cost; an older hash (werkzeug's scrypt)
still signs in, and is replaced by an Argon2id one at that login."""

from conftest import csrf_from
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from contest.extensions import db
from contest.models import User
from contest.passwords import hash_password, needs_rehash, verify_password


def _hash_of(app, phone):
    with app.app_context():
        return db.session.scalar(select(User.password_hash).filter_by(phone=phone))


def test_new_passwords_are_argon2id_at_owasp_minimum(app, register):
    register(phone="0912000101")
    stored = _hash_of(app, "0912000101")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(stored, "matkhau1") and not verify_password(stored, "matkhau2")
    assert not needs_rehash(stored)


def test_an_old_scrypt_hash_signs_in_and_is_upgraded_then(app, register, client):
    register(phone="0912000102")
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(phone="0912000102"))
        user.password_hash = generate_password_hash("matkhau1", method="scrypt")
        db.session.commit()
    old = _hash_of(app, "0912000102")
    assert needs_rehash(old)
    # a wrong password changes nothing
    assert (
        client.post(
            "/api/v1/login", json={"login": "0912000102", "password": "sai-mat-khau"}
        ).status_code
        == 401
    )
    assert _hash_of(app, "0912000102") == old
    # the right one signs in, through the old hash, and leaves an Argon2id hash behind
    response = client.post("/api/v1/login", json={"login": "0912000102", "password": "matkhau1"})
    assert response.status_code == 200
    upgraded = _hash_of(app, "0912000102")
    assert upgraded.startswith("$argon2id$") and verify_password(upgraded, "matkhau1")
    # and the page login works on it too
    page = app.test_client()
    token = csrf_from(page.get("/dang-nhap").get_data(as_text=True))
    assert page.post(
        "/dang-nhap", data={"login": "0912000102", "password": "matkhau1", "csrf_token": token}
    ).status_code in (302, 303)


def test_a_mangled_hash_is_refused_not_an_error():
    assert not verify_password("$argon2id$v=19$m=19456,t=2,p=1$broken", "x")
    assert needs_rehash("$argon2id$v=19$broken") and needs_rehash("pbkdf2:sha256:1$a$b")
    assert verify_password(hash_password("mật khẩu có dấu"), "mật khẩu có dấu")


def test_libsodium_and_the_reference_implementation_make_and_read_the_same_hashes():
    """The hash libsodium makes is the one argon2-cffi would (same parameters and lengths: no
    rehash), each checks the other's, and a hash libsodium does not compute (four lanes) is
    checked by argon2-cffi and replaced at the next login."""
    from argon2 import PasswordHasher

    reference = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    ours = hash_password("matkhau1")
    assert reference.verify(ours, "matkhau1") and not reference.check_needs_rehash(ours)
    assert not needs_rehash(ours)
    theirs = reference.hash("matkhau1")
    assert verify_password(theirs, "matkhau1") and not verify_password(theirs, "matkhau2")
    lanes = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=4).hash("matkhau1")
    assert verify_password(lanes, "matkhau1") and not verify_password(lanes, "sai")
    assert needs_rehash(lanes)
    assert not verify_password(ours, "matkhau2") and not verify_password(ours[:-4], "matkhau1")

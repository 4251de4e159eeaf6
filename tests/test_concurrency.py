"""Simultaneous saves, starts and registrations: no error, one attempt and one account each."""

import threading

from conftest import Api


def _parallel(count, work):
    results, threads = [None] * count, []
    for i in range(count):
        threads.append(threading.Thread(target=lambda i=i: results.__setitem__(i, work(i))))
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_simultaneous_saves_and_starts_never_fail(app, make_round, register, clock):
    rnd = make_round(max_attempts=0)
    people = [register(phone=f"09120003{i:02d}") for i in range(6)]
    starts = _parallel(
        12, lambda i: people[i % 6].post(f"/api/v1/rounds/{rnd['id']}/attempts").status_code
    )
    assert sorted(starts) == [200] * 6 + [201] * 6
    attempts = [p.post(f"/api/v1/rounds/{rnd['id']}/attempts").json for p in people]

    def save(i):
        api, attempt = people[i % 6], attempts[i % 6]
        q = attempt["questions"][i % 5]
        return api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": [q["choices"][0]["id"]], "seq": i + 1},
        ).status_code

    assert set(_parallel(60, save)) == {200}


def test_simultaneous_registrations_answer_409_not_500(app, organiser):
    def go(_i):
        return (
            Api(app.test_client())
            .post(
                "/api/v1/register",
                json={
                    "full_name": "Đỗ Văn Em",
                    "phone": "0933333333",
                    "password": "matkhau1",
                    "unit_code": "PNV",
                },
            )
            .status_code
        )

    codes = _parallel(4, go)
    assert sorted(codes) == [201, 409, 409, 409]

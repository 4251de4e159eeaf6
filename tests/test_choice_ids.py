"""The choice ids a participant sees and sends say nothing about the bank's A, B, C, D order."""

from conftest import csrf_from


def all_keyed_a(n: int) -> list[list]:
    return [
        [i, f"Câu {i}?", f"A{i}", f"B{i}", f"C{i}", f"D{i}", "A", "", "Chung", "Dễ", 1]
        for i in range(1, n + 1)
    ]


def test_smallest_id_is_not_the_first_choice_in_a_bank_keyed_on_one_letter(
    make_bank, make_round, register
):
    """A bank whose keys are all A: with sequential ids, "pick the smallest id" scored 40/40."""
    bank_id = make_bank(all_keyed_a(40))
    rnd = make_round(bank_id=bank_id, question_count=40, max_attempts=1)
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    for q in attempt["questions"]:
        ids = [c["id"] for c in q["choices"]]
        assert all(2**40 <= i < 2**53 for i in ids)
        smallest = min(ids)
        saved = api.put(
            f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}",
            json={"choices": [smallest], "seq": 1},
        )
        assert saved.status_code == 200, saved.json
    done = api.post(f"/api/v1/attempts/{attempt['id']}/submit", json={}).json
    assert done["max_score"] == 40
    assert done["score"] <= 24  # about 10 expected; 24 or more has odds under one in 10**7


def test_ids_are_random_but_answers_score_and_pages_still_work(
    app, make_bank, make_round, register
):
    bank_id = make_bank(all_keyed_a(5))
    rnd = make_round(bank_id=bank_id, question_count=5)
    api = register()
    attempt = api.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    page = api.client.get(f"/bai-thi/{attempt['id']}").text
    form = {"csrf_token": csrf_from(page)}
    for q in attempt["questions"]:
        right = next(c["id"] for c in q["choices"] if c["text"].startswith("A"))
        assert f'value="{right}"' in page
        form[f"q-{q['id']}"] = str(right)
    assert api.client.post(f"/bai-thi/{attempt['id']}/nop", data=form).status_code == 302
    again = api.get(f"/api/v1/attempts/{attempt['id']}").json
    assert again["score"] == 5
    assert {str(q["id"]) for q in attempt["questions"]} == set(again["answers"])
    other = register(phone="0912000002")
    foreign = attempt["questions"][0]["choices"][0]["id"]
    mine = other.post(f"/api/v1/rounds/{rnd['id']}/attempts").json
    q = mine["questions"][0]
    wrong = api.put(
        f"/api/v1/attempts/{mine['id']}/answers/{q['id']}", json={"choices": [foreign], "seq": 1}
    )
    assert wrong.status_code == 404  # another person's attempt
    bad = other.put(
        f"/api/v1/attempts/{mine['id']}/answers/{q['id']}", json={"choices": [2**53], "seq": 1}
    )
    assert bad.status_code in (400, 422)

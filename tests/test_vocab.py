"""The difficulty vocabulary: codes stored, labels translated, the Vietnamese words (and the
usual names) read back from files, anything unknown left alone."""

import pytest
from flask import render_template_string

from question_bank.vocab import DIFFICULTY_LABELS, DIFFICULTY_WORDS, Difficulty


def test_codes_are_the_stored_strings():
    assert [str(d) for d in Difficulty] == ["easy", "medium", "hard"]
    assert Difficulty("hard") == "hard" and "medium" in set(Difficulty)
    assert set(DIFFICULTY_LABELS) == set(DIFFICULTY_WORDS) == set(Difficulty)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Dễ", "easy"),
        ("Trung bình", "medium"),
        ("Khó", "hard"),
        ("KHÓ", "hard"),
        ("kho", "hard"),
        ("Nhận biết", "easy"),
        ("TB", "medium"),
        ("Vận dụng cao", "hard"),
        ("easy", "easy"),
        ("Medium", "medium"),  # the English label, as an English export would write it
        ("hard", "hard"),
    ],
)
def test_files_and_clients_may_write_the_word_a_name_or_the_code(written, code):
    assert Difficulty.parse(written) == code


@pytest.mark.parametrize("written", ["", None, "Rất khó", "3", "dễ lắm"])
def test_anything_else_is_not_a_difficulty(written):
    assert Difficulty.parse(written) is None


def test_each_word_reads_back_as_its_member():
    for d in Difficulty:
        assert Difficulty.parse(d.word) is d
        assert Difficulty.word_of(d.value) == d.word


def test_values_that_are_not_codes_are_shown_and_written_as_they_are():
    assert Difficulty.label_of("") == "" and Difficulty.label_of(None) == ""
    assert Difficulty.label_of("Khó") == "Khó" and Difficulty.word_of("Khó") == "Khó"
    assert Difficulty.word_of(None) == ""


def test_labels_follow_the_language(app):
    source = (
        "{% for d in Difficulty %}{{ d }}={{ d.label }};{% endfor %}{{ Difficulty.label_of(c) }}"
    )
    for lang, expected in (
        ("vi", "easy=Dễ;medium=Trung bình;hard=Khó;Khó"),
        ("en", "easy=Easy;medium=Medium;hard=Hard;Hard"),
    ):
        with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
            assert render_template_string(source, c="hard") == expected
            labels = [pair.split("=")[1] for pair in expected.split(";")[:3]]
            assert [(c, str(label)) for c, label in Difficulty.choices()] == list(
                zip(["easy", "medium", "hard"], labels, strict=True)
            )

"""No correctness flag, explanation or feedback reaches a page before its time: after the answer
in practice mode, after the attempt in exam mode. Checked for every kind of question."""

import pytest

from quizzes.models import Kind, Quiz
from quizzes.tests.conftest import answer, right_answer, start, wrong_answer

pytestmark = pytest.mark.django_db


def secrets_of(item):
    """Every piece of text that would give the answer away."""
    key = item.key
    texts = [key.get("explanation", "")]
    texts += list(key.get("feedback", {}).values())
    texts += list(key.get("explanations", {}).values())
    if item.question_id:
        texts += [choice.feedback for choice in item.question.choices.all()]
        texts.append(item.question.explanation)
    # A generated item explains each option starting with the option's own words, which the question
    # shows anyway: the secret is what follows them.
    for option in item.options:
        texts = [text[len(option["text"]) :] if text and text.startswith(option["text"]) else text for text in texts]
    return [text.strip(" :.") for text in texts if text and len(text.strip(" :.")) > 12]


def assert_no_key(html, item):
    for text in secrets_of(item):
        assert text[:60] not in html, f"{item.kind}: '{text[:60]}' leaked"
    for marker in ("is_correct", "correct-choice", "data-correct", "feedback-right", "feedback-wrong"):
        assert marker not in html, f"{item.kind}: {marker} leaked"
    if item.kind == Kind.SORT:
        # The owners of the cards must not appear as preselected values.
        assert "selected>" not in html.replace('value="" selected>', "")


@pytest.mark.parametrize("mode", [Quiz.Mode.PRACTICE, Quiz.Mode.EXAM])
def test_no_question_page_shows_the_key_before_answering(client, every_kind_quiz, mode):
    attempt = start(client, every_kind_quiz(mode))
    kinds = set()
    for item in attempt.items.all():
        html = client.get(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/").content.decode()
        assert_no_key(html, item)
        kinds.add(item.kind)
    # An exam asks exam formats only.
    assert kinds == (set(Kind.values) if mode == Quiz.Mode.PRACTICE else {Kind.SINGLE, Kind.MULTIPLE})


def test_practice_mode_shows_the_key_right_after_the_answer(client, every_kind_quiz):
    attempt = start(client, every_kind_quiz(Quiz.Mode.PRACTICE))
    for item in attempt.items.all():
        answer(client, item, wrong_answer(item))
        html = client.get(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/").content.decode()
        assert "feedback-wrong" in html
        if item.kind != Kind.SORT:
            assert "The right answer" in html
        # Other questions still show nothing of their key.
        for other in attempt.items.exclude(pk=item.pk).filter(answer__isnull=True):
            other_html = client.get(f"/quizzes/attempts/{attempt.pk}/q/{other.number}/").content.decode()
            assert_no_key(other_html, other)


def test_exam_mode_keeps_the_key_until_the_attempt_ends(client, every_kind_quiz):
    attempt = start(client, every_kind_quiz(Quiz.Mode.EXAM, minutes=30))
    items = list(attempt.items.all())
    for item in items:
        response = answer(client, item, right_answer(item))
        assert response.status_code == 302
        follow = client.get(response["Location"]).content.decode()
        assert "feedback-right" not in follow
        html = client.get(f"/quizzes/attempts/{attempt.pk}/q/{item.number}/").content.decode()
        assert_no_key(html, item)
        assert "Your saved answer is selected" in html
        # Changing the answer, flagging the question and the review screen tell nothing either.
        answer(client, item, wrong_answer(item), action="flag")
        answer(client, item, right_answer(item), action="save")
        for url in (f"q/{item.number}/", "review/"):
            html = client.get(f"/quizzes/attempts/{attempt.pk}/{url}").content.decode()
            assert_no_key(html, item)
    # Results are not reachable before the end.
    assert client.get(f"/quizzes/attempts/{attempt.pk}/results/").status_code == 302
    client.post(f"/quizzes/attempts/{attempt.pk}/finish/", {"confirm": "unanswered"})
    results = client.get(f"/quizzes/attempts/{attempt.pk}/results/").content.decode()
    assert results.count("feedback-right") == len(items)
    for item in items:
        explanation = item.key.get("explanation") or next(iter(item.key.get("explanations", {}).values()), "")
        if explanation:
            assert explanation[:40] in results.replace("&#x27;", "'").replace("&quot;", '"') or item.question_id

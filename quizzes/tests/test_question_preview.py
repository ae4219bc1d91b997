"""Preview as a learner: any question, in both modes, answered without saving anything."""

import pytest
from django.urls import reverse

from quizzes.bank.drawing import choice_key
from quizzes.models import Answer, AttemptItem, Choice, Kind, Question, SortCard

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    question = Question.objects.create(
        slug="draft-q", kind=Kind.SINGLE, prompt="Who patches **RDS**?", explanation="AWS patches it.", skill="aws"
    )
    right = Choice.objects.create(question=question, position=0, text="AWS", is_correct=True, feedback="Yes, AWS.")
    wrong = Choice.objects.create(question=question, position=1, text="You", feedback="Not on RDS.")
    return question, right, wrong


def url(question, mode):
    return reverse("admin:quizzes_question_preview", args=[question.pk]) + f"?mode={mode}"


def test_a_draft_question_is_shown_as_learners_see_it(instructor_client, draft):
    question, _right, _wrong = draft
    response = instructor_client.get(url(question, "practice"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Who patches <strong>RDS</strong>?" in text
    assert "Preview as a learner" in text and "Nothing you answer here is saved" in text
    assert "AWS patches it." not in text  # the explanation waits for the answer


def test_practice_preview_shows_the_feedback_and_saves_nothing(instructor_client, draft):
    question, _right, wrong = draft
    response = instructor_client.post(url(question, "practice"), {"choice": choice_key(wrong.pk)})
    text = response.content.decode()
    assert "Not quite" in text and "Not on RDS." in text and "AWS patches it." in text
    assert "In exam mode" not in text
    assert Answer.objects.count() == 0 and AttemptItem.objects.count() == 0


def test_exam_preview_says_the_answer_waits_for_the_results_then_shows_them(instructor_client, draft):
    question, right, _wrong = draft
    response = instructor_client.post(url(question, "exam"), {"choice": choice_key(right.pk)})
    text = response.content.decode()
    assert "In exam mode you see whether it was right when the attempt ends" in text
    assert "What the learner sees in the results" in text and "Right" in text
    assert Answer.objects.count() == 0


def test_a_sort_question_previews_with_its_cards(instructor_client):
    question = Question.objects.create(slug="sort-q", kind=Kind.SORT, prompt="Sort these", skill="shift")
    for position, (text, owner) in enumerate([("Guest OS", "customer"), ("Racks", "aws"), ("Keys", "shared")]):
        SortCard.objects.create(question=question, position=position, text=text, owner=owner)
    shown = instructor_client.get(url(question, "practice"))
    assert all(text in shown.content.decode() for text in ("Guest OS", "Racks", "Keys"))
    key = {option["text"]: option["key"] for option in shown.context["item"].options}
    placed = {
        f"card_{key['Guest OS']}": "customer",
        f"card_{key['Racks']}": "customer",
        f"card_{key['Keys']}": "shared",
    }
    response = instructor_client.post(url(question, "practice"), placed)
    assert "Partly right (67%)" in response.content.decode()
    board = response.content.decode()
    racks = board[board.index("Racks") - 400 : board.index("Racks") + 400]
    assert "Wrong" in racks and "Belongs under <strong>AWS</strong>" in racks


def test_an_incomplete_answer_is_refused_with_a_message(instructor_client, draft):
    question, _right, _wrong = draft
    response = instructor_client.post(url(question, "practice"), {"choice": "c999999"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_learners_and_strangers_cannot_preview(client, learner_client, draft):
    question, _right, _wrong = draft
    assert client.get(url(question, "practice")).status_code == 302
    assert learner_client.get(url(question, "practice"))["Location"].startswith(reverse("admin:login"))


def test_an_unknown_question_is_a_404(instructor_client):
    assert instructor_client.get(reverse("admin:quizzes_question_preview", args=[999999])).status_code == 404

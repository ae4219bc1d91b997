""" "Preview as a learner": any question, draft or published, shown and answered exactly as a
learner would see it, in practice or exam mode. Nothing is saved: the item, the answer and its
grade live only for the request."""

import random

from django.shortcuts import render

from quizzes.attempts import feedback
from quizzes.attempts.forms import AnswerForm
from quizzes.bank.drawing import written_item
from quizzes.models import Answer, Kind, Quiz

MODES = {Quiz.Mode.PRACTICE: "Practice", Quiz.Mode.EXAM: "Exam"}


def preview_item(question):
    # Choices in their written order, so that the instructor can compare with the change form.
    item = written_item(question, rng=random.Random(0), shuffle_choices=False)
    item.position = 0
    return item


def preview(request, question, *, change_url):
    mode = request.GET.get("mode")
    mode = mode if mode in MODES else Quiz.Mode.PRACTICE
    item = preview_item(question)
    form = AnswerForm(item, request.POST or None)
    answer = shown_feedback = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            grade = item.grade(form.response())
            answer = Answer(
                item=item,
                response=form.response(),
                score=grade.score,
                is_correct=grade.is_correct,
                misconception_id=grade.misconception_id,
            )
            shown_feedback = feedback.build(item, answer, feedback.misconceptions_for([answer]))
        else:
            status = 400
    context = {
        "question": question,
        "item": item,
        "form": form,
        "answer": answer,
        "feedback": shown_feedback,
        "mode": mode,
        "is_exam": mode == Quiz.Mode.EXAM,
        "modes": MODES,
        "is_sort": item.kind == Kind.SORT,
        "change_url": change_url,
    }
    return render(request, "quizzes/preview.html", context, status=status)

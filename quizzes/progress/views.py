"""The learner's progress page and the CSV of their history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from quizzes.progress import mastery


@login_required
def progress_page(request):
    return render(request, "quizzes/progress.html", {**mastery.summary(request.user), "nav": "progress"})


@login_required
def progress_csv(request):
    return mastery.history_csv(request.user)

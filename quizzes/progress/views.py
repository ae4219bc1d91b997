"""The learner's progress page, the CSV of their history, and the page that explains the review schedule."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from quizzes.progress import mastery, review_queue


@login_required
def progress_page(request):
    return render(request, "quizzes/progress.html", {**mastery.summary(request.user), "nav": "progress"})


@login_required
def progress_csv(request):
    return mastery.history_csv(request.user)


def review_schedule(request):
    """The review queue's rules, read from `review_queue` itself (open to visitors: no account needed
    to learn how it works); a signed-in learner also sees their own queue."""
    context = {"rules": review_queue.rules()}
    if request.user.is_authenticated:
        context["queue"] = review_queue.status(request.user)
    return render(request, "quizzes/review_schedule.html", context)

"""Admin forms for questions: every rule of `Question.problems_with`, shown next to what it is about.

The question form checks its own fields (owner, explanation); the choice and card inlines check
their rows against the kind and status the question form is about to save (the admin validates
the inlines after the main form has written its cleaned values to the instance)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from quizzes.models import Question


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = (
            "slug", "kind", "status", "prompt", "explanation", "owner", "misconception",
            "difficulty", "skill", "lesson", "duties", "services",
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        problems = Question.problems_with(
            kind=cleaned.get("kind"),
            status=cleaned.get("status"),
            explanation=cleaned.get("explanation"),
            owner=cleaned.get("owner"),
            correct_flags=[],
            card_owners=[],
        )
        for part in ("owner", "explanation"):
            for message in problems.get(part, []):
                self.add_error(part, message)
        return cleaned


class QuestionPartsFormSet(BaseInlineFormSet):
    """The choices or the cards of a question, checked as a whole."""

    part = ""

    def kept_forms(self):
        # An untouched blank extra form has no cleaned data.
        return [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        question = self.instance
        kept = [form.cleaned_data for form in self.kept_forms()]
        problems = Question.problems_with(
            kind=question.kind,
            status=question.status,
            explanation=question.explanation,
            owner=question.owner,
            correct_flags=[data.get("is_correct", False) for data in kept] if self.part == "choices" else [],
            card_owners=[data.get("owner") or "" for data in kept] if self.part == "cards" else [],
        )
        if problems.get(self.part):
            raise ValidationError(problems[self.part])


class ChoiceFormSet(QuestionPartsFormSet):
    part = "choices"


class SortCardFormSet(QuestionPartsFormSet):
    part = "cards"

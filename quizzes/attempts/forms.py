from django import forms

from quizzes.models import Confidence, Kind
from study.models import Owner


class AnswerForm(forms.Form):
    """The answer to one attempt item, with fields made from the options it shows.

    Only keys of this item's own options validate, so a choice of another question, an unknown
    id or an extra field such as `score` or `correct` can never reach the grading.

    `stored` is the answer saved before (an exam's answers can change until the end): the form
    starts with it selected. With `blank_allowed` (exam mode) an empty form is valid and means
    "no answer yet": the learner moves on, as on the exam, and comes back later."""

    # Optional, and no choice is preselected: not saying is the default, and it changes nothing.
    confidence = forms.ChoiceField(
        label="How sure are you? (optional)", choices=Confidence.choices, required=False, widget=forms.RadioSelect
    )

    def __init__(self, item, *args, stored=None, blank_allowed=False, **kwargs):
        if stored is not None:
            kwargs["initial"] = initial_from(item, stored)
        super().__init__(*args, **kwargs)
        self.item = item
        options = [(option["key"], option["text"]) for option in item.options]
        if item.kind == Kind.SORT:
            for option in item.options:
                self.fields[f"card_{option['key']}"] = forms.ChoiceField(
                    label=option["text"],
                    choices=[("", "Choose…"), *Owner.choices],
                    required=not blank_allowed,
                    error_messages={"required": "Place this card under AWS, Customer or Shared."},
                )
        elif item.kind == Kind.MULTIPLE:
            self.fields["choice"] = forms.MultipleChoiceField(
                label="Your answer",
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                required=not blank_allowed,
                error_messages={"required": "Choose at least one answer."},
            )
        else:
            self.fields["choice"] = forms.ChoiceField(
                label="Your answer",
                choices=options,
                widget=forms.RadioSelect,
                required=not blank_allowed,
                error_messages={"required": "Choose an answer."},
            )
        # The answer fields first, the confidence last.
        self.order_fields([name for name in self.fields if name != "confidence"])

    def response(self):
        """The answer as stored, or None when the learner left it blank (exam mode only)."""
        if self.item.kind == Kind.SORT:
            placed = {option["key"]: self.cleaned_data[f"card_{option['key']}"] for option in self.item.options}
            if not any(placed.values()):
                return None
            if not all(placed.values()):
                # A half-sorted board is not an answer: say so rather than score the gaps as wrong.
                raise forms.ValidationError("Place every card, or none to leave this question for later.")
            return {"cards": placed}
        choice = self.cleaned_data["choice"]
        if not choice:
            return None
        # A multiple response is a set of options: an option sent twice is stored once.
        return {"choices": list(dict.fromkeys(choice)) if isinstance(choice, list) else [choice]}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.response()
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned

    @property
    def card_fields(self):
        return [self[f"card_{option['key']}"] for option in self.item.options] if self.item.kind == Kind.SORT else []


def initial_from(item, answer):
    if item.kind == Kind.SORT:
        return {f"card_{card}": owner for card, owner in answer.response["cards"].items()} | {
            "confidence": answer.confidence
        }
    choices = answer.response["choices"]
    return {"choice": choices if item.kind == Kind.MULTIPLE else choices[0], "confidence": answer.confidence}

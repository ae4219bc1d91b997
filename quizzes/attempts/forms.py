from django import forms

from quizzes.models import Confidence, Kind
from study.models import Owner

CONFIDENCE_CHOICES = [("", "I'd rather not say"), *Confidence.choices]


class AnswerForm(forms.Form):
    """The answer to one attempt item, with fields made from the options it shows.

    Only keys of this item's own options validate, so a choice of another question, an unknown
    id or an extra field such as `score` or `correct` can never reach the grading."""

    confidence = forms.ChoiceField(
        label="How sure are you?", choices=CONFIDENCE_CHOICES, required=False, widget=forms.RadioSelect
    )

    def __init__(self, item, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        options = [(option["key"], option["text"]) for option in item.options]
        if item.kind == Kind.SORT:
            for option in item.options:
                self.fields[f"card_{option['key']}"] = forms.ChoiceField(
                    label=option["text"],
                    choices=[("", "Choose…"), *Owner.choices],
                    error_messages={"required": "Place this card under AWS, Customer or Shared."},
                )
        elif item.kind == Kind.MULTIPLE:
            self.fields["choice"] = forms.MultipleChoiceField(
                label="Your answer",
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose at least one answer."},
            )
        else:
            self.fields["choice"] = forms.ChoiceField(
                label="Your answer",
                choices=options,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer."},
            )
        # The answer fields first, the confidence last.
        self.order_fields([name for name in self.fields if name != "confidence"])

    def response(self):
        if self.item.kind == Kind.SORT:
            return {
                "cards": {option["key"]: self.cleaned_data[f"card_{option['key']}"] for option in self.item.options}
            }
        choice = self.cleaned_data["choice"]
        # A multiple response is a set of options: an option sent twice is stored once.
        return {"choices": list(dict.fromkeys(choice)) if isinstance(choice, list) else [choice]}

    @property
    def card_fields(self):
        return [self[f"card_{option['key']}"] for option in self.item.options] if self.item.kind == Kind.SORT else []

from django import forms

from study.models import Service


class MatrixFilterForm(forms.Form):
    category = forms.ChoiceField(
        label="Service category",
        required=False,
        choices=[("", "All categories"), *Service.Category.choices],
    )

"""The admin's import page: upload, preview every change and problem, then confirm.

The confirmation carries the uploaded file back (base64, in a hidden field), so that any of
several app servers can apply it without shared temporary storage."""

import base64
import binascii
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from quizzes.instructor.banks.importing import (
    FORMAT_BY_EXTENSION,
    MAX_IMPORT_BYTES,
    READERS,
    import_questions,
    read_file,
)

FORMAT_CHOICES = [
    ("", "Detect from the file name (.json, .csv, .gift or .txt)"),
    ("json", "JSON (this site's question export)"),
    ("csv", "CSV (this site's question export, one row per question)"),
    ("gift", "Moodle GIFT (multiple choice, multiple response, true/false)"),
]


class UploadForm(forms.Form):
    file = forms.FileField(help_text=f"Up to {MAX_IMPORT_BYTES // 1_000_000} MB, UTF-8 text.")
    file_format = forms.ChoiceField(label="Format", choices=FORMAT_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; the limit is {MAX_IMPORT_BYTES // 1_000_000} MB. "
                "Split it into smaller files."
            )
        chosen = cleaned.get("file_format") or FORMAT_BY_EXTENSION.get(PurePath(upload.name).suffix.lower())
        if chosen not in READERS:
            raise forms.ValidationError("Choose the file's format: its name does not say (.json, .csv, .gift, .txt).")
        cleaned["file_format"] = chosen
        cleaned["data"] = upload.read()
        cleaned["name"] = upload.name
        return cleaned


class ConfirmForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput)
    file_format = forms.ChoiceField(choices=[(key, key) for key in READERS], widget=forms.HiddenInput)
    payload = forms.CharField(widget=forms.HiddenInput, max_length=2 * MAX_IMPORT_BYTES)

    def clean_payload(self):
        try:
            data = base64.b64decode(self.cleaned_data["payload"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError("The confirmation was damaged in transit; upload the file again.") from error
        if len(data) > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is over the size limit; upload a smaller file.")
        return data


def import_view(request, *, context):
    """GET: the upload form. POST step "preview": parse and plan. POST step "confirm": apply."""
    context = {**context, "title": "Import questions", "max_mb": MAX_IMPORT_BYTES // 1_000_000}
    if request.method == "POST" and request.POST.get("step") == "confirm":
        confirm = ConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, " ".join(message for errors in confirm.errors.values() for message in errors))
            return redirect("admin:quizzes_question_import")
        name, file_format, data = (confirm.cleaned_data[key] for key in ("name", "file_format", "payload"))
        plan = import_questions(parsed=read_file(data, file_format), apply=True)
        if plan.can_apply:
            messages.success(
                request,
                f"Imported {name}: {len(plan.created)} created, {len(plan.updated)} updated, "
                f"{len(plan.unchanged)} unchanged.",
            )
            return redirect("admin:quizzes_question_changelist")
        # The bank changed since the preview in a way that now makes the file invalid: show why.
        return render_preview(request, context, name, file_format, data, plan, status=409)
    upload = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        name, file_format, data = (upload.cleaned_data[key] for key in ("name", "file_format", "data"))
        plan = import_questions(parsed=read_file(data, file_format), apply=False)
        return render_preview(request, context, name, file_format, data, plan)
    status = 400 if request.method == "POST" else 200
    return render(request, "admin/quizzes/question/import.html", {**context, "form": upload}, status=status)


def render_preview(request, context, name, file_format, data, plan, status=200):
    confirm = ConfirmForm(
        initial={"name": name, "file_format": file_format, "payload": base64.b64encode(data).decode("ascii")}
    )
    if plan.problems:
        status = 400 if status == 200 else status
    context = {
        **context,
        "title": "Preview of the import",
        "plan": plan,
        "name": name,
        "file_format": file_format,
        "confirm": confirm,
    }
    return render(request, "admin/quizzes/question/import_preview.html", context, status=status)

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from study.catalog import (
    DIAGRAM_WIDTH,
    catalog_document,
    diagram_bands,
    responsibility_matrix,
    rows_by_owner,
    service_rows,
)
from study.forms import MatrixFilterForm
from study.models import Duty, GlossaryTerm, Layer, Lesson, Misconception, Owner, Service


def lesson_list(request):
    lessons = Lesson.objects.in_order()
    return render(request, "study/lesson_list.html", {"lessons": lessons, "nav": "lessons"})


def _diagram_context():
    layers = Layer.objects.prefetch_related("duties")
    bands, height = diagram_bands(layers)
    return {"bands": bands, "diagram_width": DIAGRAM_WIDTH, "diagram_height": height}


# Lessons whose page shows a part of the catalog under the text.
LESSON_EXTRAS = {
    "the-model": _diagram_context,
    "glossary": lambda: {"glossary_terms": GlossaryTerm.objects.all()},
    "misconceptions": lambda: {"misconceptions": Misconception.objects.prefetch_related("duties")},
}


def lesson_detail(request, slug):
    lesson = get_object_or_404(Lesson, slug=slug)
    lessons = list(Lesson.objects.in_order().only("slug", "title", "position"))
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    context = {
        "lesson": lesson,
        "duties": lesson.duties.select_related("layer").order_by("layer__position", "position"),
        "previous_lesson": lessons[index - 1] if index > 0 else None,
        "next_lesson": lessons[index + 1] if index + 1 < len(lessons) else None,
        "lesson_number": index + 1,
        "lesson_count": len(lessons),
        "nav": "lessons",
    }
    context.update(LESSON_EXTRAS.get(lesson.slug, dict)())
    return render(request, "study/lesson_detail.html", context)


def diagram(request):
    return render(request, "study/diagram.html", {**_diagram_context(), "nav": "diagram"})


def matrix(request):
    form = MatrixFilterForm(request.GET or None)
    services = Service.objects.in_order()
    category = form.cleaned_data["category"] if form.is_valid() else ""
    if category:
        services = services.filter(category=category)
    services = list(services)
    duties = Duty.objects.with_rows().in_order()
    context = {
        "form": form,
        "services": services,
        "rows": responsibility_matrix(duties, services),
        "category_label": Service.Category(category).label if category else "",
        "nav": "matrix",
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "study/matrix.html", context, status=status)


def service_list(request):
    services = list(Service.objects.in_order())
    categories = [(label, [s for s in services if s.category == value]) for value, label in Service.Category.choices]
    return render(request, "study/service_list.html", {"categories": categories, "nav": "services"})


def service_detail(request, slug):
    service = get_object_or_404(Service, slug=slug)
    grouped = rows_by_owner(Duty.objects.with_rows().in_order(), service)
    context = {
        "service": service,
        "aws_rows": grouped[Owner.AWS],
        "customer_rows": grouped[Owner.CUSTOMER],
        "shared_rows": grouped[Owner.SHARED],
        "nav": "services",
    }
    return render(request, "study/service_detail.html", context)


def duty_list(request):
    layers = Layer.objects.all()
    duties = Duty.objects.with_rows().in_order()
    by_layer = [(layer, [duty for duty in duties if duty.layer_id == layer.pk]) for layer in layers]
    return render(request, "study/duty_list.html", {"by_layer": by_layer, "nav": "services"})


def duty_detail(request, slug):
    duty = get_object_or_404(Duty.objects.with_rows().prefetch_related("lessons", "misconceptions"), slug=slug)
    context = {
        "duty": duty,
        "general_row": duty.general_row,
        "service_rows": service_rows(duty, Service.objects.in_order()),
        "nav": "services",
    }
    return render(request, "study/duty_detail.html", context)


@cache_control(max_age=300, public=True)
def catalog_json(request):
    return JsonResponse(catalog_document(), json_dumps_params={"indent": 2, "ensure_ascii": False})

import pytest
from django.core.management import CommandError, call_command

from study.models import Duty, GlossaryTerm, Layer, Lesson, Misconception, Responsibility, Service, Source
from study.tests.factories import write_content

ALL_MODELS = [Layer, Service, Source, Lesson, GlossaryTerm, Duty, Responsibility, Misconception]


def snapshot():
    """Every content row with all its values, to prove that a load changed nothing."""
    state = {}
    for model in ALL_MODELS:
        state[model.__name__] = sorted(
            (tuple(sorted((k, str(v)) for k, v in row.items())) for row in model.objects.values()),
        )
    state["duty_lessons"] = sorted(Duty.lessons.through.objects.values_list("duty_id", "lesson_id"))
    state["misconception_duties"] = sorted(
        Misconception.duties.through.objects.values_list("misconception_id", "duty_id")
    )
    return state


def load(folder, *args):
    call_command(
        "load_content", "--content-dir", str(folder), "--quiz-content-dir", str(folder / "quizzes"), *args, verbosity=0
    )


@pytest.fixture
def content_dir(tmp_path):
    return write_content(tmp_path / "content")


@pytest.mark.django_db
def test_first_load_creates_every_row(content_dir):
    load(content_dir)
    assert Duty.objects.count() == 3
    assert Responsibility.objects.count() == 4
    assert Responsibility.objects.filter(service__isnull=True).count() == 2
    patch = Duty.objects.get(slug="patch-guest-os")
    assert set(patch.responsibilities.values_list("service__slug", "owner")) == {("ec2", "customer"), ("rds", "aws")}
    assert list(patch.lessons.values_list("slug", flat=True)) == ["how-the-line-moves"]
    assert list(Misconception.objects.get().duties.values_list("slug", flat=True)) == ["patch-guest-os"]
    assert Lesson.objects.get(slug="the-model").body.startswith("## Of and in")


@pytest.mark.django_db
def test_second_load_changes_nothing(content_dir, capsys):
    load(content_dir)
    before = snapshot()
    call_command("load_content", "--content-dir", str(content_dir), "--quiz-content-dir", str(content_dir / "quizzes"))
    assert snapshot() == before
    assert "0 created, 0 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_real_content_loads_twice_without_changes():
    call_command("load_content", verbosity=0)
    before = snapshot()
    call_command("load_content", verbosity=0)
    assert snapshot() == before
    assert Duty.objects.count() >= 45


@pytest.mark.django_db
def test_a_changed_file_updates_the_row(content_dir):
    load(content_dir)
    glossary = content_dir / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace("several Availability Zones", "three or more zones"))
    load(content_dir)
    assert GlossaryTerm.objects.get(slug="region").definition == "A geographic area with three or more zones."


@pytest.mark.django_db
def test_an_admin_edit_is_kept_and_reported(content_dir, capsys):
    load(content_dir)
    row = Responsibility.objects.get(duty__slug="patch-guest-os", service__slug="ec2")
    row.explanation = "Edited by an instructor."
    row.save()
    (content_dir / "duties/10-duties.yaml").write_text(
        (content_dir / "duties/10-duties.yaml").read_text().replace("The customer runs the guest OS.", "New text.")
    )
    call_command("load_content", "--content-dir", str(content_dir), "--quiz-content-dir", str(content_dir / "quizzes"))
    row.refresh_from_db()
    assert row.explanation == "Edited by an instructor."
    assert "kept responsibility 'patch-guest-os' for ec2: edited in the admin" in capsys.readouterr().out


@pytest.mark.django_db
def test_force_overwrites_an_admin_edit(content_dir):
    load(content_dir)
    Service.objects.filter(slug="ec2").update(summary="Edited.")
    load(content_dir, "--force")
    assert Service.objects.get(slug="ec2").summary == "Virtual servers."


@pytest.mark.django_db
def test_an_admin_edit_of_a_many_to_many_link_is_kept(content_dir):
    load(content_dir)
    duty = Duty.objects.get(slug="customer-data-access")
    duty.lessons.add(Lesson.objects.get(slug="the-model"))
    load(content_dir)
    assert list(duty.lessons.values_list("slug", flat=True)) == ["the-model"]


@pytest.mark.django_db
def test_dry_run_reports_but_writes_nothing(content_dir, capsys):
    call_command(
        "load_content",
        "--content-dir",
        str(content_dir),
        "--quiz-content-dir",
        str(content_dir / "quizzes"),
        "--dry-run",
    )
    out = capsys.readouterr().out
    assert "Dry run: nothing was written" in out
    assert "created duty 'patch-guest-os'" in out
    assert Duty.objects.count() == 0
    assert Layer.objects.count() == 0


@pytest.mark.django_db
def test_rows_missing_from_the_files_are_reported_and_left(content_dir, capsys):
    load(content_dir)
    Source.objects.create(slug="added-in-admin", title="Instructor's page", url="https://aws.amazon.com/")
    call_command("load_content", "--content-dir", str(content_dir), "--quiz-content-dir", str(content_dir / "quizzes"))
    assert "left source 'added-in-admin': in the database but not in the content files" in capsys.readouterr().out
    assert Source.objects.filter(slug="added-in-admin").exists()


BROKEN_FILES = {
    "unknown owner": (
        {
            "duties/10-duties.yaml": "- slug: d\n  name: D\n  description: x\n  layer: customer-data\n"
            "  responsibilities:\n    - owner: amazon\n      explanation: e\n      source: srm\n"
        },
        "duties/10-duties.yaml: duty 'd', row for any service: "
        "'owner' is 'amazon', expected one of: aws, customer, shared",
    ),
    "unknown service": (
        {
            "duties/10-duties.yaml": "- slug: d\n  name: D\n  description: x\n  layer: customer-data\n"
            "  responsibilities:\n    - service: ec3\n      owner: aws\n      explanation: e\n      source: srm\n"
        },
        "duty 'd', row for ec3: 'service' names unknown service 'ec3'",
    ),
    "missing explanation": (
        {
            "duties/10-duties.yaml": "- slug: d\n  name: D\n  description: x\n  layer: customer-data\n"
            "  responsibilities:\n    - owner: aws\n      source: srm\n"
        },
        "duty 'd', row for any service: 'explanation' is missing or empty",
    ),
    "duty without rows": (
        {"duties/10-duties.yaml": "- slug: d\n  name: D\n  description: x\n  layer: customer-data\n"},
        "duty 'd': needs at least one entry under 'responsibilities'",
    ),
    "invalid yaml": ({"services.yaml": "- slug: ec2\n  name: [unclosed\n"}, "services.yaml: not valid YAML"),
    "not utf-8": ({"glossary.yaml": b"- term: R\xe9gion\n"}, "glossary.yaml: not valid UTF-8"),
    "bad slug": (
        {"layers.yaml": "- slug: Customer Data\n  name: x\n  side: customer\n  description: y\n"},
        "layers.yaml: entry 1: 'slug' must be lowercase words joined by hyphens",
    ),
    "duplicate slug": (
        {
            "sources.yaml": "- slug: srm\n  title: a\n  url: https://aws.amazon.com/a\n"
            "- slug: srm\n  title: b\n  url: https://aws.amazon.com/b\n"
        },
        "sources.yaml: source 'srm': slug is used twice",
    ),
    "misconception naming an unknown duty": (
        {"misconceptions.yaml": "- slug: m\n  belief: b\n  correction: c\n  duties: [no-such-duty]\n"},
        "misconception 'm': 'duties' names unknown duty 'no-such-duty'",
    ),
    "lesson without front matter": ({"lessons/01-the-model.md": "Just text\n"}, "must start with front matter"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BROKEN_FILES, ids=list(BROKEN_FILES))
def test_a_malformed_file_is_rejected_with_its_place_and_nothing_changes(tmp_path, case):
    good = write_content(tmp_path / "good")
    load(good)
    before = snapshot()
    replacements, expected = BROKEN_FILES[case]
    broken = write_content(tmp_path / "broken")
    for name, data in replacements.items():
        path = broken / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        load(broken)
    assert expected in str(raised.value)
    assert "nothing was loaded" in str(raised.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_service_without_rows_is_rejected(tmp_path):
    folder = write_content(
        tmp_path / "c",
        extra_files={
            "services.yaml": "- slug: ec2\n  name: EC2\n  category: infrastructure\n  summary: s\n"
            "- slug: rds\n  name: RDS\n  category: managed\n  summary: s\n"
            "- slug: s3\n  name: S3\n  category: abstracted\n  summary: s\n"
        },
    )
    with pytest.raises(CommandError, match="service 's3': no duty has a row for this service"):
        load(folder)

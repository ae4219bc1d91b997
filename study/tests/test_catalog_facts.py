"""Invariants of the real catalog in study/content/, and the owners of srm-facts.md pinned.

The pinned owners come from the project's fact reference (../shared/srm-facts.md, checked against
AWS's pages); a content change that contradicts one of them fails here before it can teach it."""

from urllib.parse import urlparse

import pytest

from study.models import ControlCategory, Duty, Layer, Misconception, Owner, Responsibility, Service, Source

pytestmark = pytest.mark.django_db

REQUIRED_SERVICES = {
    "ec2": "infrastructure",
    "ebs": "infrastructure",
    "vpc": "infrastructure",
    "rds": "managed",
    "aurora": "managed",
    "lambda": "abstracted",
    "s3": "abstracted",
    "dynamodb": "abstracted",
    "ecs": "managed",
    "fargate": "managed",
    "eks": "managed",
    "elastic-beanstalk": "managed",
    "cloudtrail": "abstracted",
}

# (duty, service or None for the any-service owner, owner) as srm-facts.md states them.
PINNED_OWNERS = [
    ("physical-security-of-data-centres", None, "aws"),
    ("environmental-controls", None, "aws"),
    ("infrastructure-hardware", None, "aws"),
    ("regions-and-availability-zones", None, "aws"),
    ("hypervisor", "ec2", "aws"),
    ("host-operating-system", "ec2", "aws"),
    ("patch-guest-os", "ec2", "customer"),
    ("patch-guest-os", "rds", "aws"),
    ("patch-guest-os", "lambda", "aws"),
    ("installed-software", "ec2", "customer"),
    ("host-firewall-and-intrusion-detection", "ec2", "customer"),
    ("security-group-rules", "ec2", "customer"),
    ("security-group-rules", "rds", "customer"),
    ("network-acls-subnets-route-tables", "vpc", "customer"),
    ("ebs-encryption", "ebs", "customer"),
    ("ebs-snapshots-and-backups", "ebs", "customer"),
    ("db-minor-versions-and-patches", "rds", "shared"),
    ("db-major-version-upgrade", "rds", "customer"),
    ("rds-encryption-at-rest", "rds", "customer"),
    ("db-backup-and-recovery", "rds", "shared"),
    ("application-code", None, "customer"),
    ("lambda-function-code", "lambda", "customer"),
    ("lambda-runtime-auto-mode", "lambda", "aws"),
    ("lambda-runtime-manual-modes", "lambda", "shared"),
    ("lambda-container-base-image", "lambda", "shared"),
    ("fargate-platform-patches", "fargate", "aws"),
    ("container-image-contents", "ecs", "customer"),
    ("container-image-contents", "eks", "customer"),
    ("container-image-contents", "fargate", "customer"),
    ("ecs-task-configuration", "ecs", "customer"),
    ("ecs-control-plane", "ecs", "aws"),
    ("eks-managed-node-groups", "eks", "shared"),
    ("eks-auto-mode-nodes", "eks", "aws"),
    ("ecs-managed-instances-capacity", "ecs", "aws"),
    ("s3-bucket-access-policies", "s3", "customer"),
    ("s3-public-or-private", "s3", "customer"),
    ("s3-default-encryption", "s3", "aws"),
    ("choose-encryption-keys", "s3", "customer"),
    ("dynamodb-access-control", "dynamodb", "customer"),
    ("client-side-encryption", None, "customer"),
    ("customer-application-tls", "ec2", "customer"),
    ("tls-on-aws-api-endpoints", None, "shared"),
    ("tls-on-aws-api-endpoints", "s3", "shared"),
    ("tls-on-aws-api-endpoints", "dynamodb", "shared"),
    ("customer-content-access", None, "customer"),
    ("iam-users-roles-policies", None, "customer"),
    ("account-credentials", None, "customer"),
    ("cloudtrail-event-history", "cloudtrail", "aws"),
    ("beanstalk-platform-updates", "elastic-beanstalk", "shared"),
    ("beanstalk-environment-configuration", "elastic-beanstalk", "customer"),
    ("emr-security-configuration", "emr", "customer"),
    ("patch-management", None, "shared"),
    ("configuration-management", None, "shared"),
    ("awareness-and-training", None, "shared"),
]


def effective_owner(duty_slug, service_slug):
    duty = Duty.objects.with_rows().get(slug=duty_slug)
    row = duty.general_row if service_slug is None else duty.row_for(Service.objects.get(slug=service_slug))
    return row.owner if row else None


@pytest.mark.parametrize(("duty", "service", "owner"), PINNED_OWNERS, ids=lambda value: str(value))
def test_pinned_owner_from_the_fact_reference(content, duty, service, owner):
    assert effective_owner(duty, service) == owner


def test_the_catalog_is_big_enough(content):
    assert Duty.objects.count() >= 45
    assert Misconception.objects.count() >= 7


def test_every_duty_has_a_row_with_a_known_owner_an_explanation_and_a_source(content):
    assert not Duty.objects.filter(responsibilities__isnull=True).exists()
    for row in Responsibility.objects.select_related("source"):
        assert row.owner in Owner.values
        assert row.explanation.strip()
        assert row.source.url


def test_every_service_has_rows_of_its_own(content):
    assert not Service.objects.exclude(responsibilities__isnull=False).exists()


def test_the_required_services_are_there_in_their_categories(content):
    categories = dict(Service.objects.values_list("slug", "category"))
    for slug, category in REQUIRED_SERVICES.items():
        assert categories.get(slug) == category, slug


def test_every_source_is_a_public_aws_page(content):
    for source in Source.objects.all():
        parsed = urlparse(source.url)
        assert parsed.scheme == "https", source.url
        assert parsed.netloc in {"aws.amazon.com", "docs.aws.amazon.com", "d1.awsstatic.com"}, source.url


def test_every_layer_of_the_diagram_has_duties(content):
    assert not Layer.objects.filter(duties__isnull=True).exists()


def test_all_three_control_categories_appear(content):
    categories = {duty.control_category for duty in Duty.objects.with_rows()}
    assert categories == set(ControlCategory)


def test_shared_rows_explain_both_parts(content):
    for row in Responsibility.objects.filter(owner=Owner.SHARED):
        text = row.explanation.lower()
        assert "aws" in text, row
        assert any(word in text for word in ("you", "customer")), row


def test_every_misconception_concerns_at_least_one_duty(content):
    assert not Misconception.objects.filter(duties__isnull=True).exists()


def test_every_duty_belongs_to_a_lesson(content):
    assert not Duty.objects.filter(lessons__isnull=True).exists()

"""Build catalogs for tests: small hand-made data files, and synthetic catalogs of any size."""

import textwrap

from study.models import Duty, Layer, Misconception, Owner, Responsibility, Service, Source


def write_content(folder, *, duties_yaml=None, extra_files=None):
    """A minimal valid content folder: two layers, two services, one source, two lessons,
    three duties and one misconception. Pass `duties_yaml` or `extra_files` to change a file."""
    files = {
        "layers.yaml": """
            - slug: customer-data
              name: Customer data
              side: customer
              description: Data the customer keeps in AWS.
            - slug: aws-global-infrastructure
              name: Global infrastructure
              side: aws
              description: Regions, Availability Zones and edge locations.
        """,
        "services.yaml": """
            - slug: ec2
              name: Amazon EC2
              category: infrastructure
              summary: Virtual servers.
            - slug: rds
              name: Amazon RDS
              category: managed
              summary: Managed databases.
        """,
        "sources.yaml": """
            - slug: srm
              title: AWS Shared Responsibility Model
              url: https://aws.amazon.com/compliance/shared-responsibility-model/
        """,
        "glossary.yaml": """
            - term: Region
              definition: A geographic area with several Availability Zones.
        """,
        "lessons/01-the-model.md": """
            ---
            slug: the-model
            title: The model
            summary: What the model is.
            ---
            ## Of and in
            AWS secures the cloud; the customer secures what it puts in it.
        """,
        "lessons/02-how-the-line-moves.md": """
            ---
            slug: how-the-line-moves
            title: How the line moves
            summary: The owner changes with the service.
            ---
            Text.
        """,
        "duties/10-duties.yaml": duties_yaml
        or """
            - slug: physical-security
              name: Physical security of data centres
              description: Guards, gates and cameras.
              layer: aws-global-infrastructure
              lessons: [the-model]
              responsibilities:
                - owner: aws
                  explanation: Facilities are AWS's.
                  source: srm
            - slug: patch-guest-os
              name: Patch the guest operating system
              description: Security updates for the OS.
              layer: customer-data
              lessons: [how-the-line-moves]
              responsibilities:
                - service: ec2
                  owner: customer
                  explanation: The customer runs the guest OS.
                  source: srm
                - service: rds
                  owner: aws
                  explanation: AWS maintains the OS under RDS.
                  source: srm
            - slug: customer-data-access
              name: Who can access customer data
              description: Permissions on the customer's content.
              layer: customer-data
              responsibilities:
                - owner: customer
                  explanation: The customer decides who reads its data.
                  source: srm
        """,
        "quizzes/questions.yaml": "[]",
        "quizzes/quizzes.yaml": "[]",
        "misconceptions.yaml": """
            - slug: rds-customer-patches-os
              belief: The customer patches the OS under RDS.
              correction: AWS maintains it.
              duties: [patch-guest-os]
        """,
    }
    files.update(extra_files or {})
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def build_catalog(*, services=5, duties=20, misconceptions=5):
    """A synthetic catalog in the database, for query-count tests at several sizes."""
    layers = [
        Layer.objects.create(slug=f"layer-{i}", name=f"Layer {i}", side=side, description="d", position=i)
        for i, side in enumerate(["customer", "customer", "aws", "both"])
    ]
    source = Source.objects.create(slug="srm", title="SRM", url="https://aws.amazon.com/compliance/")
    service_objs = Service.objects.bulk_create(
        Service(slug=f"svc-{i}", name=f"Service {i}", category=Service.Category.values[i % 3], position=i)
        for i in range(services)
    )
    duty_objs = Duty.objects.bulk_create(
        Duty(slug=f"duty-{i}", name=f"Duty {i}", description="d", layer=layers[i % len(layers)], position=i)
        for i in range(duties)
    )
    owners = Owner.values
    rows = []
    for i, duty in enumerate(duty_objs):
        rows.append(Responsibility(duty=duty, service=None, owner=owners[i % 3], explanation="e", source=source))
        for j, service in enumerate(service_objs):
            if (i + j) % 2 == 0:
                rows.append(
                    Responsibility(duty=duty, service=service, owner=owners[j % 3], explanation="e", source=source)
                )
    Responsibility.objects.bulk_create(rows)
    for i in range(misconceptions):
        item = Misconception.objects.create(slug=f"myth-{i}", belief="b", correction="c", position=i)
        item.duties.set(duty_objs[i :: max(misconceptions, 1)][:3])
    return service_objs, duty_objs

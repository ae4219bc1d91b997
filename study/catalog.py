"""Reads of the catalog shaped for pages and for the open-data JSON."""

import textwrap
from dataclasses import dataclass

from study.models import Duty, Layer, Misconception, Owner, Service

CATALOG_FORMAT_VERSION = 1


@dataclass
class MatrixRow:
    duty: Duty
    cells: list  # one Responsibility or None per service, in the order of the columns


def responsibility_matrix(duties, services):
    """Rows of the duty-by-service matrix; a cell is None where the duty does not apply."""
    return [MatrixRow(duty, [duty.row_for(service) for service in services]) for duty in duties]


def rows_by_owner(duties, service):
    """What each side does for one service: {owner: [(duty, row), ...]} in the order of the duties."""
    grouped = {owner: [] for owner in Owner.values}
    for duty in duties:
        row = duty.row_for(service)
        if row is not None:
            grouped[row.owner].append((duty, row))
    return grouped


def service_rows(duty, services):
    """The owner of one duty for every service it applies to, as (service, row) pairs."""
    return [(service, row) for service in services if (row := duty.row_for(service)) is not None]


@dataclass
class DiagramBand:
    layer: Layer
    duties: list
    y: int
    height: int
    lines: list
    text_y: int
    heading: str = ""  # set on the first band of each side
    heading_y: int = 0


SIDE_HEADINGS = {
    Layer.Side.CUSTOMER: "CUSTOMER: security IN the cloud",
    Layer.Side.AWS: "AWS: security OF the cloud",
    Layer.Side.BOTH: "BOTH: each side does its own part",
}


DIAGRAM_WIDTH = 420
DIAGRAM_LINE_HEIGHT = 18
DIAGRAM_WRAP = 40


def diagram_bands(layers):
    """Lay the layers out as horizontal bands of the SVG diagram, long names wrapped onto lines.

    SVG text does not wrap by itself, so the bands get their height from the number of lines."""
    bands, y = [], 0
    previous_side = None
    for layer in layers:
        heading = ""
        if layer.side != previous_side:
            heading = SIDE_HEADINGS[layer.side]
            y += 34  # room for the side's heading above its first band
            previous_side = layer.side
        lines = textwrap.wrap(layer.name, DIAGRAM_WRAP)
        height = 16 + DIAGRAM_LINE_HEIGHT * len(lines)
        band = DiagramBand(layer, list(layer.duties.all()), y, height, lines, y + 22, heading, y - 12)
        bands.append(band)
        y += height + 6
    return bands, y


def catalog_document():
    """The whole catalog in the published open-data shape (see docs/content.md)."""
    services = list(Service.objects.in_order())
    duties = Duty.objects.with_rows().in_order()
    misconceptions = Misconception.objects.prefetch_related("duties").order_by("position", "slug")
    return {
        "version": CATALOG_FORMAT_VERSION,
        "owners": list(Owner.values),
        "services": [{"slug": s.slug, "name": s.name, "category": s.category} for s in services],
        "duties": [
            {
                "slug": duty.slug,
                "name": duty.name,
                "description": duty.description,
                "layer": duty.layer.slug,
                "responsibilities": [
                    {
                        "service": row.service.slug if row.service else None,
                        "owner": row.owner,
                        "explanation": row.explanation,
                        "source": row.source.url,
                    }
                    for row in duty.responsibilities.all()
                ],
            }
            for duty in duties
        ],
        "misconceptions": [
            {
                "slug": item.slug,
                "belief": item.belief,
                "correction": item.correction,
                "duties": sorted(duty.slug for duty in item.duties.all()),
            }
            for item in misconceptions
        ],
    }

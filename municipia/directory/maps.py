"""The location map of an organisation page, drawn without any map service.

The page shows `static/img/europe.svg` (land and country borders of Natural
Earth 1:50m, public domain, from the `world-atlas` npm package) with the
organisation as a dot on top, both in the same projection: an equidistant
cylindrical projection with standard parallel 50° N, which keeps Europe's
shapes recognisable. The coordinates and the region are always given in text
as well, so the picture is decorative; a link opens OpenStreetMap for those who
want a real map.

Regenerate the base map with
`python -m municipia.directory.maps countries-50m.json > municipia/static/img/europe.svg`.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from dataclasses import dataclass

# The area the base map covers: the Azores and the Canaries to the Caucasus,
# Lampedusa and Cyprus to the North Cape.
WEST, EAST, SOUTH, NORTH = -26.0, 50.0, 27.0, 71.5
_SCALE = 10.0  # SVG units per degree of latitude
_COS = math.cos(math.radians(50))
WIDTH = round((EAST - WEST) * _COS * _SCALE)
HEIGHT = round((NORTH - SOUTH) * _SCALE)


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Longitude and latitude → x, y in the base map's SVG units."""
    return (longitude - WEST) * _COS * _SCALE, (NORTH - latitude) * _SCALE


def covers(longitude: float, latitude: float) -> bool:
    return WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH


@dataclass(frozen=True)
class LocationMap:
    x: float
    y: float
    width: int
    height: int
    latitude: float
    longitude: float
    label_anchor: str  # "start" or "end", so the label stays inside the picture
    osm_url: str


def location_map(organisation) -> LocationMap | None:
    """What the template needs to draw the organisation's dot; None without
    coordinates or outside the base map (the coordinates are still shown)."""
    latitude, longitude = organisation.latitude, organisation.longitude
    if latitude is None or longitude is None or not covers(longitude, latitude):
        return None
    x, y = project(longitude, latitude)
    return LocationMap(
        x=round(x, 1),
        y=round(y, 1),
        width=WIDTH,
        height=HEIGHT,
        latitude=latitude,
        longitude=longitude,
        label_anchor="end" if x > WIDTH * 0.6 else "start",
        osm_url=(
            f"https://www.openstreetmap.org/?mlat={latitude:.5f}&mlon={longitude:.5f}"
            f"#map=11/{latitude:.5f}/{longitude:.5f}"
        ),
    )


# -- building the base map from TopoJSON ------------------------------------------


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)
    return arcs


def _ring(arcs, indices) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    # Russia's outline jumps from 180° E to 180° W; unwrapped, it is one
    # continuous ring that clipping handles.
    unwrapped = points[:1]
    for longitude, latitude in points[1:]:
        previous = unwrapped[-1][0]
        while longitude - previous > 180:
            longitude -= 360
        while longitude - previous < -180:
            longitude += 360
        unwrapped.append((longitude, latitude))
    return unwrapped


def _clip(ring, margin: float = 1.0):
    """Sutherland–Hodgman clipping of a ring to the map area (plus a margin)."""
    edges = [
        (lambda p: p[0] >= WEST - margin, lambda a, b: _cross_x(a, b, WEST - margin)),
        (lambda p: p[0] <= EAST + margin, lambda a, b: _cross_x(a, b, EAST + margin)),
        (lambda p: p[1] >= SOUTH - margin, lambda a, b: _cross_y(a, b, SOUTH - margin)),
        (lambda p: p[1] <= NORTH + margin, lambda a, b: _cross_y(a, b, NORTH + margin)),
    ]
    for inside, intersect in edges:
        if not ring:
            break
        clipped = []
        previous = ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    clipped.append(intersect(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(intersect(previous, point))
            previous = point
        ring = clipped
    return ring


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def _path(points, *, close: bool) -> str:
    # Whole SVG units (a tenth of a degree) are finer than the picture is ever
    # shown; relative moves keep the file small.
    rounded: list[tuple[int, int]] = []
    for longitude, latitude in points:
        x, y = project(longitude, latitude)
        point = (round(x), round(y))
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if len(rounded) < (4 if close else 2):
        return ""
    steps = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(rounded)]
    return f"M{rounded[0][0]} {rounded[0][1]}l" + " ".join(steps) + ("z" if close else "")


def build_base_map(topology: dict) -> str:
    """The SVG document of the base map from world-atlas' countries TopoJSON."""
    arcs = _decode_arcs(topology)
    countries = topology["objects"]["countries"]["geometries"]
    land_paths = []
    users: dict[int, set[int]] = {}
    for number, geometry in enumerate(countries):
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            for ring_indices in polygon:
                for index in ring_indices:
                    users.setdefault(index if index >= 0 else ~index, set()).add(number)
                path = _path(_clip(_ring(arcs, ring_indices)), close=True)
                if path:
                    land_paths.append(path)
    # An arc that two countries share is a border between them.
    border_paths = []
    for index, used_by in users.items():
        if len(used_by) > 1:
            points = arcs[index]
            if any(covers(lon, lat) for lon, lat in points):
                path = _path(points, close=False)
                if path:
                    border_paths.append(path)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">\n'
        "<!-- Natural Earth 1:50m (public domain) via world-atlas; "
        "see municipia/directory/maps.py -->\n"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#dcebf5"/>\n'
        f'<path fill="#f4f1e8" stroke="#9aa9b6" stroke-width="0.6" d="{"".join(land_paths)}"/>\n'
        f'<path fill="none" stroke="#b5bfc8" stroke-width="0.5" d="{"".join(border_paths)}"/>\n'
        "</svg>\n"
    )


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as source:
        sys.stdout.write(build_base_map(json.load(source)))

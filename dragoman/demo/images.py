"""Pictures for the demo network, drawn here so that nothing is downloaded."""

import io
import random

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images.models import Image

PALETTES = [
    ((11, 79, 138), (242, 178, 51)),
    ((25, 110, 80), (230, 230, 210)),
    ((140, 45, 60), (250, 220, 180)),
    ((60, 60, 110), (170, 210, 240)),
    ((180, 90, 30), (250, 240, 200)),
    ((30, 30, 40), (120, 200, 190)),
]


def landscape_png(*, seed: int, width: int = 1200, height: int = 675) -> bytes:
    """A simple landscape: sky gradient, sun and hills, different for every seed."""
    rng = random.Random(seed)
    sky, accent = rng.choice(PALETTES)
    picture = PillowImage.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(picture)
    for row in range(height):
        shade = row / height
        draw.line(
            [(0, row), (width, row)],
            fill=tuple(int(c * (1 - shade) + a * shade) for c, a in zip(sky, accent, strict=True)),
        )
    sun_x, sun_y = rng.randint(100, width - 100), rng.randint(60, height // 2)
    draw.ellipse([sun_x - 60, sun_y - 60, sun_x + 60, sun_y + 60], fill=accent)
    for layer in range(3):
        base = height - layer * 70 - rng.randint(40, 120)
        points = [(0, height)]
        points += [(x, base - rng.randint(0, 120)) for x in range(0, width + 150, 150)]
        points.append((width, height))
        tone = tuple(max(0, c // (layer + 2)) for c in sky)
        draw.polygon(points, fill=tone)
    output = io.BytesIO()
    picture.save(output, format="PNG", optimize=True)
    return output.getvalue()


def portrait_png(*, seed: int, size: int = 320) -> bytes:
    """An abstract head-and-shoulders silhouette, for fictional bloggers' photos."""
    rng = random.Random(seed)
    background, accent = rng.choice(PALETTES)
    picture = PillowImage.new("RGB", (size, size), accent)
    draw = ImageDraw.Draw(picture)
    draw.ellipse([size * 0.3, size * 0.15, size * 0.7, size * 0.55], fill=background)
    draw.ellipse([size * 0.12, size * 0.6, size * 0.88, size * 1.3], fill=background)
    output = io.BytesIO()
    picture.save(output, format="PNG", optimize=True)
    return output.getvalue()


def image_create(*, title: str, png: bytes, description: str = "") -> Image:
    image = Image(title=title, description=description)
    image.file = ImageFile(io.BytesIO(png), name=f"{title.lower().replace(' ', '-')[:40]}.png")
    image.save()
    return image

"""The home page stays under its weight budget: 100 KB transferred, compressed as served."""

import gzip
import re
from pathlib import PurePosixPath

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.actors.factories import ActorFactory

BUDGET = 100 * 1024
# whitenoise serves these pre-compressed; woff2 and images are compressed already.
COMPRESSIBLE = {".css", ".js", ".svg", ".html"}


def _static_file(url: str) -> bytes:
    relative = url.split("?")[0].removeprefix("/static/")
    path = finders.find(relative)
    assert path, f"{url} is referenced but not found among the static files"
    with open(path, "rb") as file:
        return file.read()


def _on_the_wire(name: str, content: bytes) -> int:
    if PurePosixPath(name).suffix in COMPRESSIBLE:
        return len(gzip.compress(content, compresslevel=9))
    return len(content)


@pytest.mark.django_db
def test_home_page_with_its_assets_stays_under_100_kb(client):
    ActorFactory.create_batch(20)
    html = client.get(reverse("home")).content
    sizes = {"/": len(gzip.compress(html, compresslevel=9))}
    urls = re.findall(rb'<(?:link|script)[^>]+(?:href|src)="(/static/[^"]+)"', html)
    assert urls, "the page links no static files: the check would measure nothing"
    for raw_url in urls:
        url = raw_url.decode()
        content = _static_file(url)
        sizes[url] = _on_the_wire(url, content)
        if url.endswith(".css"):
            for font in re.findall(rb'url\("?(\.\./fonts/[^")]+)"?\)', content):
                font_url = str(PurePosixPath(url).parent / font.decode())
                font_url = font_url.replace("/css/../", "/")
                sizes[font_url] = len(_static_file(font_url))

    assert any(name.endswith(".woff2") for name in sizes), "fonts are not counted"
    total = sum(sizes.values())
    listing = "\n".join(f"{size:>8} {name}" for name, size in sizes.items())
    assert total < BUDGET, f"home page transfers {total} bytes:\n{listing}"


def test_only_the_two_used_font_weights_are_declared():
    css = _static_file("/static/css/fonts.css").decode()
    assert css.count("@font-face") == 2
    for font in re.findall(r'url\("\.\./fonts/([^"]+)"\)', css):
        assert len(_static_file(f"/static/fonts/{font}")) < 40 * 1024, f"{font} is not subset"

"""A paper's figures in Chromium: the stored image loads from this site, fits the column,
and a figure naming another site's address (or a raw <img> of one) makes no request there."""

import io

import pytest
from PIL import Image

from papers.figures import figure_image_store
from papers.services import paper_render
from tests.browser.figures import wait_for_figure_image
from tests.browser.test_no_external_requests import NetworkWatch, origin
from tests.factories import make_paper

pytestmark = pytest.mark.browser

EXTERNAL = "https://images.example/photo.png"
SECTIONS = [
    ("Results", 'The chart follows.\n\n![A wide bar chart](chart.png "Sales by month")'),
    (
        "Elsewhere",
        f'![A photo kept elsewhere]({EXTERNAL} "The room")\n\n'
        'Raw HTML too: <img src="https://tracker.example/pixel.gif" alt="">',
    ),
]
WIDE = (1600, 240)  # wider than the column: the figure must shrink it

FIGURES_JS = """() => {
  const figure = document.querySelector("#figure-1");
  const image = figure.querySelector("img");
  return {
    complete: image.complete,
    naturalWidth: image.naturalWidth,
    shownWidth: image.getBoundingClientRect().width,
    figureWidth: figure.getBoundingClientRect().width,
    textAlign: getComputedStyle(figure).textAlign,
    numberWeight: getComputedStyle(figure.querySelector(".figure-number")).fontWeight,
    images: [...document.images].map((i) => i.getAttribute("src")),
    external: document.querySelector("#figure-2 a").getAttribute("href"),
  };
}"""


@pytest.fixture
def served_media(settings, tmp_path):
    """A temporary MEDIA_ROOT, which /media/ serves (conference.urls.media reads it each time)."""
    settings.MEDIA_ROOT = tmp_path / "served"
    return settings.MEDIA_ROOT


def wide_png():
    out = io.BytesIO()
    Image.new("RGB", WIDE, (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_a_stored_figure_loads_and_no_request_goes_to_another_site(
    live_server, browser, served_media
):
    paper = make_paper(sections=SECTIONS)
    stored = figure_image_store(paper, "chart.png", wide_png())
    paper_render(paper)
    own = origin(live_server.url)

    def steps(page):
        watch = NetworkWatch(page, own)
        page.goto(live_server.url + paper.get_absolute_url(), wait_until="load")
        wait_for_figure_image(page)
        return page.evaluate(FIGURES_JS), watch.take(page)

    shown, seen = browser.run(steps)

    assert shown["naturalWidth"] == WIDE[0]
    assert 0 < shown["shownWidth"] <= shown["figureWidth"] < WIDE[0]  # fits the column
    assert shown["textAlign"] == "center" and shown["numberWeight"] == "700"
    assert shown["images"] == [stored.image.url]  # no <img> of another site on the page
    assert shown["external"] == EXTERNAL  # a link to it, for the reader to follow
    assert live_server.url + stored.image.url in seen["requests"]
    elsewhere = [url for url in seen["requests"] if origin(url) != own]
    assert not elsewhere, elsewhere
    assert not seen["csp_events"] and not seen["csp_console"], seen
    assert not seen["page_errors"], seen

"""A WordPress post's figures in Chromium, after import_wxr: the image whose file came with
--uploads loads from this site; the one without a file is a link to its old address; and
the page asks nothing of any other origin (the old site, a tracker in a comment)."""

import io

import pytest
from django.core.management import call_command

from papers.models import FigureImage, Paper
from tests.browser.figures import wait_for_figure_image
from tests.browser.test_no_external_requests import NetworkWatch, origin
from tests.wordpress.importing import png, uploads_dir
from tests.wordpress.wxr_builder import SITE, comment, document, post

pytestmark = pytest.mark.browser

COPIED = f"{SITE}/wp-content/uploads/2024/05/chart.png"
MISSING = f"{SITE}/wp-content/uploads/2024/05/no-file.png"
SIZE = (320, 140)
CONTENT = f"""<!-- wp:paragraph -->
<p>Two figures follow.</p>
<!-- /wp:paragraph -->

<!-- wp:image {{"id":7}} -->
<figure class="wp-block-image"><img src="{COPIED}" alt="A chart" class="wp-image-7"/><figcaption class="wp-element-caption">Copied</figcaption></figure>
<!-- /wp:image -->

<!-- wp:image {{"id":8}} -->
<figure class="wp-block-image"><img src="{MISSING}" alt="A lost photo" class="wp-image-8"/><figcaption class="wp-element-caption">Left behind</figcaption></figure>
<!-- /wp:image -->"""
TRACKER = "https://tracker.example/pixel.gif"

SHOWN_JS = """() => {
  const image = document.querySelector("#figure-1 img");
  return {
    src: image.getAttribute("src"),
    naturalWidth: image.naturalWidth,
    images: [...document.images].map((i) => i.getAttribute("src")),
    link: document.querySelector("#figure-2 a").getAttribute("href"),
    commentLinks: [...document.querySelectorAll(".comment-content a")].map((a) => a.href),
  };
}"""


@pytest.fixture
def imported(live_server, settings, tmp_path):
    """The post imported with a copy of the site's uploads holding one of its two files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    uploads = uploads_dir(tmp_path / "wp-content" / "uploads", {"2024/05/chart.png": png(SIZE)})
    export = tmp_path / "export.xml"
    export.write_bytes(
        document(
            post(
                1,
                "Figures from WordPress",
                CONTENT,
                comments=[comment(1, "Tracker", f'Hello <img src="{TRACKER}" alt="">')],
            )
        )
    )
    call_command("import_wxr", str(export), "--uploads", str(uploads), stdout=io.StringIO())
    return Paper.objects.get(), FigureImage.objects.get()


def test_imported_figures_load_from_this_site_only(live_server, browser, imported):
    paper, stored = imported
    own = origin(live_server.url)
    address = live_server.url + paper.get_absolute_url()  # the ORM stays in this thread

    def steps(page):
        watch = NetworkWatch(page, own)
        page.goto(address, wait_until="load")
        wait_for_figure_image(page)
        return page.evaluate(SHOWN_JS), watch.take(page)

    shown, seen = browser.run(steps)

    assert stored.name == COPIED
    assert shown["src"] == stored.image.url and shown["src"].startswith("/media/figures/")
    assert shown["naturalWidth"] == SIZE[0] > 0
    assert shown["images"] == [stored.image.url]  # the only image on the page
    assert shown["link"] == MISSING  # no file: a link to where it was
    assert shown["commentLinks"] == [TRACKER]  # the comment's image: a link, never loaded
    assert live_server.url + stored.image.url in seen["requests"]
    assert any(url.endswith(".css") for url in seen["requests"])  # the log works
    elsewhere = [url for url in seen["requests"] if origin(url) != own]
    assert not elsewhere, elsewhere
    assert not seen["csp_events"] and not seen["csp_console"], seen
    assert not seen["page_errors"], seen

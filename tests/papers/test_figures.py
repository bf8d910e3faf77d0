"""A paper's figures (papers/figures.py): drawn from a section's Markdown, uploaded in the
admin, read by import_paper from next to the paper's file, and never an image of another
site."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from papers.figures import figure_image_store
from papers.importer import import_paper
from papers.models import FigureImage, Paper
from papers.services import paper_render
from tests.factories import make_edition, make_paper, make_stream, make_user
from tests.papers.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png(colour=(30, 90, 160)):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Files go to a temporary MEDIA_ROOT, never into the repository's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def served_media(settings, tmp_path):
    """A temporary MEDIA_ROOT, which /media/ serves (conference.urls.media reads it each time)."""
    settings.MEDIA_ROOT = tmp_path / "served"
    return settings.MEDIA_ROOT


def paper_with_figures(*sections, files=()):
    """A paper of these (heading, markdown) sections, with a stored PNG for each file name."""
    paper = make_paper(sections=list(sections))
    for name in files:
        figure_image_store(paper, name, png())
    paper_render(paper)
    return paper


def drawn(paper):
    """The paper's sections as the page shows them."""
    return "".join(section.body_html for section in paper.sections.all())


def stored_url(paper, name):
    return paper.figure_images.get(name=name).image.url


class Tags(HTMLParser):
    """Every start tag of an HTML fragment, with its attributes."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def images(html):
    return [attrs["src"] for tag, attrs in Tags(html).tags if tag == "img"]


# Drawn on the page


def test_a_lone_image_paragraph_is_a_numbered_figure_with_caption_and_alt_text():
    paper = paper_with_figures(
        ("Results", 'Before it.\n\n![A bar chart](chart.png "Sales by month")\n\nAfter it.'),
        files=["chart.png"],
    )
    url = stored_url(paper, "chart.png")
    assert re.fullmatch(r"/media/figures/[0-9a-f]{32}\.png", url)
    assert (
        f'<figure id="figure-1" class="figure"><img src="{url}" alt="A bar chart" '
        'loading="lazy"><figcaption><span class="figure-number">Figure 1.</span> Sales by month'
        "</figcaption></figure>"
    ) in drawn(paper)
    assert "<p>Before it.</p>" in drawn(paper) and "<p>After it.</p>" in drawn(paper)


def test_figures_are_numbered_across_sections_in_the_order_they_are_shown():
    paper = paper_with_figures(
        ("One", '![First](a.png "A")\n\nWords.\n\n![Second](https://example.org/b.png "B")'),
        ("Two", 'More words.\n\n![Third](c.png "C")'),
        files=["a.png", "c.png"],
    )
    html = drawn(paper)
    assert re.findall(r'<figure id="(figure-\d)"', html) == ["figure-1", "figure-2", "figure-3"]
    assert re.findall(r"Figure (\d)\.</span> (\w)", html) == [("1", "A"), ("2", "B"), ("3", "C")]
    assert images(html) == [stored_url(paper, "a.png"), stored_url(paper, "c.png")]


def test_an_image_inside_a_sentence_stays_a_link_to_it():
    paper = paper_with_figures(
        ("Results", "As ![the chart](chart.png) shows, groups help."), files=["chart.png"]
    )
    html = drawn(paper)
    assert html == '<p>As <a href="chart.png" rel="noopener">the chart</a> shows, groups help.</p>'


def test_a_figure_naming_an_address_of_another_site_is_a_link_never_an_image():
    paper = paper_with_figures(("Map", '![A map](https://maps.example/m.png "Where we met")'))
    assert drawn(paper) == (
        '<figure id="figure-1" class="figure"><a href="https://maps.example/m.png" rel="noopener">A map</a>'
        '<figcaption><span class="figure-number">Figure 1.</span> Where we met</figcaption>'
        "</figure>"
    )


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://evil.example/x.png">',
        '<img src="//evil.example/x.png" alt="x">',
        '<img src="http://evil.example/x.png" srcset="https://evil.example/y.png 2x">',
        '<figure class="figure"><img src="https://evil.example/x.png"></figure>',
        '<p>Text <img src="https://evil.example/x.png"> text</p>',
    ],
)
def test_raw_html_images_of_another_site_are_dropped(html):
    paper = paper_with_figures(("Raw", f"Before.\n\n{html}\n\nAfter."), files=["x.png"])
    assert "evil.example" not in drawn(paper)
    assert images(drawn(paper)) == []


def test_a_raw_html_image_of_this_site_is_kept():
    paper = paper_with_figures(("Raw", "A figure follows.\n\n![x](x.png)"), files=["x.png"])
    url = stored_url(paper, "x.png")
    section = paper.sections.get()
    section.body = f'Own file: <img src="{url}" alt="ours">'
    section.save()
    paper_render(paper)
    assert images(drawn(paper)) == [url]


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:x",
    ],
)
def test_figures_and_images_with_script_or_data_addresses_lose_them(address):
    paper = paper_with_figures(
        ("Hostile", f'![Click](<{address}> "Caption")\n\nText <img src="{address}"> text.')
    )
    html = drawn(paper)
    assert address.split(":")[0].lower() not in html.lower()
    assert images(html) == []
    assert '<figure id="figure-1" class="figure"><a rel="noopener">Click</a>' in html


def test_hostile_alt_text_and_captions_are_escaped():
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    paper = paper_with_figures(
        ("Hostile", f'![{hostile}](chart.png "{hostile.replace('"', "&quot;")}")'),
        ("Unknown", f"![{hostile}](https://elsewhere.example/c.png)"),
        files=["chart.png"],
    )
    html = drawn(paper)
    tags = Tags(html).tags
    assert [tag for tag, _ in tags if tag in ("script", "img")] == ["img"]
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    (img,) = (attrs for tag, attrs in tags if tag == "img")
    assert img["src"] == stored_url(paper, "chart.png")
    assert "<script>" in img["alt"]  # kept as the text the author wrote, inert
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_section_heading_figure_1_does_not_take_the_id_of_figure_1(client):
    paper = paper_with_figures(
        ("Figure 1", '![A chart](chart.png "The chart")'), files=["chart.png"]
    )
    html = client.get(paper.get_absolute_url()).content.decode()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert ids.count("figure-1") == 1 and len(ids) == len(set(ids))
    assert '<h2 id="section-figure-1">Figure 1</h2>' in html


def test_an_empty_thesis_shows_no_thesis_box(client):
    paper = make_paper(thesis="")
    html = client.get(paper.get_absolute_url()).content.decode()
    assert 'class="thesis"' not in html
    assert 'class="thesis"' in client.get(make_paper().get_absolute_url()).content.decode()


def test_the_same_image_twice_is_one_file(media):
    first = paper_with_figures(("A", "![a](a.png)"), files=["a.png", "again.png"])
    second = paper_with_figures(("B", "![b](b.png)"), files=["b.png"])
    assert len({stored_url(first, "a.png"), stored_url(second, "b.png")}) == 1
    assert len(list((media / "figures").iterdir())) == 1


# Uploaded in the admin


@pytest.fixture
def staff_client(client):
    """A staff user (not a superuser) allowed to edit papers and their parts."""
    user = make_user(staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="papers"))
    client.force_login(user)
    return client


def upload_form(client, paper, upload, **fields):
    """The paper's change form as its page fills it in, with a figure image added."""
    data = form_data(client.get(change_url(paper)).content.decode())
    assert data["figure_images-TOTAL_FORMS"] == "0"
    data.update(
        {
            "figure_images-TOTAL_FORMS": "1",
            "figure_images-0-id": "",
            "figure_images-0-paper": str(paper.pk),
            "figure_images-0-name": "",
            "figure_images-0-image": upload,
            **fields,
        }
    )
    return client.post(change_url(paper), data)


def test_an_image_uploaded_in_the_admin_is_stored_and_shown(staff_client, served_media):
    paper = make_paper(sections=[("Results", '![A chart](chart.png "Sales")')])
    assert images(drawn(paper)) == []
    upload = SimpleUploadedFile("chart.png", png(), content_type="image/png")
    response = upload_form(staff_client, paper, upload)
    assert response.status_code == 302, response.content.decode()[:3000]

    stored = FigureImage.objects.get(paper=paper)
    assert stored.name == "chart.png"  # the name left blank: the uploaded file's name
    assert re.fullmatch(r"figures/[0-9a-f]{32}\.png", stored.image.name)
    assert (served_media / stored.image.name).is_file()
    page = staff_client.get(paper.get_absolute_url()).content.decode()
    assert images(page) == [f"/media/{stored.image.name}"]
    assert 'alt="A chart"' in page and "Figure 1.</span> Sales" in page

    image = staff_client.get(f"/media/{stored.image.name}")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == (served_media / stored.image.name).read_bytes()
    change = staff_client.get(change_url(paper)).content.decode()
    assert "Every figure naming a file has its image, and every image is shown." in change


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("figure.svg", SVG, "the file is not a PNG, JPEG, GIF or WebP image"),
        ("notes.png", b"Just some words, not an image.", "the file is not a PNG, JPEG"),
        ("page.png", b"<html><script>alert(1)</script></html>", "the file is not a PNG"),
    ],
    ids=["svg", "text", "html"],
)
def test_an_upload_that_is_not_an_image_is_refused_next_to_the_field(
    staff_client, name, data, message
):
    paper = make_paper(title="Title before", sections=[("Results", "![A chart](chart.png)")])
    upload = SimpleUploadedFile(name, data, content_type="image/svg+xml")
    response = upload_form(staff_client, paper, upload, title="Title typed with the upload")
    assert response.status_code == 200
    html = response.content.decode()
    # The message sits in the figure's image field, tied to its input by aria-describedby.
    error = re.search(
        r'<div class="form-row field-image">\s*<div class="flex-container errors">.*?'
        r'<ul class="errorlist" id="id_figure_images-0-image_error"><li>(.*?)</li></ul>\s*'
        r'<input type="file" name="figure_images-0-image"[^>]*'
        r'aria-describedby="id_figure_images-0-image_helptext id_figure_images-0-image_error"',
        html,
        re.S,
    )
    assert error, html
    assert error[1].startswith(f"This file cannot be used: {message}")
    assert 'value="Title typed with the upload"' in html  # what else was typed is kept
    assert not FigureImage.objects.exists()
    assert Paper.objects.get(pk=paper.pk).title == "Title before"


def test_an_upload_too_large_is_refused_next_to_the_field(staff_client, settings):
    settings.COLLOQUY_IMAGE_MAX_BYTES = 1024 * 1024
    big = io.BytesIO()
    Image.effect_noise((800, 800), 100).convert("RGB").save(big, format="PNG")
    assert len(big.getvalue()) > settings.COLLOQUY_IMAGE_MAX_BYTES
    paper = make_paper(sections=[("Results", "![A chart](chart.png)")])
    upload = SimpleUploadedFile("chart.png", big.getvalue(), content_type="image/png")
    html = upload_form(staff_client, paper, upload).content.decode()
    assert "This file cannot be used: the file is larger than 1 MB." in html
    assert not FigureImage.objects.exists()


def test_a_name_given_in_the_admin_is_kept(staff_client):
    paper = make_paper(sections=[("Results", "![A chart](<sales chart.png>)")])
    upload = SimpleUploadedFile("IMG_0001.png", png(), content_type="image/png")
    response = upload_form(
        staff_client, paper, upload, **{"figure_images-0-name": "sales chart.png"}
    )
    assert response.status_code == 302
    assert FigureImage.objects.get().name == "sales chart.png"
    assert images(drawn(paper)) == [stored_url(paper, "sales chart.png")]


def test_renaming_a_stored_image_in_the_admin_keeps_its_file(staff_client):
    paper = paper_with_figures(("Results", "![A chart](new.png)"), files=["old.png"])
    before = paper.figure_images.get().image.name
    data = form_data(staff_client.get(change_url(paper)).content.decode())
    assert data["figure_images-0-name"] == "old.png"
    data["figure_images-0-name"] = "new.png"
    response = staff_client.post(change_url(paper), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(paper.figure_images.values_list("name", "image")) == [("new.png", before)]
    assert images(drawn(paper)) == [f"/media/{before}"]


def test_the_paper_change_page_lists_figures_without_images_and_images_without_figures(
    staff_client,
):
    paper = paper_with_figures(
        ("One", "![Shown](shown.png)\n\n![Missing](missing.png)"),
        ("Two", "![Elsewhere](https://example.org/e.png)"),
        files=["shown.png", "unused.png"],
    )
    html = staff_client.get(change_url(paper)).content.decode()
    problems = re.search(r'<ul class="figure-problems">(.*?)</ul>', html, re.S)[1]
    assert problems == (
        "<li>Figure with no image uploaded: missing.png</li>"
        "<li>Image no figure shows: unused.png</li>"
    )


# Read by import_paper from next to the paper's file

PAPER = """\
---
title: Figures travel with the paper
authors: Ana Lima
edition: ed-figures
stream: talks
date: 2026-04-21
thesis: A figure's file sits next to the paper's.
---

## Results

The chart says it all.

![A bar chart](fig1.png "Sales by month")

## Discussion

![A photo](images/photo.png "The room")

![A map](https://maps.example/m.png "Where we met")
"""
FIG1_LINE, PHOTO_LINE = 14, 18


@pytest.fixture
def paper_dir(tmp_path):
    make_stream(make_edition(slug="ed-figures"), slug="talks")
    folder = tmp_path / "paper"
    (folder / "images").mkdir(parents=True)
    (folder / "fig1.png").write_bytes(png(colour=(200, 0, 0)))
    (folder / "images" / "photo.png").write_bytes(png(colour=(0, 200, 0)))
    (folder / "paper.md").write_text(PAPER, encoding="utf-8")
    return folder


def run_import(folder, text=None):
    if text is not None:
        (folder / "paper.md").write_text(text, encoding="utf-8")
    call_command("import_paper", str(folder / "paper.md"), stdout=io.StringIO())
    return Paper.objects.get(slug="figures-travel-with-the-paper")


def test_import_stores_the_files_its_figures_name(paper_dir, media):
    paper = run_import(paper_dir)
    assert sorted(paper.figure_images.values_list("name", flat=True)) == [
        "fig1.png",
        "images/photo.png",
    ]
    html = drawn(paper)
    assert images(html) == [stored_url(paper, "fig1.png"), stored_url(paper, "images/photo.png")]
    assert '<a href="https://maps.example/m.png" rel="noopener">A map</a>' in html
    assert re.findall(r'<figure id="(figure-\d)"', html) == ["figure-1", "figure-2", "figure-3"]
    assert len(list((media / "figures").iterdir())) == 2


def test_import_again_writes_no_new_file_and_lets_unnamed_images_go(paper_dir, media):
    paper = run_import(paper_dir)
    files = sorted((media / "figures").iterdir())
    again = run_import(paper_dir)
    assert again.pk == paper.pk and sorted((media / "figures").iterdir()) == files
    assert FigureImage.objects.count() == 2

    run_import(paper_dir, PAPER.replace('![A photo](images/photo.png "The room")', "A room."))
    assert list(paper.figure_images.values_list("name", flat=True)) == ["fig1.png"]


@pytest.mark.parametrize(
    ("address", "line", "words"),
    [
        ("absent.png", FIG1_LINE, "figure file 'absent.png' is not found next to the paper"),
        ("images", FIG1_LINE, "figure file 'images' is not found next to the paper"),
        ("../outside.png", FIG1_LINE, "figure file '../outside.png' is outside the paper's"),
        (
            "images/../../outside.png",
            FIG1_LINE,
            "figure file 'images/../../outside.png' is outside the paper's directory",
        ),
        ("/etc/hostname", FIG1_LINE, "figure '/etc/hostname' is neither a file next to the paper"),
        ("file:///etc/hostname", FIG1_LINE, "is neither a file next to the paper"),
        ("notes.txt", FIG1_LINE, "figure file 'notes.txt' cannot be used: the file is not a PNG"),
        ("figure.svg", FIG1_LINE, "figure file 'figure.svg' cannot be used: the file is not a"),
        ("link.png", FIG1_LINE, "figure file 'link.png' is outside the paper's directory"),
    ],
    ids=[
        "missing",
        "a directory",
        "parent",
        "parent by a subfolder",
        "absolute",
        "file URL",
        "text",
        "svg",
        "symlink out",
    ],
)
def test_import_refuses_a_figure_file_it_cannot_use_and_changes_nothing(
    paper_dir, media, address, line, words
):
    (paper_dir.parent / "outside.png").write_bytes(png())
    (paper_dir / "notes.txt").write_text("Not an image.", encoding="utf-8")
    (paper_dir / "figure.svg").write_bytes(SVG)
    (paper_dir / "link.png").symlink_to(paper_dir.parent / "outside.png")
    text = PAPER.replace("](fig1.png ", f"]({address} ")
    (paper_dir / "paper.md").write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_paper", str(paper_dir / "paper.md"), stdout=io.StringIO())
    message = str(raised.value)
    assert message.startswith(f"{paper_dir / 'paper.md'}: line {line}: "), message
    assert words in message
    assert message.endswith("(nothing was changed)")
    assert not Paper.objects.exists() and not FigureImage.objects.exists()
    assert not (media / "figures").exists()


def test_a_broken_reimport_leaves_the_paper_and_its_figures_as_they_were(paper_dir):
    paper = run_import(paper_dir)
    before = (drawn(paper), sorted(paper.figure_images.values_list("name", "image")))
    later = "## Later\n\nWords.\n\n![Gone](gone.png)\n\n## Discussion"  # Gone: line 20
    text = PAPER.replace("## Discussion", later)
    with pytest.raises(CommandError, match=r": line 20: figure file 'gone.png' is not found"):
        run_import(paper_dir, text.replace("The chart says it all.", "Changed words."))
    paper.refresh_from_db()
    assert (drawn(paper), sorted(paper.figure_images.values_list("name", "image"))) == before


def test_import_reports_the_line_of_each_figure(paper_dir):
    with pytest.raises(CommandError, match=rf": line {PHOTO_LINE}: figure file 'images/photo"):
        (paper_dir / "images" / "photo.png").unlink()
        run_import(paper_dir)


def test_import_without_a_directory_leaves_figures_alone(paper_dir):
    paper = run_import(paper_dir)
    import_paper(PAPER.replace("The chart says it all.", "Imported from its text alone."))
    assert paper.figure_images.count() == 2
    assert len(images(drawn(paper))) == 2


def test_a_photo_uploaded_in_the_person_admin_is_checked_and_stripped(admin_client, media):
    """The admin's person form treats a photo as the author's profile page does."""
    import re as _re

    from PIL import Image as _Image

    from papers.models import Person

    person = Person.objects.create(display_name="Ada Lovelace", slug="ada-lovelace")
    exif = _Image.Exif()
    exif[0x013B] = "Secret Person"
    out = io.BytesIO()
    _Image.new("RGB", (900, 600), (10, 20, 30)).save(out, format="JPEG", exif=exif.tobytes())
    url = f"/admin/papers/person/{person.pk}/change/"
    page = admin_client.get(url).content.decode()
    fields = dict(_re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    data = {
        "display_name": "Ada Lovelace",
        "slug": "ada-lovelace",
        "affiliation": "",
        "bio": "",
        "website": "",
        "user": "",
        "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""),
    }
    svg = SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    refused = admin_client.post(url, {**data, "photo": svg})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["photo"]  # next to the field
    photo = SimpleUploadedFile("ada.jpg", out.getvalue(), content_type="image/jpeg")
    response = admin_client.post(url, {**data, "photo": photo})
    assert response.status_code == 302
    person.refresh_from_db()
    stored = person.photo.read()
    assert b"Secret Person" not in stored
    with _Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) <= 400

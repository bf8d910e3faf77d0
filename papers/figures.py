"""A paper's figures: how each is drawn, numbered in the order the paper shows them, and the
files they show, kept as this site encoded them (common.images) and named by their content.

A figure is a paragraph of a section holding only an image, `![alt text](name "Caption")`
(common.markup). `name` is a FigureImage's name (an upload in the admin, or a file next to
the paper that import_paper read); an http(s) address, or a name with no file, is drawn as
a link to it: the page never loads an image from another site.
"""

import hashlib
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import format_html

from common.images import reencoded_image
from common.markup import render_markdown
from common.site import absolute_url

from .models import FigureImage


def figure_name(address):
    """The name a FigureImage has for a figure's address: the address as the text wrote it
    (Markdown percent-encodes what it must: `<fig 1.png>` gives "fig%201.png")."""
    return unquote(address)


def is_web_address(address):
    """An address of another site (http, https or //host), never one of this site's files."""
    parts = urlsplit(address)
    return parts.scheme.lower() in ("http", "https") or address.startswith("//")


class FigureDrawer:
    """Draws the figures of one paper for common.markup.render_markdown.

    images: {name: address} of the paper's stored files (FigureImage). A figure whose image
    has no stored file is a link to the address it names, never an <img> of another site.
    For the page, figures are numbered ("Figure 1.") and given an id to link to; for an
    export (numbered=False) they are drawn as WordPress draws an image block, with the file's
    full address.
    """

    def __init__(self, images, *, numbered=True):
        self.images, self.numbered, self.count = images, numbered, 0

    def __call__(self, address, alt, caption):
        self.count += 1
        stored = self.images.get(address) or self.images.get(figure_name(address))
        if stored is None:
            media = format_html('<a href="{}">{}</a>', address, alt or address)
        elif self.numbered:
            media = format_html('<img src="{}" alt="{}" loading="lazy">', stored, alt)
        else:
            media = format_html('<img src="{}" alt="{}">', absolute_url(stored), alt)
        if not self.numbered:
            caption_html = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
            return format_html('<figure class="wp-block-image">{}{}</figure>', media, caption_html)
        number = format_html('<span class="figure-number">Figure {}.</span>', self.count)
        caption_html = format_html("<figcaption>{} {}</figcaption>", number, caption)
        return format_html(
            '<figure id="figure-{}" class="figure">{}{}</figure>', self.count, media, caption_html
        )


def figure_drawer(paper, *, numbered=True):
    return FigureDrawer(
        {image.name: image.image.url for image in paper.figure_images.all()}, numbered=numbered
    )


def figure_addresses(markdown):
    """The address of each figure of a section's Markdown, in order, as the page finds them."""
    found = []

    def note(address, alt, caption):
        found.append(address)
        return ""

    render_markdown(markdown, trusted=True, figure=note)
    return found


def figure_report(paper):
    """(names the paper's figures give with no stored file, stored files no figure shows).

    Figures naming an http(s) address are links by design, not problems."""
    named = [
        figure_name(address)
        for section in paper.sections.all()
        for address in figure_addresses(section.body)
    ]
    stored = set(paper.figure_images.values_list("name", flat=True))
    missing = [name for name in dict.fromkeys(named) if not is_web_address(name)]
    return [name for name in missing if name not in stored], sorted(stored - set(named))


def figure_path(encoded):
    """Where figure_file keeps an image encoded by common.images.reencoded_image, a
    (bytes, extension) pair: a name made of its content."""
    content, extension = encoded
    return f"figures/{hashlib.sha256(content).hexdigest()[:32]}.{extension}"


def figure_file(encoded):
    """The storage path of the encoded image (figure_path), written there unless it already
    is: the same image stored again (an import run twice, one image uploaded for two papers)
    writes nothing new."""
    path = figure_path(encoded)
    if default_storage.exists(path):
        return path
    return default_storage.save(path, ContentFile(encoded[0]))


def figure_image_keep(paper, name, encoded):
    """The paper's figure `name` shows this encoded image (figure_file) from now on."""
    image, _ = FigureImage.objects.update_or_create(
        paper=paper, name=name, defaults={"image": figure_file(encoded)}
    )
    return image


def figure_image_store(paper, name, data):
    """Keep `data` (checked and encoded anew) as the image the paper's figure `name` shows.

    Raises common.images.NotAnImage."""
    return figure_image_keep(paper, name, reencoded_image(data))

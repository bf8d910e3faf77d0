"""A paper's figures: how each is drawn, numbered in the order the paper shows them."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import format_html

from common.images import reencoded_image
from common.site import absolute_url

from .models import FigureImage


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
        stored = self.images.get(address)
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


def figure_image_store(paper, name, data):
    """Keep `data` (checked and encoded anew) as the image the paper's figure `name` shows.

    Raises common.images.NotAnImage. Files are named by their content, so storing the
    same image again (an import run twice) writes nothing new.
    """
    content, extension = reencoded_image(data)
    path = f"figures/{hashlib.sha256(content).hexdigest()[:32]}.{extension}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    image, _ = FigureImage.objects.update_or_create(
        paper=paper, name=name, defaults={"image": path}
    )
    return image

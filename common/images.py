"""Image files this site keeps: checked by their content and written again by Pillow.

What is stored is never the file as it came: the image is decoded and encoded anew, so no
metadata (camera, place, author) and nothing that is not the picture itself survives, and
only the raster formats every browser shows are taken (an SVG may carry script).
"""

import io

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name: the extension the stored file gets.
FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
# Pillow refuses (DecompressionBombError) images of more pixels than twice this.
Image.MAX_IMAGE_PIXELS = 40_000_000


class NotAnImage(ValueError):
    """The file is not an image this site keeps; the message says why."""


def reencoded_image(data):
    """(bytes, extension) of the image in `data`, encoded anew; raises NotAnImage."""
    limit = settings.COLLOQUY_IMAGE_MAX_BYTES
    if len(data) > limit:
        raise NotAnImage(f"the file is larger than {limit // (1024 * 1024)} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            if kind not in FORMATS:
                raise NotAnImage(f"{kind} images are not taken; use PNG, JPEG, GIF or WebP")
            image.load()
            # Turned the way the camera said, since the saying (EXIF) goes.
            upright = ImageOps.exif_transpose(image)
            if kind == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            # Only what draws the picture is kept: comments, EXIF, XMP, colour profiles and
            # text chunks are not written again.
            kept = {
                k: v for k, v in image.info.items() if k in ("transparency", "duration", "loop")
            }
            upright.info = kept
            out = io.BytesIO()
            options = {"quality": 90} if kind == "JPEG" else {}
            upright.save(out, format=kind, **kept, **options)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        if isinstance(error, Image.DecompressionBombError):
            raise NotAnImage("the image has too many pixels") from None
        raise NotAnImage("the file is not a PNG, JPEG, GIF or WebP image") from None
    return out.getvalue(), FORMATS[kind]

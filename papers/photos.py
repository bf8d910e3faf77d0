"""An author's photo: checked and encoded anew by common.images, then made to fit a square."""

import io

from PIL import Image, ImageOps

from common.images import reencoded_image

PHOTO_SIZE = (400, 400)  # pixels the photo is made to fit, its proportions kept
# The format a photo is stored in, by the extension reencoded_image gave it: an animated GIF
# keeps its first picture, as a PNG.
STORED_AS = {
    "png": ("PNG", "png"),
    "jpg": ("JPEG", "jpg"),
    "gif": ("PNG", "png"),
    "webp": ("WEBP", "webp"),
}


def portrait(data):
    """(bytes, extension) of the photo in `data`: no metadata, at most PHOTO_SIZE; raises
    common.images.NotAnImage for what is not an image this site keeps."""
    content, extension = reencoded_image(data)
    kind, extension = STORED_AS[extension]
    with Image.open(io.BytesIO(content)) as image:
        fits = image.width <= PHOTO_SIZE[0] and image.height <= PHOTO_SIZE[1]
        if fits and image.format == kind:
            return content, extension
        image.load()
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGB" if kind == "JPEG" else "RGBA")
        if not fits:  # ImageOps.contain would also enlarge a smaller one
            image = ImageOps.contain(image, PHOTO_SIZE, method=Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format=kind, **({"quality": 88} if kind == "JPEG" else {}))
    return out.getvalue(), extension

"""common/images.py: what is stored is the picture alone, encoded anew, and only from a PNG,
JPEG, GIF or WebP file of a sane size."""

import io

import pytest
from PIL import Image, PngImagePlugin

from common.images import NotAnImage, reencoded_image

SECRETS = (b"SecretCam", b"Secret Person", b"Secret comment", b"SecretXMP")
NOT_AN_IMAGE = "the file is not a PNG, JPEG, GIF or WebP image"


def picture():
    """A 64 by 48 gradient: every pixel differs from its neighbours."""
    image = Image.new("RGB", (64, 48))
    image.putdata([(x * 4, y * 5, 120) for y in range(48) for x in range(64)])
    return image


def exif():
    data = Image.Exif()
    data[0x010F] = "SecretCam"  # Make
    data[0x013B] = "Secret Person"  # Artist
    data[0x0112] = 6  # Orientation: turn 90° clockwise to show it upright
    data.get_ifd(0x8825)[2] = (52.0, 22.0, 1.5)  # GPS latitude
    return data.tobytes()


def encoded(image, kind, **options):
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def jpeg_with_metadata():
    return encoded(picture(), "JPEG", exif=exif())


def test_a_jpeg_is_stored_without_its_exif_metadata():
    data = jpeg_with_metadata()
    assert b"SecretCam" in data and b"Secret Person" in data
    assert Image.open(io.BytesIO(data)).getexif()[0x010F] == "SecretCam"

    content, extension = reencoded_image(data)
    assert extension == "jpg"
    assert not [secret for secret in SECRETS if secret in content]
    assert b"Exif" not in content
    with Image.open(io.BytesIO(content)) as stored:
        assert (stored.format, stored.size) == ("JPEG", (48, 64))  # turned upright
        assert not stored.getexif() and "exif" not in stored.info


@pytest.mark.parametrize("kind", ["JPEG", "GIF"])
def test_a_comment_in_the_file_is_not_kept(kind):
    image = picture() if kind == "JPEG" else picture().convert("P")
    data = encoded(image, kind, comment=b"Secret comment")
    assert b"Secret comment" in data
    content, _ = reencoded_image(data)
    assert b"Secret comment" not in content


def test_a_png_is_stored_without_its_text_and_exif_chunks():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Secret Person")
    text.add_itxt("XML:com.adobe.xmp", "<x>SecretXMP</x>")
    data = encoded(picture(), "PNG", pnginfo=text, exif=exif())
    assert b"Secret Person" in data and b"SecretCam" in data

    content, extension = reencoded_image(data)
    assert extension == "png"
    assert not [secret for secret in SECRETS if secret in content]
    with Image.open(io.BytesIO(content)) as stored:
        assert stored.size == (48, 64) and not stored.text and not stored.getexif()  # upright
        upright = picture().transpose(Image.Transpose.ROTATE_270)
        assert stored.tobytes() == upright.tobytes()  # the picture itself, exactly


def test_a_webp_is_stored_without_its_exif_and_xmp():
    data = encoded(picture(), "WEBP", exif=exif(), xmp=b"<x>SecretXMP</x>", lossless=True)
    assert b"SecretCam" in data and b"SecretXMP" in data
    content, extension = reencoded_image(data)
    assert extension == "webp"
    assert not [secret for secret in SECRETS if secret in content]


def test_what_follows_the_picture_in_the_file_is_not_kept():
    """A polyglot: a real PNG with an HTML page after it, which a browser sniffing the file
    might run; the stored file is the picture alone."""
    data = encoded(picture(), "PNG") + b"<html><script>alert(document.cookie)</script></html>"
    content, _ = reencoded_image(data)
    assert b"<script>" not in content and b"alert" not in content


def test_a_cmyk_jpeg_is_stored_as_rgb():
    content, extension = reencoded_image(encoded(picture().convert("CMYK"), "JPEG"))
    with Image.open(io.BytesIO(content)) as stored:
        assert (extension, stored.mode) == ("jpg", "RGB")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            NOT_AN_IMAGE,
        ),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', NOT_AN_IMAGE),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", NOT_AN_IMAGE),
        (b"Just some words, saved with an image's name.", NOT_AN_IMAGE),
        (b"", NOT_AN_IMAGE),
        (b"\x89PNG\r\n\x1a\n", NOT_AN_IMAGE),  # the signature alone
        ("truncated png", NOT_AN_IMAGE),
        ("truncated jpeg", NOT_AN_IMAGE),
        ("bmp", "BMP images are not taken; use PNG, JPEG, GIF or WebP"),
        ("tiff", "TIFF images are not taken; use PNG, JPEG, GIF or WebP"),
    ],
    ids=[
        "svg with a script",
        "svg with an xml declaration",
        "html",
        "text",
        "empty",
        "png signature alone",
        "truncated png",
        "truncated jpeg",
        "bmp",
        "tiff",
    ],
)
def test_files_that_are_not_images_this_site_keeps_are_refused(data, message):
    noisy = Image.effect_noise((200, 200), 60).convert("RGB")
    data = {
        "truncated png": lambda: encoded(noisy, "PNG")[:4000],
        "truncated jpeg": lambda: encoded(noisy, "JPEG")[:2000],
        "bmp": lambda: encoded(picture(), "BMP"),
        "tiff": lambda: encoded(picture(), "TIFF"),
    }.get(data, lambda: data)()
    with pytest.raises(NotAnImage) as refused:
        reencoded_image(data)
    assert str(refused.value) == message


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(settings):
    settings.COLLOQUY_IMAGE_MAX_BYTES = 2 * 1024 * 1024
    data = jpeg_with_metadata()
    assert reencoded_image(data)
    with pytest.raises(NotAnImage, match=r"^the file is larger than 2 MB$"):
        reencoded_image(data + b"\0" * (settings.COLLOQUY_IMAGE_MAX_BYTES - len(data) + 1))
    assert reencoded_image(data + b"\0" * (settings.COLLOQUY_IMAGE_MAX_BYTES - len(data)))


@pytest.mark.parametrize("kind", ["PNG", "GIF"])
def test_a_decompression_bomb_is_refused(kind):
    """A small file that would decode to 400 million pixels (over a gigabyte as RGB)."""
    mode = "1" if kind == "PNG" else "L"
    data = encoded(Image.new(mode, (20_000, 20_000)), kind)
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(NotAnImage, match=r"^the image has too many pixels$"):
        reencoded_image(data)

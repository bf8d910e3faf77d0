"""/me/profile/: an author edits what their page says about them, and uploads a photo that is
checked, stripped of its metadata, made to fit 400 by 400 pixels and served from this site."""

import io
import os

import pytest
from django.urls import reverse
from PIL import Image

from papers.models import Person
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

URL = reverse("authoring:profile")
GOOD = {
    "display_name": "Ada King",
    "affiliation": "Analytical Engine Society",
    "website": "https://ada.example.org/",
    "bio": "I write *notes* on engines.\n\n<script>alert(1)</script>",
}


def image_file(kind="PNG", size=(64, 48), name="me.png", **options):
    image = Image.new("RGB", size)
    image.putdata([(x % 256, y % 256, 120) for y in range(size[1]) for x in range(size[0])])
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    out.seek(0)
    out.name = name
    return out


def exif_metadata():
    data = Image.Exif()
    data[0x010F] = "SecretCam"  # Make
    data[0x013B] = "Secret Person"  # Artist
    data.get_ifd(0x8825)[2] = (52.0, 22.0, 1.5)  # GPS latitude
    return data.tobytes()


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_the_profile_page_shows_the_form_with_what_is_stored(author_client, author):
    author.affiliation = "Somewhere"
    author.save()
    response = author_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Ada Lovelace"' in html and 'value="Somewhere"' in html
    assert 'enctype="multipart/form-data"' in html
    assert " style=" not in html and "<style" not in html


def test_good_data_is_saved_and_shown_on_the_author_page(author_client, author, client):
    response = author_client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == URL
    assert "Your profile is saved." in author_client.get(URL).content.decode()
    author.refresh_from_db()
    assert author.display_name == "Ada King"
    assert author.affiliation == "Analytical Engine Society"
    assert author.website == "https://ada.example.org/"
    assert "<em>notes</em>" in author.bio_html
    assert "<script" not in author.bio_html  # sanitised as comments are
    page = author_client.get(author.get_absolute_url()).content.decode()
    assert "Analytical Engine Society" in page
    assert "<em>notes</em>" in page and "<script>alert" not in page


@pytest.mark.parametrize(
    "website",
    ["javascript:alert(1)", "ftp://ada.example.org/", "data:text/html,hi", "http://"],
)
def test_a_website_that_is_not_http_is_refused_next_to_its_field(author_client, author, website):
    response = author_client.post(URL, {**GOOD, "website": website})
    assert response.status_code == 200
    assert field_errors(response, "website") == ["Enter an http:// or https:// address."]
    html = response.content.decode()
    assert 'id="error_1_id_website"' in html  # crispy's message under the field
    # What was typed is kept, in every field.
    assert 'value="Analytical Engine Society"' in html and 'value="Ada King"' in html
    assert "I write *notes* on engines." in html
    author.refresh_from_db()
    assert author.display_name == "Ada Lovelace" and author.website == ""


def test_an_empty_name_and_another_authors_name_are_refused(author_client, author):
    make_person("Grace Hopper")
    for name in ["   ", "\u200b", "grace HOPPER", "Dr Grace Hopper"]:
        response = author_client.post(URL, {**GOOD, "display_name": name})
        assert response.status_code == 200, name
        assert field_errors(response, "display_name"), name
    author.refresh_from_db()
    assert author.display_name == "Ada Lovelace"


def test_keeping_ones_own_name_is_allowed(author_client, author):
    response = author_client.post(URL, {**GOOD, "display_name": "Ada Lovelace"})
    assert response.status_code == 302


def test_a_photo_is_stored_served_and_shown_on_the_author_page(author_client, author, media):
    response = author_client.post(URL, {**GOOD, "photo": image_file()})
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.photo.name.startswith("people/") and author.photo.name.endswith(".png")
    assert (media / author.photo.name).is_file()
    served = author_client.get(author.photo.url)
    assert served.status_code == 200
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert (image.format, image.size) == ("PNG", (64, 48))
    page = author_client.get(author.get_absolute_url()).content.decode()
    assert f'<img src="{author.photo.url}" alt="Photo of Ada King"' in page


def test_a_big_photo_is_made_to_fit_400_by_400(author_client, author, media):
    photo = image_file("JPEG", size=(1200, 900), name="big.jpg")
    assert author_client.post(URL, {**GOOD, "photo": photo}).status_code == 302
    author.refresh_from_db()
    with Image.open(media / author.photo.name) as image:
        assert (image.format, image.size) == ("JPEG", (400, 300))


def test_a_photo_with_exif_metadata_is_stored_without_it(author_client, author, media):
    photo = image_file("JPEG", size=(800, 600), name="camera.jpg", exif=exif_metadata())
    assert b"SecretCam" in photo.getvalue()
    assert author_client.post(URL, {**GOOD, "photo": photo}).status_code == 302
    author.refresh_from_db()
    stored = (media / author.photo.name).read_bytes()
    assert b"SecretCam" not in stored and b"Secret Person" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif() and image.size == (400, 300)


def test_a_small_photo_with_exif_is_stored_without_it_too(author_client, author, media):
    photo = image_file("JPEG", size=(40, 30), name="small.jpg", exif=exif_metadata())
    assert author_client.post(URL, {**GOOD, "photo": photo}).status_code == 302
    author.refresh_from_db()
    assert b"SecretCam" not in (media / author.photo.name).read_bytes()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (SVG, "me.svg", "the file is not a PNG, JPEG, GIF or WebP image"),
        (b"%PDF-1.4 not a picture", "me.png", "the file is not a PNG, JPEG, GIF or WebP image"),
        (b"", "empty.png", "The submitted file is empty."),
    ],
)
def test_what_is_not_an_image_is_refused_next_to_the_photo_field(
    author_client, author, media, content, name, message
):
    upload = io.BytesIO(content)
    upload.name = name
    response = author_client.post(URL, {**GOOD, "photo": upload})
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, "photo"))
    html = response.content.decode()
    assert 'id="error_1_id_photo"' in html
    assert 'value="Analytical Engine Society"' in html  # the rest is kept
    author.refresh_from_db()
    assert not author.photo and author.display_name == "Ada Lovelace"
    assert not (media / "people").exists()


def test_a_photo_over_the_size_limit_is_refused(author_client, author, media, settings):
    settings.COLLOQUY_IMAGE_MAX_BYTES = 2000
    photo = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(photo, format="PNG")
    photo.seek(0)
    photo.name = "noise.png"
    assert len(photo.getvalue()) > 2000
    response = author_client.post(URL, {**GOOD, "photo": photo})
    assert response.status_code == 200
    assert field_errors(response, "photo") == ["This photo is larger than 2 kB."]
    author.refresh_from_db()
    assert not author.photo


def test_a_new_photo_replaces_the_old_file_and_one_can_remove_it(
    author_client, author, media, django_capture_on_commit_callbacks
):
    author_client.post(URL, {**GOOD, "photo": image_file()})
    author.refresh_from_db()
    first = media / author.photo.name
    assert first.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        author_client.post(URL, {**GOOD, "photo": image_file("JPEG", name="b.jpg")})
    author.refresh_from_db()
    assert author.photo.name.endswith(".jpg") and not first.exists()
    second = media / author.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(URL, {**GOOD, "remove_photo": "on"})
    assert response.status_code == 302
    author.refresh_from_db()
    assert not author.photo and not second.exists()


def test_a_user_without_an_author_profile_gets_a_clear_page(client):
    client.force_login(make_user("reader"))
    response = client.get(URL)
    assert response.status_code == 200
    assert "No author profile" in response.content.decode()
    response = client.post(URL, GOOD)
    assert response.status_code == 200
    assert not Person.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")

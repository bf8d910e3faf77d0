import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Figures' files go to a temporary MEDIA_ROOT (which /media/ serves), never into the
    repository's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT

"""conference.memory: the serving process keeps large freed blocks (glibc's mallopt)."""

import ctypes
import platform

import pytest

from conference.memory import keep_large_blocks


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_keep_large_blocks_is_taken_by_glibc():
    assert keep_large_blocks() is True


def test_keep_large_blocks_does_nothing_without_mallopt(monkeypatch):
    def no_libc(name):
        raise OSError(name)

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert keep_large_blocks() is False

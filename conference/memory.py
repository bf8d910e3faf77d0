"""Let the serving process reuse large freed blocks of memory instead of returning them.

A long discussion page is megabytes of text, copied a few times on its way out (joined,
marked safe, encoded). With glibc's defaults, each such block is mapped fresh from the kernel
and unmapped once freed, so every request pays a page fault for every page of every copy:
about a third of the time of a 1,000-comment page on this machine. Raising the thresholds at
which glibc maps and trims memory keeps those blocks in the process for the next request.
Only glibc has mallopt(); elsewhere this does nothing.
"""

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # blocks below this come from the heap, and are reused
TRIM_THRESHOLD = 64 * 2**20  # free memory kept at the heap's top before it goes back


def keep_large_blocks():
    """Returns True when glibc took the settings."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )

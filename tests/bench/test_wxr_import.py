"""bench/wxr_import.py measures a real import end to end at a small size, and judges issue 15's
targets as stated (checked on made-up figures)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("wxr_import", ROOT / "bench" / "wxr_import.py")
wxr_import = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wxr_import)


def row(database, megabytes, *, rate, again, peak, comments=1000, expected=1000, after=1000):
    return {
        "database": database,
        "megabytes": megabytes,
        "comments": comments,
        "expected": expected,
        "after_reimport": after,
        "import_s": comments / rate,
        "import_rate": rate,
        "peak_mb": peak,
        "reimport_s": comments / again,
        "reimport_rate": again,
    }


def test_targets_per_database():
    rows = [
        row("sqlite", 10, rate=6000, again=7000, peak=100),
        row("sqlite", 200, rate=5500, again=5000, peak=149),
        row("postgresql", 10, rate=4000, again=4500, peak=100, after=1500),
        row("postgresql", 200, rate=5000, again=6000, peak=151),
    ]
    found = dict(wxr_import.verdicts(rows))
    assert found == {
        "sqlite, 10 MB: at least 5,000 comments/s imported (6,000)": True,
        "sqlite, 10 MB: re-import at least as fast (7,000 comments/s against 6,000)": True,
        "sqlite, 10 MB: every comment imported, none twice (1,000 of 1,000; 1,000 after re-import)": True,
        "sqlite, 200 MB: at least 5,000 comments/s imported (5,500)": True,
        "sqlite, 200 MB: re-import at least as fast (5,000 comments/s against 5,500)": False,
        "sqlite, 200 MB: every comment imported, none twice (1,000 of 1,000; 1,000 after re-import)": True,
        "sqlite: peak memory at 200 MB within 1.5x of 10 MB (149 against 100 MB: 1.49x)": True,
        "postgresql, 10 MB: at least 5,000 comments/s imported (4,000)": False,
        "postgresql, 10 MB: re-import at least as fast (4,500 comments/s against 4,000)": True,
        "postgresql, 10 MB: every comment imported, none twice (1,000 of 1,000; 1,500 after re-import)": False,
        "postgresql, 200 MB: at least 5,000 comments/s imported (5,000)": True,
        "postgresql, 200 MB: re-import at least as fast (6,000 comments/s against 5,000)": True,
        "postgresql, 200 MB: every comment imported, none twice (1,000 of 1,000; 1,000 after re-import)": True,
        "postgresql: peak memory at 200 MB within 1.5x of 10 MB (151 against 100 MB: 1.51x)": False,
    }


def test_small_import_measured_end_to_end_on_sqlite():
    result = subprocess.run(
        [sys.executable, "bench/wxr_import.py", "--sizes", "0.3", "--databases", "sqlite"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line.split() for line in result.stdout.splitlines() if line.startswith("sqlite ")]
    assert len(lines) == 1
    _, megabytes, comments, seconds, rate, peak, again, again_rate = lines[0]
    assert 0 < float(megabytes) < 1 and int(comments.replace(",", "")) > 100
    assert float(seconds) > 0 and float(again) > 0 and float(peak) > 20
    assert float(rate.replace(",", "")) > 0 and float(again_rate.replace(",", "")) > 0
    assert f"PASS: sqlite, {megabytes} MB: every comment imported, none twice" in result.stdout

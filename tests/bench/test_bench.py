"""The benchmark runs end to end at small N, so it cannot rot unnoticed."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_generates_measures_and_prints_the_table():
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--sqlite-only", "--repeat", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = re.findall(
        r"^sqlite\s+(\d+)\s+Colloquy, uncached\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(\d+)",
        result.stdout,
        re.M,
    )
    assert [row[0] for row in rows] == ["10", "100"]
    for _n, median, p95, queries, size in rows:
        assert 0 < float(median) <= float(p95)
        assert int(queries) > 0 and int(size) > 10_000
    assert rows[0][3] == rows[1][3]  # the query count does not grow with N
    assert "static file (limit)" in result.stdout
    assert "PASS: sqlite: uncached queries do not grow with N" in result.stdout

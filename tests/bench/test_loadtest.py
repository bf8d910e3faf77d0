"""The load test runs end to end at a tiny size (SQLite, two clients), so it cannot rot."""

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("loadtest", ROOT / "bench" / "loadtest.py")
loadtest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(loadtest)


@pytest.mark.skipif(not loadtest.redis_answers(), reason="needs Redis on 127.0.0.1:6379")
@pytest.mark.skipif(not shutil.which(loadtest.GUNICORN), reason="needs gunicorn in the venv")
def test_two_clients_post_under_gunicorn_and_every_check_passes(tmp_path, monkeypatch):
    monkeypatch.setattr(loadtest, "WORKERS", 2)  # starts and stops faster; 4 in a real run
    rows, verdicts, notes = loadtest.database_runs(
        "sqlite", clients=2, posts=2, seconds=30, kill=False, workdir=tmp_path
    )
    [row] = rows
    assert (row["posts attempted"], row["acknowledged"], row["stored"]) == (4, 4, 4)
    assert (row["duplicates"], row["5xx"], row["connection errors"]) == (0, 0, 0)
    failed = [(what, detail) for what, ok, detail in verdicts if not ok]
    assert not failed, failed
    assert len(verdicts) >= 9
    report = loadtest.report(rows, verdicts, notes)
    assert "PASS: sqlite plain: every acknowledged post stored exactly once" in report
    assert "sqlite  plain" in report

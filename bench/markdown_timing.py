"""Time rendering each pathological input of bench/markdown_corpus.py, as a comment and as a
paper section, in our process. Prints one JSON line: for each mode, the median and the worst
time and the input that took it."""

import json
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    django.setup()
    from bench.markdown_corpus import corpus
    from common.markup import render_markdown

    inputs = corpus()
    result = {}
    for mode, trusted in (("comment", False), ("paper", True)):
        times = {}
        for name, text in inputs.items():
            started = time.perf_counter()
            render_markdown(text, trusted=trusted)
            times[name] = (time.perf_counter() - started) * 1000
        worst = max(times, key=times.get)
        result[mode] = {
            "inputs": len(times),
            "median_ms": statistics.median(times.values()),
            "worst_ms": times[worst],
            "worst_input": worst,
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

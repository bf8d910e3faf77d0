"""bench/wxr_generate.py writes a WordPress export as WordPress writes it, of the size asked, with
what the import must handle: every status, pingbacks and trackbacks, threads eight deep, papers
whose citations match their references."""

import importlib.util
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "wxr_generate.py"
spec = importlib.util.spec_from_file_location("wxr_generate", SCRIPT)
wxr_generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(wxr_generate)

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
COMMENT_FIELDS = [
    "comment_id",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_author_IP",
    "comment_date",
    "comment_date_gmt",
    "comment_content",
    "comment_approved",
    "comment_type",
    "comment_parent",
    "comment_user_id",
]


def generate(tmp_path, *args):
    out = tmp_path / "export.xml"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args, "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return out, json.loads(result.stderr)


def read(path):
    """Posts (dicts) and comments (dicts with their post's id), read with iterparse."""
    posts, comments, channel = [], [], {}
    for _, element in ET.iterparse(path):
        if element.tag in (WP + "wxr_version", WP + "base_site_url"):
            channel[element.tag.removeprefix(WP)] = element.text
        if element.tag != "item":
            continue
        if element.findtext(WP + "post_type") == "post":
            post = {
                "id": int(element.findtext(WP + "post_id")),
                "content": element.findtext(CONTENT),
                "author": element.findtext("{http://purl.org/dc/elements/1.1/}creator"),
            }
            posts.append(post)
            for c in element.iter(WP + "comment"):
                comment = {f: c.findtext(WP + f) for f in COMMENT_FIELDS}
                comments.append({**comment, "post": post["id"]})
        element.clear()
    return channel, posts, comments


def depths(comments):
    parent = {c["comment_id"]: c["comment_parent"] for c in comments}
    found = {}
    for cid in parent:
        depth, at = 1, cid
        while parent[at] != "0":
            at, depth = parent[at], depth + 1
        found[cid] = depth
    return found


def test_posts_and_comments_as_asked_with_every_field_and_unique_ids(tmp_path):
    path, summary = generate(tmp_path, "--posts", "4", "--comments-per-post", "40")
    channel, posts, comments = read(path)
    assert channel == {"wxr_version": "1.2", "base_site_url": wxr_generate.SITE}
    assert len(posts) == summary["posts"] == 4
    assert len(comments) == summary["comments"] == 160
    assert Counter(c["post"] for c in comments) == dict.fromkeys((p["id"] for p in posts), 40)
    assert all(
        c[f] is not None for c in comments for f in COMMENT_FIELDS if f != "comment_author_url"
    )
    assert len({c["comment_id"] for c in comments}) == 160
    assert len({p["id"] for p in posts}) == 4
    by_id = {c["comment_id"]: c for c in comments}
    for c in comments:  # a reply's parent is an earlier comment of the same post
        if c["comment_parent"] != "0":
            parent = by_id[c["comment_parent"]]
            assert parent["post"] == c["post"]
            assert int(parent["comment_id"]) < int(c["comment_id"])
            assert parent["comment_date_gmt"] < c["comment_date_gmt"]


def test_every_status_pingbacks_trackbacks_and_a_thread_eight_deep(tmp_path):
    path, summary = generate(tmp_path, "--posts", "1", "--comments-per-post", "30", "--seed", "7")
    _, _, comments = read(path)
    assert {c["comment_approved"] for c in comments} == {"1", "0", "spam", "trash"}
    assert {c["comment_type"] for c in comments} == {"comment", "pingback", "trackback"}
    deepest = max(depths(comments).values())
    assert deepest >= 8
    assert summary["max_depth"] == deepest


def test_comments_read_as_wordpress_keeps_them(tmp_path):
    path, _ = generate(tmp_path, "--posts", "6", "--comments-per-post", "100")
    _, _, comments = read(path)
    regular = [c for c in comments if c["comment_type"] == "comment"]
    with_html = [c for c in regular if "<" in c["comment_content"]]
    assert 0.03 < len(with_html) / len(regular) < 0.3
    assert not any("<p>" in c["comment_content"] for c in comments)
    assert any("\n\n" in c["comment_content"] for c in regular)
    assert any(not c["comment_author"].isascii() for c in comments)
    assert any(c["comment_user_id"] != "0" for c in comments)  # authors answer signed in
    assert Counter(c["comment_approved"] for c in comments).most_common(1)[0][0] == "1"


def test_papers_gutenberg_and_classic_with_references_matching_citations(tmp_path):
    path, _ = generate(tmp_path, "--posts", "12", "--comments-per-post", "0")
    _, posts, _ = read(path)
    gutenberg = [p for p in posts if "<!-- wp:paragraph -->" in p["content"]]
    classic = [p for p in posts if p not in gutenberg]
    assert gutenberg and classic
    assert any("<!-- wp:image" in p["content"] for p in gutenberg)
    assert all("<h3>" in p["content"] and "<h2" not in p["content"] for p in classic)
    for post in posts:
        body, references = re.split(
            r"<h[23][^>]*>(?:References|Bibliography)</h[23]>", post["content"]
        )
        assert "Introduction</h" in body
        cited = set(
            re.findall(r"\(([^()]+?)(?: et al\.)?(?: & [^,]+)?, (\d{4})(?:, p\. \d+)?\)", body)
        )
        cited |= set(
            re.findall(
                r"(?:<p>|\. |\n)([^\s()<>]+)(?: and [^()]+| et al\.)? \((\d{4})\) argues?", body
            )
        )
        listed = set(re.findall(r"<p>([^,<]+), [^<]*?\((\d{4})\)", references))
        listed |= set(re.findall(r"^([^,<\n]+), [^\n]*?\((\d{4})\)", references, re.M))
        assert cited and cited == listed, post["id"]


def test_megabytes_lands_near_the_size_asked(tmp_path):
    path, summary = generate(tmp_path, "--megabytes", "1.5", "--comments-per-post", "50")
    size = path.stat().st_size
    assert size == summary["bytes"]
    assert abs(size - 1_500_000) < 0.1 * 1_500_000
    _, posts, comments = read(path)
    assert len(posts) == summary["posts"] and len(comments) == summary["posts"] * 50


def test_same_seed_same_file_and_a_post_does_not_depend_on_how_many_follow(tmp_path):
    first, _ = generate(tmp_path, "--posts", "2", "--comments-per-post", "10", "--seed", "3")
    text = first.read_bytes()
    again, _ = generate(tmp_path, "--posts", "2", "--comments-per-post", "10", "--seed", "3")
    assert again.read_bytes() == text
    longer, _ = generate(tmp_path, "--posts", "3", "--comments-per-post", "10", "--seed", "3")
    assert longer.read_bytes().startswith(text.removesuffix(b"</channel>\n</rss>\n"))


def test_cdata_end_marker_in_text_is_split_as_wordpress_does():
    section = wxr_generate.cdata("a ]]> b")
    assert ET.fromstring(f"<x>{section}</x>").text == "a ]]> b"


@pytest.mark.parametrize("args", [["--posts", "1"], []])
def test_command_line_needs_its_numbers(args):
    with pytest.raises(SystemExit):
        wxr_generate.main(args)

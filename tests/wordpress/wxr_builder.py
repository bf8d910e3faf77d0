"""WordPress exports made up for the import tests, in the shape Tools → Export writes them.

The files in tests/wordpress/wxr/ are written by hand; this module makes the variants a test
needs (a status changed, a title changed, another site, a thousand links...) without a file
for each. Every function returns text; `document()` returns the whole export as bytes.

    document(post(1, "Title", "<p>Body</p>", comments=[comment(10, "Ann", "Hi")]))
"""

from dataclasses import dataclass, field

SITE = "https://conference.example"
NAMESPACES = {
    "1.0": "http://wordpress.org/export/1.0/",
    "1.1": "http://wordpress.org/export/1.1/",
    "1.2": "http://wordpress.org/export/1.2/",
}


def cdata(text):
    """Text as WordPress writes it: in a CDATA section, a "]]>" in it split across two."""
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escaped(text):
    """Text as an XML writer escapes it, without CDATA."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def element(name, value, *, as_cdata=True):
    if value is None:  # an optional field left out altogether
        return ""
    return f"<{name}>{cdata(value) if as_cdata else escaped(value)}</{name}>"


def author(author_id, login, *, email="", display_name="", first_name="", last_name=""):
    fields = [
        element("wp:author_id", author_id, as_cdata=False) if author_id is not None else "",
        element("wp:author_login", login),
        element("wp:author_email", email),
        element("wp:author_display_name", display_name or login),
        element("wp:author_first_name", first_name),
        element("wp:author_last_name", last_name),
    ]
    return "\t<wp:author>" + "".join(fields) + "</wp:author>\n"


def category(nicename, name, *, term_id=1, description=""):
    fields = [
        element("wp:term_id", term_id, as_cdata=False),
        element("wp:category_nicename", nicename),
        element("wp:category_parent", ""),
        element("wp:cat_name", name),
        element("wp:category_description", description) if description else "",
    ]
    return "\t<wp:category>" + "".join(fields) + "</wp:category>\n"


def comment(
    comment_id,
    name,
    content,
    *,
    parent=0,
    approved="1",
    kind="comment",
    email="reader@example.net",
    url="",
    date="2024-05-02 10:00:00",
    date_gmt="2024-05-02 08:00:00",
    user_id=0,
):
    """A wp:comment; email, url or date_gmt None leaves the field out."""
    fields = [
        element("wp:comment_id", comment_id, as_cdata=False),
        element("wp:comment_author", name),
        element("wp:comment_author_email", email),
        element("wp:comment_author_url", url, as_cdata=False),
        element("wp:comment_author_IP", "192.0.2.7"),
        element("wp:comment_date", date),
        element("wp:comment_date_gmt", date_gmt),
        element("wp:comment_content", content),
        element("wp:comment_approved", approved),
        element("wp:comment_type", kind),
        element("wp:comment_parent", parent, as_cdata=False),
        element("wp:comment_user_id", user_id, as_cdata=False),
    ]
    return (
        "\t\t<wp:comment>\n\t\t\t"
        + "\n\t\t\t".join(f for f in fields if f)
        + "\n\t\t</wp:comment>\n"
    )


def post(
    post_id,
    title,
    content,
    *,
    name=None,
    kind="post",
    status="publish",
    creator="editor",
    date="2024-05-01 12:00:00",
    date_gmt="2024-05-01 10:00:00",
    excerpt="",
    comment_status="open",
    categories=(("talks", "Talks"),),
    comments=(),
    meta=(),
    content_as_cdata=True,
    site=SITE,
):
    """An item. name None: a slug made of the title; "" leaves it empty (a draft's)."""
    if name is None:
        name = "-".join(title.lower().split())
    fields = [
        element("title", title),
        element("link", f"{site}/?p={post_id}", as_cdata=False),
        element("pubDate", "Wed, 01 May 2024 10:00:00 +0000", as_cdata=False),
        element("dc:creator", creator),
        f'<guid isPermaLink="false">{site}/?p={post_id}</guid>',
        "<description></description>",
        element("content:encoded", content, as_cdata=content_as_cdata),
        element("excerpt:encoded", excerpt),
        element("wp:post_id", post_id, as_cdata=False),
        element("wp:post_date", date),
        element("wp:post_date_gmt", date_gmt),
        element("wp:comment_status", comment_status),
        element("wp:ping_status", "open"),
        element("wp:post_name", name),
        element("wp:status", status),
        element("wp:post_parent", 0, as_cdata=False),
        element("wp:menu_order", 0, as_cdata=False),
        element("wp:post_type", kind),
        element("wp:post_password", ""),
        element("wp:is_sticky", 0, as_cdata=False),
    ]
    fields += [
        f'<category domain="category" nicename="{nicename}">{cdata(label)}</category>'
        for nicename, label in categories
    ]
    fields += [
        "<wp:postmeta>"
        + element("wp:meta_key", key)
        + element("wp:meta_value", value)
        + "</wp:postmeta>"
        for key, value in meta
    ]
    return (
        "\t<item>\n\t\t"
        + "\n\t\t".join(f for f in fields if f)
        + "\n"
        + "".join(comments)
        + "\t</item>\n"
    )


@dataclass
class Site:
    """The channel: who the site is and what it lists before its items."""

    url: str = SITE
    title: str = "Made-up Conference"
    version: str = "1.2"
    scheme: str = "http"  # of WordPress's namespaces: http, or https
    authors: list = field(
        default_factory=lambda: [
            author(2, "editor", email="editor@example.org", display_name="Eda Editor")
        ]
    )
    categories: list = field(default_factory=lambda: [category("talks", "Talks")])


def document(*items, site=None):
    """A whole export of these items (post() texts), as bytes."""
    site = site or Site()
    wp = NAMESPACES[site.version].replace("http://", f"{site.scheme}://")
    head = (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0"\n'
        f'\txmlns:excerpt="{wp}excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        f'\txmlns:wp="{wp}"\n>\n<channel>\n'
        f"\t<title>{escaped(site.title)}</title>\n"
        f"\t<link>{site.url}</link>\n"
        "\t<description>Papers and their discussions</description>\n"
        "\t<pubDate>Mon, 03 Jun 2024 09:00:00 +0000</pubDate>\n"
        "\t<language>en-GB</language>\n"
        f"\t<wp:wxr_version>{site.version}</wp:wxr_version>\n"
        f"\t<wp:base_site_url>{site.url}</wp:base_site_url>\n"
        f"\t<wp:base_blog_url>{site.url}</wp:base_blog_url>\n"
    )
    body = "".join(site.authors) + "".join(site.categories) + "".join(items)
    return (head + body + "</channel>\n</rss>\n").encode("utf-8")

"""Write a WordPress export (WXR 1.2) of an online conference, for the import benchmark.

    python bench/wxr_generate.py --posts P --comments-per-post C [-o FILE] [--seed N]
    python bench/wxr_generate.py --megabytes M [--comments-per-post C] [-o FILE] [--seed N]

The file is shaped as WordPress's Tools → Export writes it: rss/channel with the excerpt,
content, wfw, dc and wp namespaces, the site's authors and categories, then one item per post
with its comments (wp:comment, every field WordPress writes). Posts are conference papers in
Gutenberg blocks or, some of them, classic-editor HTML: an introduction, two or three sections,
APA in-text citations and a References list that matches them, sometimes a figure. Comments are
mostly plain text (WordPress keeps newlines, no <p>), some with a little HTML; most approved,
some pending, spam or trash; a few pingbacks and trackbacks; replies form threads, each post
with one conversation 8 to 12 levels deep; paper authors answer signed in.

Everything is pseudo-random from --seed and the same for the same arguments. Each post is drawn
from its own generator, so post i is the same whatever P is. Output is written item by item,
never held whole. --megabytes M writes posts of C comments (default 200) until the file is about
M MB (10^6 bytes). A JSON summary (posts, comments by kind and status, deepest thread, bytes)
goes to standard error.
"""

import argparse
import json
import random
import sys
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta

SITE = "https://conference.example.org"
SITE_TITLE = "Open Learning Colloquium 2024"
LOCAL_OFFSET = timedelta(hours=1)  # the site's time zone, as post_date is local time
START = datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
DEFAULT_COMMENTS = 200
STATUSES = ("1", "0", "spam", "trash")

# Word lists (written for this generator)

# fmt: off
FIRST_NAMES = [
    "Amara", "Björn", "Chiara", "Dmitri", "Élodie", "Farid", "Grace", "Hiroshi", "Inés", "Jonas",
    "Kalani", "Leilani", "Mateus", "Nadia", "Oluwaseun", "Priya", "Quentin", "Rania", "Søren",
    "Tamsin", "Uchenna", "Valentina", "Wen", "Ximena", "Yusuf", "Zoë", "Ananya", "Bogdan", "Céline",
    "Declan", "Eun-ji", "François", "Gülşen", "Hamza", "Ingrid", "Joaquín", "Kofi", "Łucja",
    "Mireille", "Niamh", "Orla", "Paulo", "Ruairí", "Saanvi", "Tomás", "Ulrike", "Viktor", "Wiremu",
    "Yara", "Zsófia", "Aroha", "Bongani", "Clémence", "Dagný",
]
SURNAMES = [
    "Okafor", "Lind", "Moreau", "Castillo", "Haddad", "Nakamura", "Brennan", "Kowalczyk",
    "Abernethy", "Mensah", "Øverland", "Rautenbach", "Sørensen", "Vázquez", "Whitlock", "Yilmaz",
    "Zhou", "Adeyemi", "Bergström", "Carvalho", "Dubois", "Eriksen", "Fitzgerald", "Gonçalves",
    "Hakimi", "Iwu", "Jovanović", "Kaur", "Lemaire", "Müller", "Ngata", "O'Sullivan", "Petrović",
    "Quispe", "Rahman", "Szabó", "Tanaka", "Urquhart", "Valdés", "Wójcik", "Xiong", "Yamamoto",
    "Zielińska", "Achterberg", "Bianchi", "Chowdhury", "Delacroix", "Ekwueme", "Fonseca",
    "Grünewald",
]
# Whole names in other scripts, as commenters type them.
OTHER_SCRIPT_NAMES = [
    "山田 花子", "李 明", "Ольга Смирнова", "Νίκος Παπαδόπουλος", "김 지우", "Nguyễn Thị Hoa",
    "Đặng Văn Long", "محمد العلي", "Ξανθή Ρήγα", "Иван Петров",
]
NICKNAMES = [
    "kiwi_reader", "lifelong-learner", "mx. fern", "the_night_tutor", "Prof. B",
]
DOMAINS = [
    "example.org", "example.net", "mail.example.com", "uni.example.edu", "example.ac.uk",
]
CATEGORIES = [
    ("Open Infrastructure", "open-infrastructure"), ("Learning Online", "learning-online"),
    ("Community Care", "community-care"), ("Data & Society", "data-society"),
    ("Digital Humanities", "digital-humanities"),
]
TAGS = [
    ("keynote", "keynote"), ("panel", "panel"), ("poster", "poster"),
    ("short paper", "short-paper"),
]
TOPICS = [
    "volunteer moderation", "open educational resources", "peer review", "community archives",
    "maintainer burnout", "remote teaching", "citizen science", "digital accessibility",
    "data stewardship", "online mentoring", "language revitalisation", "public libraries",
    "open hardware", "learning analytics", "participatory design", "civic technology",
    "distance supervision", "research software", "collaborative annotation", "fan translation",
]
TOPIC_ADJ = [
    "Invisible", "Shared", "Fragile", "Distributed", "Slow", "Careful", "Uneven", "Borrowed",
    "Patient", "Collective", "Quiet", "Unfinished",
]
TOPIC_NOUNS = [
    "labour", "commons", "infrastructures", "classrooms", "archives", "margins", "networks",
    "thresholds", "rhythms", "maintenance", "attention", "knowledge",
]
HOW = [
    "how {t} keeps {s} going", "what {t} asks of {s}", "rethinking {t} for {s}",
    "{t} and the problem of {s}", "lessons from {t} in {s}", "who pays for {t} in {s}",
]
SETTINGS = [
    "small institutions", "regional universities", "volunteer communities", "rural schools",
    "open-source projects", "online conferences", "community colleges", "museum networks",
]
SUBJECTS = [
    "Participants", "Moderators", "Volunteers", "Most respondents", "Early-career researchers",
    "Students in the pilot", "The maintainers we interviewed", "Community organisers", "Teachers",
    "Several contributors", "Newcomers", "Long-standing members",
]
VERBS = [
    "described", "reported", "negotiated", "underestimated", "relied on", "questioned", "reframed",
    "documented", "resisted", "depended on", "kept returning to", "valued",
]
OBJECTS = [
    "the informal work of answering questions", "a shared sense of responsibility",
    "the cost of keeping documentation current", "the rhythm of weekly meetings",
    "unwritten rules about who may speak", "the gap between policy and practice",
    "tools that assumed a stable connection", "the emotional load of moderation",
    "small rituals of welcome", "the slow accumulation of trust", "feedback that arrived late",
    "the burden of translation", "deadlines set elsewhere", "a patchwork of platforms",
]
CONNECTORS = [
    "At the same time,", "In practice,", "By contrast,", "Taken together,", "Crucially,",
    "As a result,", "Even so,", "More broadly,", "In several cases,", "Over the year,",
]
CLAIMS = [
    "this work rarely appears in formal accounts of the project",
    "the burden falls unevenly on a handful of people",
    "access depends as much on timing as on technology",
    "informal help channels outperform the official ones",
    "care for newcomers is learned rather than assigned",
    "the platform shapes which questions get asked at all",
    "small changes in wording changed who took part",
    "participation grows when expectations are written down",
    "recognition matters more to volunteers than reward",
    "the archive itself becomes a place of learning",
]
SECTION_TITLES = [
    "Background", "Method", "Findings", "Discussion", "Limitations", "Context",
    "What the interviews show", "Design principles", "Implications for practice", "Conclusion",
]
JOURNAL_WORDS = [
    ("Journal of", "Online Learning"), ("Journal of", "Community Informatics"),
    ("International Journal of", "Open Scholarship"), ("Review of", "Digital Practice"),
    ("Journal of", "Participatory Research"), ("Studies in", "Networked Education"),
    ("Archives and", "Collective Memory"), ("Journal of", "Volunteer Studies"),
]
TITLE_WORDS = [
    "care", "maintenance", "peer support", "open source", "moderation", "online communities",
    "distance learning", "trust", "participation", "governance", "archives", "mentoring",
]
COMMENT_OPENERS = [
    "Thanks for this paper.", "What a thoughtful piece.", "I really enjoyed reading this.",
    "This resonated with me.", "Great presentation today.", "Such an important topic.",
    "Thank you for sharing your findings.", "I have a question about the method.",
    "Interesting argument, though I am not fully convinced.", "Lovely work!",
]
COMMENT_BODIES = [
    "The point about {o} matches what I see in my own {s}.",
    "I wonder whether {t} looks different in {s}.",
    "Have you considered how {o} changes once a project grows?", "In our team, {c}.",
    "Your section on {sec} made me rethink {o}.",
    "Could you say more about how you recruited participants?",
    "I would push back a little: {c} only some of the time.",
    "We tried something similar with {t} and {o} was the hardest part.",
    "The reference list alone is worth bookmarking.",
    "It would be interesting to compare this with {s}.",
    "How did you handle consent when studying {t}?",
    "This is exactly the conversation {s} need to have.",
]
COMMENT_CLOSERS = [
    "Thanks again!", "Looking forward to the discussion.", "Great work.", "Cheers,",
    "Would love to hear your thoughts.", "Well done.", "",
]
REPLY_OPENERS = [
    "Thank you, {n}!", "Good question, {n}.", "Agreed, {n}.", "{n}, that is a fair point.",
    "Thanks {n}, I had not thought of that.", "I see it a bit differently, {n}.", "Yes, exactly.",
    "Following up on this:", "@{n} same here.",
]
SPAM_WORDS = [
    "cheap essays", "casino bonus", "essay writing service", "replica watches", "crypto signals",
]
BLOG_NAMES = [
    "Notes from the Reading Room", "The Patient Learner", "Open Margins Blog",
    "Field Notes on Teaching", "Community Tech Weekly",
]
# fmt: on


LATIN = str.maketrans({"Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ß": "ss"})


def slugify(text):
    ascii_text = unicodedata.normalize("NFKD", text.translate(LATIN))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(words)


def cdata(text):
    """WordPress's wxr_cdata(): a CDATA section, with any ']]>' split across two."""
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wp_date(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def rfc2822(moment):
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


# People


class Person:
    __slots__ = ("email", "name", "url", "user_id")

    def __init__(self, name, email, url="", user_id=0):
        self.name, self.email, self.url, self.user_id = name, email, url, user_id


def make_authors(rng):
    """The site's WordPress users: the organiser (id 1) and the paper authors."""
    authors = [
        {
            "id": 1,
            "login": "organiser",
            "email": "programme@conference.example.org",
            "display": "Programme Committee",
            "first": "",
            "last": "",
        }
    ]
    used = set()
    while len(authors) < 16:
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if (first, last) in used:
            continue
        used.add((first, last))
        login = slugify(f"{first}{last}").replace("-", "") or f"author{len(authors)}"
        authors.append(
            {
                "id": len(authors) + 1,
                "login": login,
                "email": f"{login}@{rng.choice(DOMAINS)}",
                "display": f"{first} {last}",
                "first": first,
                "last": last,
            }
        )
    return authors


def random_commenter(rng):
    r = rng.random()
    if r < 0.12:
        name = rng.choice(OTHER_SCRIPT_NAMES)
    elif r < 0.17:
        name = rng.choice(NICKNAMES)
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    local = slugify(name).replace("-", ".") or f"reader{rng.randrange(10_000)}"
    url = (
        f"https://{slugify(name) or 'reader'}.{rng.choice(DOMAINS)}/" if rng.random() < 0.2 else ""
    )
    return Person(name, f"{local}@{rng.choice(DOMAINS)}", url)


# Papers


def make_references(rng, year):
    """APA 7 journal references with distinct (first surname, year) keys, and their citations."""
    refs, keys = [], set()
    for _ in range(rng.randint(3, 6)):
        while True:
            names = rng.sample(SURNAMES, rng.choice([1, 1, 2, 2, 2, 3, 4]))
            ref_year = rng.randint(year - 15, year - 1)
            if (names[0], ref_year) not in keys:
                keys.add((names[0], ref_year))
                break
        initials = [
            f"{rng.choice(FIRST_NAMES)[0]}."
            + (f" {rng.choice('ABCDEJKLMNRS')}." if rng.random() < 0.4 else "")
            for _ in names
        ]
        written = [f"{n}, {i}" for n, i in zip(names, initials, strict=True)]
        authors = (
            written[0] if len(written) == 1 else ", ".join(written[:-1]) + ", & " + written[-1]
        )
        words = rng.sample(TITLE_WORDS, 2)
        title = f"{words[0].capitalize()} and {words[1]} in {rng.choice(SETTINGS)}"
        if rng.random() < 0.5:
            subtitle = rng.choice(HOW).format(t=rng.choice(TOPICS), s=rng.choice(SETTINGS))
            title += f": {subtitle[0].upper()}{subtitle[1:]}"
        journal = " ".join(rng.choice(JOURNAL_WORDS))
        first_page = rng.randint(1, 400)
        pages = f"{first_page}–{first_page + rng.randint(8, 30)}"
        volume, issue = rng.randint(3, 48), rng.randint(1, 6)
        doi = f"https://doi.org/10.{rng.randint(1000, 9999)}/{rng.choice('abcdefghjk')}{rng.randint(10_000, 99_999)}"
        text = f"{authors} ({ref_year}). {title}. <em>{journal}</em>, <em>{volume}</em>({issue}), {pages}. {doi}"
        if len(names) == 1:
            short = names[0]
        elif len(names) == 2:
            short = f"{names[0]} & {names[1]}"
        else:
            short = f"{names[0]} et al."
        narrative = short.replace(" & ", " and ")
        refs.append(
            {
                "text": text,
                "short": short,
                "narrative": narrative,
                "single": len(names) == 1,
                "year": ref_year,
                "first": first_page,
            }
        )
    refs.sort(key=lambda ref: ref["text"])
    return refs


def sentence(rng):
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"


def emphasise(rng, text):
    """One word of the text (never its first) in <em> or <strong>."""
    words = text.split(" ")
    k = rng.randrange(1, len(words))
    tag = rng.choice(["em", "strong"])
    words[k] = f"<{tag}>{words[k]}</{tag}>"
    return " ".join(words)


def paragraph(rng, refs, uncited):
    """Three to five sentences, one or two of them citing a reference (uncited ones first)."""
    parts, claims = [], rng.sample(CLAIMS, 5)  # no claim twice in a paragraph
    for i in range(rng.randint(3, 5)):
        text = sentence(rng) if i == 0 else f"{rng.choice(CONNECTORS)} {claims[i]}"
        if rng.random() < 0.1:
            text = emphasise(rng, text)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.35 or (i == 1 and uncited):
            ref = uncited.pop() if uncited else rng.choice(refs)
            if rng.random() < 0.3:
                verb = "argues" if ref["single"] else "argue"
                text = f"{ref['narrative']} ({ref['year']}) {verb} that {claims[0]}"
            else:
                page = f", p. {ref['first'] + rng.randint(0, 7)}" if rng.random() < 0.6 else ""
                text += f" ({ref['short']}, {ref['year']}{page})"
        parts.append(text + ".")
    return " ".join(parts)


def figure(rng, attachment_id, when, gutenberg):
    upload = f"{SITE}/wp-content/uploads/{when:%Y/%m}/figure-{attachment_id}.png"
    alt = f"Diagram of {rng.choice(OBJECTS)}"
    caption = f"Figure 1. How {rng.choice(TOPICS)} moves between {rng.choice(SETTINGS)}"
    if gutenberg:
        html = (
            f'<!-- wp:image {{"id":{attachment_id},"sizeSlug":"large","linkDestination":"none"}} -->\n'
            f'<figure class="wp-block-image size-large"><img src="{upload}" alt="{alt}"'
            f' class="wp-image-{attachment_id}"/><figcaption class="wp-element-caption">{caption}'
            "</figcaption></figure>\n<!-- /wp:image -->"
        )
    else:
        html = (
            f'<img class="aligncenter size-large wp-image-{attachment_id}" src="{upload}"'
            f' alt="{alt}" width="1024" height="640" />'
        )
    return html, upload, caption


def post_body(rng, refs, *, gutenberg, image):
    """The post's HTML as WordPress stores it, Gutenberg blocks or classic paragraphs."""
    uncited = list(refs)
    rng.shuffle(uncited)
    sections = rng.sample(SECTION_TITLES, rng.randint(2, 3))
    blocks = []

    def heading(text, level):
        if gutenberg:
            attrs = "" if level == 2 else f' {{"level":{level}}}'
            blocks.append(
                f'<!-- wp:heading{attrs} -->\n<h{level} class="wp-block-heading">{text}</h{level}>'
                "\n<!-- /wp:heading -->"
            )
        else:
            blocks.append(f"<h{level}>{text}</h{level}>")

    def para(text):
        blocks.append(
            f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->" if gutenberg else text
        )

    level = 2 if gutenberg else 3
    heading("Introduction", level)
    for _ in range(rng.randint(1, 2)):
        para(paragraph(rng, refs, uncited))
    for i, title in enumerate(sections):
        heading(title, level)
        for _ in range(rng.randint(2, 3)):
            para(paragraph(rng, refs, uncited))
        if gutenberg and i == 0 and rng.random() < 0.3:
            items = "".join(
                f"<!-- wp:list-item -->\n<li>{claim.capitalize()}</li>\n<!-- /wp:list-item -->\n"
                for claim in rng.sample(CLAIMS, 3)
            )
            blocks.append(
                f'<!-- wp:list -->\n<ul class="wp-block-list">{items}</ul>\n<!-- /wp:list -->'
            )
        if image and i == 0:
            blocks.append(image)
    while uncited:  # every reference is cited somewhere
        para(paragraph(rng, refs, uncited))
    heading("References" if rng.random() < 0.8 else "Bibliography", level)
    for ref in refs:
        para(ref["text"])
    return "\n\n".join(blocks)


# Comments


def comment_kinds(rng, count, *, force_all):
    """(type, status) of each of a post's comments, in order."""
    kinds = []
    for _ in range(count):
        r = rng.random()
        if r < 0.02:
            kinds.append(("pingback", "1" if rng.random() < 0.8 else "spam"))
        elif r < 0.03:
            kinds.append(("trackback", "1" if rng.random() < 0.5 else "spam"))
        else:
            s = rng.random()
            status = "1" if s < 0.84 else "0" if s < 0.91 else "spam" if s < 0.97 else "trash"
            kinds.append(("comment", status))
    if force_all and count >= 8:  # the first post shows every kind, whatever the seed
        forced = [
            ("comment", "0"),
            ("comment", "spam"),
            ("comment", "trash"),
            ("pingback", "1"),
            ("trackback", "1"),
        ]
        for offset, kind in enumerate(forced):
            kinds[count - 1 - offset] = kind
    return kinds


def first_name(name):
    return name.split(" ")[0]


def comment_text(rng, *, topic, section, writer, reply_to, paper_author):
    """One to four sentences of plain text, as WordPress stores a comment: newlines, no <p>."""
    fill = {
        "o": rng.choice(OBJECTS),
        "s": rng.choice(SETTINGS),
        "t": topic,
        "c": rng.choice(CLAIMS),
        "sec": section,
    }
    if reply_to:
        sentences = [rng.choice(REPLY_OPENERS).format(n=first_name(reply_to))]
    elif rng.random() < 0.3:
        sentences = [f"Hi {first_name(paper_author)},", rng.choice(COMMENT_OPENERS)]
    else:
        sentences = [rng.choice(COMMENT_OPENERS)]
    for _ in range(rng.randint(0, 2)):
        sentences.append(rng.choice(COMMENT_BODIES).format(**fill))
    closer = rng.choice(COMMENT_CLOSERS)
    if closer and len(sentences) < 4:
        sentences.append(closer)
    if rng.random() < 0.1:  # a little HTML, as WordPress allows in comments
        k = rng.randrange(len(sentences))
        if rng.random() < 0.5:
            words = sentences[k].split(" ")
            j = rng.randrange(len(words))
            words[j] = f"<em>{words[j]}</em>"
            sentences[k] = " ".join(words)
        else:
            sentences[k] += (
                f' See <a href="https://{rng.choice(DOMAINS)}/{slugify(topic)}">this write-up</a>'
                " for more."
            )
    if len(sentences) > 2 and rng.random() < 0.4:  # paragraphs split by blank lines
        cut = rng.randint(1, len(sentences) - 1)
        text = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
    else:
        text = " ".join(sentences)
    if text.endswith(("Cheers,", "Thanks again!")) and rng.random() < 0.7:
        text += "\n" + first_name(writer)  # signed on a line of its own
    return text


def spam_text(rng):
    site = f"https://{rng.choice(SPAM_WORDS).replace(' ', '-')}.example.com/"
    return rng.choice(
        [
            f'Great post! Visit <a href="{site}">{rng.choice(SPAM_WORDS)}</a> for more.',
            f"Very informative, bookmarked. {site}",
            f"I need help with {rng.choice(SPAM_WORDS)}, anyone? {site} {site}",
        ]
    )


def comment_xml(c):
    return (
        "\t\t<wp:comment>\n"
        f"\t\t\t<wp:comment_id>{c['id']}</wp:comment_id>\n"
        f"\t\t\t<wp:comment_author>{cdata(c['author'])}</wp:comment_author>\n"
        f"\t\t\t<wp:comment_author_email>{cdata(c['email'])}</wp:comment_author_email>\n"
        f"\t\t\t<wp:comment_author_url>{escape(c['url'])}</wp:comment_author_url>\n"
        f"\t\t\t<wp:comment_author_IP>{cdata(c['ip'])}</wp:comment_author_IP>\n"
        f"\t\t\t<wp:comment_date>{cdata(wp_date(c['date'] + LOCAL_OFFSET))}</wp:comment_date>\n"
        f"\t\t\t<wp:comment_date_gmt>{cdata(wp_date(c['date']))}</wp:comment_date_gmt>\n"
        f"\t\t\t<wp:comment_content>{cdata(c['content'])}</wp:comment_content>\n"
        f"\t\t\t<wp:comment_approved>{cdata(c['status'])}</wp:comment_approved>\n"
        f"\t\t\t<wp:comment_type>{cdata(c['type'])}</wp:comment_type>\n"
        f"\t\t\t<wp:comment_parent>{c['parent']}</wp:comment_parent>\n"
        f"\t\t\t<wp:comment_user_id>{c['user_id']}</wp:comment_user_id>\n"
        + (
            "\t\t\t<wp:commentmeta>\n"
            f"\t\t\t\t<wp:meta_key>{cdata('akismet_result')}</wp:meta_key>\n"
            f"\t\t\t\t<wp:meta_value>{cdata('true' if c['status'] == 'spam' else 'false')}</wp:meta_value>\n"
            "\t\t\t</wp:commentmeta>\n"
            if c["meta"]
            else ""
        )
        + "\t\t</wp:comment>\n"
    )


def post_comments(rng, count, first_id, *, author, topic, title, published, force_all):
    """A post's comments in id order: their dicts, with one reply chain 8 to 12 deep."""
    kinds = comment_kinds(rng, count, force_all=force_all)
    regular = [i for i, (kind, status) in enumerate(kinds) if kind == "comment" and status == "1"]
    chain_slots = set()
    length = rng.randint(8, 12)
    if len(regular) >= length:  # spread over the discussion, from a random point on
        start = rng.randrange(0, len(regular) - length + 1)
        chain_slots = set(rng.sample(regular[start:], length))
    chain_people = [random_commenter(rng), author]
    if rng.random() < 0.5:
        chain_people[1] = random_commenter(rng)
    chain_last, chain_count = None, 0
    author_person = Person(author.name, author.email, author.url, author.user_id)
    approved, comments = [], []
    depth = {}
    moment = published + timedelta(minutes=rng.randint(5, 90))
    next_id = first_id
    for i, (kind, status) in enumerate(kinds):
        moment += timedelta(seconds=rng.randint(30, 4 * 3600))
        parent, parent_name = 0, None
        if i in chain_slots:
            person = chain_people[chain_count % 2]
            chain_count += 1
            if chain_last:
                parent, parent_name = chain_last["id"], chain_last["author"]
        elif kind != "comment":
            blog = rng.choice(BLOG_NAMES)
            person = Person(blog, "", f"https://{slugify(blog)}.{rng.choice(DOMAINS)}/")
        else:
            person = random_commenter(rng)
            if approved and rng.random() < (0.6 if status == "1" else 0.3):
                target = rng.choice(approved[-25:])
                parent, parent_name = target["id"], target["author"]
                if status == "1" and target["user_id"] != author.user_id and rng.random() < 0.12:
                    person = author_person
        if kind == "pingback":
            content = f"[…] {rng.choice(CLAIMS).capitalize()}, as the paper “{title}” puts it […]"
        elif kind == "trackback":
            content = f"<strong>{title}</strong>\n\n{rng.choice(CLAIMS).capitalize()} […]"
        else:
            content = comment_text(
                rng,
                topic=topic,
                section=rng.choice(SECTION_TITLES),
                writer=person.name,
                reply_to=parent_name,
                paper_author=author.name,
            )
            if status == "spam" and rng.random() < 0.7:
                content = spam_text(rng)
        comment = {
            "id": next_id,
            "author": person.name,
            "email": person.email,
            "url": person.url,
            "ip": f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            "date": moment,
            "content": content,
            "status": status,
            "type": kind,
            "parent": parent,
            "user_id": person.user_id,
            "meta": kind == "comment" and rng.random() < 0.3,
        }
        depth[comment["id"]] = depth.get(parent, 0) + 1
        if i in chain_slots:
            comment["chain"] = True
            chain_last = comment
        if kind == "comment" and status == "1":
            approved.append(comment)
        comments.append(comment)
        next_id += 1 if rng.random() < 0.9 else rng.randint(2, 5)  # deleted comments leave gaps
    return comments, max(depth.values(), default=0), next_id


# The file


def header(authors):
    now = datetime(2024, 12, 1, 12, 0, tzinfo=UTC)
    out = [
        '<?xml version="1.0" encoding="UTF-8" ?>\n',
        "<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->\n",
        "<!-- It contains information about your site's posts, pages, comments, categories, and other content. -->\n",
        '<!-- generator="WordPress/6.4.3" created="2024-12-01 12:00" -->\n',
        '<rss version="2.0"\n'
        '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n\n',
        "<channel>\n",
        f"\t<title>{SITE_TITLE}</title>\n",
        f"\t<link>{SITE}</link>\n",
        "\t<description>Papers and conversations of an online conference</description>\n",
        f"\t<pubDate>{rfc2822(now)}</pubDate>\n",
        "\t<language>en-GB</language>\n",
        "\t<wp:wxr_version>1.2</wp:wxr_version>\n",
        f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n",
        f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n\n",
    ]
    for a in authors:
        out.append(
            f"\t<wp:author><wp:author_id>{a['id']}</wp:author_id>"
            f"<wp:author_login>{cdata(a['login'])}</wp:author_login>"
            f"<wp:author_email>{cdata(a['email'])}</wp:author_email>"
            f"<wp:author_display_name>{cdata(a['display'])}</wp:author_display_name>"
            f"<wp:author_first_name>{cdata(a['first'])}</wp:author_first_name>"
            f"<wp:author_last_name>{cdata(a['last'])}</wp:author_last_name></wp:author>\n"
        )
    out.append("\n")
    for term_id, (name, slug) in enumerate(CATEGORIES, start=2):
        out.append(
            f"\t<wp:category><wp:term_id>{term_id}</wp:term_id>"
            f"<wp:category_nicename>{cdata(slug)}</wp:category_nicename>"
            f"<wp:category_parent>{cdata('')}</wp:category_parent>"
            f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
        )
    for term_id, (name, slug) in enumerate(TAGS, start=20):
        out.append(
            f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
            f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
        )
    out.append("\n\t<generator>https://wordpress.org/?v=6.4.3</generator>\n\n")
    return "".join(out)


def item(fields, *, content, categories=(), postmeta=(), comments=""):
    """One <item> in WordPress's order of elements."""
    f = fields
    out = [
        "\t<item>\n",
        f"\t\t<title>{cdata(f['title'])}</title>\n",
        f"\t\t<link>{escape(f['link'])}</link>\n",
        f"\t\t<pubDate>{rfc2822(f['date'])}</pubDate>\n",
        f"\t\t<dc:creator>{cdata(f['creator'])}</dc:creator>\n",
        f'\t\t<guid isPermaLink="false">{escape(f["guid"])}</guid>\n',
        "\t\t<description></description>\n",
        f"\t\t<content:encoded>{cdata(content)}</content:encoded>\n",
        f"\t\t<excerpt:encoded>{cdata(f.get('excerpt', ''))}</excerpt:encoded>\n",
        f"\t\t<wp:post_id>{f['id']}</wp:post_id>\n",
        f"\t\t<wp:post_date>{cdata(wp_date(f['date'] + LOCAL_OFFSET))}</wp:post_date>\n",
        f"\t\t<wp:post_date_gmt>{cdata(wp_date(f['date']))}</wp:post_date_gmt>\n",
        f"\t\t<wp:post_modified>{cdata(wp_date(f['modified'] + LOCAL_OFFSET))}</wp:post_modified>\n",
        f"\t\t<wp:post_modified_gmt>{cdata(wp_date(f['modified']))}</wp:post_modified_gmt>\n",
        f"\t\t<wp:comment_status>{cdata(f['comment_status'])}</wp:comment_status>\n",
        f"\t\t<wp:ping_status>{cdata(f['ping_status'])}</wp:ping_status>\n",
        f"\t\t<wp:post_name>{cdata(f['slug'])}</wp:post_name>\n",
        f"\t\t<wp:status>{cdata(f['status'])}</wp:status>\n",
        f"\t\t<wp:post_parent>{f.get('parent', 0)}</wp:post_parent>\n",
        "\t\t<wp:menu_order>0</wp:menu_order>\n",
        f"\t\t<wp:post_type>{cdata(f['type'])}</wp:post_type>\n",
        f"\t\t<wp:post_password>{cdata('')}</wp:post_password>\n",
        "\t\t<wp:is_sticky>0</wp:is_sticky>\n",
    ]
    if "attachment_url" in f:
        out.append(f"\t\t<wp:attachment_url>{cdata(f['attachment_url'])}</wp:attachment_url>\n")
    for domain, name, slug in categories:
        out.append(f'\t\t<category domain="{domain}" nicename="{slug}">{cdata(name)}</category>\n')
    for key, value in postmeta:
        out.append(
            "\t\t<wp:postmeta>\n"
            f"\t\t\t<wp:meta_key>{cdata(key)}</wp:meta_key>\n"
            f"\t\t\t<wp:meta_value>{cdata(value)}</wp:meta_value>\n"
            "\t\t</wp:postmeta>\n"
        )
    out.append(comments)
    out.append("\t</item>\n")
    return "".join(out)


def about_page():
    when = START - timedelta(days=40)
    fields = {
        "title": "About the colloquium",
        "link": f"{SITE}/about/",
        "date": when,
        "modified": when,
        "creator": "organiser",
        "guid": f"{SITE}/?page_id=2",
        "id": 2,
        "comment_status": "closed",
        "ping_status": "closed",
        "slug": "about",
        "status": "publish",
        "type": "page",
    }
    content = "<!-- wp:paragraph -->\n<p>Three days of papers, each followed by an open discussion.</p>\n<!-- /wp:paragraph -->"
    return item(fields, content=content)


class Generator:
    """Writes the file item by item; counts what it wrote."""

    def __init__(self, seed, comments_per_post):
        self.seed = seed
        self.comments_per_post = comments_per_post
        self.authors = make_authors(random.Random(seed))
        self.next_post_id = 10
        self.next_comment_id = 1

    def post(self, index):
        """Post `index`'s item (and its figure's attachment item) as one string, its comments
        and the depth of its deepest thread."""
        rng = random.Random(self.seed * 1_000_003 + index)
        author_row = rng.choice(self.authors[1:])
        author = Person(author_row["display"], author_row["email"], "", author_row["id"])
        topic = rng.choice(TOPICS)
        title = f"{rng.choice(TOPIC_ADJ)} {rng.choice(TOPIC_NOUNS)}: " + rng.choice(HOW).format(
            t=topic, s=rng.choice(SETTINGS)
        )
        slug = slugify(title)[:80].rstrip("-") + f"-{index + 1}"
        published = START + timedelta(hours=index * 2, minutes=rng.randint(0, 59))
        post_id = self.next_post_id
        self.next_post_id += rng.randint(2, 5)  # revisions and attachments take ids too
        gutenberg = rng.random() < 0.75
        image, attachment = None, None
        if rng.random() < 0.3:
            attachment = self.next_post_id
            self.next_post_id += 1
            image = figure(rng, attachment, published, gutenberg)
        refs = make_references(rng, published.year)
        content = post_body(rng, refs, gutenberg=gutenberg, image=image and image[0])
        category = rng.choice(CATEGORIES)
        categories = [("category", *category)]
        if rng.random() < 0.5:
            categories.append(("post_tag", *rng.choice(TAGS)))
        postmeta = [("_edit_last", str(author_row["id"]))]
        if attachment:
            postmeta.append(("_thumbnail_id", str(attachment)))
        if rng.random() < 0.5:
            postmeta.append(("session", f"Session {rng.randint(1, 9)}{rng.choice('ABC')}"))
        comments, depth, self.next_comment_id = post_comments(
            rng,
            self.comments_per_post,
            self.next_comment_id,
            author=author,
            topic=topic,
            title=title,
            published=published,
            force_all=index == 0,
        )
        fields = {
            "title": title,
            "link": f"{SITE}/{published:%Y/%m/%d}/{slug}/",
            "date": published,
            "modified": published + timedelta(days=rng.randint(0, 20)),
            "creator": author_row["login"],
            "guid": f"{SITE}/?p={post_id}",
            "excerpt": rng.choice(CLAIMS).capitalize() + "." if rng.random() < 0.3 else "",
            "id": post_id,
            "comment_status": "open" if rng.random() < 0.85 else "closed",
            "ping_status": "open",
            "slug": slug,
            "status": "publish",
            "type": "post",
        }
        text = item(
            fields,
            content=content,
            categories=categories,
            postmeta=postmeta,
            comments="".join(map(comment_xml, comments)),
        )
        if attachment:
            name = f"figure-{attachment}"
            text += item(
                {
                    "title": name,
                    "link": f"{SITE}/{published:%Y/%m/%d}/{slug}/{name}/",
                    "date": published,
                    "modified": published,
                    "creator": author_row["login"],
                    "guid": image[1],
                    "excerpt": image[2],
                    "id": attachment,
                    "comment_status": "closed",
                    "ping_status": "closed",
                    "slug": name,
                    "status": "inherit",
                    "type": "attachment",
                    "parent": post_id,
                    "attachment_url": image[1],
                },
                content="",
                postmeta=[("_wp_attached_file", image[1].split("/uploads/")[1])],
            )
        return text, comments, depth


def generate(out, *, posts=None, megabytes=None, comments_per_post=DEFAULT_COMMENTS, seed=1):
    """Write the file to the binary stream `out`; return the summary."""
    gen = Generator(seed, comments_per_post)
    by_type, by_status, max_depth = Counter(), Counter(), 0
    written = 0

    def write(data):
        nonlocal written
        out.write(data)
        written += len(data)

    write(header(gen.authors).encode())
    write(about_page().encode())
    target = megabytes * 1_000_000 if megabytes is not None else None
    index = 0
    while (posts is None or index < posts) and (target is None or written < target):
        text, comments, depth = gen.post(index)
        data = text.encode()
        if target is not None and index and written + len(data) / 2 > target:
            break  # nearer the size asked without this post than with it
        write(data)
        by_type.update(c["type"] for c in comments)
        by_status.update(c["status"] for c in comments)
        max_depth = max(max_depth, depth)
        index += 1
    write(b"</channel>\n</rss>\n")
    return {
        "posts": index,
        "comments": by_type.total(),
        "by_type": dict(by_type),
        "by_status": dict(by_status),
        "max_depth": max_depth,
        "bytes": written,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--posts", type=int, help="how many posts")
    size.add_argument(
        "--megabytes", type=float, help="write posts until the file is about this big"
    )
    parser.add_argument(
        "--comments-per-post",
        type=int,
        default=None,
        help=f"default {DEFAULT_COMMENTS} with --megabytes",
    )
    parser.add_argument("-o", "--output", help="the file to write (standard output if left out)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    per_post = args.comments_per_post
    if per_post is None:
        if args.posts is not None:
            parser.error("--posts needs --comments-per-post")
        per_post = DEFAULT_COMMENTS
    options = {
        "posts": args.posts,
        "megabytes": args.megabytes,
        "comments_per_post": per_post,
        "seed": args.seed,
    }
    if args.output:
        with open(args.output, "wb", buffering=1 << 20) as out:
            summary = generate(out, **options)
    else:
        summary = generate(sys.stdout.buffer, **options)
        sys.stdout.buffer.flush()
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()

"""What the browser tests of a discussion share: a long paper whose discussion is paged, and
typing a guest's comment into the form."""

from tests.factories import make_comment, make_paper

# Twelve paragraphs a section: four sections put the discussion far below the first screen.
LONG_SECTION = "\n\n".join(
    f"Paragraph {n}: a paper long enough that its discussion starts far below the first "
    "screen, so that a page opened at its top and one opened at a comment or at the form differ."
    for n in range(12)
)


def paged_discussion(settings, *, title, threads):
    """A long paper (four long sections) whose discussion shows two threads a page, uncached,
    with `threads` approved top-level comments by "Reader 1", "Reader 2"...: the paper and
    those comments."""
    settings.COLLOQUY_THREADS_PER_PAGE = 2
    settings.COLLOQUY_PAGE_CACHE_SECONDS = 0
    paper = make_paper(title=title, sections=[(f"Section {n}", LONG_SECTION) for n in range(1, 5)])
    tops = [
        make_comment(paper, name=f"Reader {n}", body=f"Top-level comment number {n}.")
        for n in range(1, threads + 1)
    ]
    return paper, tops


def fill_guest_form(page, *, name, email, body):
    """Type a guest's name, e-mail address and comment into the comment form."""
    form = page.locator("#commentform")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=email]").fill(email)
    form.locator("textarea[name=body]").fill(body)

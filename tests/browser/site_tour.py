"""A tour of the site's pages for the browser proofs (accessibility, no request leaving the
site): which pages, seen by whom, and how to arrive at each. The `site_tour` fixture in
conftest.py makes the data and the list; the tests walk it with `visit`."""

from dataclasses import dataclass

INVALID_EMAIL = "not-an-address"


@dataclass(frozen=True)
class TourStop:
    """One page: who looks (guest, author, moderator), where, and whether an invalid comment
    is posted there first (the page then shown is the form's answer, with its errors)."""

    name: str
    who: str
    path: str
    post_invalid_comment: bool = False
    post_path: str = ""  # where the comment form posts, when post_invalid_comment
    # Only this part of the page is checked for accessibility: for a variant of a page
    # checked whole at another stop, the part that differs.
    axe_scope: str | None = None


@dataclass(frozen=True)
class Tour:
    stops: tuple
    storage_states: dict  # who -> Playwright storage_state (None for a guest)

    def by_visitor(self):
        """(who, storage_state, stops) for each kind of visitor, in the order of the tour."""
        order = dict.fromkeys(stop.who for stop in self.stops)
        return [
            (who, self.storage_states[who], [s for s in self.stops if s.who == who])
            for who in order
        ]


def visit(page, base_url, stop):
    """Open the stop's page (posting the invalid comment first if it says so); the response
    that brought the page shown."""
    response = page.goto(base_url + stop.path, wait_until="load")
    if not stop.post_invalid_comment:
        return response
    form = page.locator("#commentform")
    form.locator("input[name=name]").fill("Katherine Johnson")
    form.locator("input[name=email]").fill(INVALID_EMAIL)
    form.locator("textarea[name=body]").fill("A comment posted with a mistyped address.")
    with page.expect_navigation(wait_until="load") as navigation:
        form.locator("[type=submit]").click()
    page.locator("#id_email_error").wait_for()
    return navigation.value


def expected_arrival(stop):
    """(status, path) of the page a visit to the stop should end on."""
    if stop.post_invalid_comment:
        return 400, stop.post_path
    return 200, stop.path

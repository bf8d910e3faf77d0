"""What the figure tests do in the page."""


def wait_for_figure_image(page, figure="#figure-1"):
    """Bring the figure's image into view (it loads lazily) and wait until it has loaded."""
    page.locator(f"{figure} img").scroll_into_view_if_needed()
    page.wait_for_function(
        "(figure) => { const i = document.querySelector(figure + ' img');"
        " return i.complete && i.naturalWidth > 0; }",
        arg=figure,
    )

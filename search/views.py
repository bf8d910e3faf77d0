"""The search page: a form, and the results of what it asks, a page at a time."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from comments.visitor import client_key_of
from common.rates import within_rate

from .forms import SearchForm
from .results import Results

MAX_PAGE = 500  # 10,000 results: nobody reads further, and an offset has a limit


def _number(request):
    """The page asked for, as Paginator.get_page reads it (anything else: the first), at
    most MAX_PAGE."""
    page = request.GET.get("page", "1")
    if not (page.isascii() and page.isdigit()):
        return 1
    return min(max(1, int(page[:7])), MAX_PAGE)


def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": False, "too_many": False}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        if within_rate(
            f"searches:{client_key_of(request)}", settings.COLLOQUY_SEARCHES_PER_MINUTE, 60
        ):
            per_page, number = settings.COLLOQUY_SEARCH_RESULTS_PER_PAGE, _number(request)
            results = Results(form.query, form.filters(), per_page=per_page, number=number)
            context["page_obj"] = Paginator(results, per_page).get_page(number)
            context["searched"] = True
        else:
            context["too_many"], status = True, 429
    return render(request, "search/search.html", context, status=status)

"""The search page: a form, and the results of what it asks, a page at a time."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from .forms import SearchForm
from .results import Results
from .throttle import search_allowed


def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": False, "too_many": False}
    status = 200
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        if search_allowed(request):
            results = Results(form.query, form.filters())
            paginator = Paginator(results, settings.COLLOQUY_SEARCH_RESULTS_PER_PAGE)
            context["page_obj"] = paginator.get_page(request.GET.get("page"))
            context["searched"] = True
            others = request.GET.copy()
            others.pop("page", None)
            context["page_query"] = others.urlencode() + "&"
        else:
            context["too_many"], status = True, 429
    return render(request, "search/search.html", context, status=status)

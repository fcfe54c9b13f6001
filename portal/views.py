from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import selectors
from .cache import cached_public_page
from .models import Column


@cached_public_page
def home(request):
    return render(request, "portal/home.html", selectors.home_content())


@cached_public_page
def column(request, slug):
    column = get_object_or_404(Column.objects.select_related("parent"), slug=slug)
    page = Paginator(selectors.column_articles(column=column), 20).get_page(request.GET.get("page"))
    children = list(column.children.filter(show_in_nav=True))
    return render(request, "portal/column.html", {"column": column, "page": page, "children": children})


@cached_public_page
def article(request, pk):
    preview = request.GET.get("preview") == "1" and request.user.has_perm("portal.view_article")
    article = selectors.article_detail(pk=pk, preview=preview)
    if article is None:
        raise Http404
    return render(request, "portal/article.html", {"article": article, "preview": preview})


def search(request):
    query = (request.GET.get("q") or "").strip()[:50]
    page = None
    if query:
        page = Paginator(selectors.search(query=query), 20).get_page(request.GET.get("page"))
    return render(request, "portal/search.html", {"query": query, "page": page})


def healthz(request):
    """For load balancers and the benchmark's ceiling: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from core import health
from core.paging import PeekPage

from . import selectors
from .cache import cached_public_page
from .models import Column


@cached_public_page()
def home(request):
    return render(request, "portal/home.html", selectors.home_content())


@cached_public_page(params=("page",))
def column(request, slug):
    column = get_object_or_404(Column.objects.select_related("parent"), slug=slug)
    page = Paginator(selectors.column_articles(column=column), 20).get_page(request.GET.get("page"))
    children = list(column.children.filter(show_in_nav=True))
    return render(request, "portal/column.html", {"column": column, "page": page, "children": children})


@cached_public_page()  # ?preview=1 counts for editors only, who are never served from the cache
def article(request, pk):
    preview = request.GET.get("preview") == "1" and request.user.has_perm("portal.view_article")
    article = selectors.article_detail(pk=pk, preview=preview)
    if article is None:
        raise Http404
    return render(request, "portal/article.html", {"article": article, "preview": preview})


@cached_public_page(params=("q", "page"))
def search(request):
    query = (request.GET.get("q") or "").strip()[:50]
    page = None
    if query:
        page = PeekPage(selectors.search(query=query), request.GET.get("page"), 20, row_type=selectors.SearchHit)
    return render(request, "portal/search.html", {"query": query, "page": page})


def livez(request):
    """The process answers: no database, no template (the benchmark's ceiling)."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request):
    """What the portal depends on, each checked now: 200 when all answer, else 503."""
    checks = health.check_all()
    status = 200 if all(ok for ok, _ in checks.values()) else 503
    return JsonResponse({name: "ok" if ok else f"error: {detail}" for name, (ok, detail) in checks.items()},
                        status=status, json_dumps_params={"ensure_ascii": False})

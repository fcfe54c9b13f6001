"""我的学分: a person's credits by year against the year's requirement, with transcripts."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import selectors, services


def _year(value) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@login_required
def my_credits(request):
    year = _year(request.GET.get("year"))
    return render(request, "education/my_credits.html", {
        "year": year, "years": selectors.years_of(user=request.user),
        "summary": selectors.year_summary(user=request.user, year=year),
        "unawarded": selectors.unawarded_of(user=request.user, year=year),
        "transcripts": selectors.transcripts_of(user=request.user, year=year),
    })


@login_required
@require_POST
def transcript(request):
    year = _year(request.POST.get("year"))
    services.transcript_request(user=request.user, year=year)
    messages.success(request, f"{year} 年度学分证明正在生成，请稍后刷新本页下载。")
    return redirect(f"{reverse('education:my_credits')}?year={year}")

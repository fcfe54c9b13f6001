"""The public 学分继教 column: the projects open for registration or running, and each
project's page."""
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.paging import PeekPage

from . import selectors
from .models import Project


def project_list(request):
    page = PeekPage(selectors.listed_projects(), request.GET.get("page"), 20)
    today = timezone.localdate()
    return render(request, "education/project_list.html", {
        "page": page, "rows": [(project, *project.status(today)) for project in page]})


def project_detail(request, pk):
    project = selectors.public_project(pk)
    if project is None:
        raise Http404
    sessions = list(project.sessions.all())
    return render(request, "education/project_detail.html", {
        "project": project, "sessions": sessions, "total_hours": sum(s.hours for s in sessions),
        "registration": selectors.seat_of(user=request.user, project=project),
        "open": project.registration_open(), "credited": project.state == Project.State.CREDITED,
    })

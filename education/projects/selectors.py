"""Reads of projects for the public 学分继教 column."""
from django.db.models import Prefetch, QuerySet

from .models import Lecturer, Project, Session

LISTED = (Project.State.OPEN, Project.State.CREDITED)


def listed_projects() -> QuerySet[Project]:
    """Projects the public sees: published ones, soonest first, then finished ones."""
    return Project.objects.filter(state__in=LISTED).order_by("state", "-starts_on", "pk")


def public_project(pk: int) -> Project | None:
    """A published project with its sessions and their lecturers (three queries)."""
    sessions = Session.objects.order_by("starts_at").prefetch_related(
        Prefetch("lecturers", queryset=Lecturer.objects.order_by("pk")))
    return (Project.objects.filter(pk=pk, state__in=LISTED)
            .prefetch_related(Prefetch("sessions", queryset=sessions)).first())


def seat_of(*, user, project: Project):
    """The person's registration for the project that is not cancelled, if any (read through
    the project's relation: registrations are the concern above this one)."""
    if not user.is_authenticated:
        return None
    return project.registrations.filter(user=user.pk).exclude(state="cancelled").first()

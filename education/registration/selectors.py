"""Reads of registrations: a person's own, and the details a new registration starts from."""
from django.db.models import QuerySet

from membership.models import Member

from .models import Registration


def registrations_of(*, user) -> QuerySet[Registration]:
    return Registration.objects.filter(user=user.pk).select_related("project").order_by("-created_at")


def own_registration(*, user, pk: int) -> Registration | None:
    """The registration if it is this person's, else None (another's is never found)."""
    return Registration.objects.select_related("project").filter(pk=pk, user=user.pk).first()


def details_to_start_from(*, user) -> dict:
    """What the form is prefilled with: the person's last registration, else their individual
    member profile, else the account. Never the ID number: no page shows it in full."""
    last = Registration.objects.filter(user=user.pk).order_by("-created_at").first()
    if last is not None:
        return {field: getattr(last, field) for field in
                ("name", "unit", "title", "mobile", "email", "invoice_title", "invoice_tax_id")}
    start = {"name": user.name, "mobile": user.mobile, "email": user.email}
    member = Member.objects.select_related("individual").filter(user=user.pk, kind="individual").first()
    if member is not None and hasattr(member, "individual"):
        start.update(name=member.name, unit=member.individual.employer,
                     title=member.individual.title)
    return start

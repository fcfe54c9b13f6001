from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.certificates import CertificateFound
from core.fragments import cached_value
from payments.selectors import open_order_for, orders_of

from .models import Member, MembershipTerm


def member_for(*, user) -> Member | None:
    """The member behind an account, with what the centre shows (one query, kept until the
    member's tables change; the account is the one already loaded for the request)."""
    member = cached_value("member-of-user", user.pk, lambda: Member.objects.select_related(
        "membership_type", "unit", "individual").filter(user=user.pk).first())
    if member is not None:
        member.user = user
    return member


def active_member_of(*, user) -> Member | None:
    """The account's member record if it is active (members-only offers: the member price of a
    continuing-education project, group-purchasing rounds); None for anyone else."""
    if not user.is_authenticated:
        return None
    return Member.objects.filter(user=user.pk, state=Member.State.ACTIVE).first()


def terms_of(*, member: Member) -> list[MembershipTerm]:
    """All of a member's terms, latest first (a handful: one per year)."""
    return list(member.terms.order_by("-end"))


def current_term(terms: list[MembershipTerm]) -> MembershipTerm | None:
    today = timezone.localdate()
    return next((t for t in terms if t.start <= today), None)


def can_pay_dues(*, member: Member, terms: list[MembershipTerm] | None = None) -> bool:
    """First dues after approval; renewal while active in the last 60 days, or once expired."""
    if member.state in (Member.State.APPROVED, Member.State.EXPIRED):
        return True
    if member.state == Member.State.ACTIVE:
        terms = terms_of(member=member) if terms is None else terms
        return bool(terms) and (terms[0].end - timezone.localdate()).days <= 60
    return False


def payment_records(*, member: Member):
    return orders_of(user=member.user).filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=member.pk
    ).select_related("membership_term")


def open_dues_order(*, member: Member):
    return open_order_for(payable=member)


def certificate_lookup(number: str):
    """A member certificate by its number, for the public certificate check."""
    term = MembershipTerm.objects.select_related("member__membership_type").filter(certificate_no=number).first()
    if term is None:
        return None
    today = timezone.localdate()
    valid = term.start <= today <= term.end and term.member.state == Member.State.ACTIVE
    return CertificateFound(
        kind=f"{term.member.get_kind_display()}证书", number=term.certificate_no, holder=term.member.name,
        valid_from=term.start, valid_until=term.end, valid=valid, status="有效" if valid else "已失效",
        details=[("会员类型", term.member.membership_type.name)],
    )

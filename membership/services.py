"""Every write in membership: registration, review, dues, terms, certificates, contacts."""
import datetime as dt
import logging
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.notifications import notification_send
from core.outbox import job_enqueue
from core.uploads import original_name
from core.workflow import locked_step

from .exceptions import AlreadyDecided, AlreadyRegistered, ContactRefused, MissingReason, WrongState
from .models import (
    ArchivedFile,
    Contact,
    IndividualProfile,
    JoinDraft,
    Kind,
    Member,
    MembershipTerm,
    MembershipType,
    ProfileChange,
    UnitProfile,
)

logger = logging.getLogger(__name__)

UNIT_FILE_FIELDS = ("practising_licence", "business_licence")


def _locked(member_id: int) -> Member:
    return Member.objects.select_for_update().select_related("user", "membership_type").get(pk=member_id)


def _notify(member: Member, template: str, url_name: str = "membership:centre", **context) -> None:
    transaction.on_commit(lambda: notification_send(
        template=template, user=member.user, url=reverse(url_name), context={"member": member, **context},
    ))


# --- registration ---------------------------------------------------------------------

ALREADY_REGISTERED = "该入会申请已提交，请使用设置的手机号和密码登录。"


def member_register(*, draft: JoinDraft, mobile: str, email: str, password: str) -> Member:
    """Turn a completed join draft into an account and a member.

    Units wait for review; a type that needs no review (individual members) is approved at
    once and goes straight to paying dues. Uploaded files move from the draft to the member.
    """
    with transaction.atomic():
        # A second click (or a second tab) on the last step finds the draft gone or locked:
        # it waits, then is told the application is in, instead of creating a second account.
        draft = JoinDraft.objects.select_for_update().filter(pk=draft.pk).first()
        if draft is None:
            raise AlreadyRegistered(ALREADY_REGISTERED)
        data = draft.data
        membership_type = MembershipType.objects.get(pk=data["membership_type"])
        uploads = {u.field: u for u in draft.uploads.all()}
        if membership_type.kind == Kind.UNIT:
            unit = data["unit"]
            name, credit_code = unit["name"], unit["credit_code"].upper()
        else:
            person = data["person"]
            name, credit_code = person["name"], ""
        user = get_user_model().objects.create_user(mobile=mobile, email=email, password=password, name=name)
        member = Member.objects.create(user=user, kind=membership_type.kind, membership_type=membership_type,
                                       name=name, credit_code=credit_code, submitted_at=timezone.now())
        if member.is_unit:
            UnitProfile.objects.create(
                member=member, institution_type=unit["institution_type"], licence_no=unit["licence_no"],
                legal_representative=unit["legal_representative"], address=unit["address"],
                opened_on=dt.date.fromisoformat(unit["opened_on"]), beds=unit["beds"] or 0,
                dental_chairs=unit["dental_chairs"] or 0,
                **{f: uploads[f].file.name for f in UNIT_FILE_FIELDS},
                **{f"{f}_name": uploads[f].original_name for f in UNIT_FILE_FIELDS},
            )
            contact = data["contact"]
            Contact.objects.create(member=member, is_primary=True, name=contact["name"],
                                   position=contact["position"], mobile=contact["mobile"], email=contact["email"])
        else:
            IndividualProfile.objects.create(
                member=member, gender=person["gender"], id_number=person["id_number"].upper(), title=person["title"],
                employer=person["employer"], specialty=person["specialty"],
                photo=uploads["photo"].file.name, photo_name=uploads["photo"].original_name,
            )
        # The files now belong to the member; the draft rows go, the stored files stay.
        draft.uploads.all().delete()
        draft.delete()
        if not membership_type.review_required:
            member.approve(description=f"{membership_type.name}无需审核")
            member.save()
        _notify(member, "member_submitted")
    logger.info("member %s registered (%s, %s)", member.pk, member.kind, member.state)
    return member


# --- review ---------------------------------------------------------------------------

def _move(member_id: int, step: Callable[[Member], None], notify: str | None = None, **context) -> Member:
    """Lock the member, take one transition, save (logged by django-fsm-log), then notify."""
    return locked_step(_locked, member_id, step,
                       then=(lambda member: _notify(member, notify, **context)) if notify else None,
                       refused=lambda member: WrongState(f"该会员当前状态为“{member.get_state_display()}”，不能进行此操作。"))


def member_approve(*, member_id: int, by) -> Member:
    """Accept an application; the applicant is told to pay dues."""
    return _move(member_id, lambda m: m.approve(by=by, description="审核通过"), "member_approved")


def member_return(*, member_id: int, by, comment: str) -> Member:
    """Send an application back with a comment for the applicant to correct."""
    _require(comment, "退回时请填写审核意见。")
    return _move(member_id, lambda m: m.return_for_correction(comment=comment, by=by, description=comment),
                 "member_returned", comment=comment)


def member_reject(*, member_id: int, by, reason: str) -> Member:
    """Refuse an application, with the reason the applicant is given."""
    _require(reason, "不予通过时请填写原因。")
    return _move(member_id, lambda m: m.reject(reason=reason, by=by, description=reason),
                 "member_rejected", reason=reason)


def member_suspend(*, member_id: int, by, reason: str) -> Member:
    _require(reason, "请填写暂停原因。")
    return _move(member_id, lambda m: m.suspend(reason=reason, by=by, description=reason))


def member_reinstate(*, member_id: int, by) -> Member:
    return _move(member_id, lambda m: m.reinstate(by=by, description="恢复会员资格"))


def member_revoke(*, member_id: int, by, reason: str) -> Member:
    _require(reason, "请填写撤销原因。")
    return _move(member_id, lambda m: m.revoke(reason=reason, by=by, description=reason))


def member_resubmit(*, member_id: int, by, unit_data: dict, files: dict) -> Member:
    """The applicant corrected a returned application. Replaced files are archived."""
    with transaction.atomic():
        member = _locked(member_id)
        profile = UnitProfile.objects.select_for_update().get(member=member)
        for field, value in unit_data.items():
            if field in ("name", "credit_code"):
                setattr(member, field, value.upper() if field == "credit_code" else value)
            else:
                setattr(profile, field, value)
        for field, upload in files.items():
            old = getattr(profile, field)
            if old:
                ArchivedFile.objects.create(member=member, field=field, file=old.name,
                                            original_name=getattr(profile, f"{field}_name"))
            getattr(profile, field).save(upload.name, upload, save=False)
            setattr(profile, f"{field}_name", original_name(upload))
        profile.save()
        member.resubmit(at=timezone.now(), by=by, description="申请人修改后重新提交")
        member.save()
    return member


def _require(text: str, message: str) -> None:
    if not (text or "").strip():
        raise MissingReason(message)


# --- dues, terms and certificates -----------------------------------------------------

def member_dues_paid(*, member_id: int, order, by=None) -> MembershipTerm:
    """Called by payments inside the paying transaction: add the paid term (from today for
    a first payment, from the previous end for a renewal), activate or renew the member,
    and queue its certificate. Idempotent per order."""
    existing = MembershipTerm.objects.filter(order=order).first()
    if existing:
        return existing
    member = _locked(member_id)
    last = member.terms.order_by("-end").first()
    start = last.end + dt.timedelta(days=1) if last else timezone.localdate()
    end = start + relativedelta(years=1) - dt.timedelta(days=1)
    if member.state == Member.State.APPROVED:
        prefix = "DW" if member.is_unit else "GR"
        member.activate(member_no=f"{prefix}{timezone.localdate():%Y}{member.pk:06d}", by=by,
                        description=f"缴纳会费（订单 {order.out_trade_no}）")
    else:
        member.renew(by=by, description=f"续缴会费（订单 {order.out_trade_no}）")
    member.save()
    sequence = member.terms.count() + 1
    term = MembershipTerm.objects.create(member=member, order=order, start=start, end=end,
                                         certificate_no=f"{member.member_no}-{sequence:02d}")
    _enqueue_certificate(term.pk)
    logger.info("member %s: term %s to %s (order %s)", member.pk, start, end, order.out_trade_no)
    return term


def _enqueue_certificate(term_id: int) -> None:
    job_enqueue("membership.tasks.generate_certificate", term_id)


def certificate_generate(*, term_id: int) -> MembershipTerm:
    """Render the term's numbered certificate PDF, once, and tell the member."""
    from .certificates import render_certificate

    with transaction.atomic():
        term = MembershipTerm.objects.select_for_update().select_related("member__membership_type").get(pk=term_id)
        if term.certificate:
            return term
        term.certificate.save(f"{term.certificate_no}.pdf", ContentFile(render_certificate(term)), save=False)
        term.save(update_fields=["certificate"])
        _notify(term.member, "member_certificate", term=term)
    return term


def memberships_expire(*, now=None) -> int:
    """Active members whose last term has ended become expired (once)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        due = list(
            Member.objects.select_for_update(skip_locked=True)
            .filter(state=Member.State.ACTIVE)
            .exclude(terms__end__gte=today)
            .select_related("user")[:500]
        )
        for member in due:
            member.expire(description="会员期届满未续费")
            member.save()
            _notify(member, "membership_expired")
    return len(due)


def memberships_remind(*, now=None) -> int:
    """Remind active members 30 and 7 days before their term ends (each reminder once)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for days, flag in ((30, "reminded_30_at"), (7, "reminded_7_at")):
        with transaction.atomic():
            terms = list(
                MembershipTerm.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("member__user")
                .filter(member__state=Member.State.ACTIVE, end__gte=today, end__lte=today + dt.timedelta(days=days),
                        **{f"{flag}__isnull": True})
                # a member who already renewed has a later term: no reminder for this one
                .exclude(member__terms__start__gt=F("end"))[:500]
            )
            for term in terms:
                setattr(term, flag, now)
                term.save(update_fields=[flag])
                _notify(term.member, "membership_reminder", "membership:dues", term=term, days=(term.end - today).days)
            sent += len(terms)
    return sent


# --- profile and contacts -------------------------------------------------------------

def member_update_profile(*, member_id: int, by, name: str, credit_code: str, details: dict) -> ProfileChange | None:
    """Save the member's details. A new registered name or credit code of an approved
    member is not applied but sent to membership staff as a change to review."""
    with transaction.atomic():
        member = _locked(member_id)
        if member.is_unit:
            profile = UnitProfile.objects.select_for_update().get(member=member)
        else:
            profile = IndividualProfile.objects.select_for_update().get(member=member)
        for field, value in details.items():
            setattr(profile, field, value)
        profile.save()
        credit_code = credit_code.upper()
        if (name, credit_code) == (member.name, member.credit_code):
            return None
        if member.state in (Member.State.SUBMITTED, Member.State.RETURNED):
            member.name, member.credit_code = name, credit_code
            member.save(update_fields=["name", "credit_code"])
            return None
        change = ProfileChange.objects.create(member=member, name=name, credit_code=credit_code)
    logger.info("member %s: registered details change %s submitted for review", member.pk, change.pk)
    return change


def profile_change_decide(*, change_id: int, by, accept: bool, reason: str = "") -> ProfileChange:
    """Membership staff accept (apply) or reject a change of registered name or credit code."""
    with transaction.atomic():
        change = ProfileChange.objects.select_for_update().get(pk=change_id)
        if change.decision != ProfileChange.Decision.PENDING:
            raise AlreadyDecided("该变更已处理。")
        if accept:
            member = _locked(change.member_id)
            member.name, member.credit_code = change.name, change.credit_code
            member.save(update_fields=["name", "credit_code"])
        change.decision = ProfileChange.Decision.ACCEPTED if accept else ProfileChange.Decision.REJECTED
        change.reason, change.decided_by, change.decided_at = reason, by, timezone.now()
        change.save()
    return change


def contact_save(*, member: Member, contact: Contact | None, data: dict) -> Contact:
    """Add or edit a contact; making one primary makes the others secondary."""
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=member.pk)
        contact = contact or Contact(member=member)
        for field, value in data.items():
            setattr(contact, field, value)
        if not member.contacts.exclude(pk=contact.pk).filter(is_primary=True).exists():
            contact.is_primary = True
        if contact.is_primary:
            member.contacts.exclude(pk=contact.pk).update(is_primary=False)
        contact.save()
    return contact


def contact_delete(*, member: Member, contact: Contact) -> None:
    """Delete a contact. The primary contact stays (make another primary first), so a member
    always has someone to reach."""
    with transaction.atomic():
        Member.objects.select_for_update().get(pk=member.pk)
        if contact.is_primary:
            raise ContactRefused("主要联系人不能删除，请先将其他联系人设为主要联系人。")
        contact.delete()


def join_drafts_purge(*, now=None, older_than_days: int = 30) -> int:
    """Forget join applications abandoned half-way (never submitted, so nothing is kept)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=older_than_days)
    stale = JoinDraft.objects.filter(updated_at__lt=cutoff)
    count = 0
    for draft in stale.prefetch_related("uploads")[:200]:
        for upload in draft.uploads.all():
            upload.file.delete(save=False)
        draft.delete()
        count += 1
    return count

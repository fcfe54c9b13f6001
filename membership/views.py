
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import member_required
from core.certificates import certificate_find
from core.downloads import file_response
from core.fragments import active_account, kept_page, kept_public_page
from payments.views import invoice_info

from . import selectors, services
from .exceptions import MembershipError
from .forms import ContactEditForm, ProfileForm, UnitForm
from .models import Member, MembershipTerm

NEXT_STEP = {
    Member.State.SUBMITTED: ("info", "您的入会申请已提交，请等待会员部审核。"),
    Member.State.RETURNED: ("warning", "您的申请被退回修改，请根据审核意见修改后重新提交。"),
    Member.State.REJECTED: ("danger", "很遗憾，您的入会申请未通过审核。"),
    Member.State.APPROVED: ("success", "审核已通过，请完善开票信息并缴纳会费。"),
    Member.State.ACTIVE: ("success", "会员资格有效。"),
    Member.State.EXPIRED: ("warning", "会员期已届满，请续缴会费恢复会员资格。"),
    Member.State.SUSPENDED: ("warning", "会员资格已暂停，请联系协会会员部。"),
    Member.State.REVOKED: ("danger", "会员资格已撤销。"),
}


@member_required
@kept_page(active_account)
def centre(request, member):
    def body():
        terms = selectors.terms_of(member=member)
        return {
            "term": selectors.current_term(terms), "latest": terms[0] if terms else None,
            "can_pay": selectors.can_pay_dues(member=member, terms=terms),
            "open_order": selectors.open_dues_order(member=member),
            "orders": selectors.payment_records(member=member)[:5],
        }
    tone, text = NEXT_STEP[member.state]
    return render(request, "membership/centre.html", {
        "member": member, "tone": tone, "next_text": text, "fragment_context": body,
    })


@member_required
def dues(request, member):
    if not selectors.can_pay_dues(member=member):
        messages.info(request, "当前无需缴纳会费。")
        return redirect("membership:centre")
    return invoice_info(request, payable=member, back_url=reverse("membership:centre"))


@member_required
def payment_list(request, member):
    return render(request, "membership/payments.html", {
        "member": member, "orders": selectors.payment_records(member=member),
    })


@member_required
def profile(request, member):
    return render(request, "membership/profile.html", {
        "member": member, "pending_changes": member.profile_changes.filter(decision="pending"),
    })


@member_required
def profile_edit(request, member):
    details = member.unit if member.is_unit else member.individual
    initial = {"name": member.name, "credit_code": member.credit_code}
    form = ProfileForm(request.POST or None, member=member, initial=initial)
    for name in form.detail_fields:
        form.fields[name].initial = getattr(details, name)
    if request.method == "POST" and form.is_valid():
        change = services.member_update_profile(
            member_id=member.pk, by=request.user, name=form.cleaned_data["name"],
            credit_code=form.cleaned_data.get("credit_code", ""),
            details={name: form.cleaned_data[name] for name in form.detail_fields},
        )
        if change:
            messages.info(request, "资料已保存。注册名称或统一社会信用代码的变更已提交会员部审核，审核通过后生效。")
        else:
            messages.success(request, "会员资料已保存。")
        return redirect("membership:profile")
    return render(request, "membership/profile_edit.html", {"member": member, "form": form})


@member_required
def correct(request, member):
    """A returned application: fix the unit form (keep or replace licences) and resubmit."""
    if member.state != Member.State.RETURNED or not member.is_unit:
        return redirect("membership:centre")
    unit = member.unit
    staged = {"practising_licence": unit.practising_licence_name or "已上传",
              "business_licence": unit.business_licence_name or "已上传"}
    initial = {"name": member.name, "credit_code": member.credit_code,
               **{f: getattr(unit, f) for f in ("institution_type", "licence_no", "legal_representative",
                                                "address", "opened_on", "beds", "dental_chairs")}}
    form = UnitForm(request.POST or None, request.FILES or None, initial=initial, staged=staged, member=member)
    if request.method == "POST" and form.is_valid():
        files = {f: form.cleaned_data[f] for f in form.upload_fields if form.cleaned_data.get(f)}
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.upload_fields}
        services.member_resubmit(member_id=member.pk, by=request.user, unit_data=data, files=files)
        messages.success(request, "已重新提交，请等待会员部审核。")
        return redirect("membership:centre")
    return render(request, "membership/correct.html", {"member": member, "form": form})


@member_required
def contacts(request, member):
    form = ContactEditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_save(member=member, contact=None, data=form.cleaned_data)
        messages.success(request, "联系人已添加。")
        return redirect("membership:contacts")
    return render(request, "membership/contacts.html", {"member": member, "form": form,
                                                        "contacts": member.contacts.all()})


@member_required
def contact_edit(request, member, pk):
    contact = get_object_or_404(member.contacts, pk=pk)
    form = ContactEditForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_save(member=member, contact=contact, data=form.cleaned_data)
        messages.success(request, "联系人已更新。")
        return redirect("membership:contacts")
    return render(request, "membership/contact_edit.html", {"member": member, "form": form, "contact": contact})


@require_POST
@member_required
def contact_delete(request, member, pk):
    contact = get_object_or_404(member.contacts, pk=pk)
    try:
        services.contact_delete(member=member, contact=contact)
    except MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "联系人已删除。")
    return redirect("membership:contacts")


@kept_public_page(params=("no",))
def certificate_check(request):
    """Public: anyone checks any certificate the association issued by its number (the QR
    code on every certificate opens this page with the number filled in). A visitor's check is
    kept until a table it read is written: a valid number costs what a cached page does."""
    number = (request.GET.get("no") or "").strip()[:40]
    return render(request, "core/certificate_check.html", {"number": number, "found": certificate_find(number)})


@member_required
def certificate(request, member, pk):
    term = get_object_or_404(MembershipTerm, pk=pk, member=member)
    if not term.certificate:
        raise Http404
    return file_response(term.certificate, term.download_name("certificate"))

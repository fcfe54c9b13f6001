"""The join wizard (入会注册), exactly the seed's steps.

Unit: 选择会员类别 → 阅读入会须知并同意 → 单位登记表（含证照上传）→ 联系人登记表 → 设置账号密码 → 注册成功.
Individual: 选择会员类别 → 阅读入会须知并同意 → 个人登记表 → 设置账号密码 → 缴费.

What is typed and uploaded is kept in a JoinDraft (its token in the session): a step that
fails validation keeps every valid upload, and "上一步" saves the page as it is, so going
back and forth loses nothing.
"""
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts import verification
from core.ratelimits import form_over_limit
from core.uploads import original_name

from . import services
from .exceptions import AlreadyRegistered
from .forms import AccountForm, CategoryForm, ContactForm, GuideForm, PersonForm, UnitForm
from .models import DraftUpload, JoinDraft, Kind, MembershipType

SESSION_KEY = "join_draft"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    form: type | None = None


CATEGORY = Step("category", "选择会员类别", CategoryForm)
GUIDE = Step("guide", "阅读入会须知", GuideForm)
UNIT = Step("unit", "单位登记表", UnitForm)
CONTACT = Step("contact", "联系人登记表", ContactForm)
PERSON = Step("person", "个人登记表", PersonForm)
ACCOUNT = Step("account", "设置账号密码", AccountForm)
UNIT_STEPS = (CATEGORY, GUIDE, UNIT, CONTACT, ACCOUNT, Step("done", "注册成功"))
INDIVIDUAL_STEPS = (CATEGORY, GUIDE, PERSON, ACCOUNT, Step("pay", "缴纳会费"))


def _draft(request, create=False) -> JoinDraft | None:
    token = request.session.get(SESSION_KEY)
    draft = JoinDraft.objects.filter(token=token).first() if token else None
    if draft is None and create:
        draft = JoinDraft.objects.create(token=uuid.uuid4())
        request.session[SESSION_KEY] = str(draft.token)
    return draft


def _steps(draft: JoinDraft) -> tuple[Step, ...]:
    return INDIVIDUAL_STEPS if draft.data.get("kind") == Kind.INDIVIDUAL else UNIT_STEPS


def _progress(steps, current_key, completed):
    return [(s.label, "current" if s.key == current_key else "done" if s.key in completed else "todo") for s in steps]


def _jsonable(cleaned: dict, skip=()) -> dict:
    out = {}
    for key, value in cleaned.items():
        if key in skip or hasattr(value, "read"):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "pk"):
            value = value.pk
        out[key] = value
    return out


def _stage_uploads(draft: JoinDraft, form) -> None:
    """Keep every upload that passed its own checks, even if other fields failed."""
    for name in getattr(form, "upload_fields", ()):
        upload = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if not upload:
            continue
        staged, _ = DraftUpload.objects.get_or_create(draft=draft, field=name,
                                                      defaults={"original_name": original_name(upload)})
        staged.original_name = original_name(upload)
        staged.file.save(upload.name, upload, save=False)
        staged.save()


def join(request):
    if request.user.is_authenticated and hasattr(request.user, "member"):
        return redirect("membership:centre")
    return redirect("membership:join_step", step=CATEGORY.key)


# Steps whose validation tells whether a mobile, email, ID number or credit code is
# registered: limited per address so they cannot be used to enumerate members.
REVEALING_STEPS = {"unit", "person", "contact", "account"}
REVEALING_RATE = "30/h"


def join_step(request, step: str):
    if request.user.is_authenticated and hasattr(request.user, "member"):
        return redirect("membership:centre")
    # A visitor who only looks costs no row: the draft is created by the first POST.
    draft = _draft(request, create=request.method == "POST") or JoinDraft(data={})
    steps = _steps(draft)
    current = next((s for s in steps if s.key == step and s.form), None)
    if current is None:
        raise Http404
    completed = draft.data.get("completed", [])
    for earlier in steps[: steps.index(current)]:
        if earlier.key not in completed:
            return redirect("membership:join_step", step=earlier.key)

    staged = {u.field: u.original_name for u in draft.uploads.all()} if draft.pk else {}
    kwargs = {"staged": staged} if getattr(current.form, "upload_fields", ()) else {}
    initial = draft.data.get(f"{current.key}_raw") or draft.data.get(current.key) or {}
    if request.method == "POST" and current is ACCOUNT and "send_code" in request.POST:
        return _send_code(request, current, steps, completed, draft)
    if request.method == "POST":
        form = current.form(request.POST, request.FILES, initial=initial, **kwargs)
        if current.key in REVEALING_STEPS and form_over_limit(request, form, group="join", rate=REVEALING_RATE):
            return render(request, "membership/join_step.html", _context(form, current, steps, completed, draft,
                                                                          kwargs))
        valid = form.is_valid()
        with transaction.atomic():
            _stage_uploads(draft, form)
            if "back" in request.POST:
                raw = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "back")}
                if current.key != ACCOUNT.key:  # never keep passwords
                    draft.data[f"{current.key}_raw"] = raw
                draft.save()
                previous = steps[max(steps.index(current) - 1, 0)]
                return redirect("membership:join_step", step=previous.key)
            if valid and current is ACCOUNT:
                valid = verification.form_mobile_proven(form) and not verification.add_taken_errors(form)
                # Taken by this very draft (a second click, after the first registered): asked
                # after the account was seen, as both were committed together.
                if not valid and not JoinDraft.objects.filter(pk=draft.pk).exists():
                    return _already_registered(request, services.ALREADY_REGISTERED)
            if valid:
                if current.key == ACCOUNT.key:
                    return _finish(request, draft, form)
                _save_step(draft, current, form, steps)
                following = steps[steps.index(current) + 1]
                return redirect("membership:join_step", step=following.key)
            draft.save()
        if kwargs:
            form.show_staged({u.field: u.original_name for u in draft.uploads.all()})
    else:
        form = current.form(initial=initial, **kwargs)
    return render(request, "membership/join_step.html", _context(form, current, steps, completed, draft, kwargs))


def _send_code(request, current, steps, completed, draft):
    """获取验证码: send a code to the mobile typed; what was typed stays, passwords excepted."""
    form = AccountForm(initial={k: request.POST.get(k, "") for k in ("mobile", "email")})
    context = _context(form, current, steps, completed, draft, {})
    return render(request, "membership/join_step.html", {
        **context, "sms_notice": verification.send_code_notice(request, request.POST.get("mobile", ""))})


def _context(form, current, steps, completed, draft, kwargs) -> dict:
    return {
        "form": form, "step": current, "progress": _progress(steps, current.key, completed),
        "is_first": current is CATEGORY,
        "types": MembershipType.objects.filter(is_active=True).order_by("-kind", "position"),  # units first
        "multipart": bool(kwargs), "kind": draft.data.get("kind"),
    }


def _save_step(draft: JoinDraft, step: Step, form, steps) -> None:
    data = draft.data
    completed = set(data.get("completed", []))
    if step is CATEGORY:
        membership_type = form.cleaned_data["membership_type"]
        if data.get("kind") != membership_type.kind:
            completed = set()  # another category: its own steps, from the start
        data["membership_type"], data["kind"] = membership_type.pk, membership_type.kind
    data[step.key] = _jsonable(form.cleaned_data, skip=getattr(form, "upload_fields", ()))
    data.pop(f"{step.key}_raw", None)
    completed.add(step.key)
    data["completed"] = sorted(completed)
    draft.save()


def _finish(request, draft: JoinDraft, form):
    try:
        member = services.member_register(draft=draft, mobile=form.cleaned_data["mobile"],
                                          email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
    except AlreadyRegistered as exc:
        return _already_registered(request, str(exc))
    request.session.pop(SESSION_KEY, None)
    login(request, member.user, backend="accounts.backends.AuthenticationBackend")
    if member.is_unit:
        return redirect("membership:join_done")
    messages.success(request, "注册成功！请完善开票信息并缴纳会费。")
    return redirect("membership:dues")


def _already_registered(request, message: str):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, message)
    return redirect("account_login")


def join_done(request):
    member = getattr(request.user, "member", None) if request.user.is_authenticated else None
    if member is None:
        return redirect("membership:join")
    return render(request, "membership/join_done.html", {
        "member": member, "progress": _progress(UNIT_STEPS, "done", [s.key for s in UNIT_STEPS]),
        "centre_url": reverse("membership:centre"),
    })

"""Applying as a supplier (供应商入驻): a visitor proves a mobile by SMS and gets an account; the
licence scans chosen on a refused submission are kept for the next one."""
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts import verification
from core import staging
from core.ratelimits import form_over_limit
from purchasing.exceptions import PurchasingError

from . import services
from .forms import SupplierApplicationForm
from .models import Supplier

APPLY_RATE = "10/h"
APPLY_PURPOSE = "supplier-apply"


def supplier_required(view):
    """Signed in as a supplier: the view receives its own supplier record, never another's."""
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        supplier = Supplier.objects.filter(user=request.user.pk).first()
        if supplier is None:
            return redirect("purchasing:supplier_apply")
        return view(request, supplier, *args, **kwargs)
    return wrapped


def apply(request):
    supplier = Supplier.objects.filter(user=request.user.pk).first() if request.user.is_authenticated else None
    if supplier is not None and supplier.state != Supplier.State.RETURNED:
        return redirect("purchasing:supplier_centre")
    anonymous = not request.user.is_authenticated
    on_file = set(supplier.licences.filter(superseded_at__isnull=True).values_list("kind", flat=True)) if supplier else ()
    if request.method == "POST" and anonymous and "send_code" in request.POST:
        form = SupplierApplicationForm(initial={k: v for k, v in request.POST.items()
                                                if k not in ("csrfmiddlewaretoken", "send_code", "password1",
                                                             "password2")},
                                       staged=staging.staged_names(request, APPLY_PURPOSE))
        return render(request, "purchasing/supplier_apply.html", {
            "form": form, "sms_notice": verification.send_code_notice(request, request.POST.get("mobile", ""))})
    initial = {f: getattr(supplier, f) for f in services.PROFILE_FIELDS} if supplier else None
    form = SupplierApplicationForm(request.POST or None, request.FILES or None, user=request.user, initial=initial,
                                   on_file=on_file, staged=staging.staged_names(request, APPLY_PURPOSE))
    limited = request.method == "POST" and anonymous and form_over_limit(request, form, group="supplier_apply",
                                                                          rate=APPLY_RATE)
    if request.method == "POST" and not limited and form.is_valid() and (
            not anonymous or (verification.form_mobile_proven(form) and not verification.add_taken_errors(form))):
        licences = form.licences(lambda field: staging.staged_file(request, APPLY_PURPOSE, field))
        try:
            if supplier is None:
                supplier = services.supplier_apply(data=form.profile(), licences=licences,
                                                   user=None if anonymous else request.user,
                                                   password=form.cleaned_data.get("password1") or "")
            else:
                services.supplier_resubmit(supplier_id=supplier.pk, by=request.user, data=form.profile(),
                                           licences=licences)
        except PurchasingError as exc:
            form.add_error(None, str(exc))
        else:
            staging.unstage(request, APPLY_PURPOSE)
            if anonymous:
                login(request, supplier.user, backend="accounts.backends.AuthenticationBackend")
            messages.success(request, "入驻申请已提交，团购办审核后将通知您。")
            return redirect("purchasing:supplier_centre")
    if request.method == "POST" and not limited:
        staging.stage(request, APPLY_PURPOSE, form, SupplierApplicationForm.upload_fields)
        form.show_staged(staging.staged_names(request, APPLY_PURPOSE))
    return render(request, "purchasing/supplier_apply.html", {"form": form, "supplier": supplier},
                  status=422 if form.errors else 200)

"""Every write to suppliers: the application (with an account for a visitor), review and
correction. Renewing a licence, and the expiry clock, change listings too: they are in
``purchasing.catalogue.services``."""
import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import notify_role
from core.notifications import notification_send
from core.uploads import original_name
from core.workflow import locked_step
from purchasing.exceptions import SupplierRefused

from .models import Licence, LicenceKind, Supplier

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("name", "credit_code", "contact_name", "contact_mobile", "address")
PRODUCT_LICENCES = (LicenceKind.DEVICE_PERMIT, LicenceKind.DEVICE_RECORD, LicenceKind.DRUG_PERMIT)


def _locked(supplier_id: int) -> Supplier:
    return Supplier.objects.select_for_update().select_related("user").get(pk=supplier_id)


def _step(supplier_id, step, then=None) -> Supplier:
    return locked_step(_locked, supplier_id, step, then=then, refused=lambda s: SupplierRefused(
        f"供应商当前为“{s.get_state_display()}”，不能进行此操作，请刷新后查看。"))


def _tell(supplier: Supplier, template: str, **context) -> None:
    transaction.on_commit(lambda: notification_send(
        template=template, user=supplier.user, url=reverse("purchasing:supplier_centre"),
        context={"supplier": supplier, **context}, mobile=supplier.contact_mobile))


def _require(text: str, message: str) -> str:
    if not (text or "").strip():
        raise SupplierRefused(message)
    return text.strip()


def licences_save(supplier: Supplier, licences: dict) -> None:
    """``licences``: kind → {"number", "expires_on", "file"}; a kind already on file is superseded."""
    now = timezone.now()
    for kind, values in licences.items():
        supplier.licences.filter(kind=kind, superseded_at__isnull=True).update(superseded_at=now)
        licence = Licence(supplier=supplier, kind=kind, number=values["number"], expires_on=values.get("expires_on"),
                          file_name=original_name(values["file"]))
        licence.file.save(values["file"].name, values["file"], save=False)
        licence.save()


def _check_licences(licences: dict, *, existing: set[str] = frozenset()) -> None:
    kinds = set(licences) | set(existing)
    if LicenceKind.BUSINESS not in kinds:
        raise SupplierRefused("请上传营业执照。")
    if not kinds & set(PRODUCT_LICENCES):
        raise SupplierRefused("请至少上传一种经营资质：医疗器械经营许可证、第二类医疗器械经营备案凭证或药品经营许可证。")
    today = timezone.localdate()
    for kind, values in licences.items():
        if values.get("expires_on") and values["expires_on"] < today:
            raise SupplierRefused(f"{LicenceKind(kind).label}已过期，请上传有效的证照。")


def supplier_apply(*, data: dict, licences: dict, user=None, password: str = "") -> Supplier:
    """A supplier applies with its 营业执照 and the licences its products need; a visitor gets an
    account (login by mobile). The 团购办 is told."""
    _check_licences(licences)
    try:
        with transaction.atomic():
            if user is None:
                user = get_user_model().objects.create_user(mobile=data["mobile"], email=data.get("email", ""),
                                                            password=password, name=data["contact_name"])
            elif Supplier.objects.filter(user=user).exists():
                raise SupplierRefused("您已提交过供应商申请，请在供应商中心查看。")
            supplier = Supplier.objects.create(user=user, **{f: data[f] for f in PROFILE_FIELDS})
            licences_save(supplier, licences)
            notify_role("purchasing_office", template="supplier_applied", url=reverse(
                "admin:purchasing_supplier_change", args=[supplier.pk]), context={"supplier": supplier})
    except IntegrityError:
        raise SupplierRefused("该统一社会信用代码、手机号或邮箱已被使用，请登录后在供应商中心查看。") from None
    logger.info("supplier application %s by user %s", supplier.pk, user.pk)
    return supplier


def supplier_resubmit(*, supplier_id: int, by, data: dict, licences: dict) -> Supplier:
    """A returned application, corrected; replaced licences are kept as history."""
    def step(supplier):
        current = set(supplier.licences.filter(superseded_at__isnull=True).values_list("kind", flat=True))
        _check_licences(licences, existing=current)
        for field in PROFILE_FIELDS:
            if field != "credit_code":
                setattr(supplier, field, data[field])
        licences_save(supplier, licences)
        supplier.resubmit(by=by, description="修改后重新提交")
    return _step(supplier_id, step)


def supplier_approve(*, supplier_id: int, by) -> Supplier:
    return _step(supplier_id, lambda s: s.approve(at=timezone.now(), by=by, description="审核通过"),
                 then=lambda s: _tell(s, "supplier_approved"))


def supplier_return(*, supplier_id: int, by, comment: str) -> Supplier:
    comment = _require(comment, "退回修改须写明意见。")
    return _step(supplier_id, lambda s: s.return_for_correction(comment=comment, by=by, description=comment),
                 then=lambda s: _tell(s, "supplier_returned"))


def supplier_reject(*, supplier_id: int, by, reason: str) -> Supplier:
    reason = _require(reason, "不予通过须写明理由。")
    return _step(supplier_id, lambda s: s.reject(reason=reason, by=by, description=reason),
                 then=lambda s: _tell(s, "supplier_rejected"))

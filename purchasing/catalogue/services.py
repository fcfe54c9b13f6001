"""Every write to listings: a supplier lists or withdraws a product; a renewed licence brings
back the listings it covers; the licence clock warns 30 days ahead and suspends the listings of
a licence that expired."""
import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.notifications import notification_send
from purchasing.exceptions import ListingRefused
from purchasing.suppliers.models import Licence, Supplier
from purchasing.suppliers.services import licences_save

from .models import LICENCES_FOR, Category, Product, registration_problem

logger = logging.getLogger(__name__)

WARN_DAYS = 30
PRODUCT_FIELDS = ("category", "name", "specification", "unit", "brand", "manufacturer", "registration_no",
                  "list_price")


def covering_licence(supplier: Supplier, category: str, day: dt.date) -> Licence | None:
    """The supplier's valid licence that allows selling the category on ``day``."""
    for licence in supplier.licences.filter(superseded_at__isnull=True, kind__in=LICENCES_FOR[category]):
        if licence.valid_on(day):
            return licence
    return None


def product_list(*, supplier_id: int, by, data: dict) -> Product:
    """List a product: the supplier is approved, holds a valid licence for its category, and the
    registration number has the right form."""
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
        if supplier.state != Supplier.State.APPROVED:
            raise ListingRefused("供应商认证通过后才能发布产品。")
        if covering_licence(supplier, data["category"], timezone.localdate()) is None:
            needed = "或".join(kind.label for kind in LICENCES_FOR[data["category"]])
            raise ListingRefused(f"发布{Category(data['category']).label}须持有有效的{needed}。")
        problem = registration_problem(data["category"], data["registration_no"])
        if problem:
            raise ListingRefused(problem)
        product = Product.objects.create(supplier=supplier, **{f: data[f] for f in PRODUCT_FIELDS})
    logger.info("supplier %s listed product %s (by %s)", supplier_id, product.pk, by.pk)
    return product


def product_withdraw(*, product_id: int, by) -> Product:
    """下架: the supplier takes its product off the list (kept, with rounds it was in). A round
    already published keeps it: a listing withdrawn meanwhile cannot succeed at closing."""
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("supplier").get(pk=product_id)
        if product.supplier.user_id != by.pk:
            raise ListingRefused("只能下架本公司的产品。")
        product.state = Product.State.WITHDRAWN
        product.save(update_fields=["state"])
    logger.info("product %s withdrawn by %s", product.pk, by.pk)
    return product


def licence_renew(*, supplier_id: int, by, kind: str, number: str, expires_on: dt.date | None, file) -> Licence:
    """A renewed licence replaces the one on file (kept as history); the listings suspended for
    want of it are listed again."""
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise ListingRefused("新证照已过期，请上传有效的证照。")
    if not (number or "").strip():
        raise ListingRefused("请填写证号。")
    with transaction.atomic():
        supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
        if supplier.state != Supplier.State.APPROVED:
            raise ListingRefused("供应商认证通过后才能更新证照。")
        licences_save(supplier, {kind: {"number": number.strip(), "expires_on": expires_on, "file": file}})
        for product in supplier.products.select_for_update().filter(state=Product.State.SUSPENDED):
            if covering_licence(supplier, product.category, today) is not None:
                product.state, product.suspended_reason = Product.State.LISTED, ""
                product.save(update_fields=["state", "suspended_reason"])
    logger.info("supplier %s renewed %s (by %s)", supplier_id, kind, by.pk)
    return supplier.licences.get(kind=kind, superseded_at__isnull=True)


def licences_watch(*, now=None) -> int:
    """The licence clock: tell a supplier once, 30 days before a licence expires; when it has
    expired, suspend the listings no other valid licence covers (once)."""
    today = timezone.localdate(now)
    acted = 0
    current = Licence.objects.filter(superseded_at__isnull=True, expires_on__isnull=False)
    for licence in current.filter(warned_at__isnull=True, expires_on__lte=today + dt.timedelta(days=WARN_DAYS),
                                  expires_on__gte=today).select_related("supplier__user"):
        with transaction.atomic():
            if not Licence.objects.select_for_update(skip_locked=True).filter(pk=licence.pk, warned_at__isnull=True):
                continue
            Licence.objects.filter(pk=licence.pk).update(warned_at=timezone.now())
            _tell(licence, "supplier_licence_expiring")
            acted += 1
    for licence in current.filter(lapsed_at__isnull=True, expires_on__lt=today).select_related("supplier__user"):
        with transaction.atomic():
            if not Licence.objects.select_for_update(skip_locked=True).filter(pk=licence.pk, lapsed_at__isnull=True):
                continue
            Licence.objects.filter(pk=licence.pk).update(lapsed_at=timezone.now())
            suspended = _suspend_uncovered(licence, today)
            _tell(licence, "supplier_licence_expired", suspended=suspended)
            acted += 1
    return acted


def _suspend_uncovered(licence: Licence, today: dt.date) -> list[str]:
    supplier = licence.supplier
    names = []
    for product in supplier.products.select_for_update().filter(state=Product.State.LISTED):
        if licence.kind in LICENCES_FOR[product.category] and covering_licence(supplier, product.category, today) is None:
            product.state = Product.State.SUSPENDED
            product.suspended_reason = f"{licence.get_kind_display()}已于 {licence.expires_on:%Y-%m-%d} 过期"
            product.save(update_fields=["state", "suspended_reason"])
            names.append(product.name)
    logger.info("licence %s expired: %s listings suspended", licence.pk, len(names))
    return names


def _tell(licence: Licence, template: str, **context) -> None:
    supplier = licence.supplier
    transaction.on_commit(lambda: notification_send(
        template=template, user=supplier.user, mobile=supplier.contact_mobile,
        url=reverse("purchasing:supplier_centre"), context={"supplier": supplier, "licence": licence, **context}))

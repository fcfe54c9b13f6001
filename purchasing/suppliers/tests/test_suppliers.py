"""A supplier applies with its licences, the 团购办 reviews it, products are listed only under a
valid matching licence, and the licence clock warns 30 days ahead and suspends at expiry."""
import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import sms
from core.deadlines import registered_scanners
from core.identifiers import credit_code_check_char
from core.models import Message
from purchasing.catalogue import services as catalogue
from purchasing.exceptions import ListingRefused, SupplierRefused
from purchasing.models import Licence, LicenceKind, Product, Supplier
from purchasing.suppliers import services
from tests.accounts.factories import PASSWORD, UserFactory
from tests.core.files import pdf_bytes

from .helpers import applied, approved, office_user, product, scan

pytestmark = pytest.mark.django_db
WATCH = registered_scanners()["purchasing.licences"]


def test_an_application_needs_the_business_licence_and_a_product_licence():
    user = UserFactory()
    data = {"name": "某公司", "credit_code": "91310000000000001X", "contact_name": "张强", "contact_mobile": user.mobile,
            "address": "上海"}
    with pytest.raises(SupplierRefused, match="营业执照"):
        services.supplier_apply(data=data, user=user, licences={
            LicenceKind.DEVICE_PERMIT: {"number": "1", "expires_on": None, "file": scan()}})
    with pytest.raises(SupplierRefused, match="至少上传一种经营资质"):
        services.supplier_apply(data=data, user=user, licences={
            LicenceKind.BUSINESS: {"number": "1", "expires_on": None, "file": scan()}})
    assert not Supplier.objects.exists()


def test_the_office_approves_returns_or_rejects_with_reasons(mailoutbox, django_capture_on_commit_callbacks):
    office = office_user()
    with django_capture_on_commit_callbacks(execute=True):
        supplier = applied()
    assert Message.objects.filter(recipient=office, subject__contains=supplier.name).exists()
    with pytest.raises(SupplierRefused, match="意见"):
        services.supplier_return(supplier_id=supplier.pk, by=office, comment="")
    services.supplier_return(supplier_id=supplier.pk, by=office, comment="许可证扫描件不清晰")
    services.supplier_resubmit(supplier_id=supplier.pk, by=supplier.user, data={
        "name": supplier.name, "credit_code": supplier.credit_code, "contact_name": "王五",
        "contact_mobile": supplier.contact_mobile, "address": "上海"}, licences={
        LicenceKind.DEVICE_PERMIT: {"number": "新证号", "expires_on": None, "file": scan()}})
    history = list(Licence.objects.filter(supplier=supplier, kind=LicenceKind.DEVICE_PERMIT).order_by("pk")
                   .values_list("superseded_at", flat=True))
    assert len(history) == 2 and history[0] is not None and history[1] is None  # the first scan is kept
    services.supplier_approve(supplier_id=supplier.pk, by=office)
    supplier.refresh_from_db()
    assert supplier.state == Supplier.State.APPROVED and supplier.contact_name == "王五"


def test_a_visitor_applies_on_the_page_with_an_sms_code_and_a_refused_form_keeps_the_scans(
        client, django_capture_on_commit_callbacks):
    url = reverse("purchasing:supplier_apply")
    fields = {"name": "杭州某医疗器械有限公司", "credit_code": "91330100000000001X", "contact_name": "周敏",
              "contact_mobile": "13711112222", "address": "杭州", "device_permit_number": "浙杭药监械经营许20200001号",
              "mobile": "13711112222", "email": "zm@example.cn", "password1": "Hz-Supplier-2026!",
              "password2": "Hz-Supplier-2026!"}
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"mobile": "13711112222", "send_code": "1"})
    assert "验证码已发送" in sent.content.decode()
    code = re.search(r"验证码为 (\d{6})", next(text for to, text in reversed(sms.outbox) if to == "13711112222"))[1]
    refused = client.post(url, {**fields, "credit_code": "123", "code": code,
                                "business_file": SimpleUploadedFile("营业执照.pdf", pdf_bytes()),
                                "device_permit_file": SimpleUploadedFile("许可证.pdf", pdf_bytes())})
    assert refused.status_code == 422
    assert "已上传：营业执照.pdf" in refused.content.decode() and "已上传：许可证.pdf" in refused.content.decode()
    good = "91330100000000001" + credit_code_check_char("91330100000000001")
    response = client.post(url, {**fields, "credit_code": good, "code": code})
    assert response.status_code == 302, response.content.decode()[:2000]
    supplier = Supplier.objects.get(credit_code=good)
    assert supplier.user.mobile == "13711112222"
    assert sorted(supplier.licences.values_list("kind", flat=True)) == ["business", "device_permit"]


def test_products_are_listed_only_under_a_valid_matching_licence_with_a_well_formed_number():
    pending = applied()
    with pytest.raises(ListingRefused, match="认证通过后"):
        product(pending)
    supplier = approved()
    with pytest.raises(ListingRefused, match="药品经营许可证"):
        product(supplier, category="drug", number="国药准字H20043256")
    with pytest.raises(ListingRefused, match="注册证编号"):
        product(supplier, number="国械注进2018")
    assert product(supplier).state == Product.State.LISTED
    drugs = approved(drug=True)
    assert product(drugs, category="drug", number="国药准字H20043256").state == Product.State.LISTED


def test_the_licence_clock_warns_thirty_days_ahead_then_suspends_and_a_renewal_restores(
        django_capture_on_commit_callbacks):
    today = timezone.localdate()
    supplier = approved(device_expires=today + dt.timedelta(days=40), drug=True)
    resin = product(supplier)
    drug = product(supplier, category="drug", name="盐酸阿替卡因", number="国药准字H20043256")
    assert WATCH(timezone.now()) == 0  # 40 days ahead: not yet
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(timezone.now() + dt.timedelta(days=11)):
        assert WATCH(timezone.now()) == 1
        assert WATCH(timezone.now()) == 0  # told once
    assert Message.objects.filter(recipient=supplier.user, subject__startswith="证照即将到期").exists()
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(timezone.now() + dt.timedelta(days=41)):
        assert WATCH(timezone.now()) == 1
        resin.refresh_from_db()
        drug.refresh_from_db()
        assert resin.state == Product.State.SUSPENDED and "医疗器械经营许可证已于" in resin.suspended_reason
        assert drug.state == Product.State.LISTED  # the drug licence still covers it
        with pytest.raises(ListingRefused):
            product(supplier, name="另一种树脂")
        catalogue.licence_renew(supplier_id=supplier.pk, by=supplier.user, kind=LicenceKind.DEVICE_PERMIT,
                                number="新证号", expires_on=timezone.localdate() + dt.timedelta(days=900),
                                file=scan())
    resin.refresh_from_db()
    assert resin.state == Product.State.LISTED
    assert Licence.objects.filter(supplier=supplier, kind=LicenceKind.DEVICE_PERMIT).count() == 2


def test_a_supplier_reads_only_its_own_centre():
    supplier, other = approved(), approved()
    client = Client()
    client.force_login(other.user)
    page = client.get(reverse("purchasing:supplier_centre")).content.decode()
    assert other.name in page and supplier.name not in page
    licence = supplier.licences.first()
    assert client.get(reverse("core:download", args=["purchasing.licence", licence.pk, "file"])).status_code == 404


def test_a_supplier_signs_in_to_its_centre(client):
    supplier = approved()
    response = client.post(reverse("account_login"), {"login": supplier.user.mobile, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("purchasing:supplier_centre")


def test_a_supplier_withdraws_its_own_product_only():
    supplier, other = approved(), approved()
    resin = product(supplier)
    client = Client()
    client.force_login(other.user)
    client.post(reverse("purchasing:product_withdraw", args=[resin.pk]))
    resin.refresh_from_db()
    assert resin.state == Product.State.LISTED
    client.force_login(supplier.user)
    client.post(reverse("purchasing:product_withdraw", args=[resin.pk]))
    resin.refresh_from_db()
    assert resin.state == Product.State.WITHDRAWN

"""Demo membership: realistic types and one member in every state, each with a login."""
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DemoLogin
from core.identifiers import credit_code_check_char, id_number_check_char
from core.pdf import render_pdf
from payments import sandbox
from payments import services as payments
from payments.invoicing import services as invoicing
from payments.models import Invoice, Order

from . import services
from .models import Contact, IndividualProfile, Kind, Member, MembershipType, UnitProfile

TYPES = [
    (Kind.UNIT, "会员单位", "2000.00", True, "依法设立的社会办口腔医疗机构。", 1),
    (Kind.UNIT, "理事单位", "5000.00", True, "经会员代表大会选举产生的理事所在单位。", 2),
    (Kind.UNIT, "常务理事单位", "10000.00", True, "经理事会选举产生的常务理事所在单位。", 3),
    (Kind.INDIVIDUAL, "个人会员", "300.00", False, "从事口腔医疗、教学、科研及管理工作的个人。", 4),
]

# (mobile, unit name, membership type, target state, contact)
UNITS = [
    ("13900000001", "北京瑞尔齿科诊所有限公司", "会员单位", "submitted", "王芳"),
    ("13900000002", "上海极橙儿童齿科门诊部", "会员单位", "returned", "刘洋"),
    ("13900000003", "广州某某美容门诊部", "会员单位", "rejected", "陈晨"),
    ("13900000004", "成都华美口腔医院有限公司", "理事单位", "approved", "赵磊"),
    ("13900000005", "杭州口腔医院集团城西分院", "常务理事单位", "active", "孙丽"),
    ("13900000006", "南京维乐口腔门诊部", "会员单位", "awaiting_transfer", "周敏"),
    ("13900000007", "武汉拜博口腔门诊部", "会员单位", "expired", "吴强"),
    ("13900000008", "西安雅美口腔诊所", "会员单位", "suspended", "郑洁"),
]
PERSONS = [
    ("13900000011", "林晓", "approved", "主治医师", "北京大学口腔医院", "口腔正畸"),
    ("13900000012", "黄建国", "active", "主任医师", "四川大学华西口腔医院", "口腔颌面外科"),
]
STATE_LABELS = dict(Member.State.choices) | {"awaiting_transfer": "待财务核实转账"}


def seed() -> list[DemoLogin]:
    if not settings.WECHATPAY_SANDBOX:
        raise ImproperlyConfigured("Demo members are paid through the WeChat Pay sandbox: set WECHATPAY_SANDBOX=true.")
    for kind, name, dues, review, description, position in TYPES:
        MembershipType.objects.update_or_create(name=name, defaults={
            "kind": kind, "annual_dues": Decimal(dues), "review_required": review, "description": description,
            "position": position,
        })
    licence = None
    logins = []
    for n, (mobile, name, type_name, target, contact) in enumerate(UNITS, start=1):
        if not Member.objects.filter(user__mobile=mobile).exists():
            licence = licence or render_pdf("pdf/notice.html", {
                "title": "医疗机构执业许可证（演示）", "paragraphs": ["此文件为演示数据。"], "date": timezone.localdate()})
            member = _unit(n, mobile, name, type_name, contact, licence)
            _bring_to(member, target)
        logins.append(DemoLogin(role=f"单位会员·{STATE_LABELS[target]}", login=mobile))
    for n, (mobile, name, target, title, employer, specialty) in enumerate(PERSONS, start=1):
        if not Member.objects.filter(user__mobile=mobile).exists():
            member = _person(n, mobile, name, title, employer, specialty)
            _bring_to(member, target)
        logins.append(DemoLogin(role=f"个人会员·{STATE_LABELS[target]}", login=mobile))
    return logins


def _user(mobile, name):
    return get_user_model().objects.create_user(mobile=mobile, email=f"{mobile}@demo.cnmia.test",
                                                password=DEMO_PASSWORD, name=name)


def _unit(n, mobile, name, type_name, contact, licence_pdf) -> Member:
    first17 = f"9111010{n:010d}"
    member = Member.objects.create(
        user=_user(mobile, name), kind=Kind.UNIT, membership_type=MembershipType.objects.get(name=type_name),
        name=name, credit_code=first17 + credit_code_check_char(first17), submitted_at=timezone.now(),
    )
    unit = UnitProfile(member=member, institution_type="outpatient" if "门诊" in name else "hospital",
                       licence_no=f"PDY{n:05d}11010512D152", legal_representative=contact,
                       address=f"示例市示例区健康路 {n} 号", opened_on=dt.date(2012 + n, 6, 1), beds=n * 5,
                       dental_chairs=n * 6, practising_licence_name="医疗机构执业许可证.pdf",
                       business_licence_name="营业执照.pdf")
    unit.practising_licence.save("licence.pdf", ContentFile(licence_pdf), save=False)
    unit.business_licence.save("business.pdf", ContentFile(licence_pdf), save=False)
    unit.save()
    Contact.objects.create(member=member, name=contact, position="办公室主任", mobile=mobile,
                           email=f"{mobile}@demo.cnmia.test", is_primary=True)
    return member


def _person(n, mobile, name, title, employer, specialty) -> Member:
    member = Member.objects.create(
        user=_user(mobile, name), kind=Kind.INDIVIDUAL, membership_type=MembershipType.objects.get(name="个人会员"),
        name=name, submitted_at=timezone.now(),
    )
    first17 = f"11010519{78 + n}0{n}1512{n}"
    person = IndividualProfile(member=member, gender="male" if n % 2 == 0 else "female",
                               id_number=first17 + id_number_check_char(first17), title=title, employer=employer,
                               specialty=specialty, photo_name="证件照.png")
    person.photo.save("photo.png", ContentFile(_photo()), save=False)
    person.save()
    member.approve(description="个人会员无需审核")
    member.save()
    return member


def _photo() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (295, 413), (222, 230, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


def _bring_to(member: Member, target: str) -> None:
    staff = get_user_model().objects.filter(is_superuser=True).first()
    if target in ("submitted",) or member.state == target:
        return
    if target == "returned":
        services.member_return(member_id=member.pk, by=staff, comment="营业执照扫描件不清晰，请重新上传。")
        return
    if target == "rejected":
        services.member_reject(member_id=member.pk, by=staff, reason="申请单位不属于口腔医疗机构。")
        return
    if member.state == Member.State.SUBMITTED:
        services.member_approve(member_id=member.pk, by=staff)
    if target == "approved":
        return
    order = _dues_order(member)
    if target == "awaiting_transfer":
        payments.order_submit_transfer(
            order_id=order.pk, by=member.user, voucher=ContentFile(render_pdf("pdf/notice.html", {
                "title": "银行转账回单（演示）", "paragraphs": [f"付款人：{member.name}", f"金额：{order.amount} 元"]}),
                name="转账回单.pdf"),
            account_name=member.name, amount=order.amount, transferred_on=timezone.localdate(),
            registered_name=member.name)
        return
    _pay_by_wechat(order)
    if target == "active" and not Invoice.objects.filter(kind=Invoice.Kind.DUES_RECEIPT, number__isnull=False).exists():
        _record_dues_receipt(order)
    if target == "expired":
        term = member.terms.get()
        term.start, term.end = term.start - dt.timedelta(days=400), term.end - dt.timedelta(days=400)
        term.save(update_fields=["start", "end"])
        services.memberships_expire()
    elif target == "suspended":
        services.member_suspend(member_id=member.pk, by=staff, reason="未按规定履行会员义务（演示）。")


def _dues_order(member: Member) -> Order:
    email, mobile = member.invoice_contact()
    return payments.order_for_payable(payable=member, invoice_email=email, invoice_mobile=mobile)


def _record_dues_receipt(order: Order) -> None:
    """Finance records one member's 会费票据, as it would from the 财政电子票据 platform."""
    finance = get_user_model().objects.get(mobile="13800000003")
    number = f"1101{timezone.localdate():%Y}{order.pk:08d}"
    pdf = render_pdf("pdf/notice.html", {"title": "社会团体会费票据（演示）", "paragraphs": [
        f"票据号码：{number}", f"交款人：{order.invoice_title}", f"项目：{order.description}", f"金额：{order.amount} 元"]})
    invoicing.invoice_record(invoice_id=order.invoice.pk, by=finance, number=number,
                             file=ContentFile(pdf, name="会费票据.pdf"))


def _pay_by_wechat(order: Order) -> None:
    order = payments.order_start_wechat(order_id=order.pk)
    trade = sandbox.sandbox_pay(out_trade_no=order.out_trade_no)
    payments.wechat_transaction_apply(resource=sandbox.transaction_resource(trade), source="query")

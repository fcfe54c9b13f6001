"""Demo credit evaluations, one in every state, with evaluators and a realistic questionnaire.
The evaluators are accounts here; the experts app's demo gives them their evaluator profiles."""
import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.demo import DEMO_PASSWORD, DemoLogin
from core.pdf import render_pdf
from membership import demo as membership_demo
from membership.models import Member
from payments import sandbox
from payments import services as payments

from . import deadlines, demo_capability, services
from .capability_standard import chapters_for_import
from .document_templates import templates_attach
from .models import Evaluation, Fee, Programme
from .selectors import items_of

REGULATION = """第一章 总则
第一条 为规范社会办医疗机构社会信用评价工作，推动行业诚信体系建设，制定本办法。
第三条 信用评价等级分为 A、B、C 三等，AAA、AA、A、BBB、BB、B、CCC、CC、C 九级。
第五条 信用评价每 3 年为一个周期，证书与铭牌有效期为 3 年；续评应当提前 6 个月申请，延期原则上不超过 6 个月。
第四章 评价程序
第十八条 提交资料、审核资料、信用评价、反馈复议、评价结果、结果公示、上传报告、颁证授牌……
评价办公室应当于 10 个工作日内确定是否受理；第三方信评机构于 30 个工作日内完成评价报告；
参评机构对初评意见有异议的，自接到初评意见后 5 个工作日内申请复议，评价办公室 10 个工作日内答复，复议仅限一次；
评价结果公示期为 7 个工作日；确定最终结果后 20 个工作日内上传评价报告。"""

QUESTIONNAIRE = {
    "合规经营": ["依法取得并按期校验医疗机构执业许可证", "执业范围与核准诊疗科目一致", "近三年无行政处罚记录"],
    "医疗质量与安全": ["建立并落实医疗质量安全核心制度", "院感防控与器械消毒灭菌规范", "病历书写与保管符合规范"],
    "诚信服务": ["明码标价，收费项目公开透明", "患者投诉有专人受理并及时反馈", "不做虚假宣传和夸大广告"],
    "社会责任": ["按规定参加医保并规范使用基金", "开展义诊、健康宣教等公益活动"],
}
OPTIONS = [("完全符合", 10), ("基本符合", 7), ("部分符合", 4), ("不符合", 0)]
FEES = {"口腔医院": "12000.00", "口腔门诊部": "8000.00", "口腔诊所": "5000.00", "综合医院口腔科": "8000.00",
        "其他医疗机构": "8000.00"}
EVALUATORS = [("13700000021", "信评师 刘敏"), ("13700000022", "信评师 高远")]
TARGETS = [
    "draft", "submitted", "returned", "rejected", "awaiting_payment", "self_assessment", "under_review",
    "supplement", "initial_result", "appealed", "committee", "public_notice", "published", "expired", "revoked",
]


def seed() -> list[DemoLogin]:
    programme = Programme.objects.get(kind="credit")
    if not programme.criteria.exists():
        programme.regulation_text = REGULATION
        programme.save(update_fields=["regulation_text"])
        services.standard_import(programme=programme, chapters=[
            {"text": title, "items": [{"text": text, "options": OPTIONS} for text in items]}
            for title, items in QUESTIONNAIRE.items()])
    templates_attach(programme=programme)
    _capability_programme()
    for institution_type, amount in FEES.items():
        Fee.objects.get_or_create(programme=programme, institution_type=institution_type,
                                  defaults={"amount": Decimal(amount)})
    evaluators = [_evaluator(mobile, name) for mobile, name in EVALUATORS]
    logins = [DemoLogin(role=f"评价人员·{user.name}", login=user.mobile) for user in evaluators]
    office = get_user_model().objects.filter(groups__name="评价办公室").first()
    pdf = None
    for n, target in enumerate(TARGETS, start=1):
        mobile = f"139000001{n:02d}"
        if not Member.objects.filter(user__mobile=mobile).exists():
            pdf = pdf or render_pdf("pdf/notice.html", {"title": "申报材料（演示）", "paragraphs": ["演示文件"],
                                                        "date": timezone.localdate()})
            with transaction.atomic():
                member = membership_demo._unit(30 + n, mobile, f"演示{_city(n)}口腔门诊部（{Evaluation.State(target).label}）",
                                               "会员单位", "赵经理", pdf)
                membership_demo._bring_to(member, "active")
                member.refresh_from_db()
                _drive(programme, member, target, office, evaluators, pdf)
        logins.append(DemoLogin(role=f"参评机构·{Evaluation.State(target).label}", login=mobile))
    pdf = pdf or render_pdf("pdf/notice.html", {"title": "申报材料（演示）", "paragraphs": ["演示文件"],
                                                "date": timezone.localdate()})
    logins += demo_capability.seed(
        office=office, credit_programme=programme, pdf=pdf,
        drive_credit=lambda credit, member, target: _drive(credit, member, target, office, evaluators, pdf))
    return logins


def _city(n):
    return "北京上海广州深圳成都杭州武汉西安南京重庆天津长沙郑州济南沈阳"[n - 1]


def _evaluator(mobile, name):
    user = get_user_model().objects.filter(mobile=mobile).first()
    if user is None:
        user = get_user_model().objects.create_user(mobile=mobile, email=f"{mobile}@demo.cnmia.test",
                                                    password=DEMO_PASSWORD, name=name)
    return user


def _drive(programme, member, target, office, evaluators, pdf):
    """Take a new evaluation through the real services up to ``target``."""
    e = services.evaluation_start(member=member, programme=programme, declarations=programme.declaration_list(),
                                  by=member.user)
    if target == "draft":
        return
    for document in programme.documents.all():
        services.evaluation_upload_document(evaluation_id=e.pk, document_id=document.pk, by=member.user,
                                            file=ContentFile(pdf, name=f"{document.name}.pdf"))
    services.evaluation_submit(evaluation_id=e.pk, handler_name="赵经理", handler_mobile=member.user.mobile, by=member.user)
    if target == "submitted":
        return
    if target == "returned":
        services.evaluation_return(evaluation_id=e.pk, comment="承诺书未加盖公章，请重新上传。", by=office)
        return
    if target == "rejected":
        services.evaluation_reject(evaluation_id=e.pk, reason="开业不满规定期限，暂不符合申报条件。", by=office)
        return
    services.evaluation_accept(evaluation_id=e.pk, by=office)
    if target == "awaiting_payment":
        return
    e.refresh_from_db()
    fee_order = payments.order_start_wechat(order_id=payments.order_for_payable(
        payable=e, invoice_email=member.user.email, invoice_mobile=member.user.mobile).pk)
    payments.wechat_transaction_apply(resource=sandbox.transaction_resource(
        sandbox.sandbox_pay(out_trade_no=fee_order.out_trade_no)), source="query")
    if target == "self_assessment":
        return
    answers = {q.pk: q.options.order_by("position")[1 if q.pk % 3 else 0].pk
               for q in items_of(programme).prefetch_related("options")}
    services.evaluation_save_answers(evaluation_id=e.pk, answers=answers, by=member.user)
    services.evaluation_submit_self_assessment(evaluation_id=e.pk, by=member.user)
    for evaluator in evaluators:
        services.assignment_create(evaluation_id=e.pk, evaluator=evaluator, by=office)
    if target == "under_review":
        return
    if target == "supplement":
        services.evaluation_request_supplement(evaluation_id=e.pk, comment="请补充近三年医疗纠纷处理记录。", by=office)
        return
    for points, evaluator in zip((Decimal(8), Decimal(9)), evaluators, strict=True):
        assignment = e.assignments.get(evaluator=evaluator)
        services.assignment_save_scores(
            assignment_id=assignment.pk, comment="总体情况良好。", submit=True, by=evaluator,
            scores={q.pk: (points, "") for q in items_of(programme)})
    services.evaluation_initial_result(evaluation_id=e.pk, by=office, report=ContentFile(pdf, name="report.pdf"))
    if target == "initial_result":
        return
    if target == "appealed":
        services.evaluation_appeal(evaluation_id=e.pk, reasons="对“诚信服务”部分评分有异议，已补充价格公示照片。",
                                   by=member.user)
        return
    e.refresh_from_db()
    deadlines.act_on_deadline(deadline_id=e.deadlines.get(kind="appeal_window").pk, now=timezone.now())
    if target == "committee":
        return
    services.evaluation_committee_decide(evaluation_id=e.pk, option="approve", by=office,
                                         record="评价领导小组会议通过（系统上线前的会议，演示数据）")
    if target == "public_notice":
        return
    e.refresh_from_db()
    deadlines.act_on_deadline(deadline_id=e.deadlines.get(kind="notice").pk, now=timezone.now())
    if target == "expired":
        with transaction.atomic():
            e = services.locked_evaluation(e.pk)
            e.valid_until = timezone.localdate() - dt.timedelta(days=1)  # a result from three years ago
            e.expire(description="有效期届满（演示数据）")
            e.save()
    elif target == "revoked":
        services.evaluation_revoke(evaluation_id=e.pk, reason="核查发现严重失信行为，依规摘牌。", by=office,
                                   approval="评价领导小组 2026 年第 2 次会议核准", approved_on=timezone.localdate())


def _capability_programme() -> None:
    """The star programme's standard (8 chapters, 64 items) and where its text is published."""
    capability = Programme.objects.get(kind="capability")
    if not capability.criteria.exists():
        services.standard_import(programme=capability, chapters=chapters_for_import())
    if not capability.standard_document_url:
        capability.regulation_text = CAPABILITY_REGULATION
        capability.standard_document_url = "/columns/standards/"
        capability.save(update_fields=["regulation_text", "standard_document_url"])


CAPABILITY_REGULATION = """第一章 总则
第三条 能力评价等级分为五星（标杆）、四星（示范）、三星（规范）。申请三星、四星须具有有效的社会信用评价 AA 级及以上结果，申请五星须为 AAA 级。
第二章 组织机构
第十条 评价委员会由资深专家组成，共 9～15 人；评价专家组从评价专家库中随机遴选产生，每组 5～11 人。
第三章 申报、审核与评定
第十七条 申报单位应为协会会员单位，连续运营 3 年（含）以上。
第十九条 省级协会 15 个工作日内审核；评价办公室 10 个工作日内决定是否受理。
第二十条 现场评价前 7 个工作日通知申报单位，现场评价不超过 3 天；评价结果公示 7 个工作日。
第二十一条 评价结果有效期 3 年。"""

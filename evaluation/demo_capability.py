"""A dental clinic's filled-in capability application form (004 annex 2-2), for the demo and
the tests: every section complete and consistent."""
import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from core.demo import DemoLogin
from membership import demo as membership_demo
from membership.models import Member

from . import services
from .application_form import SECTIONS
from .models import ApplicationForm, Programme, ProvincialAssociation
from .selectors import items_of

# The answers that read like a real dental outpatient department; the rest are filled by kind.
TYPICAL = {
    "cover": {"province": "广东省", "district": "天河区", "postcode": "510620", "fax": "无",
              "unit_email": "office@demo-dental.cn", "head": "陈院长", "head_phone": "020-38880000"},
    "basic": {
        "investor_name": "某某口腔医疗投资有限公司", "investor_intro": "专注口腔医疗服务的投资企业，在省内投资口腔门诊部 3 家。",
        "investor_rep_name": "陈立", "investor_rep_specialty": "企业管理", "investor_rep_position": "董事长",
        "investor_rep_title": "无", "investor_rep_education": "工商管理硕士",
        "legal_rep_specialty": "口腔医学", "legal_rep_position": "院长", "legal_rep_title": "主任医师",
        "legal_rep_education": "口腔医学博士，中华口腔医学会继续教育",
        "registered_capital": "500", "fixed_assets": "860", "approved_on": "2014-03", "opened_on": "2015-06",
        "land_area": "0", "building_area": "1200", "business_area": "980", "property": "租赁",
        "category": "门诊部", "specialty": "口腔专科", "departments": "口腔内科、口腔外科、口腔修复科、口腔正畸科、口腔种植科、儿童口腔科、放射科",
        "services": ["门诊", "体检"], "beds_approved": "0", "beds_open": "0", "dental_chairs": "24",
        "party": "单独建立", "party_members": "6", "union": "单独建立", "nature": "营利性", "investment": "中资",
        "insurance": "是", "rural_insurance": "否", "teaching": "否", "affiliated": "否", "residency_base": "否",
        "specialist_base": "否", "base_name": "无", "civilised": "地市级",
        "honours": "2022 年度市级文明单位；院长当选区人大代表。", "certifications": "ISO 9001 质量管理体系认证（2021 年）",
        "bad_points_0": "0", "bad_points_1": "0", "bad_points_2": "2", "bad_reasons": "2023 年因医疗废物交接登记不全扣 2 分，已整改。",
        "disputes": "2", "accidents": "0", "by_litigation": "0", "by_administration": "0", "by_mediation": "2",
        "incidents": "两起种植修复费用纠纷，均经第三方调解协商解决，已签订调解协议。",
    },
    "staff": {
        "staff_total": "86", "doctors": "28", "pharmacists": "2", "nurses": "34", "technicians": "8",
        "administrators": "9", "logistics": "5", "primary_doctors": "24", "primary_senior": "3",
        "primary_associate": "6", "primary_middle": "9", "primary_junior": "6", "secondary_doctors": "4",
        "secondary_senior": "2", "secondary_associate": "2", "secondary_middle": "0", "secondary_junior": "0",
        "leadership": "院长负责制", "leadership_other": "无",
    },
    "operations": {"national_key": "否", "national_names": "无", "provincial_key": "否", "provincial_count": "0",
                   "provincial_names": "无", "local_key": "是", "local_count": "1", "local_names": "口腔种植科",
                   "radiology": "是", "radiology_equipment": "口腔锥形束 CT、全景机", "ultrasound": "否",
                   "ultrasound_equipment": "无", "laboratory": "全部外包", "lab_own": [],
                   "lab_outsourced": ["临床体液、血液"], "pathology": "全部外包",
                   "quality_control": "参加市口腔医疗质量控制中心年度督查，2023 年评为优秀。"},
    "narratives": {
        "creation": "对照星级标准逐条自查，建立院感、质控、投诉三个专项小组，整改问题 27 项。",
        "rules": "建立医疗质量安全核心制度、院感防控制度等 68 项制度，每年修订一次。",
        "practices": "明码标价、治疗前知情同意、术后随访全覆盖。",
        "highlights": "与高校合作开展口腔健康宣教，年服务社区居民 3000 人次。",
        "problems": "信息化水平有待提高，计划明年上线电子病历系统。",
    },
}
TABLES = {
    "heads": [{"name": "王医生", "gender": "女", "age": "45", "specialty": "口腔修复", "title": "副主任医师", "since": "2016-01"},
              {"name": "李医生", "gender": "男", "age": "39", "specialty": "口腔种植", "title": "主治医师", "since": "2018-07"}],
    "equipment": [{"name": "口腔锥形束 CT", "year": "2019", "quantity": "1", "price": "128", "remark": "放射科"},
                  {"name": "种植机", "year": "2021", "quantity": "2", "price": "36", "remark": "无"}],
}
BY_KIND = {"text": "无", "long": "无", "int": "0", "decimal": "0", "percent": "98", "month": "2018-03",
           "email": "contact@demo-dental.cn", "mobile": "13800000000", "postcode": "100000"}
GRID = {"outpatients": ("31200", "33800", "36500"), "operations": ("820", "910", "1060"),
        "outpatient_cost": ("620", "645", "660"), "revenue": ("1930", "2180", "2410"),
        "expense": ("1610", "1790", "1950")}


def complete_answers(years, *, name="张院长", mobile="13800000000") -> dict:
    """Every section's answers, as the form's pages would post them."""
    data = {}
    for spec in SECTIONS:
        answers = {}
        for f in spec.fields(years):
            answers[f.name] = f.choices[0] if f.kind == "choice" else [] if f.kind == "multi" else BY_KIND[f.kind]
        if spec.grid:
            for row in spec.grid.rows:
                for i, value in enumerate(GRID.get(row.name, ())):
                    answers[spec.grid.field_name(row, i)] = value
        for person in ("investor_rep", "legal_rep", "gm", "president", "medical_head", "nursing_head"):
            if f"{person}_name" in answers:
                answers.update({f"{person}_name": name, f"{person}_gender": "男", f"{person}_age": "48"})
        answers.update(TYPICAL.get(spec.key, {}))
        if spec.key == "cover":
            answers.update(contact=name, contact_mobile=mobile)
        if spec.table:
            answers[spec.table.key] = [dict(row) for row in TABLES[spec.table.key]]
            if spec.table.none_label:
                answers[f"{spec.table.key}_none"] = False
        data[spec.key] = answers
    return data


# --- demo institutions, one in every state of applying for the star programme ----------------

# (state label, province): 广东省 has a provincial association that reviews first.
TARGETS = [
    ("draft", "填报中", "北京市"),
    ("provincial", "省级协会初审中", "广东省"),
    ("submitted", "待受理", "广东省"),
    ("returned", "退回修改", "北京市"),
    ("rejected", "不予受理", "北京市"),
    ("evidence", "材料上传中", "北京市"),
    ("expert_review", "专家评审", "北京市"),
    # Evidence submitted; experts.review.demo takes each on to a step of the on-site review.
    ("expert_review", "抽取专家中", "浙江省"),
    ("expert_review", "待发送现场评价通知", "江苏省"),
    ("expert_review", "现场评价中", "上海市"),
    ("expert_review", "评价报告待签字", "北京市"),
    ("expert_review", "现场评价已结束", "北京市"),
]
# The logins of those five, in that order (experts.review.demo finds them by these).
VISIT_STEP_MOBILES = [f"139000002{n:02d}" for n in range(8, 13)]
ASSOCIATIONS = [("广东省", "广东省非公立医疗机构协会", "020-83330000"),
                ("四川省", "四川省非公立医疗机构协会", "028-86660000")]


def seed(*, office, credit_programme, drive_credit, pdf) -> list[DemoLogin]:
    """Capability applicants (each already holding a published credit grade) in every state."""
    for province, name, contact in ASSOCIATIONS:
        ProvincialAssociation.objects.get_or_create(province=province, defaults={"name": name, "contact": contact})
    logins = []
    for n, (target, label, province) in enumerate(TARGETS, start=1):
        mobile = f"139000002{n:02d}"
        if not Member.objects.filter(user__mobile=mobile).exists():
            with transaction.atomic():
                member = membership_demo._unit(60 + n, mobile, f"演示星级口腔门诊部（{label}）", "会员单位", "钱院长", pdf)
                member.unit.opened_on = dt.date(2015, 6, 1)
                member.unit.save(update_fields=["opened_on"])
                membership_demo._bring_to(member, "active")
                member.refresh_from_db()
                drive_credit(credit_programme, member, "published")
                _drive(member, target, province, office)
        logins.append(DemoLogin(role=f"星级评价·{label}", login=mobile))
    return logins


def _drive(member, target, province, office):
    """Take a new capability application through the real services up to ``target``."""
    programme = Programme.objects.get(kind="capability")
    e = services.evaluation_start(member=member, programme=programme, declarations=programme.declaration_list(),
                                  by=member.user)
    form = ApplicationForm.objects.get(evaluation=e)
    answers = complete_answers(form.years, name="钱院长", mobile=member.user.mobile)
    answers["cover"]["province"] = province
    keys = list(answers)[:2] if target == "draft" else list(answers)
    for key in keys:
        services.application_form_save(evaluation_id=e.pk, section_key=key, answers=answers[key], by=member.user)
    if target == "draft":
        return
    form = services.application_form_render(form_id=form.pk)
    with form.pdf.open("rb") as fh:
        signed = fh.read()  # the demo's "signed and sealed scan" is the rendered form itself
    services.evaluation_upload_document(evaluation_id=e.pk, document_id=programme.documents.get().pk,
                                        file=ContentFile(signed, name="申报表（签字盖章）.pdf"), by=member.user)
    services.evaluation_submit(evaluation_id=e.pk, handler_name="孙经办", handler_mobile=member.user.mobile,
                               by=member.user)
    review = e.provincial_reviews.first()
    if target == "provincial":
        return
    if review:
        services.provincial_review_decide(review_id=review.pk, agreed=True, opinion="经审核，材料属实，同意上报。",
                                          by=office)
    if target == "submitted":
        return
    if target == "returned":
        services.evaluation_return(evaluation_id=e.pk, comment="申报表部分内容需补充，请按分部分意见修改后重新提交。",
                                   by=office, section_comments={"staff": "临床科室负责人请列全各临床科室。",
                                                                "equipment": "请补充设备的出厂年份依据。"})
        return
    if target == "rejected":
        services.evaluation_reject(evaluation_id=e.pk, reason="近三年内有医疗事故记录，不符合第十七条第（三）项。",
                                   by=office)
        services.acceptance_notice_render(evaluation_id=e.pk)
        return
    services.evaluation_accept(evaluation_id=e.pk, by=office)
    services.acceptance_notice_render(evaluation_id=e.pk)
    items = list(items_of(programme))
    chosen = items if target == "expert_review" else items[:10]
    for item in chosen:
        if target == "expert_review" and not item.evidence_required and item.pk % 2:
            continue
        services.evidence_add(evaluation_id=e.pk, criterion_id=item.pk, caption=f"{item.code} 佐证材料",
                              file=ContentFile(signed, name=f"{item.code}.pdf"), by=member.user)
    if target == "expert_review":
        services.evaluation_submit_evidence(evaluation_id=e.pk, by=member.user)

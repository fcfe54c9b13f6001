"""Demo checks on published star results (004 §21-22): the five-star institution passed an
unannounced spot check; the four-star one was asked to rectify and has not reported yet; the
three-star one has sent its written report, which waits for the office's acceptance."""
import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from core.pdf import render_pdf

from . import services
from .models import SpotCheck


def seed(office, cases) -> None:
    five, four, three = cases
    today = timezone.localdate()
    services.spot_check_record(
        evaluation_id=five.pk, kind=SpotCheck.Kind.SPOT, checked_on=today, outcome=SpotCheck.Outcome.MEETS,
        findings="抽查门诊病历 30 份、感染控制记录一个季度，均符合要求。", by=office)
    services.spot_check_record(
        evaluation_id=four.pk, kind=SpotCheck.Kind.FOCUS, checked_on=today, outcome=SpotCheck.Outcome.RECTIFY,
        findings="根据患者投诉开展重点考核：预约系统高峰时段候诊超过 60 分钟，投诉回复超过规定时限。",
        requirements="一、优化预约排班，高峰时段候诊不超过 30 分钟；二、投诉 5 个工作日内书面答复并建立台账。",
        due_on=today + dt.timedelta(days=30), by=office)
    check = services.spot_check_record(
        evaluation_id=three.pk, kind=SpotCheck.Kind.SPOT, checked_on=today, outcome=SpotCheck.Outcome.RECTIFY,
        findings="抽查发现部分口腔器械灭菌监测记录不完整。",
        requirements="补全灭菌监测记录，完善器械追溯制度并开展全员培训。", due_on=today + dt.timedelta(days=20),
        by=office)
    report = render_pdf("pdf/notice.html", {"title": "整改情况报告（演示）", "date": today, "paragraphs": [
        "已补全近三个月灭菌监测记录，修订《口腔器械消毒灭菌管理制度》，并于本周完成全员培训。"]})
    services.rectification_report_submit(
        spot_check_id=check.pk, text="已补全灭菌监测记录，修订器械追溯制度，完成全员培训（附培训签到表）。",
        file=ContentFile(report, name="整改情况报告.pdf"), by=three.member.user)

"""The leading group's meetings typed in before the portal held meetings (evaluation's
CommitteeMeeting: a date, attendee names as text, a decision, notes) become closed meetings of
the leading group, one item each, with the names kept as typed and minutes made from them."""
import datetime as dt
import hashlib
import zoneinfo

from django.conf import settings
from django.db import migrations


def move(apps, schema_editor):
    Old = apps.get_model("evaluation", "CommitteeMeeting")
    Committee = apps.get_model("experts", "Committee")
    Meeting = apps.get_model("experts", "Meeting")
    AgendaItem = apps.get_model("experts", "AgendaItem")
    old = list(Old.objects.select_related("evaluation__member").order_by("held_on", "pk"))
    if not old:
        return
    committee = Committee.objects.filter(kind="leading_group").first() or Committee.objects.create(
        kind="leading_group", name="评价领导小组", state="forming", term_start=old[0].held_on,
        term_end=old[0].held_on.replace(year=old[0].held_on.year + 5))
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    decisions = {"approve": "同意评价结果，进入公示", "send_back": "退回重新评价"}
    for record in old:
        names = [line.strip() for line in record.attendees.splitlines() if line.strip()]
        minutes = "\n".join([
            f"{committee.name}会议纪要（系统上线前的会议，据原文字记录迁移）", "",
            f"会议日期：{record.held_on:%Y年%m月%d日}", f"出席委员（原记录）：{'、'.join(names)}", "",
            f"议题1：{record.evaluation.member.name}", f"  决定：{decisions.get(record.decision, record.decision)}",
            f"  会议记录：{record.minutes or '无'}"])
        meeting = Meeting.objects.create(
            committee=committee, state="closed", held_at=dt.datetime.combine(record.held_on, dt.time(9), zone),
            online=False, place="系统上线前召开（文字记录迁移）", convened_by_id=record.recorded_by_id,
            recorded_attendees=record.attendees, closed_at=dt.datetime.combine(record.held_on, dt.time(12), zone),
            minutes=minutes, minutes_hash=hashlib.sha256(minutes.encode()).hexdigest())
        AgendaItem.objects.create(meeting=meeting, evaluation_id=record.evaluation_id, position=1,
                                  outcome=record.decision, eligible=len(set(names)),
                                  record=f"原文字记录：{record.minutes}"[:2000])


class Migration(migrations.Migration):
    dependencies = [("experts", "0006_meetings"), ("evaluation", "0018_capability_open")]
    operations = [migrations.RunPython(move, migrations.RunPython.noop)]

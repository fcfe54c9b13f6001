"""Committee meetings: agendas, attendance, recusals, secret ballots with receipts, minutes
signed by the chair and the secretary, the leading group's written decisions; a group report
sent back by the committee keeps its signed versions."""

import core.uploads
import django.db.models.deletion
import django_fsm
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0018_capability_open'),
        ('experts', '0005_committees'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='groupreport',
            name='history',
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name='此前签署的版本'),
        ),
        migrations.CreateModel(
            name='AgendaItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='序号')),
                ('suggestion', models.CharField(blank=True, max_length=20, verbose_name='建议结论')),
                ('outcome', models.CharField(blank=True, max_length=20, verbose_name='决定')),
                ('tally', models.JSONField(blank=True, default=dict, verbose_name='计票')),
                ('eligible', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='有表决权人数')),
                ('record', models.TextField(blank=True, verbose_name='决定说明')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agenda_items', to='evaluation.evaluation', verbose_name='审议事项')),
            ],
            options={
                'verbose_name': '议题',
                'verbose_name_plural': '议题',
                'ordering': ['meeting', 'position'],
            },
        ),
        migrations.CreateModel(
            name='Ballot',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('choice', models.CharField(max_length=20)),
                ('receipt_digest', models.CharField(max_length=64, unique=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ballots', to='experts.agendaitem')),
            ],
        ),
        migrations.CreateModel(
            name='Meeting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', django_fsm.FSMField(choices=[('convened', '已通知'), ('voting', '投票中'), ('closed', '已计票'), ('cancelled', '已取消')], default='convened', max_length=10, protected=True, verbose_name='状态')),
                ('held_at', models.DateTimeField(verbose_name='会议时间')),
                ('online', models.BooleanField(default=True, verbose_name='线上会议')),
                ('place', models.CharField(max_length=200, verbose_name='会议地点/线上会议室')),
                ('note', models.TextField(blank=True, verbose_name='会议说明')),
                ('convened_at', models.DateTimeField(auto_now_add=True, verbose_name='通知时间')),
                ('voting_opened_at', models.DateTimeField(blank=True, null=True, verbose_name='开始投票')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='计票时间')),
                ('cancel_reason', models.TextField(blank=True, verbose_name='取消原因')),
                ('recorded_attendees', models.TextField(blank=True, editable=False, verbose_name='出席委员（系统上线前的文字记录）')),
                ('minutes', models.TextField(blank=True, verbose_name='会议纪要')),
                ('minutes_hash', models.CharField(blank=True, editable=False, max_length=64, verbose_name='纪要摘要（SHA-256）')),
                ('minutes_pdf', models.FileField(blank=True, upload_to=core.uploads.RandomUploadPath('experts/minutes'), verbose_name='会议纪要 PDF')),
                ('committee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='experts.committee', verbose_name='委员会')),
                ('convened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='召集人')),
            ],
            options={
                'verbose_name': '评审会议',
                'verbose_name_plural': '评审会议',
                'ordering': ['-held_at', '-id'],
                'permissions': [('run_meeting', '可召集和主持评审会议')],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='meeting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='experts.meeting', verbose_name='会议'),
        ),
        migrations.CreateModel(
            name='MinutesRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('previous_text', models.TextField(verbose_name='修改前纪要')),
                ('previous_hash', models.CharField(max_length=64, verbose_name='修改前摘要')),
                ('previous_pdf', models.CharField(blank=True, max_length=200, verbose_name='修改前 PDF')),
                ('reason', models.CharField(max_length=300, verbose_name='修改原因')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='修改时间')),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='revisions', to='experts.meeting')),
            ],
            options={
                'verbose_name': '纪要修改记录',
                'verbose_name_plural': '纪要修改记录',
                'ordering': ['at'],
            },
        ),
        migrations.CreateModel(
            name='MinutesSignature',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('chair', '主任/组长'), ('secretary', '秘书'), ('member', '委员')], max_length=10, verbose_name='职务')),
                ('content_hash', models.CharField(max_length=64, verbose_name='所签纪要摘要')),
                ('signed_at', models.DateTimeField(auto_now_add=True, verbose_name='签字时间')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='experts.meeting')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='experts.committeemember', verbose_name='签字人')),
            ],
            options={
                'verbose_name': '纪要签字',
                'verbose_name_plural': '纪要签字',
            },
        ),
        migrations.CreateModel(
            name='Recusal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(max_length=300, verbose_name='回避原因')),
                ('declared', models.BooleanField(default=False, verbose_name='本人申报')),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recusals', to='experts.agendaitem')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recusals', to='experts.committeemember', verbose_name='委员')),
            ],
            options={
                'verbose_name': '回避',
                'verbose_name_plural': '回避',
            },
        ),
        migrations.CreateModel(
            name='WrittenDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(max_length=20, verbose_name='决定')),
                ('reason', models.TextField(verbose_name='理由')),
                ('document', models.FileField(blank=True, upload_to=core.uploads.RandomUploadPath('experts/written-decisions'), verbose_name='书面决定文件')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='记录时间')),
                ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='written_decisions', to='evaluation.evaluation', verbose_name='评价')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='记录人')),
            ],
            options={
                'verbose_name': '领导小组书面决定',
                'verbose_name_plural': '领导小组书面决定',
            },
        ),
        migrations.CreateModel(
            name='BallotCast',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='voters', to='experts.agendaitem')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='experts.committeemember')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('item', 'member'), name='experts_one_vote_per_member')],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('present', models.BooleanField(verbose_name='出席')),
                ('recorded_at', models.DateTimeField(auto_now=True)),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='experts.committeemember', verbose_name='委员')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance', to='experts.meeting')),
            ],
            options={
                'verbose_name': '出席记录',
                'verbose_name_plural': '出席记录',
                'constraints': [models.UniqueConstraint(fields=('meeting', 'member'), name='experts_attendance_once')],
            },
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.UniqueConstraint(fields=('meeting', 'evaluation'), name='experts_agenda_once'),
        ),
        migrations.AddConstraint(
            model_name='minutessignature',
            constraint=models.UniqueConstraint(fields=('meeting', 'member', 'content_hash'), name='experts_sign_minutes_once'),
        ),
        migrations.AddConstraint(
            model_name='recusal',
            constraint=models.UniqueConstraint(fields=('item', 'member'), name='experts_recusal_once'),
        ),
    ]

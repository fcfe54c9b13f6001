"""The committee meetings moved to the experts app (experts 0007 copied them); 未获星级 ends a
star evaluation without a star level."""

import django_fsm
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0018_capability_open'),
        ('membership', '0002_export_permission'),
        ('experts', '0007_credit_meetings_moved'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='committeemeeting',
            name='evaluation',
        ),
        migrations.RemoveField(
            model_name='committeemeeting',
            name='recorded_by',
        ),
        migrations.RemoveConstraint(
            model_name='evaluation',
            name='evaluation_one_open_per_programme',
        ),
        migrations.AlterField(
            model_name='evaluation',
            name='state',
            field=django_fsm.FSMField(choices=[('draft', '填报中'), ('submitted', '待受理'), ('returned', '退回修改'), ('rejected', '不予受理'), ('awaiting_payment', '待缴费'), ('self_assessment', '自评中'), ('under_review', '评价中'), ('supplement', '补充材料'), ('evidence', '材料上传中'), ('expert_review', '专家评审'), ('on_site', '现场评审'), ('initial_result', '初评结果'), ('appealed', '复议中'), ('committee', '评审委员会审议'), ('public_notice', '公示中'), ('published', '已发布'), ('expired', '已过期'), ('revoked', '已撤销'), ('unrated', '未获星级')], default='draft', max_length=20, protected=True, verbose_name='状态'),
        ),
        migrations.AddConstraint(
            model_name='evaluation',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['rejected', 'published', 'expired', 'revoked', 'unrated']), _negated=True), fields=('member', 'programme'), name='evaluation_one_open_per_programme'),
        ),
        migrations.DeleteModel(
            name='CommitteeMeeting',
        ),
    ]

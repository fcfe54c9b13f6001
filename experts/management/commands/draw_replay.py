"""Recompute a visit's expert draw from its stored pool, revealed seed and witness's value, and
say whether it matches the record (pool digest, with the earlier draws in it, seed commitment,
group and reserves). Exit status 1 if not."""
from django.core.management.base import BaseCommand, CommandError

from experts.exceptions import ExpertsError
from experts.models import Visit
from experts.review.draw import digest
from experts.review.services import draw_replay


class Command(BaseCommand):
    help = "复核现场评价专家抽取：由冻结的候选池和公开的随机种子重新计算，并与记录比对。"

    def add_arguments(self, parser):
        parser.add_argument("visit_id", type=int)

    def handle(self, *args, visit_id, **options):
        visit = Visit.objects.filter(pk=visit_id).first()
        if visit is None:
            raise CommandError(f"没有编号为 {visit_id} 的现场评价。")
        try:
            replay = draw_replay(visit)
        except ExpertsError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"候选池摘要  记录 {visit.pool_digest}\n            重算 {digest(visit.pool_snapshot)}")
        self.stdout.write(f"种子承诺    {'一致' if replay.commitment_matches else '不一致'}（种子 {visit.seed}）")
        self.stdout.write(f"监督人      {visit.witness_name or '—'}（随机数 {visit.witness_value or '—'}）")
        self.stdout.write(f"此前抽取    {len(visit.pool_snapshot.get('earlier_draws', []))} 次（随候选池摘要复核）")
        self.stdout.write(f"专家组      {replay.recomputed['group']}")
        self.stdout.write(f"候补顺位    {replay.recomputed['reserves']}")
        if not replay.matches:
            self.stderr.write("复核结果：不一致")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("复核结果：一致"))

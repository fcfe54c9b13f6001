"""The experts app's demo, concern by concern: the pool, the committees' bodies, the on-site
reviews, then the committee meetings that decide the reviewed cases."""
from django.contrib.auth import get_user_model

from core.demo import DemoLogin
from experts.committees import demo as committees_demo
from experts.pool import demo as pool_demo
from experts.review import demo as review_demo


def seed() -> list[DemoLogin]:
    office = get_user_model().objects.filter(groups__name="评价办公室").first()
    logins = pool_demo.seed(office)
    committees_demo.seed_bodies(office)
    logins += review_demo.seed(office)
    return logins + committees_demo.seed_meetings(office)

import datetime as dt

import factory
from django.utils import timezone

from portal.models import Article, Column


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"column-{n}")
    position = factory.Sequence(lambda n: n)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    column = factory.SubFactory(ColumnFactory)
    title = factory.Sequence(lambda n: f"文章标题{n}")
    summary = "摘要"
    body = "<p>正文内容</p>"
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))

"""The public site's content, managed by site editors in the admin."""
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from solo.models import SingletonModel

from core.uploads import RandomUploadPath, UploadValidator

from .sanitize import BODY_EXTENSIONS, sanitize_body
from .search import index_text

image_validator = UploadValidator(kinds=("jpeg", "png"), max_bytes=5 * 1024 * 1024)
attachment_validator = UploadValidator(kinds=("pdf", "docx", "xlsx", "jpeg", "png"), max_bytes=30 * 1024 * 1024)


def article_url(pk: int) -> str:
    """An article's public address (a search hit has the id without the model)."""
    return reverse("portal:article", args=[pk])


class SiteSettings(SingletonModel):
    association_name = models.CharField("协会名称", max_length=100, default="中国非公立医疗机构协会口腔分会")
    introduction = ProseEditorField("分会介绍", extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    hotline = models.CharField("服务热线", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    email = models.EmailField("联系邮箱", blank=True)
    icp_number = models.CharField("ICP 备案号", max_length=50, blank=True)

    class Meta:
        verbose_name = "站点设置"

    def __str__(self):
        return "站点设置"

    def save(self, *args, **kwargs):
        self.introduction = sanitize_body(self.introduction)
        super().save(*args, **kwargs)


class Column(models.Model):
    class Kind(models.TextChoices):
        ARTICLES = "articles", "文章列表"
        DOCUMENTS = "documents", "文件下载（如团体标准）"

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="上级栏目")
    name = models.CharField("栏目名称", max_length=50)
    slug = models.SlugField("网址标识", max_length=50, unique=True, help_text="用于栏目网址，只能使用小写英文字母、数字和短横线。")
    kind = models.CharField("栏目类型", max_length=10, choices=Kind.choices, default=Kind.ARTICLES)
    description = models.CharField("栏目说明", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0, help_text="数字小的在前。")
    show_in_nav = models.BooleanField("在导航中显示", default=True,
                                      help_text="未设置导航菜单时在顶部导航显示；子栏目在上级栏目页的侧栏显示。")
    show_on_home = models.BooleanField("在首页显示最新文章", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name

    def get_absolute_url(self):
        return reverse("portal:column", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="articles", verbose_name="栏目")
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = ProseEditorField("正文", extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    cover = models.FileField("封面图", upload_to=RandomUploadPath("portal/covers"), blank=True,
                             validators=[image_validator])
    author = models.CharField("作者/来源", max_length=100, blank=True)
    publish_at = models.DateTimeField("发布时间", default=timezone.now, db_index=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    pinned = models.BooleanField("置顶（首页轮播）", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    search_text = models.TextField(default="", editable=False)  # see portal.search

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["-pinned", "-publish_at", "-id"]
        indexes = [
            models.Index(fields=["column", "status", "-publish_at"]),
            models.Index(fields=["status", "pinned", "-publish_at"]),
            # The site search walks the newest published articles in exactly this order (portal.search).
            models.Index(fields=["-pinned", "-publish_at", "-id"], condition=models.Q(status="published"),
                         name="portal_article_newest"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Sanitised here too, not only in the admin form: every way in is cleaned.
        self.body = sanitize_body(self.body)
        self.search_text = index_text(title=self.title, summary=self.summary, body_html=self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return article_url(self.pk)

    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    def can_view_file(self, user, field_name) -> bool:
        return self.is_public() or user.has_perm("portal.view_article")

    def download_name(self, field_name) -> str:
        return f"封面{self.pk}"


class ArticleAttachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("附件名称", max_length=200)
    file = models.FileField("文件", upload_to=RandomUploadPath("portal/attachments"), validators=[attachment_validator])
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def can_view_file(self, user, field_name) -> bool:
        return self.article.can_view_file(user, field_name)

    def download_name(self, field_name) -> str:
        extension = self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else ""
        return self.name if self.name.lower().endswith(f".{extension}") else f"{self.name}.{extension}"


class MenuItem(models.Model):
    class Page(models.TextChoices):
        HOME = "portal:home", "首页"
        JOIN = "membership:join", "入会申请"
        CENTRE = "membership:centre", "会员中心"
        CERTIFICATE = "membership:certificate_check", "证书查询"
        SEARCH = "portal:search", "站内搜索"
        EVALUATION = "evaluation:index", "国家行业评价"
        NOTICES = "evaluation:notices", "评价结果公示"
        REGISTRY = "evaluation:registry", "评价结果查询"
        WORKBENCH = "experts:workbench", "专家工作台"
        EDUCATION = "education:projects", "学分继教"
        PURCHASING = "purchasing:rounds", "医药产品团购"

    title = models.CharField("菜单名称", max_length=30)
    position = models.PositiveSmallIntegerField("排序", default=0)
    column = models.ForeignKey(Column, null=True, blank=True, on_delete=models.CASCADE, verbose_name="链接到栏目")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, verbose_name="链接到文章")
    page = models.CharField("链接到门户页面", max_length=50, choices=Page.choices, blank=True)
    url = models.URLField("外部链接", blank=True)
    is_active = models.BooleanField("显示", default=True)

    class Meta:
        verbose_name = "导航菜单"
        verbose_name_plural = "导航菜单"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                name="portal_menu_exactly_one_target",
                condition=(
                    models.Q(column__isnull=False, article__isnull=True, page="", url="")
                    | models.Q(column__isnull=True, article__isnull=False, page="", url="")
                    | (models.Q(column__isnull=True, article__isnull=True, url="") & ~models.Q(page=""))
                    | (models.Q(column__isnull=True, article__isnull=True, page="") & ~models.Q(url=""))
                ),
                violation_error_message="请只选择一个链接目标：栏目、文章、门户页面或外部链接。",
            )
        ]

    def __str__(self):
        return self.title

    def get_url(self) -> str:
        if self.column_id:
            return reverse("portal:column", args=[self.column.slug])
        if self.article_id:
            return reverse("portal:article", args=[self.article_id])
        if self.page:
            return reverse(self.page)
        return self.url

    @property
    def is_external(self) -> bool:
        return bool(self.url)


class FriendlyLink(models.Model):
    name = models.CharField("名称", max_length=50)
    url = models.URLField("网址")
    logo = models.FileField("标志", upload_to=RandomUploadPath("portal/links"), blank=True, validators=[image_validator])
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "友情链接"
        verbose_name_plural = "友情链接"
        ordering = ["position", "id"]

    def __str__(self):
        return self.name

    def can_view_file(self, user, field_name) -> bool:
        return True

    def download_name(self, field_name) -> str:
        return self.name

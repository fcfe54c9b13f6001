import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.downloads import file_url
from portal.models import Article, ArticleAttachment, Column, MenuItem
from tests.accounts.factories import UserFactory
from tests.core.files import pdf_bytes, upload
from tests.payments.helpers import login
from tests.portal.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db


def editor():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="网站编辑"))
    return user


def test_home_page_is_cached_for_visitors_and_an_editors_change_shows_at_once(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(title="旧标题")
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss" and "旧标题" in first.content.decode()
    assert client.get("/")["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "新标题"
        article.save()
    fresh = client.get("/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "新标题" in fresh.content.decode() and "旧标题" not in fresh.content.decode()


def test_an_edit_through_the_admin_invalidates_the_cache(client, django_capture_on_commit_callbacks):
    article = ArticleFactory(title="旧标题")
    assert "旧标题" in client.get(article.get_absolute_url()).content.decode()
    staff_client = client_class_login(editor())
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:portal_article_change", args=[article.pk]), {
            "column": article.column_id, "title": "编辑后的标题", "summary": "", "body": "<p>新正文</p>",
            "author": "", "publish_at_0": timezone.localtime().strftime("%Y-%m-%d"), "publish_at_1": "00:00:00",
            "status": "published", "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
        })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "编辑后的标题" in client.get(article.get_absolute_url()).content.decode()


def client_class_login(user):
    from django.test import Client

    other = Client()
    login(other, user)
    return other


def test_signed_in_visitors_are_never_served_a_cached_page(client, user):
    ArticleFactory()
    client.get("/")
    login(client, user)
    response = client.get("/")
    assert "X-Page-Cache" not in response and user.name in response.content.decode()


@pytest.mark.parametrize("html", [
    '<p>正文<script>alert("x")</script></p>',
    '<p onclick="alert(1)">正文</p>',
    '<p>正文<img src="x" onerror="alert(1)"></p>',
    '<p>正文<a href="javascript:alert(1)">链接</a></p>',
    '<p style="position:fixed">正文</p><iframe src="https://evil.example"></iframe>',
])
def test_scripts_and_event_handlers_do_not_survive_saving(html):
    article = ArticleFactory(body=html)
    article.refresh_from_db()
    body = article.body.lower()
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<img", "style="):
        assert bad not in body
    assert "正文" in article.body


def test_the_admin_form_sanitises_too(client):
    column = ColumnFactory()
    staff_client = client_class_login(editor())
    staff_client.post(reverse("admin:portal_article_add"), {
        "column": column.pk, "title": "带脚本的文章", "summary": "", "body": '<p onmouseover="x()">安全</p><script>x()</script>',
        "author": "", "publish_at_0": "2026-01-01", "publish_at_1": "00:00:00", "status": "published",
        "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
    })
    assert Article.objects.get(title="带脚本的文章").body == "<p>安全</p>"


def test_unpublished_articles_are_invisible_to_the_public_but_editors_preview_them(client):
    column = ColumnFactory(slug="news")
    draft = ArticleFactory(column=column, title="草稿文章", status=Article.Status.DRAFT)
    scheduled = ArticleFactory(column=column, title="定时文章", publish_at=timezone.now() + dt.timedelta(days=1))
    ArticleFactory(column=column, title="已发布文章")
    for url in ("/", column.get_absolute_url(), reverse("portal:search") + "?q=文章"):
        html = client.get(url).content.decode()
        assert "已发布文章" in html and "草稿文章" not in html and "定时文章" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url() + "?preview=1").status_code == 404

    staff_client = client_class_login(editor())
    preview = staff_client.get(draft.get_absolute_url() + "?preview=1")
    assert preview.status_code == 200 and "尚未发布" in preview.content.decode()


def test_attachments_of_published_articles_are_public_and_of_drafts_are_not(client):
    published = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    files = []
    for article in (published, draft):
        attachment = ArticleAttachment(article=article, name="标准文本")
        attachment.file.save("x.pdf", upload("x.pdf", pdf_bytes()), save=False)
        attachment.save()
        files.append(attachment)
    response = client.get(file_url(files[0], "file"))
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=3600"
    assert "filename*=utf-8''%E6%A0%87%E5%87%86%E6%96%87%E6%9C%AC.pdf" in response["Content-Disposition"]
    assert client.get(file_url(files[1], "file")).status_code == 302  # to the login page


def test_menus_and_columns_appear_in_the_order_editors_set(client):
    news = ColumnFactory(name="新闻动态", slug="news", position=2)
    notices = ColumnFactory(name="通知公告", slug="notices", position=1)
    ArticleFactory(column=news)
    ArticleFactory(column=notices)
    MenuItem.objects.create(title="菜单乙", position=2, column=news)
    MenuItem.objects.create(title="菜单甲", position=1, page=MenuItem.Page.JOIN)
    MenuItem.objects.create(title="菜单丙", position=3, url="https://www.nhc.gov.cn/")
    html = client.get("/").content.decode()
    assert html.index("菜单甲") < html.index("菜单乙") < html.index("菜单丙")
    assert html.index(">通知公告<") < html.index(">新闻动态<")
    assert 'href="/join/"' in html and 'target="_blank" rel="noopener">菜单丙' in html


def test_a_menu_item_needs_exactly_one_target():
    from django.core.exceptions import ValidationError

    item = MenuItem(title="两个目标", page=MenuItem.Page.HOME, url="https://example.cn/")
    with pytest.raises(ValidationError):
        item.full_clean()


def test_group_standards_column_lists_downloadable_documents(client):
    standards = ColumnFactory(name="团体标准", slug="standards", kind=Column.Kind.DOCUMENTS)
    article = ArticleFactory(column=standards, title="T/CNMIA 0012-2024 口腔诊所感染防控规范")
    attachment = ArticleAttachment(article=article, name="标准全文.pdf")
    attachment.file.save("s.pdf", upload("s.pdf", pdf_bytes()), save=False)
    attachment.save()
    html = client.get(standards.get_absolute_url()).content.decode()
    assert "下载：标准全文.pdf" in html and file_url(attachment, "file") in html


def test_search_finds_published_articles_by_words(client):
    found = ArticleFactory(title="口腔种植规范化研讨会", summary="种植专家共识")
    ArticleFactory(title="爱牙日活动")
    html = client.get(reverse("portal:search") + "?q=种植 规范").content.decode()
    assert "口腔种植规范化研讨会" in html and "爱牙日活动" not in html and "共找到 1 篇" in html
    # Each hit links to its article and names its column, date and summary.
    assert f'href="{found.get_absolute_url()}"' in html and "种植专家共识" in html
    assert f"{found.column.name} · {timezone.localtime(found.publish_at):%Y-%m-%d}" in html


def _queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_page_queries_do_not_grow_with_articles_or_columns(client, django_assert_max_num_queries):
    columns = [ColumnFactory(slug=f"c{i}") for i in range(3)]
    first = ArticleFactory(column=columns[0])
    for i in range(9):
        ArticleFactory(column=columns[i % 3])
    urls = ["/", columns[0].get_absolute_url(), first.get_absolute_url(), reverse("portal:search") + "?q=文章"]
    small = [_queries(client, url, django_assert_max_num_queries) for url in urls]

    more_columns = [ColumnFactory(slug=f"d{i}") for i in range(7)]
    now = timezone.now()
    Article.objects.bulk_create(
        Article(column=(columns + more_columns)[i % 10], title=f"批量文章{i}", body="<p>正文</p>",
                status=Article.Status.PUBLISHED, publish_at=now - dt.timedelta(minutes=i + 5))
        for i in range(990)
    )
    assert Article.objects.count() == 1000
    large = [_queries(client, url, django_assert_max_num_queries) for url in urls]
    assert large == small
    assert max(small) <= 8


def test_livez_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/livez").content == b"ok"


def test_site_editor_can_manage_content_but_not_members(client):
    staff_client = client_class_login(editor())
    assert staff_client.get(reverse("admin:portal_article_add")).status_code == 200
    assert staff_client.get(reverse("admin:portal_sitesettings_change")).status_code == 200
    assert staff_client.get(reverse("admin:membership_member_changelist")).status_code == 403


def test_the_admin_editor_page_allows_its_import_map_by_hash(client):
    staff_client = client_class_login(editor())
    response = staff_client.get(reverse("admin:portal_article_add"))
    html = response.content.decode()
    assert '<script type="importmap"' in html
    assert "'sha256-" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_search_finds_words_in_the_body_and_single_characters(client):
    ArticleFactory(title="年会通知", body="<p>本次会议邀请<strong>种植</strong>专家作报告</p>")
    ArticleFactory(title="爱牙日活动", body="<p>科普宣传</p>")
    html = client.get(reverse("portal:search") + "?q=种植专家").content.decode()
    assert "年会通知" in html and "爱牙日活动" not in html
    html = client.get(reverse("portal:search") + "?q=牙").content.decode()
    assert "爱牙日活动" in html
    assert "共找到 0 篇" in client.get(reverse("portal:search") + "?q=正畸").content.decode()


def test_search_pieces_are_bigrams_and_words():
    from portal.search import pieces

    assert pieces("口腔种植 T/CNMIA 0012") == ["口腔", "腔种", "种植", "t", "cnmia", "0012"]
    assert pieces("牙") == ["牙"]


def test_without_menus_the_navigation_shows_columns_marked_for_it(client):
    ColumnFactory(name="新闻动态", slug="news", show_in_nav=True)
    ColumnFactory(name="内部栏目", slug="internal", show_in_nav=False)
    nav = client.get("/").content.decode().split('id="mainNav"')[1].split("</nav>")[0]
    assert "新闻动态" in nav and "内部栏目" not in nav


def test_a_column_page_lists_its_sub_columns_marked_for_navigation(client):
    parent = ColumnFactory(name="行业评价", slug="evaluation")
    ColumnFactory(name="信用评价", slug="credit", parent=parent)
    ColumnFactory(name="隐藏子栏目", slug="hidden", parent=parent, show_in_nav=False)
    html = client.get(parent.get_absolute_url()).content.decode()
    assert "信用评价" in html and "隐藏子栏目" not in html


def test_the_navigation_follows_the_role(client):
    from experts.models import Evaluator
    from membership.models import Member
    from portal.models import MenuItem
    from tests.membership.factories import UnitMemberFactory

    for position, (page, title) in enumerate([("membership:join", "入会申请"), ("membership:centre", "会员中心"),
                                              ("experts:workbench", "专家工作台")]):
        MenuItem.objects.create(title=title, page=page, position=position)

    def nav(user=None):
        client.logout()
        if user:
            client.force_login(user)
        html = client.get("/evaluation/notices/").content.decode()
        return html.split('id="mainNav"')[1].split("</nav>")[0]

    visitor = nav()
    assert "入会申请" in visitor and "会员中心" in visitor and "专家工作台" in visitor
    member = nav(UnitMemberFactory(state=Member.State.ACTIVE).user)
    assert "入会申请" not in member and "会员中心" in member and "专家工作台" not in member
    evaluator = Evaluator.objects.create(user=UserFactory(), name="评价员", organisation="信评公司")
    expert = nav(evaluator.user)
    assert "入会申请" not in expert and "会员中心" not in expert and "专家工作台" in expert


def test_a_visitors_search_is_kept_until_an_editor_saves(client, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(title="口腔种植规范化研讨会")
    url = reverse("portal:search") + "?q=种植"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert "口腔种植规范化研讨会" in client.get(url).content.decode()
    assert len(captured) == 0
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="种植牙收费公示")
    assert "种植牙收费公示" in client.get(url).content.decode()


def test_a_visitors_layout_is_rendered_once_and_follows_an_editors_menu_change(client, settings,
                                                                             django_capture_on_commit_callbacks):
    """The header a visitor sees is kept per process (core visitor_part) by content version,
    address and template: built pages reuse it, and an editor's change shows at once."""
    from core.templatetags import visitor_parts

    settings.VISITOR_PAGE_CACHE = False  # every page built, as a search nobody asked before is
    visitor_parts._kept.clear()
    news = ColumnFactory(name="新闻")
    with django_capture_on_commit_callbacks(execute=True):
        MenuItem.objects.create(title="菜单甲", position=1, column=news)
    assert "菜单甲" in client.get("/search/", {"q": "会"}).content.decode()
    kept = len(visitor_parts._kept)
    assert kept == 2  # the header and the footer of the search page
    client.get("/search/", {"q": "口腔"})
    assert len(visitor_parts._kept) == kept  # another search, the same layout
    with django_capture_on_commit_callbacks(execute=True):
        MenuItem.objects.create(title="菜单乙", position=2, column=news)
    assert "菜单乙" in client.get("/search/", {"q": "会"}).content.decode()
    member = UserFactory(name="王医生")
    client.force_login(member)
    page = client.get("/search/", {"q": "会"}).content.decode()
    assert "王医生" in page and "登录</a>" not in page  # a signed-in header is never a visitor's

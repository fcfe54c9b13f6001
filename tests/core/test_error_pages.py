"""Error pages are Chinese and in the site's layout; a NUL byte is a 400, never a 500."""
import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_chinese_404_in_the_layout(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html and "site-header" in html


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "服务暂时不可用" in html and "site-header" in html


@pytest.mark.parametrize("url", ["/certificates/check/?no=AB%00C", "/evaluation/registry/?q=%00", "/evaluation/registry/?no=X%00",
                                 "/search/?q=a%00b"])
def test_a_nul_byte_in_a_query_is_refused_with_400(url):
    response = Client().get(url)
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()


def test_a_nul_byte_in_a_posted_field_is_refused_with_400(client):
    response = client.post("/accounts/login/", {"login": "138\x00", "password": "x"})
    assert response.status_code == 400

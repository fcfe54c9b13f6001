"""PeekPage: a page of a large result in one query, without counting the result."""
import pytest

from core.models import Message
from core.paging import MAX_PAGE, PeekPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(user):
    Message.objects.bulk_create(Message(recipient=user, subject=f"消息 {n}", body="") for n in range(25))
    return Message.objects.filter(recipient=user).order_by("pk")


def test_a_page_costs_one_query_and_knows_only_whether_another_follows(messages, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = PeekPage(messages, "1", 10)
    assert [m.subject for m in first] == [f"消息 {n}" for n in range(10)]
    assert first.has_next() and not first.has_previous() and first.total is None
    last = PeekPage(messages, 3, 10)
    assert len(last.object_list) == 5 and not last.has_next() and last.has_previous()
    assert last.total == 25 and last.previous_page_number() == 2


@pytest.mark.parametrize("asked, number", [("abc", 1), ("-5", 1), ("0", 1), (None, 1), ("99999999", MAX_PAGE)])
def test_a_crafted_page_number_is_brought_into_range(messages, asked, number):
    page = PeekPage(messages, asked, 10)
    assert page.number == number
    assert not (number == MAX_PAGE and page.has_next())


def test_a_values_page_builds_its_shown_rows_as_the_row_type(messages):
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Row:
        subject: str

    page = PeekPage(messages.values("subject"), 3, 10, row_type=Row)
    assert page.object_list == [Row(f"消息 {n}") for n in range(20, 25)] and page.total == 25

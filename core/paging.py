"""Paging a large result without counting it.

Django's Paginator counts every matching row to know how many pages there are; over tens of
thousands of search hits that count costs more than the page itself. A PeekPage reads one row
more than it shows: that row says whether another page follows. It answers the same
questions the pagination template asks of a Django Page, except the page count.
"""
MAX_PAGE = 500  # deeper than anyone reads; bounds the OFFSET a crafted link can ask for


class PeekPage:
    paginator = None  # no page count: the template shows "第 N 页"

    def __init__(self, queryset, number, per_page: int, *, row_type=None):
        """``row_type``, for a ``values()`` queryset: each shown row becomes ``row_type(**values)``."""
        self.number = _page_number(number)
        start = (self.number - 1) * per_page
        rows = list(queryset[start:start + per_page + 1])
        self.object_list = [row_type(**row) for row in rows[:per_page]] if row_type else rows[:per_page]
        self._has_next = len(rows) > per_page and self.number < MAX_PAGE
        # Exact when this is the last page (the only case where it is cheap to know).
        self.total = None if self._has_next else start + len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)

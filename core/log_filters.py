"""Log filters."""
import logging


class RefusalsInOneLine(logging.Filter):
    """Drop the traceback of a request that was refused (4xx: permission denied, not found,
    bad request): Django logs those with the exception attached, which prints dozens of lines
    for what is one ordinary event. A 5xx keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.exc_info and status is not None and 400 <= status < 500:
            record.exc_info, record.exc_text = None, None
        return True

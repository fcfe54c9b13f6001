from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.exceptions import SessionInterrupted
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from . import notifications, selectors
from .models import Message


@login_required
def inbox(request):
    page = Paginator(selectors.inbox_messages(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
def message_detail(request, pk: int):
    message = get_object_or_404(Message, pk=pk, recipient=request.user)
    notifications.message_mark_read(message=message)
    return render(request, "core/message_detail.html", {"message": message})


def bad_request(request, exception=None, template_name="400.html"):
    """400 in the site's layout, saying what happened: a parallel request (a second tab, a
    double click) finished first and ended this one's session, or the request was over a
    size limit (too many files, fields or bytes), with what to do instead."""
    reason = None
    if isinstance(exception, SessionInterrupted):
        reason = "该操作已在其他窗口或上一次点击中完成（例如已注册成功并登录），请刷新页面或重新登录后继续。"
    elif isinstance(exception, TooManyFilesSent):
        reason = (f"一次提交的文件过多（最多 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个），本次提交未保存。"
                  "请返回上一页，分几次选择文件并保存。")
    elif isinstance(exception, TooManyFieldsSent | RequestDataTooBig):
        reason = "一次提交的内容过多或过大，本次提交未保存。请返回上一页，分几次提交。"
    return render(request, template_name, {"reason": reason}, status=400)

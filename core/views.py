from django.contrib.auth.decorators import login_required
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

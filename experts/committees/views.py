"""Committee meetings in the workbench: my meetings, a meeting's agenda with each case's
materials, 申报回避 and the secret vote per item (a receipt code once cast), the count and the
minutes the chair and the secretary sign; and checking a receipt. A meeting is shown to its
committee's current members; to anyone else (the office works in the admin) it is a 404."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers

from core.fragments import cached_value, kept_page
from experts.committees import meetings
from experts.committees.forms import ReceiptForm, RecusalForm
from experts.committees.models import CommitteeMember, Meeting
from experts.committees.selectors import agenda_for, attendance_of, item_options, meeting_for_agenda, meetings_of
from experts.exceptions import ExpertsError


@login_required
def meeting_list(request):
    return render(request, "experts/meetings.html", {"meetings": meetings_of(request.user)})


def _seated(request, pk) -> bool:
    return CommitteeMember.objects.filter(committee__meetings=pk, user=request.user, user__is_active=True,
                                          until__isnull=True).exists()


@login_required
@kept_page(_seated)
def meeting(request, pk):
    """The agenda: per item the institution, the suggested result, the case's files, my
    recusal or my vote; the count after the meeting; the minutes and their signatures."""
    def seated():
        meeting = meeting_for_agenda(pk)
        return meeting, meetings.seat_of(meeting, request.user) if meeting is not None else None
    # A page view trusts the kept meeting and seat (core.fragments); an action reads them afresh.
    meeting, seat = (cached_value("meeting-seat", f"{request.user.pk}:{pk}", seated) if request.method != "POST"
                     else seated())
    if seat is None:  # the office runs meetings from the admin
        raise Http404
    if request.method != "POST":
        return render(request, "experts/meeting.html", {
            "meeting": meeting, "seat": seat, "fragment_context": lambda: _agenda_context(meeting, seat)})
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "vote":
                code = meetings.ballot_cast(item_id=_item_id(meeting, request), choice=request.POST.get("choice", ""),
                                            by=request.user)
                # Shown in this answer only: a message would sit in the session (the database)
                # beside the voter's name until read, tying the receipt, and so the ballot, to them.
                response = render(request, "experts/vote_receipt.html", {"meeting": meeting, "code": code})
                add_never_cache_headers(response)
                return response
            if action == "recuse":
                form = RecusalForm(request.POST)
                if not form.is_valid():
                    raise ExpertsError("请说明回避原因。")
                meetings.recusal_declare(item_id=_item_id(meeting, request), by=request.user, **form.cleaned_data)
                messages.success(request, "已申报回避，您不参加该议题的表决，也不计入该议题的出席人数。")
                return redirect("experts:meeting", pk=meeting.pk)
            if action == "sign":
                meetings.minutes_sign(meeting_id=meeting.pk, content_hash=request.POST.get("content_hash", ""),
                                      by=request.user)
                messages.success(request, "已签署会议纪要。")
                return redirect("experts:meeting", pk=meeting.pk)
            raise ExpertsError("请选择要进行的操作。")
        except ExpertsError as exc:
            error = str(exc)
    return render(request, "experts/meeting.html", {
        "meeting": meeting, "seat": seat, "error": error, **_agenda_context(meeting, seat)}, status=422)


def _agenda_context(meeting, seat) -> dict:
    signatures = list(meeting.signatures.select_related("member"))
    attendance = attendance_of(meeting)
    return {
        "items": agenda_for(meeting, seat, attendance), "present": attendance.get(seat.pk),
        "signatures": signatures,
        "i_signed": any(s.member_id == seat.pk and s.content_hash == meeting.minutes_hash for s in signatures),
        "signs_minutes": seat.role != CommitteeMember.Role.MEMBER,
        "revisions": meeting.revisions.select_related("by"),
    }


def _item_id(meeting: Meeting, request) -> int:
    """The posted item, which must be on this meeting's agenda."""
    try:
        return meeting.items.get(pk=int(request.POST.get("item", ""))).pk
    except (ValueError, meeting.items.model.DoesNotExist):
        raise ExpertsError("请选择议题。") from None


@login_required
def receipt(request):
    """核对选票: a receipt code shows the item its ballot was cast on and whether it was counted
    (and the choice, which only the holder of the code learns). The code is posted, so it never
    reaches an access log in an address."""
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    check = None
    if form.is_valid():
        check = meetings.ballot_verify(form.cleaned_data["code"])
        if check is None:
            form.add_error("code", "未找到该回执码对应的选票，请核对后重新输入。")
    return render(request, "experts/receipt.html", {
        "form": form, "check": check, "choice": dict(item_options(check.item)).get(check.choice, check.choice) if check
        else ""}, status=422 if form.errors else 200)

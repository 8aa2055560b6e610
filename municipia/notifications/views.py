from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services


@login_required
def notification_centre(request):
    page = Paginator(selectors.notifications_for(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/centre.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk: int):
    if not services.mark_read(user=request.user, notification_id=pk):
        raise Http404
    if request.headers.get("HX-Request"):
        notification = selectors.notifications_for(user=request.user).get(pk=pk)
        # The header's unread count changes with it (swapped out of band).
        return render(
            request,
            "notifications/_item.html",
            {"notification": notification, "swap_out_of_band": True},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    return redirect("notifications:centre")

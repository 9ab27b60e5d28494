"""Writing notifications and sending their emails."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from parvis.accounts.models import User, Workspace
from parvis.notifications.models import Notification

Text = Callable[[], str | Promise]


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    workspace: Workspace,
    kind: str,
    title: Text,
    body: Text = lambda: "",
    link: str,
    group_key: str = "",
    email: bool = True,
) -> list[Notification]:
    """One notification per person, written in each person's language.

    ``title`` and ``body`` are called once per recipient with that person's
    language active, so each reads their own language in the app and by email.
    """
    created = []
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if group_key:
        already = Notification.objects.filter(
            recipient__in=list(people), group_key=group_key, read_at__isnull=True
        ).values_list("recipient_id", flat=True)
        for pk in set(already):
            people.pop(pk, None)
    for user in people.values():
        with translation.override(user.language or workspace.language):
            notification = Notification.objects.create(
                recipient=user,
                workspace=workspace,
                kind=kind,
                title=str(title())[:200],
                body=str(body()),
                link=link,
                group_key=group_key,
            )
        created.append(notification)
        if email and user.email:
            pk = notification.pk
            transaction.on_commit(lambda pk=pk: send_notification_email.enqueue(pk))
    return created


def notification_send_email(*, notification: Notification) -> bool:
    """Send one notification's email, once. False if it had been sent already."""
    claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    user = notification.recipient
    context = {
        "notification": notification,
        "link": settings.PARVIS_BASE_URL + notification.link,
        "workspace": notification.workspace,
    }
    with translation.override(user.language or notification.workspace.language):
        send_mail(
            f"[{notification.workspace.name}] {notification.title}",
            render_to_string("notifications/email/notification.txt", context),
            None,
            [user.email],
        )
    return True


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


@task()
def send_notification_email(notification_id: int) -> bool:
    """The background task behind ``notify``: reloads the row, sends at most once."""
    notification = (
        Notification.objects.select_related("recipient", "workspace")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return False
    return notification_send_email(notification=notification)

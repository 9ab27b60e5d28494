"""The form page every strategy object shares: show the form, call the action on a
valid post, turn a refusal into an error on its field (nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parvis.strategy.actions import StrategyError


def form_page[T](
    request: HttpRequest,
    *,
    form: forms.Form,
    save: Callable[[dict[str, Any]], T],
    saved_message: str,
    next_url: Callable[[T], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """``save`` receives the cleaned data with ``acting_user`` and calls one action."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save({**form.cleaned_data, "acting_user": request.user})
        except StrategyError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, saved_message)
            return redirect(next_url(saved))
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if request.method == "POST" else 200,
    )

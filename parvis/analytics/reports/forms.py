"""The form of a report schedule."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from parvis.accounts.forms import BootstrapForm
from parvis.accounts.models import User, Workspace
from parvis.analytics.reports.models import ReportFrequency

MOST_EMAILS = 20


class ReportScheduleForm(BootstrapForm, forms.Form):
    frequency = forms.ChoiceField(label=_lazy("Frequency"), choices=ReportFrequency.choices)
    language = forms.ChoiceField(label=_lazy("Language of the report"), choices=settings.LANGUAGES)
    members = forms.ModelMultipleChoiceField(
        label=_lazy("Members who receive it"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    emails = forms.CharField(
        label=_lazy("Other e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "client@example.com"}),
        help_text=_lazy("One per line or separated by commas: a client, a manager."),
    )

    def __init__(self, *args, workspace: Workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            memberships__workspace=workspace, is_active=True
        ).order_by("full_name", "email")
        self.fields["members"].widget.attrs["class"] = "form-check-input"
        self.fields["language"].initial = workspace.language

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").replace(";", "\n")
        emails = [line.strip().lower() for line in raw.splitlines() if line.strip()]
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError as error:
                raise forms.ValidationError(
                    _("“%(email)s” is not an e-mail address.") % {"email": email}
                ) from error
        if len(emails) > MOST_EMAILS:
            raise forms.ValidationError(
                _("At most %(count)d other addresses.") % {"count": MOST_EMAILS}
            )
        return list(dict.fromkeys(emails))

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("members") and not cleaned.get("emails") and not self.errors:
            raise forms.ValidationError(_("Choose at least one member or give an address."))
        return cleaned

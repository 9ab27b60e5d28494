"""Forms of the accounts pages: they check input; actions do the writing."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import User, Workspace
from parvis.accounts.roles import GRANTABLE, Role
from parvis.core.timezones import all_time_zones, is_valid_time_zone

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class BootstrapForm:
    """Give widgets Bootstrap's classes, and mark invalid fields for screen readers."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if getattr(field.widget, "input_type", "") == "color":
                css = "form-control form-control-color"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs["class"] = css

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


class PasswordChangeForm(BootstrapForm, auth_forms.PasswordChangeForm):
    pass


def _role_choices(acting_role: str) -> list[tuple[str, str]]:
    allowed = GRANTABLE.get(acting_role, [])
    return [(role.value, role.label) for role in Role if role.value in allowed]


class InvitationForm(BootstrapForm, forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, acting_role: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(acting_role)
        self.fields["role"].initial = Role.EDITOR


class RoleForm(BootstrapForm, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class WorkspaceForm(BootstrapForm, forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"))

    class Meta:
        model = Workspace
        fields = [
            "name",
            "language",
            "time_zone",
            "color",
            "approval_required",
            "response_target_minutes",
        ]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z.replace("_", " ")) for z in all_time_zones()]
        self.fields["response_target_minutes"].required = False  # left out: kept as it is

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"]
        if not is_valid_time_zone(zone):
            raise forms.ValidationError(_("Choose a time zone from the list."))
        return zone

    def clean_color(self) -> str:
        colour = self.cleaned_data["color"]
        if not _COLOUR.match(colour):
            raise forms.ValidationError(_("Give a colour as #RRGGBB, e.g. #4f46e5."))
        return colour.lower()


class NewWorkspaceForm(BootstrapForm, forms.Form):
    name = forms.CharField(label=_("Brand or client name"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="fr")


class ProfileForm(BootstrapForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class JoinForm(BootstrapForm, forms.Form):
    """A new person accepting an invitation: their name and a password."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, User(email=self.email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

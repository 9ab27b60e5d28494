from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parvis.links.models import BioLink


class BioLinkForm(forms.ModelForm):
    class Meta:
        model = BioLink
        fields = ["label", "url", "hidden"]
        labels = {"label": _("Label"), "url": _("Address"), "hidden": _("Hidden from the page")}
        help_texts = {"label": _("What people read on the button, e.g. “Our new collection”.")}

"""Campaign pages: the list, one campaign with its posts and results, the form, archiving."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parvis.accounts.access import workspace_view
from parvis.core.exports import wants_csv
from parvis.publishing.exports import posts_csv
from parvis.publishing.selectors import posts_of_campaign
from parvis.strategy import actions, selectors
from parvis.strategy.editing import form_page
from parvis.strategy.exports import campaigns_csv
from parvis.strategy.forms import CampaignForm
from parvis.strategy.models import Campaign
from parvis.strategy.progress import progress_of_goals
from parvis.strategy.results import campaign_results


@workspace_view()
def campaign_list(request: HttpRequest) -> HttpResponse:
    if wants_csv(request):
        campaigns = selectors.campaigns_with_counts(workspace=request.workspace)
        return campaigns_csv(workspace=request.workspace, campaigns=campaigns)
    return render(
        request,
        "strategy/campaigns.html",
        {
            "active_nav": "campaigns",
            "campaigns": selectors.campaigns_with_counts(workspace=request.workspace),
            "can_manage": request.membership.can("campaign.manage"),
        },
    )


@workspace_view()
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_of_or_404(workspace=request.workspace, campaign_id=campaign_id)
    if wants_csv(request):
        posts = posts_of_campaign(workspace=request.workspace, campaign_id=campaign.pk)
        return posts_csv(workspace=request.workspace, posts=posts, filename=campaign.name)
    return render(
        request,
        "strategy/campaign.html",
        {
            "active_nav": "campaigns",
            "campaign": campaign,
            "posts": posts_of_campaign(workspace=request.workspace, campaign_id=campaign.pk),
            "results": campaign_results(workspace=request.workspace, campaign=campaign),
            "goals": progress_of_goals(
                list(
                    selectors.goals_of_campaign(
                        workspace=request.workspace, campaign_id=campaign.pk
                    )
                )
            ),
            "can_manage": request.membership.can("campaign.manage"),
        },
    )


def _form_page(request: HttpRequest, campaign: Campaign | None) -> HttpResponse:
    def save(data: dict) -> Campaign:
        if campaign is None:
            return actions.campaign_create(workspace=request.workspace, **data)
        return actions.campaign_update(campaign=campaign, **data)

    return form_page(
        request,
        form=CampaignForm(request.POST or None, campaign=campaign),
        save=save,
        saved_message=_("Campaign saved."),
        next_url=lambda saved: saved.get_absolute_url(),
        template="strategy/campaign_form.html",
        context={"active_nav": "campaigns", "campaign": campaign},
    )


@workspace_view("campaign.manage")
def campaign_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@workspace_view("campaign.manage")
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_of_or_404(workspace=request.workspace, campaign_id=campaign_id)
    return _form_page(request, campaign)


@workspace_view("campaign.manage")
@require_POST
def campaign_archive(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_of_or_404(workspace=request.workspace, campaign_id=campaign_id)
    archived = request.POST.get("archived", "1") != "0"
    actions.campaign_archive(campaign=campaign, archived=archived, acting_user=request.user)
    messages.success(request, _("Campaign archived.") if archived else _("Campaign back in use."))
    return redirect(campaign.get_absolute_url())

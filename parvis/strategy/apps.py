from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "parvis.strategy"
    label = "strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        from parvis.analytics.reports import goals
        from parvis.strategy.reporting import report_goal_lines

        goals.register(report_goal_lines)  # the PDF report's goals section

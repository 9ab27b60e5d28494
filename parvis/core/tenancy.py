"""Workspace scoping: every query on tenant data names its workspace."""

from __future__ import annotations

from typing import Any

from django.db import models


class WorkspaceQuerySet(models.QuerySet):
    def in_workspace(self, workspace: Any) -> WorkspaceQuerySet:
        return self.filter(workspace=workspace)

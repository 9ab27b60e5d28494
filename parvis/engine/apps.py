from functools import partial

from django.apps import AppConfig, apps


class EngineConfig(AppConfig):
    name = "parvis.engine"
    label = "engine"

    def ready(self) -> None:
        from parvis.engine import periodic
        from parvis.engine.models import StateMachineModel
        from parvis.engine.runner import run_once

        # Every state-machine model is worked on by the worker's engine loop.
        for model in apps.get_models():
            if issubclass(model, StateMachineModel) and getattr(model, "graph", None):
                name = f"engine.{model._meta.label_lower}"
                periodic.register(name, 1.0, partial(run_once, model))

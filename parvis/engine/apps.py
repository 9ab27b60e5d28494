from functools import partial

from django.apps import AppConfig, apps


class EngineConfig(AppConfig):
    name = "parvis.engine"
    label = "engine"

    def ready(self) -> None:
        from django.conf import settings

        from parvis.engine import periodic
        from parvis.engine.models import StateMachineModel
        from parvis.engine.runner import drain

        # Every state-machine model is worked on by the worker's engine loop.
        for model in apps.get_models():
            if issubclass(model, StateMachineModel) and getattr(model, "graph", None):
                name = f"engine.{model._meta.label_lower}"
                batch = getattr(settings, "PARVIS_PUBLISH_BATCH", 200)
                drain_batches = partial(drain, model, limit=batch)
                periodic.register(name, 0.25, drain_batches, again_while_working=True)

"""The registry of networks: one Network instance per key.

Built-in networks are listed here; each is imported once, on first use. Preview
networks (``PREVIEW``) are loaded only when ``PARVIS_PREVIEW_NETWORKS`` names them.
"""

from __future__ import annotations

import logging
from importlib import import_module

from django.conf import settings

from parvis.networks.base import Network

logger = logging.getLogger(__name__)

BUILT_IN = (
    "parvis.networks.sandbox.network.SandboxFacebook",
    "parvis.networks.sandbox.network.SandboxInstagram",
    "parvis.networks.sandbox.network.SandboxX",
    # Real networks: offered on the connect page, greyed with their ``setup_problem``
    # until the administrator sets up the installation's app (client id and secret).
    "parvis.networks.x.network.X",
    "parvis.networks.facebook.network.Facebook",
    "parvis.networks.instagram.accounts.InstagramFacebookLogin",
    "parvis.networks.instagram.accounts.InstagramLogin",
)

# Connectors that publish but cannot be connected from the interface yet (no OAuth
# flow): never offered on the connect page. Enabled by PARVIS_PREVIEW_NETWORKS, they
# serve channels created another way (a benchmark, a script), so ``get`` finds them.
PREVIEW: dict[str, str] = {}

_networks: dict[str, Network] = {}
_preview_keys: set[str] = set()
_loaded = False


class UnknownNetwork(KeyError):
    """No network is registered under this key."""


def register(network: Network) -> Network:
    _networks[network.key] = network
    return network


def _load_built_in() -> None:
    global _loaded
    if _loaded:
        return
    for dotted in BUILT_IN:
        register(_instance(dotted))
    for key in settings.PARVIS_PREVIEW_NETWORKS:
        if key in _networks:  # built in by now (e.g. "x"): nothing more to enable
            continue
        if key not in PREVIEW:
            logger.warning("PARVIS_PREVIEW_NETWORKS names %r, which is not a preview network", key)
            continue
        register(_instance(PREVIEW[key]))
        _preview_keys.add(key)
    _loaded = True


def _instance(dotted: str) -> Network:
    module_name, class_name = dotted.rsplit(".", 1)
    return getattr(import_module(module_name), class_name)()


def get(key: str) -> Network:
    _load_built_in()
    try:
        return _networks[key]
    except KeyError:
        raise UnknownNetwork(key) from None


def all_networks() -> list[Network]:
    """The networks one may connect (preview ones are left out: they cannot be yet)."""
    _load_built_in()
    offered = [n for k, n in _networks.items() if k not in _preview_keys]
    return sorted(offered, key=lambda n: (n.is_simulated, str(n.name)))

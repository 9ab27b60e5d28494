"""The registry of networks: one Network instance per key.

Built-in networks are listed here; each is imported once, on first use.
"""

from __future__ import annotations

from importlib import import_module

from parvis.networks.base import Network

BUILT_IN = (
    "parvis.networks.sandbox.network.SandboxFacebook",
    "parvis.networks.sandbox.network.SandboxInstagram",
    "parvis.networks.sandbox.network.SandboxX",
)

_networks: dict[str, Network] = {}
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
        module_name, class_name = dotted.rsplit(".", 1)
        register(getattr(import_module(module_name), class_name)())
    _loaded = True


def get(key: str) -> Network:
    _load_built_in()
    try:
        return _networks[key]
    except KeyError:
        raise UnknownNetwork(key) from None


def all_networks() -> list[Network]:
    _load_built_in()
    return sorted(_networks.values(), key=lambda n: (n.is_simulated, str(n.name)))

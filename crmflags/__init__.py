"""crmflags: risk tags for the clients in your CRM, from declarative rulesets."""

import pluggy

__version__ = "0.1.0"

#: Decorator for plugin hook implementations: ``@crmflags.hookimpl``.
hookimpl = pluggy.HookimplMarker("crmflags")

__all__ = ["hookimpl", "__version__"]

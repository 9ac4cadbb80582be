"""Bot texts a lead may override per vacancy and city: the catalog, validation, the store and the resolver.

Defaults stay in `notifications/conversation/texts.py`. Callers use `wording_for(candidate)` and read texts
as attributes, exactly as they would from the texts module.
"""

from notifications.copy.resolve import Wording, wording, wording_for

__all__ = ["Wording", "wording", "wording_for"]

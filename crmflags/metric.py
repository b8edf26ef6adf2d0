"""What a plugin metric is given: the context of the run it is computed in.

``compute(client, context)`` of a metric registered through ``register_metrics`` gets
the client and a :class:`MetricContext`: the as-of day, the settings and the first
days of the activity and billing windows, which the built-in metrics use too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from crmflags.money import Converter
from crmflags.settings import Settings


@dataclass(frozen=True)
class MetricContext:
    """When and how metrics are computed: the as-of date, settings and window starts.

    ``money`` and ``offsets`` are crmflags' own bookkeeping of the run, not part of the
    API a plugin may rely on.
    """

    as_of: date
    settings: Settings
    #: Converts amounts into the reporting currency; shared by every client of a run.
    money: Converter = field(default_factory=Converter, compare=False)
    #: UTC offsets other than zero the timestamps carried (for the time zone warning).
    offsets: Counter = field(default_factory=Counter, compare=False)

    @classmethod
    def of(cls, as_of: date, settings: Settings) -> MetricContext:
        """Return the context of a run: its converter takes the settings' currency and rates."""
        money = Converter(settings.currency, dict(settings.exchange_rates))
        return cls(as_of=as_of, settings=settings, money=money)

    @property
    def activity_start(self) -> date:
        """First day of the activity window (the window ends on ``as_of``)."""
        return self.as_of - timedelta(days=self.settings.activity_days - 1)

    @property
    def billing_start(self) -> date:
        """First day of the billing window (the window ends on ``as_of``)."""
        return self.as_of - timedelta(days=self.settings.billing_days - 1)

    @property
    def end(self) -> datetime:
        """The first moment after the as-of day, in the business's time zone."""
        return datetime.combine(self.as_of + timedelta(days=1), time.min, self.settings.timezone)

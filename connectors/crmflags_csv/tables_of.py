"""Tables of canonical objects the careful builders made (the few records the columns
left out, the clients of a file a preset shapes), in the schema of crmflags.tables."""

from __future__ import annotations

import polars as pl

from crmflags.model import Client
from crmflags.tables import SCHEMAS

#: The columns of the clients table that hold one field of the client each.
_CLIENT_FIELDS = [name for name in SCHEMAS["clients"] if name not in ("risk", "fields")]


def clients_table(clients: list[Client]) -> pl.DataFrame:
    """Return the clients table of clients (their history is in the other tables)."""
    table = pl.DataFrame(
        {name: [getattr(client, name) for client in clients] for name in _CLIENT_FIELDS},
        schema={name: SCHEMAS["clients"][name] for name in _CLIENT_FIELDS},
        strict=False,
    )
    return table.with_columns(
        risk=_pairs([client.risk for client in clients]),
        fields=_pairs([dict(client.fields) for client in clients]),
    )


def _pairs(mappings: list[dict[str, str | None]]) -> pl.Series:
    """Return each mapping as a list of ``{name, value}`` pairs, in its order."""
    owners = [at for at, mapping in enumerate(mappings) for _ in mapping]
    pairs = pl.DataFrame(
        {
            "at": owners,
            "name": [name for mapping in mappings for name in mapping],
            "value": [value for mapping in mappings for value in mapping.values()],
        },
        schema={"at": pl.Int64, "name": pl.Utf8, "value": pl.Utf8},
    )
    listed = pairs.group_by("at", maintain_order=True).agg(pl.struct("name", "value").alias("p"))
    every = pl.DataFrame({"at": pl.int_range(len(mappings), eager=True, dtype=pl.Int64)})
    joined = every.join(listed, on="at", how="left", maintain_order="left")["p"]
    return joined.fill_null(pl.lit([], dtype=SCHEMAS["clients"]["risk"])).cast(
        SCHEMAS["clients"]["risk"]
    )

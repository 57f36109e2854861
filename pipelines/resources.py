"""The one Dagster resource: the project config, and the warehouse behind its lock.

Nothing is read when the resource is built. Paths come from `load_config`: the config file
(COUNTY_RETURNS_CONFIG, default county_returns.toml) and the COUNTY_RETURNS_<KEY> environment
variables (INBOX, ARCHIVE, OUTBOX, WAREHOUSE, EXPORTS). A field set on the resource overrides
both; tests set them to a tmp_path. (`dg.EnvVar` is not used for these: an unset EnvVar is an
error, and every path here has a documented default.)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Optional

import dagster as dg
from pydantic import Field

if TYPE_CHECKING:
    import duckdb

    from pipelines.config import Config

RESOURCE_KEY = "county_returns"


class CountyReturnsResource(dg.ConfigurableResource):
    """Where county-returns reads and writes; one warehouse writer at a time."""

    config_file: Optional[str] = Field(
        default=None, description="county_returns.toml to use (default: $COUNTY_RETURNS_CONFIG, else the repo's)")
    inbox: Optional[str] = Field(default=None, description="overrides paths.inbox / $COUNTY_RETURNS_INBOX")
    archive: Optional[str] = Field(default=None, description="overrides paths.archive / $COUNTY_RETURNS_ARCHIVE")
    outbox: Optional[str] = Field(default=None, description="overrides paths.outbox / $COUNTY_RETURNS_OUTBOX")
    warehouse: Optional[str] = Field(
        default=None, description="overrides paths.warehouse / $COUNTY_RETURNS_WAREHOUSE")
    exports: Optional[str] = Field(default=None, description="overrides paths.exports / $COUNTY_RETURNS_EXPORTS")
    lock_wait_seconds: float = Field(
        default=600.0, description="how long a step waits for another writer before it fails")

    def config(self) -> "Config":
        from pipelines.config import load_config

        return load_config(self.config_file, inbox=self.inbox, archive=self.archive, outbox=self.outbox,
                           warehouse=self.warehouse, exports=self.exports)

    @contextmanager
    def lock(self) -> Iterator[None]:
        """The ingest lock (`pipelines.ingest.warehouse_lock`): CLI and Dagster runs never interleave."""
        from pipelines.ingest import warehouse_lock

        with warehouse_lock(self.config().paths.warehouse, self.lock_wait_seconds):
            yield

    @contextmanager
    def open_warehouse(self) -> Iterator["duckdb.DuckDBPyConnection"]:
        """A read-write connection, migrated, held under the lock and closed (checkpointed) after.

        DuckDB allows one process per file, so every step that touches the warehouse, readers
        included, goes through here rather than opening the file itself.
        """
        from warehouse.db import connect, migrate

        path = self.config().paths.warehouse
        with self.lock():
            con = connect(path)
            try:
                migrate(con)
                yield con
            finally:
                con.close()

"""The analyst snapshot and the Parquet exports: what people outside the pipeline read."""

import dagster as dg

from pipelines.assets.constants import ANALYST_SNAPSHOT, CROSS_COUNTY_WARNINGS, EXPORTS, MARTS
from pipelines.resources import CountyReturnsResource


def build_publish_assets(model_keys: list[dg.AssetKey]) -> list[dg.AssetsDefinition]:
    @dg.asset(key=ANALYST_SNAPSHOT, deps=[*model_keys, CROSS_COUNTY_WARNINGS], group_name=MARTS, kinds={"duckdb"},
              description="A copy of the warehouse swapped in by atomic rename: analysts read it, "
                          "the writer is never blocked.")
    def analyst_snapshot(county_returns: CountyReturnsResource) -> dg.MaterializeResult:
        from pipelines.ingest import publish_snapshot

        with county_returns.lock():
            snapshot = publish_snapshot(county_returns.config().paths.warehouse)
        return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(snapshot)),
                                              "bytes": snapshot.stat().st_size})

    @dg.asset(key=EXPORTS, deps=[ANALYST_SNAPSHOT], group_name=MARTS, kinds={"parquet", "duckdb"},
              description="Every marts table as exports/<table>.parquet (atomic replace), from the snapshot.")
    def exports(county_returns: CountyReturnsResource) -> dg.MaterializeResult:
        from pipelines.exports import export_marts
        from pipelines.ingest import analyst_snapshot_path

        paths = county_returns.config().paths
        written = export_marts(analyst_snapshot_path(paths.warehouse), paths.exports)
        return dg.MaterializeResult(metadata={"files": dg.MetadataValue.json([str(p) for p in written]),
                                              "file_count": len(written)})

    return [analyst_snapshot, exports]

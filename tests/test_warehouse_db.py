"""Migrations and reference data of the DuckDB warehouse."""

import pytest

from warehouse import db


@pytest.fixture
def con(tmp_path):
    con = db.connect(tmp_path / "wh.duckdb")
    yield con
    con.close()


def _tables(con):
    return con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables ORDER BY 1"
    ).fetchall()


def test_migrations_apply_once_and_create_the_contract_tables(con):
    applied = db.migrate(con)
    assert applied == [name for _, name, _ in db.migrations()]
    tables = {t for (t,) in _tables(con)}
    for expected in [
        "ref.county", "ref.reporting_calendar", "ref.county_form", "ops.submission",
        "ops.submission_form", "quality.issue", "quality.quarantine", "quality.total_row",
        "quality.version_diff", "quality.explanation",
        *(f"{schema}.{t}" for schema in ("core", "history") for t in db.FORM_TABLES.values()),
    ]:
        assert expected in tables
    before = _tables(con)
    assert db.migrate(con) == []  # a second run is a no-op
    assert _tables(con) == before
    versions = con.execute("SELECT count(*) FROM ops.schema_migration").fetchone()[0]
    assert versions == len(db.migrations())


def test_history_tables_mirror_core_plus_version(con):
    db.migrate(con)
    for table in db.FORM_TABLES.values():
        core = db.table_columns(con, "core", table)
        history = db.table_columns(con, "history", table)
        assert history == [*core, ("version", "BIGINT"), ("superseded_by", "BIGINT")]


def test_core_column_types_follow_the_contract(con):
    db.migrate(con)
    fund = dict(db.table_columns(con, "core", "fund_input"))
    assert fund["amount_yuan"] == "DECIMAL(18,2)" and fund["amount_qualifier"] == "VARCHAR"
    sales = dict(db.table_columns(con, "core", "consumption_sales"))
    assert sales["quantity_kg"] == "DOUBLE" and sales["unit"] == "VARCHAR"
    collective = dict(db.table_columns(con, "core", "collective_economy"))
    assert collective["year"] == "BIGINT" and collective["is_poor_village"] == "BOOLEAN"


def test_reference_counties_current_and_historical(con):
    db.migrate(con)
    n = db.load_reference(con)
    assert db.load_reference(con) == n  # idempotent: replaced, not appended
    assert con.execute("SELECT count(*) FROM ref.county").fetchone()[0] == n == 232
    current = con.execute(
        "SELECT count(*), count(DISTINCT code), count(*) FILTER (WHERE is_key_poverty_county)"
        " FROM ref.county WHERE valid_to IS NULL"
    ).fetchone()
    assert current == (111, 111, 33)
    tianyang = con.execute(
        "SELECT name, valid_to, current_code, is_key_poverty_county FROM ref.county WHERE code = '451021'"
    ).fetchall()
    assert tianyang == [("田阳县", 2019, "451003", True)]
    row = con.execute(
        "SELECT name, prefecture, province, valid_from FROM ref.county WHERE code = '451003'"
    ).fetchone()
    assert row == ("田阳区", "百色市", "广西壮族自治区", 2019)
    # A code split between several successors has no single heir.
    assert con.execute("SELECT current_code FROM ref.county WHERE code = '450111'").fetchone() == (None,)


def test_edited_migration_is_refused(con, tmp_path, monkeypatch):
    db.migrate(con)
    first_version, name, sql = db.migrations()[0]
    monkeypatch.setattr(db, "migrations", lambda: [(first_version, name, sql + "\n-- edited")])
    with pytest.raises(db.MigrationError, match="changed after it was applied"):
        db.migrate(con)

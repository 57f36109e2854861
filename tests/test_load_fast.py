"""The loader's shortcuts keep its behaviour: cached form columns, batched version
bookkeeping, no reliance on Python-frame replacement scans."""

from datetime import datetime

import pytest

from warehouse import db
from warehouse.load import load_submission, load_submissions
from warehouse.testing import make_result, rejected_result, snapshot

AUG = datetime(2018, 9, 3, 10, 0)


def _con(path):
    con = db.connect(path)
    db.migrate(con)
    db.load_reference(con)
    return con


@pytest.fixture
def con(tmp_path):
    con = _con(tmp_path / "wh.duckdb")
    yield con
    con.close()


def _fund(*names, amount=1000.0):
    return [{"project_name": n, "village": "那坡村", "amount_yuan": amount} for n in names]


def _team(*townships, members=5):
    return [{"township": t, "work_team_members": members} for t in townships]


def test_form_columns_are_cached_per_connection_and_forgotten_by_migrate(tmp_path, monkeypatch):
    con = _con(tmp_path / "a.duckdb")
    fields = db.form_fields(con, "fund")
    assert ("amount_yuan", "DECIMAL(18,2)") in fields
    assert db.form_fields(con, "fund") == fields  # from the cache: same answer

    # Another database whose fund table differs: its own columns, not the first one's.
    other = db.connect(tmp_path / "b.duckdb")
    db.migrate(other)
    other.execute("ALTER TABLE core.fund_input ADD COLUMN note VARCHAR")
    assert [c for c, _ in db.form_fields(other, "fund")][-1] == "note"
    assert db.form_fields(con, "fund") == fields

    # A new migration changes the table: the loader sees the new column right away.
    base = db.migrations()
    monkeypatch.setattr(db, "migrations", lambda: [
        *base, (base[-1][0] + 1, "999_note.sql", "ALTER TABLE core.fund_input ADD COLUMN note VARCHAR;"
                                                 " ALTER TABLE history.fund_input ADD COLUMN note VARCHAR;")])
    assert db.migrate(con) == ["999_note.sql"]
    rows = [{"project_name": "茶叶", "amount_yuan": 5.0, "note": "补录"}]
    load_submission(con, make_result("451026", "2018-08", {"fund": rows}), AUG, None)
    assert con.execute("SELECT note, amount_yuan FROM core.fund_input").fetchall() == [("补录", 5)]
    con.close()
    other.close()


def test_loads_through_a_connection_proxy(con):
    """Frames go to DuckDB explicitly, not by a Python variable name only visible in the
    loader's own frame: a wrapper around the connection (timing, logging) still works."""

    class Proxy:
        def __init__(self, c):
            self._c = c

        def execute(self, *args):
            return self._c.execute(*args)

        def __getattr__(self, name):
            return getattr(self._c, name)

    out = load_submission(Proxy(con), make_result("451026", "2018-08", {"fund": _fund("a", "b"),
                                                                        "team": _team("城厢镇")}), AUG, None)
    assert out.rows_loaded == {"fund": 2, "team": 1}
    assert con.execute("SELECT count(*) FROM core.fund_input").fetchone() == (2,)


def test_one_file_replacing_forms_of_several_earlier_files(con):
    first = load_submission(con, make_result("451026", "2018-08", {"fund": _fund("a"), "team": _team("甲")},
                                             file="v1.xlsx"), AUG, None)
    team_only = load_submission(con, make_result("451026", "2018-08", {"team": _team("乙")}, file="team.xlsx"),
                                datetime(2018, 9, 4), None)
    # Replaces fund (current in `first`) and team (current in `team_only`) at once.
    both = load_submission(con, make_result("451026", "2018-08", {"fund": _fund("b"), "team": _team("丙")},
                                            file="both.xlsx"), datetime(2018, 9, 5), None)
    assert both.versions == {"fund": 2, "team": 3}
    assert both.superseded == {"fund": first.submission_id, "team": team_only.submission_id}
    forms = con.execute(
        "SELECT submission_id, form, version, superseded_by FROM ops.submission_form ORDER BY ALL"
    ).fetchall()
    assert forms == [(first.submission_id, "fund", 1, both.submission_id),
                     (first.submission_id, "team", 1, team_only.submission_id),
                     (team_only.submission_id, "team", 2, both.submission_id),
                     (both.submission_id, "fund", 2, None), (both.submission_id, "team", 3, None)]
    subs = con.execute("SELECT submission_id, version, superseded_by FROM ops.submission ORDER BY 1").fetchall()
    assert subs == [(first.submission_id, 1, both.submission_id),
                    (team_only.submission_id, 2, both.submission_id),
                    (both.submission_id, 3, None)]
    assert con.execute("SELECT submission_id, version, superseded_by FROM history.team_staffing ORDER BY 1"
                       ).fetchall() == [(first.submission_id, 1, team_only.submission_id),
                                        (team_only.submission_id, 2, both.submission_id)]
    assert con.execute("SELECT project_name FROM core.fund_input").fetchall() == [("b",)]


def test_a_file_partly_replaced_is_not_superseded(con):
    first = load_submission(con, make_result("451026", "2018-08", {"fund": _fund("a"), "team": _team("甲")}),
                            AUG, None)
    load_submission(con, make_result("451026", "2018-08", {"fund": _fund("b")}, file="fund.xlsx"),
                    datetime(2018, 9, 4), None)
    assert con.execute("SELECT superseded_by FROM ops.submission WHERE submission_id = ?",
                       [first.submission_id]).fetchone() == (None,)
    # Other counties and periods are versioned separately.
    other = load_submission(con, make_result("451026", "2018-09", {"fund": _fund("a")}), AUG, None)
    assert other.versions == {"fund": 1} and other.superseded == {}


def test_several_current_versions_fail_loudly_and_leave_nothing(con):
    load_submission(con, make_result("451026", "2018-08", {"fund": _fund("a")}), AUG, None)
    load_submission(con, make_result("451026", "2018-08", {"fund": _fund("b")}, file="v2.xlsx"), AUG, None)
    con.execute("UPDATE ops.submission_form SET superseded_by = NULL")  # a broken warehouse
    before = snapshot(con)
    with pytest.raises(RuntimeError, match="several current versions"):
        load_submission(con, make_result("451026", "2018-08", {"fund": _fund("c")}, file="v3.xlsx"), AUG, None)
    assert snapshot(con) == before


def test_unknown_form_fails_the_whole_load(con):
    result = make_result("451026", "2018-08", {"fund": _fund("a")})
    result.forms.append("weather")
    before = snapshot(con)
    with pytest.raises(ValueError, match=r"forms without a warehouse table: \['weather'\]"):
        load_submission(con, result, AUG, None)
    assert snapshot(con) == before


# --- several files per transaction ------------------------------------------------------------

def _batch_of_files():
    """Files as a month brings them: new counties, a file replacing forms of an earlier file of
    the same batch, a partial replacement, issues, quarantined and total rows, a rejection."""
    from pipelines.model import Issue, Quarantined, TotalRow

    warn = Issue("warning", "sum_mismatch", "合计不符", form="fund", sheet="资金投入", cell="D9", row=9)
    return [
        make_result("451026", "2018-08", {"fund": _fund("a", "b"), "team": _team("甲")}, file="v1.xlsx"),
        make_result("450224", "2018-08", {"fund": _fund("c")}, file="rongan.xlsx", issues=[warn],
                    quarantined=[Quarantined("fund", "资金投入", 8, {"项目名称": "d"}, ["required_missing"])],
                    totals=[TotalRow("fund", "资金投入", 9, "合计")]),
        make_result("451026", "2018-08", {"fund": _fund("a", "e")}, file="v2.xlsx"),  # replaces v1's fund
        make_result("451026", "2018-08", {"team": _team("乙"), "fund": _fund("f")}, file="v3.xlsx"),
        rejected_result("999999"),
        make_result("450224", "2018-09", {"team": _team("丙")}, file="sep.xlsx"),
    ]


def _tables(con):
    """Every table but the migration log (whose timestamps tell when each database was made)."""
    return {name: rows for name, rows in snapshot(con).items() if name != "ops.schema_migration"}


def _content(con):
    """`_tables` without submission ids: a rolled-back batch has drawn ids (a sequence does not
    roll back), so the same files loaded again get others."""
    tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables"
                         " WHERE table_type = 'BASE TABLE' AND table_name != 'schema_migration'").fetchall()
    return {f"{s}.{t}": sorted(con.execute(
        f"SELECT COLUMNS(c -> c NOT LIKE '%submission_id' AND c != 'superseded_by') FROM \"{s}\".\"{t}\""
    ).fetchall(), key=repr) for s, t in tables}


def _loaded_one_by_one(con, results):
    return [load_submission(con, r, AUG, f"archive/{r.file}") for r in results]


def test_a_batch_loads_what_one_file_after_the_other_loads(tmp_path):
    results = _batch_of_files()
    by_file = _con(tmp_path / "by_file.duckdb")
    batched = _con(tmp_path / "batched.duckdb")
    one_by_one = _loaded_one_by_one(by_file, results)
    together = load_submissions(batched, [(r, f"archive/{r.file}") for r in results], AUG)
    assert together == one_by_one
    assert [o.outcome for o in together] == ["loaded", "loaded", "loaded", "loaded", "rejected", "loaded"]
    assert together[2].superseded == {"fund": together[0].submission_id}  # within the batch
    assert _tables(batched) == _tables(by_file)
    assert batched.execute("SELECT count(*) FROM quality.version_diff").fetchone()[0] > 0
    by_file.close()
    batched.close()


def test_a_failing_file_in_a_batch_leaves_what_a_per_file_loop_leaves(tmp_path):
    """The batch rolls back and loads file by file: files before the failing one load, the
    failing one leaves nothing, and it raises."""
    results = _batch_of_files()
    results[3].forms.append("weather")  # v3 cannot load
    by_file = _con(tmp_path / "by_file.duckdb")
    batched = _con(tmp_path / "batched.duckdb")
    with pytest.raises(ValueError, match="weather"):
        _loaded_one_by_one(by_file, results)
    with pytest.raises(ValueError, match="weather"):
        load_submissions(batched, [(r, f"archive/{r.file}") for r in results], AUG)
    assert _content(batched) == _content(by_file)
    assert batched.execute("SELECT file_name FROM ops.submission ORDER BY 1").fetchall() == [
        ("rongan.xlsx",), ("v1.xlsx",), ("v2.xlsx",)]
    by_file.close()
    batched.close()


def test_a_declined_checkpoint_is_left_to_the_close(tmp_path, caplog):
    """The load's own checkpoint is an optimisation: if DuckDB declines it, the run goes on."""
    import logging

    import duckdb

    from pipelines.ingest import _checkpoint

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    _checkpoint(con)  # accepted: nothing to report
    con.close()
    with caplog.at_level(logging.INFO, logger="pipelines.ingest"):
        _checkpoint(con)  # a closed connection declines
    assert "checkpoint deferred" in caplog.text

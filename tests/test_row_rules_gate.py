"""The gate of schemas/row_rules.py agrees with pandera: a frame passes the gate exactly when
validating it with the form's pandera schema reports no failure case, and the schema of only
the checks the gate finds failing reports exactly the whole schema's failure cases."""

from __future__ import annotations

import math

import pandera.errors
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models import schema_for
from schemas.row_rules import ALL, QUALIFIERS, failing_checks, form_rules
from schemas.spec import all_forms

FORMS = sorted(all_forms())


def passes_all(form: str, frame: pl.DataFrame) -> bool:
    """The gate's verdict: no row of the frame fails any row rule of the form."""
    return failing_checks(form, frame) == frozenset()


def _pandera_passes(form: str, frame: pl.DataFrame) -> bool:
    try:
        schema_for(form).validate(frame, lazy=True)
        return True
    except pandera.errors.SchemaErrors:
        return False


def _values(c) -> st.SearchStrategy:
    """Mostly cells within the column's limits; sometimes an edge, an empty cell or a NaN."""
    if c.allowed is not None:
        return st.one_of(st.sampled_from(c.allowed), st.sampled_from([None, "exact", "大约"]))
    if c.dtype == pl.Utf8:
        return st.sampled_from(["某乡", "合作社", "", None])
    if c.dtype == pl.Boolean:
        return st.one_of(st.booleans(), st.none())
    low = c.min_value if c.min_value is not None else -5
    high = c.max_value if c.max_value is not None else 1e6
    edges = [low, high, low - 1, high + 1, 0]
    if c.dtype == pl.Int64:
        inside = st.integers(math.ceil(low), math.floor(high))
        odd = st.one_of(st.none(), st.sampled_from([int(math.floor(e)) for e in edges]))
    else:
        inside = st.floats(low, high, allow_nan=False)
        odd = st.one_of(st.none(), st.just(float("nan")), st.sampled_from([float(e) for e in edges]))
    return st.integers(0, 9).flatmap(lambda k: odd if k == 0 else inside)


@st.composite
def frames(draw, form: str) -> pl.DataFrame:
    columns = form_rules(form).columns
    n = draw(st.integers(0, 6))
    data = {}
    for c in columns:
        # mostly valid rows, so that both verdicts occur often
        values = draw(st.lists(_values(c), min_size=n, max_size=n))
        data[c.name] = pl.Series(c.name, values, dtype=c.dtype)
    return pl.DataFrame(data)


@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_gate_agrees_with_pandera(form, data):
    frame = data.draw(frames(form))
    verdict = passes_all(form, frame)
    assert verdict == _pandera_passes(form, frame)
    VERDICTS.setdefault(form, set()).add(verdict)


VERDICTS: dict[str, set[bool]] = {}


def _failure_cases(schema, frame: pl.DataFrame) -> list[dict]:
    try:
        schema.validate(frame, lazy=True)
        return []
    except pandera.errors.SchemaErrors as exc:
        # check_number is a check's position in its own schema, which a narrowed schema changes;
        # the rule path reads the rest
        return exc.failure_cases.drop("check_number").to_dicts()


@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_failing_checks_report_what_the_whole_schema_reports(form, data):
    frame = data.draw(frames(form))
    failing = failing_checks(form, frame)
    whole = _failure_cases(schema_for(form), frame)
    if failing == frozenset():
        assert whole == []
        return
    assert failing is not ALL  # generated frames have the schema's columns and dtypes
    narrowed = _failure_cases(schema_for(form, failing), frame)
    assert narrowed == whole  # the same cases, in the same order
    # and each failing check did report a case
    reported = {(c["schema_context"], c["column"], c["check"]) for c in whole}
    assert len(failing) <= len(reported)


def test_both_verdicts_occurred():
    """The generated frames are not all clean or all broken (else the agreement says little)."""
    if len(VERDICTS) < len(FORMS):
        pytest.skip("run together with test_gate_agrees_with_pandera")
    assert all(v == {True, False} for v in VERDICTS.values()), VERDICTS


@pytest.mark.parametrize("form", FORMS)
def test_a_clean_and_a_broken_frame(form):
    rules = form_rules(form)
    clean = {}
    for c in rules.columns:
        if c.allowed is not None:
            value = QUALIFIERS[0]
        elif c.dtype == pl.Utf8:
            value = "某乡"
        elif c.dtype == pl.Boolean:
            value = True
        else:
            value = c.min_value if c.min_value is not None else 1
            value = int(value) if c.dtype == pl.Int64 else float(value)
        clean[c.name] = pl.Series(c.name, [value], dtype=c.dtype)
    frame = pl.DataFrame(clean)
    assert passes_all(form, frame) and _pandera_passes(form, frame)
    required = next((c for c in rules.columns if not c.nullable), None)
    if required is not None:
        broken = frame.with_columns(pl.lit(None, dtype=required.dtype).alias(required.name))
        assert not passes_all(form, broken)
        assert not _pandera_passes(form, broken)


def test_a_stray_column_is_left_to_pandera():
    form = FORMS[0]
    columns = {c.name: pl.Series(c.name, [], dtype=c.dtype) for c in form_rules(form).columns}
    frame = pl.DataFrame({**columns, "stray": pl.Series("stray", [], dtype=pl.Utf8)})
    assert not passes_all(form, frame)



@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_aggregates_decide_as_the_expressions(form, data):
    """Without NaNs the gate decides from one aggregate per check; the expressions it stands
    for (what pandera runs) find the same failing checks."""
    from schemas.row_rules import _failing_by_aggregates, _gate

    frame = data.draw(frames(form))
    floats = [n for n, d in frame.schema.items() if d == pl.Float64]
    frame = frame.with_columns(pl.col(n).fill_nan(None) for n in floats)  # (NaN frames take the expressions)
    _, checks, exprs = _gate(form)
    expected = frozenset(c for c, ok in zip(checks, frame.select(exprs).row(0)) if not ok) if frame.height \
        else frozenset()
    assert (_failing_by_aggregates(form, frame) if frame.height else frozenset()) == expected
    assert failing_checks(form, frame) == expected

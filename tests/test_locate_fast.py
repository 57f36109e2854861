"""The fast paths of locate and read give what the plain computations give.

normalize skips work for plain text, map_columns scores only the fields a character index says
can score, the body split inlines its row tests, and read finds percent cells by searching only
the stretches of sheet XML that hold a percent style. Each is checked here against the plain
computation it replaces, on tricky and on random inputs.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zipfile

import pytest

from pipelines.intake import locate as L
from pipelines.intake import read as R
from pipelines.limits import Limits
from schemas.spec import all_forms


def _plain_normalize(text) -> str:
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(L._BRACKETS)
    s = L._SPACED_UNIT.sub(r"(\1)", s.strip())
    s = re.sub(r"[\"'“”‘’「」『』]", "", s)
    return re.sub(r"\s+", "", s)


_TRICKY = ["", " ", "金额 万元", "金额　万元", "金额\u00a0%", "「合计」", "【注】", "（一）资金投入", "１２３",
           "ﬁ", "㈠项目", "⽔利", "a\u2028b", "\x1c合计", "合计：", "  项目名称 ", "投入资金(万元)", 0, -0.0, 1.5,
           float("nan"), float("inf"), 10 ** 20, True, None]
_ALPHABET = list(" \t\u3000\u00a0\u2028\"'“”‘’「」『』〔〕［］【】｛｝〈〉《》[]{}（）()：:／/１２３ＡａﾊﾟⅣ⑴㈠⽔ﬁ万元%亩户人合计注")


def _random_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 10))) for _ in range(n)]


def test_normalize_equals_the_plain_computation():
    for text in _TRICKY + _random_texts(20000, 1):
        assert L.normalize(text) == _plain_normalize(text), repr(text)


def _mutated_synonyms(n: int, seed: int) -> list[tuple[str, ...]]:
    rnd = random.Random(seed)
    words = sorted({w for name in all_forms() for ws in L._synonyms(name).values() for w in ws})
    chars = sorted(set("".join(words))) + list("()/%万元")
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 3)):
            w = list(rnd.choice(words))
            for _ in range(rnd.randint(0, 3)):
                op = rnd.random()
                if op < 0.4 and w:
                    w.pop(rnd.randrange(len(w)))
                elif op < 0.8:
                    w.insert(rnd.randint(0, len(w)), rnd.choice(chars))
                elif w:
                    w[rnd.randrange(len(w))] = rnd.choice(chars)
            if "".join(w):
                parts.append("".join(w))
        out.append(tuple(dict.fromkeys(parts)) or ("x",))
    return out


def test_character_index_never_drops_a_field_that_scores():
    scored = 0
    for name in all_forms():
        scores = L._field_scores(name, L._synonyms(name))
        for parts in _mutated_synonyms(600, sum(map(ord, name))):
            every = tuple((f, s) for f, words in scores.synonyms.items()
                          if (s := L.label_score(parts, words)) >= L.MATCH_THRESHOLD)
            assert L._matching_fields(parts, scores) == every, parts
            scored += bool(every)
    assert scored > 200  # the random labels do reach the threshold


def test_label_score_inlined_length_test_matches_part_score():
    for parts in _mutated_synonyms(1200, 7):
        for words in L._synonyms("fund").values():
            plain = 0.0
            kept = tuple(p for p in parts if not L._UNIT_ONLY.match(p)) or parts
            for depth, part in enumerate(reversed(kept)):
                for syn in words:
                    plain = max(plain, (1.0 if depth == 0 else 0.7) * L._part_score(part, syn))
            if len(kept) > 1:
                phrase = "".join(L.strip_unit(p) for p in kept)
                for syn in words:
                    plain = max(plain, 1.0 if syn == "/".join(kept) else 0.0, 0.9 * L._part_score(phrase, syn))
            assert L.label_score(parts, words) == plain, (parts, words)


_XML_TOKENS = [b'<c r="A1"', b'<c r="AB12"', b'<c r="a1"', b' s="2"', b' s="12"', b' s="1"', b's="2"', b'\ts="2"',
               b'\ns="12"', b' t="e"', b'>', b'/>', b'<v>1</v>', b'</c>', b'<row r="3" s="2">', b'<c s="2" r="B2"',
               b' ', b'"', b'<', b'x', b'<c r="C3" s="2"', b'<c r="D4"  s="12"/>', b'as="2"', b'\x0bs="1"',
               b'<c r="E5" ss="2"', b'<c r="Z9"s="2"']


def test_percent_cells_equal_a_search_of_the_whole_sheet():
    rnd = random.Random(3)
    for _ in range(20000):
        xml = b"".join(rnd.choice(_XML_TOKENS) for _ in range(rnd.randint(0, 25)))
        styles = set(rnd.sample([b"1", b"2", b"12"], rnd.randint(1, 3)))
        ids = b"|".join(sorted(styles))
        whole = {(int(m.group(2)), R.column_number(m.group(1).decode()))
                 for m in re.finditer(rb'<c r="([A-Z]+)(\d+)"[^>]*?\ss="(?:' + ids + rb')"', xml)}
        assert R._percent_cells(xml, styles) == whole, (xml, styles)


def test_percent_formats_and_error_cells_come_back_from_the_xml(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "贫困发生率"
    ws.append(["乡镇", "贫困发生率"])
    for i in range(50):
        ws.append([f"乡{i}", i / 100])
        ws.cell(row=i + 2, column=2).number_format = "0.00%"
    ws["C7"] = "=1/0"
    path = tmp_path / "rate.xlsx"
    wb.save(path)
    # a cached #DIV/0! result, as Excel writes it
    with zipfile.ZipFile(path) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    members[sheet], n = re.subn(rb'<c r="C7"([^>]*)><f>1/0</f>(<v */>|<v></v>)?</c>',
                                rb'<c r="C7"\1 t="e"><f>1/0</f><v>#DIV/0!</v></c>', members[sheet])
    assert n == 1
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)

    grids = R.read_grids(path, "xlsx", Limits())
    assert grids[0].percent_cells == {(r, 2) for r in range(2, 52)}
    assert grids[0].value(7, 3) == "#DIV/0!"


def test_note_first_characters_are_those_of_the_note_words():
    """_NOTE_FIRST lists the first character of every word _NOTE opens a note with."""
    words = re.match(r"\^\((.*?)\)\[", L._NOTE.pattern).group(1)
    firsts = {re.sub(r"^\(填报\)\?", "填", w)[0] for w in words.split("|")}
    assert firsts == set(L._NOTE_FIRST)


_NOTE_ALPHABET = "注备附说填审复核制统经负单主分领签联电手报数资村乡镇那坡合计一二三1２.、：:*※＊ 　\"“”'（()本表⽔⾦\u200b"


@pytest.mark.parametrize("seed", range(4))
def test_note_texts_read_as_the_pattern_on_the_normalised_text(seed):
    """The shortcut for a text opening with any other ideograph decides as the pattern does."""
    rng = random.Random(seed)
    L._note_text.cache_clear()
    texts = ["".join(rng.choice(_NOTE_ALPHABET) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    texts += ["那坡村", "注：单位万元", "填表人：李", "１.本表", "※说明", "  注1", "“注”", "⽔利", "村注"]
    for text in texts:
        assert L._note_text(text) == bool(L._NOTE.match(L.normalize(text))), text

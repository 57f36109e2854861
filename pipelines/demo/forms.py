"""The six forms as a generator sees them: columns (with the header spellings counties use,
taken from schemas/<form>.toml) and plausible true values per row.

Values are the truth the product must read back; `synth` decides how each is spelled.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

SHEET_TITLES = {
    "team": "驻村工作队力量", "fund": "资金投入", "collective": "村集体经济",
    "industry": "产业带贫", "poverty": "贫困发生率", "sales": "消费扶贫",
}
TABLE_TITLES = {
    "team": "驻村工作队力量统计表", "fund": "扶贫资金投入情况表", "collective": "村集体经济发展情况统计表",
    "industry": "产业带贫（带富组织）情况表", "poverty": "贫困发生率变化情况表", "sales": "消费扶贫情况统计表",
}
FORMS = tuple(SHEET_TITLES)


@dataclass(frozen=True)
class Column:
    """One column of a form as counties lay it out."""

    field: str | None  # canonical field; None for 序号 and 备注
    labels: tuple[str, ...]  # header spellings (each a synonym in schemas/<form>.toml)
    kind: str  # text, count, money, income, area, percent, bool, year, quantity, unit, note
    unit_word: str = ""  # 人/户/个/部 written after a count
    header_units: tuple[str | None, ...] = (None,)  # what may follow the label in brackets
    optional: bool = False
    group: str | None = None  # columns sharing a merged label above them (2-row headers)
    additive: bool = False  # summed by the 合计 row


def _c(field, labels, kind, unit_word="", header_units=(None,), optional=False, group=None, additive=False):
    return Column(field, tuple(labels), kind, unit_word, tuple(header_units), optional, group, additive)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "team": (
        _c("township", ("乡镇", "乡（镇）", "乡镇名称"), "text"),
        _c("work_team_members", ("选派工作队员数", "驻村工作队员", "工作队员数"), "count", "人",
           (None, "人"), group="team", additive=True),
        _c("township_professionals", ("乡镇专职队员", "乡镇专职扶贫人员", "专职队员"), "count", "人",
           (None, "人"), group="team", additive=True),
        _c("professional_team_total", ("专业扶贫工作队合计", "专业队伍合计", "专业队合计"), "count", "人",
           optional=True, group="team", additive=True),
        _c("village_cadres", ('村"两委"干部', "村两委干部", "两委干部"), "count", "人", (None, "人"),
           additive=True),
        _c("assistance_cadres", ("帮扶干部", "结对帮扶干部"), "count", "人", (None, "人"), optional=True,
           additive=True),
        _c("poor_households", ("贫困户数", "建档立卡贫困户", "建档立卡贫困户数"), "count", "户", (None, "户"),
           additive=True),
        _c("villages", ("驻村数", "覆盖村数"), "count", "个", (None, "个"), additive=True),
        _c("e_bikes", ("配备电动车", "电动车", "电动车数"), "count", "部", (None, "部"), optional=True,
           additive=True),
        # always with its unit: a 单位：万元 line must never reach a per-day allowance
        _c("meal_allowance_yuan_per_day", ("伙食补贴", "伙食补助标准"), "money", header_units=("元/人/天",),
           optional=True),
    ),
    "fund": (
        _c("project_name", ("项目名称", "建设项目", "扶贫项目"), "text"),
        _c("village", ("实施村", "项目实施村", "实施地点"), "text", optional=True),
        _c("amount_yuan", ("投入资金", "金额", "投资额", "资金投入"), "money", header_units=(None, "万元", "元"),
           group="money", additive=True),
        _c("fund_source", ("资金来源", "资金渠道", "资金性质"), "text", optional=True, group="money"),
        _c(None, ("备注",), "note", optional=True),
    ),
    "collective": (
        _c("village", ("村名", "行政村", "村委会"), "text"),
        _c("is_poor_village", ("是否贫困村", "是否为贫困村"), "bool", optional=True),
        _c("industry", ("发展产业/模式", "发展产业", "发展模式"), "text", optional=True, group="develop"),
        _c("area_mu", ("种植面积", "面积", "规模面积"), "area", header_units=(None, "亩"), optional=True,
           group="develop", additive=True),
        _c("investment_yuan", ("投入资金", "投入", "投资额"), "money", header_units=(None, "万元", "元"),
           group="develop", additive=True),
        _c("income_min_yuan", ("村集体经济收入", "集体经济收入", "年收入"), "income", header_units=(None, "万元")),
        _c("year", ("年度", "年份"), "year", optional=True),
    ),
    "industry": (
        _c("org_name", ("组织名称", "带富组织名称", "经营主体名称"), "text"),
        _c("org_type", ("类型（合作社/龙头企业/家庭农场/能人）", "组织类型", "主体类型"), "text", optional=True),
        _c("industry", ("产业", "主导产业"), "text", optional=True),
        _c("households_driven", ("带动农户", "带动农户数", "带动户数"), "count", "户", (None, "户"),
           group="driven", additive=True),
        _c("poor_households_driven", ("其中贫困户", "带动贫困户数", "其中：贫困户"), "count", "户", (None, "户"),
           group="driven", additive=True),
        _c("leader_is_party_member", ("负责人是否党员", "带头人是否党员"), "bool", optional=True),
    ),
    "poverty": (
        _c("township", ("乡镇", "乡镇名称", "地区"), "text"),
        _c("year", ("年份", "年度"), "year"),
        _c("poor_population", ("贫困人口", "贫困人口数", "建档立卡贫困人口"), "count", "人", (None, "人"),
           group="population"),
        _c("rural_population", ("农村人口", "农村户籍人口", "乡村人口"), "count", "人", (None, "人"),
           group="population"),
        _c("incidence_pct", ("贫困发生率", "发生率"), "percent", header_units=(None, "%")),
    ),
    "sales": (
        _c("product", ("产品", "产品名称", "扶贫产品"), "text"),
        _c("channel", ("销售渠道", "销售方式"), "text", optional=True),
        _c("quantity", ("数量", "销售数量", "销量"), "quantity", group="sold"),
        _c("unit", ("单位", "计量单位"), "unit", optional=True, group="sold"),
        _c("sales_yuan", ("销售额", "销售金额"), "money", header_units=(None, "万元", "元"), group="sold",
           additive=True),
        _c("villages", ("带动村数", "带动贫困村"), "count", "个", (None, "个"), optional=True, group="driving",
           additive=True),
        _c("households", ("带动户数", "带动农户数"), "count", "户", (None, "户"), group="driving", additive=True),
    ),
}

# merged labels above a group of columns in a 2-row header
GROUP_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "team": {"team": ("专业扶贫工作队", "专业队伍")},
    "fund": {"money": ("资金投入情况", "资金安排")},
    "collective": {"develop": ("产业发展情况", "产业发展")},
    "industry": {"driven": ("带动情况", "带动农户")},
    "poverty": {"population": ("人口情况",)},
    "sales": {"sold": ("销售情况",), "driving": ("带动情况", "带贫情况")},
}

MONEY_FIELDS = {
    "team": ("meal_allowance_yuan_per_day",),
    "fund": ("amount_yuan",),
    "collective": ("investment_yuan", "income_min_yuan", "income_max_yuan"),
    "industry": (),
    "poverty": (),
    "sales": ("sales_yuan",),
}

# --- names -------------------------------------------------------------------------------------

_FIRST = "东西南北上下平龙石那百思安永德古华清六明新江凤和仁都坡福广兴长板弄"
_SECOND = "城平山河江安阳桥岭洞圩滩合隆峒宁利兴塘甫乐茂州林源"
_THIRD = "一二三四五六七八九十"


def place_stems(rng: random.Random, n: int) -> list[str]:
    """n distinct two-character place stems (六平, 龙河, …), then three characters if needed."""
    stems = [a + b for a in _FIRST for b in _SECOND if a != b]
    rng.shuffle(stems)
    if n > len(stems):
        stems += [s + t for s in stems for t in _THIRD][: n - len(stems)]
    return stems[:n]


SURNAMES = "韦黄李陈覃蒙农蓝罗梁莫潘"
GIVEN = ("建国", "丽", "海燕", "明", "文军", "红霞", "世平", "秀英", "国华", "志强", "春梅", "永福")
FUND_SOURCES = ("中央财政专项扶贫资金", "自治区财政专项扶贫资金", "县级财政资金", "统筹整合涉农资金", "社会帮扶资金",
                "粤桂扶贫协作资金", "后盾单位帮扶资金", "金融扶贫贷款贴息")
PROJECT_TYPES = ("屯级道路建设", "道路硬化工程", "饮水安全巩固提升工程", "危房改造", "村级光伏电站", "扶贫车间建设",
                 "小型农田水利设施", "村级综合服务中心", "产业路建设", "屯亮化工程", "易地扶贫搬迁配套设施",
                 "农村电网改造")
PROJECT_NOTES = ("已完工", "在建", "已拨付", "", "")
INDUSTRIES = ("金桔种植", "百香果种植", "茶叶种植", "桑蚕", "入股龙头企业分红", "铺面出租", "农家乐", "村级光伏发电",
              "肉牛养殖", "香菇种植", "砂糖橘种植", "稻田养鱼")
PRODUCTS = {  # product → units it is counted in
    "土鸡": ("羽",), "蜂蜜": ("瓶",), "黑山羊": ("只",), "大米": ("斤", "公斤", "吨"), "香菇": ("公斤", "斤"),
    "番石榴": ("箱", "斤"), "沃柑": ("吨", "斤"), "木耳": ("公斤",), "指天椒": ("斤",), "砂糖橘": ("吨", "斤"),
    "茶叶": ("公斤",), "百香果": ("斤", "吨"), "罗汉果": ("个",),
}
CHANNELS = ("展销会", "粤桂协作消费扶贫", "后盾单位食堂采购", "电商平台", "扶贫专柜", "定点帮扶单位认购")
ORG_KINDS = ("合作社", "龙头企业", "家庭农场", "能人")


# --- true rows per form --------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """A county's townships and villages, stable across its periods."""

    townships: tuple[str, ...]
    villages: tuple[str, ...]


def places_for(rng: random.Random, n: int) -> Places:
    stems = place_stems(rng, 2 * n + 16)
    return Places(tuple(s + rng.choice("镇乡") for s in stems[: n + 8]), tuple(s + "村" for s in stems[n + 8:]))


def _team(rng: random.Random, n: int, places: Places, year: int, scale: int) -> list[dict[str, Any]]:
    rows = []
    for township in places.townships[:n]:
        poor = rng.randint(500, 3000)
        team_total = max(4, math.ceil(poor / rng.uniform(20, 70)))  # ≤ 70 households per member
        members = max(2, round(team_total * rng.uniform(0.5, 0.75)))
        rows.append({
            "township": township,
            "work_team_members": members,
            "township_professionals": team_total - members,
            "professional_team_total": team_total,
            "village_cadres": rng.randint(30, 120),
            "assistance_cadres": rng.randint(60, 400),
            "poor_households": poor,
            "villages": rng.randint(5, 20),
            "e_bikes": rng.randint(team_total // 2, team_total),
            "meal_allowance_yuan_per_day": Decimal(rng.choice((80, 100, 120))),
        })
    return rows


def _fund(rng: random.Random, n: int, places: Places, year: int, scale: int) -> list[dict[str, Any]]:
    pairs = rng.sample([(v, t) for v in places.villages for t in PROJECT_TYPES], n)
    rows = []
    for village, kind in pairs:
        roll = rng.random()
        if roll < 0.05:
            amount, qualifier = Decimal(rng.randint(1, 80) * 100_000), "approx"  # 近700万元
        elif roll < 0.08:
            amount, qualifier = Decimal(rng.choice((5, 10, 20, 50, 100)) * 10_000), "at_least"  # 超过50万元
        elif roll < 0.4:
            amount, qualifier = Decimal(rng.randint(100_000, 5_000_000)), None  # 327.4813万元
        else:
            amount, qualifier = Decimal(rng.randint(1000, 50_000) * 100), None  # 246.1万元
        rows.append({
            "project_name": village[:-1] + kind, "village": village, "fund_source": rng.choice(FUND_SOURCES),
            "amount_yuan": amount, "amount_qualifier": qualifier, None: rng.choice(PROJECT_NOTES),
        })
    return rows


def _collective(rng: random.Random, n: int, places: Places, year: int, scale: int) -> list[dict[str, Any]]:
    rows = []
    for village in places.villages[:n]:
        roll = rng.random()
        if roll < 0.7:
            low = high = Decimal(rng.randint(10, 200) * 1000)  # 1–20 万元, one decimal: 6.2万元
        elif roll < 0.82:
            low = Decimal(rng.randint(1, 5) * 10_000)
            high = low + Decimal(rng.randint(2, 8) * 10_000)  # 2万元至10万元不等
        elif roll < 0.92:
            low, high = Decimal(rng.choice((5, 10)) * 10_000), None  # 5万元以上
        else:
            low, high = None, Decimal(rng.choice((1, 2)) * 10_000)  # 不足2万元
        rows.append({
            "village": village,
            "is_poor_village": rng.random() < 0.45,
            "industry": rng.choice(INDUSTRIES),
            "area_mu": Decimal(rng.randint(10, 600)) / 2 if rng.random() < 0.3 else Decimal(rng.randint(5, 300)),
            "investment_yuan": Decimal(rng.randint(10_000, 200_000)) * scale,
            "income_min_yuan": None if low is None else low * scale,
            "income_max_yuan": None if high is None else high * scale,
            "year": year,
        })
    return rows


def _industry(rng: random.Random, n: int, places: Places, year: int, scale: int) -> list[dict[str, Any]]:
    pairs = rng.sample([(v, p) for v in places.villages for p in PRODUCTS], n)
    rows = []
    for village, product in pairs:
        kind = rng.choice(ORG_KINDS)
        name = {
            "合作社": f"{village}{product}专业合作社",
            "龙头企业": f"{village}{product}农业开发有限公司",
            "家庭农场": f"{village}{product}家庭农场",
            "能人": f"{village}{product}致富带头人{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
        }[kind]
        households = rng.randint(10, 200)
        rows.append({
            "org_name": name, "org_type": kind, "industry": product,
            "households_driven": households,
            "poor_households_driven": rng.randint(households // 4, households * 3 // 4),
            "leader_is_party_member": rng.random() < 0.4,
        })
    return rows


def _poverty(rng: random.Random, n: int, places: Places, year: int, scale: int) -> list[dict[str, Any]]:
    years = [year - 3, year - 1] if n <= 24 else [year - 3, year - 2, year - 1, year]
    townships = places.townships[: math.ceil(n / len(years))]
    rows = []
    for y in years:
        for township in townships:
            rural = rng.randint(10_000, 45_000)
            poor = round(rural * rng.uniform(0.01, 0.3))
            rows.append({
                "township": township, "year": y, "poor_population": poor, "rural_population": rural,
                # two decimals: within 0.005 of 100·poor/rural (the rule allows 0.05)
                "incidence_pct": (Decimal(100 * poor) / Decimal(rural)).quantize(Decimal("0.01")),
            })
    return rows[:n]


def _sales(rng: random.Random, n: int, places: Places, year: int, scale: int) -> list[dict[str, Any]]:
    stems = [v[:-1] for v in places.villages] + [t[:-1] for t in places.townships]
    pairs = rng.sample([(s, p) for s in stems for p in PRODUCTS], n)
    rows = []
    for stem, product in pairs:
        unit = rng.choice(PRODUCTS[product])
        if unit == "吨":
            amount = rng.randint(5, 300)
        elif unit in ("斤", "公斤") and rng.random() < 0.3:
            amount = rng.randint(1, 20) * 10_000  # 10万斤
        else:
            amount = rng.randint(200, 120_000)
        rows.append({
            "product": stem + product, "channel": rng.choice(CHANNELS), "quantity": amount, "unit": unit,
            "sales_yuan": Decimal(rng.randint(10_000, 1_000_000)),
            "villages": rng.randint(1, 10), "households": rng.randint(20, 300),
        })
    return rows


TRUE_ROWS: dict[str, Callable[..., list[dict[str, Any]]]] = {
    "team": _team, "fund": _fund, "collective": _collective, "industry": _industry, "poverty": _poverty,
    "sales": _sales,
}

"""Header wordings a county clerk might use (not copied from the synonym lists): each must map to
its field, leave every other column where it was, and keep the form recognised.

One header of a plain table is replaced at a time (located in memory: fast); a few whole header
sets in other wordings go end to end through check_file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from pipelines.flow import check_file
from pipelines.intake.locate import locate_tables
from pipelines.intake.read import Grid

# form → (title, [(field, standard header)], data rows)
FORMS = {
    'team': ('融安县驻村工作队力量统计表',
        [('township', '乡镇'), ('work_team_members', '选派工作队员数'), ('township_professionals', '乡镇专职队员'), ('professional_team_total', '专业扶贫工作队合计'), ('village_cadres', '村"两委"干部'), ('assistance_cadres', '帮扶干部'), ('poor_households', '贫困户数'), ('villages', '驻村数'), ('e_bikes', '电动车（部）'), ('meal_allowance_yuan_per_day', '伙食补贴（元/人/天）')],
        [['长安镇', 12, 5, 17, 31, 123, 812, 11, 13, 30], ['浮石镇', 9, 4, 13, 27, 98, 640, 8, 9, 30], ['大将镇', 15, 6, 21, 44, 151, 1012, 14, 16, 30]]),
    'fund': ('融安县扶贫资金投入情况表',
        [('project_name', '项目名称'), ('village', '实施村'), ('fund_source', '资金来源'), ('amount_yuan', '投入资金（万元）')],
        [['金桔基地建设', '大坡村', '财政专项扶贫资金', 327.48], ['村道硬化', '东潭村', '整合资金', 88.6], ['饮水工程', '泗维村', '社会帮扶资金', 45.2]]),
    'collective': ('融安县村集体经济发展情况表',
        [('village', '村名'), ('is_poor_village', '是否贫困村'), ('industry', '发展产业/模式'), ('area_mu', '面积（亩）'), ('investment_yuan', '投入（万元）'), ('income_min_yuan', '村集体经济收入（万元）'), ('year', '年度')],
        [['大坡村', '是', '金桔种植', 120, 30, 5.2, 2018], ['东潭村', '否', '光伏发电', 15, 50, 3.8, 2018], ['泗维村', '是', '物业出租', 2, 20, 2.1, 2018]]),
    'industry': ('融安县产业带贫情况表',
        [('org_name', '组织名称'), ('org_type', '类型'), ('industry', '产业'), ('households_driven', '带动农户（户）'), ('poor_households_driven', '其中贫困户'), ('leader_is_party_member', '负责人是否党员')],
        [['融安县金桔专业合作社', '合作社', '金桔', 230, 87, '是'], ['广西某某农业有限公司', '龙头企业', '香杉', 410, 152, '否'], ['大坡家庭农场', '家庭农场', '养牛', 35, 12, '是']]),
    'poverty': ('融安县贫困发生率统计表',
        [('township', '乡镇'), ('year', '年度'), ('poor_population', '贫困人口（人）'), ('rural_population', '农村人口（人）'), ('incidence_pct', '贫困发生率（%）')],
        [['长安镇', 2018, 1234, 45678, 2.7], ['浮石镇', 2018, 987, 32100, 3.07], ['大将镇', 2018, 1560, 40210, 3.88]]),
    'sales': ('融安县消费扶贫产品销售情况表',
        [('product', '产品'), ('channel', '销售渠道'), ('quantity', '数量'), ('unit', '单位'), ('sales_yuan', '销售额（元）'), ('villages', '带动村数'), ('households', '带动户数')],
        [['金桔', '电商平台', 52000, '斤', 364000, 7, 213], ['香杉木材', '企业采购', 800, '吨', 960000, 4, 88], ['融安滑皮金桔干', '展销会', 3000, '公斤', 45000, 3, 41]]),
}

# form → field → other wordings
WORDINGS = {
    'team': {
        'township': ['乡镇名称', '乡镇（街道）名称', '乡镇别', '所在乡镇', '乡镇（场）', '单位名称', '乡（镇）名称', '乡镇（农场）', '1.乡镇'],
        'work_team_members': ['驻村工作队员（人）', '选派驻村工作队员数（人）', '驻村第一书记及工作队员', '驻村工作队队员人数', '其中：驻村工作队员', '选派驻村工作队员', '派驻工作队员', '驻村工作队（人）', '在岗驻村队员', '工作队员（名）', '驻村工作队员人数', '选派工作队员（人）'],
        'township_professionals': ['乡镇扶贫专职人员', '乡镇脱贫攻坚专职人员', '乡镇专职扶贫工作队员', '乡镇扶贫工作站专职人员（人）', '乡镇扶贫站人员', '其中：乡镇专职队员', '乡镇专职队员（人）', '乡镇专职扶贫队员数', '乡镇扶贫专干（人）'],
        'professional_team_total': ['专业扶贫工作队人数合计', '专业扶贫工作队（人）', '专职扶贫工作队伍合计', '专业化扶贫队伍', '扶贫工作队伍合计', '专业扶贫工作队总数', '扶贫工作力量合计', '专业扶贫工作队合计（人）'],
        'village_cadres': ['村“两委”成员', '村两委班子成员', '村级两委干部', '村“两委”干部（人）', '村委干部', '村支两委干部', '村支“两委”干部', '村“两委”班子成员'],
        'assistance_cadres': ['结对帮扶干部（人）', '帮扶联系人数', '帮扶责任人数', '结对帮扶责任人', '帮扶干部人数', '挂点帮扶干部', '结对帮扶干部数', '帮扶干部（名）'],
        'poor_households': ['建档立卡户数', '建档立卡贫困户（户）', '贫困户总数', '帮扶贫困户数', '结对贫困户', '结对帮扶贫困户数', '建档立卡户', '贫困户数（户）', '建档立卡贫困户户数'],
        'villages': ['驻村个数（个）', '派驻村数（个）', '覆盖村（个）', '驻村数量', '派驻村个数', '驻点村（个）', '覆盖贫困村数', '帮扶村数', '联系村数', '驻村数（个）'],
        'e_bikes': ['配备电动车（辆）', '电动车（辆）', '电动车数量（部）', '配发电动车', '工作用电动车', '配备交通工具', '电动车（台）', '配备电动车数'],
        'meal_allowance_yuan_per_day': ['伙食补贴标准（元/人/天）', '伙食补助（元/天）', '每人每天伙食补助', '生活补助标准（元/人·天）', '伙食补助费', '驻村生活补助', '伙食补贴（元/人·日）', '伙食补助标准（元）', '驻村伙食补贴'],
    },
    'fund': {
        'project_name': ['项目名称（建设内容）', '扶贫项目名称', '建设项目名称', '项目（工程）名称', '项目及建设内容', '产业项目名称', '项目建设名称', '工程项目名称', '项目名称及内容', '1.项目名称', '（一）项目名称', '一、项目名称'],
        'village': ['实施地点（村）', '项目实施地点', '建设地点（村屯）', '受益村', '项目所在村', '实施村（屯）', '村屯', '项目实施村屯', '实施村名称', '项目实施地'],
        'fund_source': ['资金来源渠道', '资金来源（财政/社会）', '资金类型', '资金种类', '投入资金来源', '来源渠道', '资金筹措渠道', '筹资渠道', '资金来源类别'],
        'amount_yuan': ['项目总投资（万元）', '投资总额（万元）', '计划投资额', '财政扶贫资金（万元）', '投入扶贫资金', '已投入资金（万元）', '累计投入（万元）', '投资规模', '完成投资（万元）', '总投资额', '拨付金额', '投入资金合计（万元）', '投入资金(万元)', '资金投入 万元', '投入资金/万元'],
    },
    'collective': {
        'village': ['行政村（社区）', '村委会（社区）', '村名（社区）', '所属村', '村（居）委会', '贫困村名', '行政村名', '村委名称', '村（社区）名'],
        'is_poor_village': ['是否建档立卡贫困村', '贫困村（是/否）', '是否为建档立卡贫困村', '是否贫困村（是/否）', '是否属贫困村', '是否属于贫困村', '是否为贫困村（√）'],
        'industry': ['主要发展产业', '集体经济发展模式', '集体经济产业', '发展项目名称', '经营项目名称', '产业发展模式', '主导产业', '发展类型', '村集体经济项目', '发展路径', '发展产业（模式）'],
        'area_mu': ['规模（亩）', '种植（养殖）面积', '项目面积', '占地面积（亩）', '基地面积', '土地面积', '经营面积', '发展规模（亩）', '种植面积（亩）'],
        'investment_yuan': ['投入资金（万元）', '投入金额（万元）', '扶持资金（万元）', '项目投资（万元）', '累计投入', '投资总额', '财政扶持资金', '扶持金额', '投入扶持资金（万元）'],
        'income_min_yuan': ['集体经济收入（万元）', '村集体经济年收入', '村集体经营性收入', '集体经济经营性收入（万元）', '村集体收入', '年集体经济收入', '村级集体经济收入（万元）', '集体经济收益', '村集体经济收入（万元）（2018年）', '2018年村集体经济收入（万元）', '村集体经济收入金额', '经营收入'],
        'year': ['年份', '统计年度', '收入年度', '所属年度', '年度（年）', '年份（年）'],
    },
    'industry': {
        'org_name': ['合作社（企业）名称', '新型经营主体名称', '带贫主体名称', '企业（合作社）名称', '带贫组织名称', '扶贫龙头企业名称', '组织（企业）名称', '带富组织', '单位名称', '带富组织（名称）'],
        'org_type': ['主体类型', '类型（合作社/龙头企业/家庭农场/能人）', '经营主体类型', '组织形式', '带贫主体类型', '组织类别', '企业类型', '类型(合作社、龙头企业、家庭农场、能人)'],
        'industry': ['主导产业', '产业类别', '经营产业', '从事产业', '经营范围', '主营产业', '带动产业', '产业名称', '主要产业'],
        'households_driven': ['带动农户数（户）', '联农带农户数', '带动农户总数', '辐射带动农户', '带动群众（户）', '带动农户合计', '联结带动农户数', '带动户（户）', '带动农户户数（户）', '带动农户（户）合计'],
        'poor_households_driven': ['其中：贫困户（户）', '其中：建档立卡贫困户（户）', '带动建档立卡贫困户数', '其中带动贫困户', '带动贫困户（户）', '其中：脱贫户', '带贫户数', '其中：建档立卡户数', '带动脱贫户数', '其中:贫困户数', '其中：带动贫困户数（户）'],
        'leader_is_party_member': ['负责人是否为党员', '带头人是否为党员', '负责人是否中共党员', '是否党员（是/否）', '法人是否党员', '负责人（是否党员）', '负责人是否党员（是/否）'],
    },
    'poverty': {
        'township': ['乡镇名称', '乡镇（街道）', '乡镇（场）', '乡（镇）名称', '所在乡镇', '单位名称'],
        'year': ['年份', '统计年度', '年度（年）', '统计年份', '年份（年度）'],
        'poor_population': ['贫困人口数（人）', '建档立卡贫困人口（人）', '剩余贫困人口', '未脱贫人口数', '年末贫困人口', '现有贫困人口', '建档立卡未脱贫人口', '剩余未脱贫人口（人）'],
        'rural_population': ['农村户籍人口（人）', '乡村人口数', '农业户籍人口', '农村人口数', '农村常住人口', '农村人口总数', '农业人口数', '户籍农业人口', '农村人口（人）'],
        'incidence_pct': ['贫困发生率(％)', '发生率（%）', '建档立卡贫困发生率', '剩余贫困发生率', '贫困人口发生率', '贫困率', '贫困发生率%', '贫困发生率（百分比）'],
    },
    'sales': {
        'product': ['产品名称', '扶贫产品名称', '农产品名称', '销售产品', '产品种类', '扶贫产品品种', '销售品种', '产品（品名）', '产品品种'],
        'channel': ['销售渠道（线上/线下）', '销售方式（渠道）', '销售平台（渠道）', '营销渠道', '购销渠道', '销售去向', '流通渠道', '销售形式', '销售渠道及方式'],
        'quantity': ['销售数量', '销量', '销售总量', '交易量', '成交量', '采购数量', '购买数量'],
        'unit': ['计量单位', '单位（斤/公斤/吨）', '数量单位', '规格单位'],
        'sales_yuan': ['销售额（万元）', '销售金额（元）', '销售收入（元）', '采购金额', '成交金额（元）', '交易金额', '实现销售额', '采购额', '购买金额', '销售总额（元）', '消费扶贫金额（元）'],
        'villages': ['带动贫困村数（个）', '带动村（个）', '涉及村数', '覆盖村数', '受益村数', '带动行政村数', '惠及村数', '辐射带动村数'],
        'households': ['带动贫困户数（户）', '带动农户（户）', '受益户数', '带动户数（户）', '惠及农户', '带动建档立卡户', '受益贫困户', '带动脱贫户', '覆盖农户数', '带动农户数（户）'],
    },
}

# every header in another wording at once
FULL_SETS = [
    ('team', ['乡镇名称', '驻村工作队员（人）', '乡镇扶贫专职人员（人）', '专业扶贫工作队人数合计', '村“两委”成员', '结对帮扶干部（人）', '建档立卡贫困户（户）', '派驻村数（个）', '配备电动车（辆）', '伙食补助标准（元/人/天）']),
    ('team', ['乡（镇）', '选派驻村工作队员数', '乡镇扶贫工作站专职人员', '专业扶贫工作队（人）', '村两委班子成员', '帮扶责任人数', '建档立卡户数', '驻村个数', '电动车（辆）', '伙食补贴标准（元/人/天）']),
    ('fund', ['扶贫项目名称', '项目实施地点', '资金来源渠道', '项目总投资（万元）']),
    ('fund', ['建设项目名称', '实施村（屯）', '资金类型', '投资总额（万元）']),
    ('collective', ['行政村（社区）', '是否建档立卡贫困村', '主要发展产业', '规模（亩）', '投入资金（万元）', '集体经济收入（万元）', '年份']),
    ('collective', ['村委会（社区）', '贫困村（是/否）', '集体经济发展模式', '种植面积（亩）', '扶持资金（万元）', '村集体经营性收入（万元）', '统计年度']),
    ('industry', ['合作社（企业）名称', '主体类型', '主导产业', '带动农户数（户）', '其中：建档立卡贫困户（户）', '负责人是否为党员']),
    ('industry', ['新型经营主体名称', '经营主体类型', '产业类别', '联农带农户数', '其中：脱贫户', '带头人是否为党员']),
    ('poverty', ['乡镇名称', '年份', '建档立卡贫困人口（人）', '农村户籍人口（人）', '贫困发生率(％)']),
    ('poverty', ['乡（镇）名称', '统计年度', '剩余贫困人口', '农业户籍人口', '剩余贫困发生率']),
    ('sales', ['扶贫产品名称', '销售方式（渠道）', '销售数量', '计量单位', '销售金额（元）', '带动贫困村数（个）', '带动贫困户数（户）']),
    ('sales', ['农产品名称', '营销渠道', '销售总量', '数量单位', '销售收入（元）', '涉及村数', '受益户数']),
]



def _rows(form: str, headers: list[str]) -> list[list]:
    title, _, data = FORMS[form]
    return [[title], ["填报单位：融安县扶贫开发办公室", None, "报告期：2018年8月"], ["序号", *headers],
            *[[i, *r] for i, r in enumerate(data, 1)], ["填表人：", None, "审核人："]]


def _mapping(form: str, headers: list[str]) -> dict[str, int]:
    tables = locate_tables(Grid("Sheet1", _rows(form, headers)))
    assert [t.form.name for t in tables] == [form], headers
    return {name: c.col for name, c in tables[0].columns.items()}


CASES = [(form, field, w) for form, fields in WORDINGS.items() for field, ws in fields.items() for w in ws]


@pytest.mark.parametrize("form,field,wording", CASES, ids=[f"{f}-{w}" for f, _, w in CASES])
def test_one_header_in_another_wording(form, field, wording):
    cols = FORMS[form][1]
    standard = [h for _, h in cols]
    expected = _mapping(form, standard)
    assert set(expected) == {f for f, _ in cols}
    headers = list(standard)
    headers[[f for f, _ in cols].index(field)] = wording
    assert _mapping(form, headers) == expected


@pytest.mark.parametrize("form,headers", FULL_SETS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FULL_SETS)])
def test_whole_header_set_in_other_wordings(tmp_path: Path, form, headers):
    wb = openpyxl.Workbook()
    for row in _rows(form, headers):
        wb.active.append(row)
    path = tmp_path / "returns.xlsx"
    wb.save(path)
    out = check_file(path, county="450224").to_json()
    records = [r["values"] for r in out["records"] if r["form"] == form]
    assert len(records) == 3, out["issues"]
    for (field, _), value in zip(FORMS[form][1], FORMS[form][2][0]):
        got = records[0][field]
        if isinstance(value, (int, float)):
            # a unit in the header (万元) scales money; the number itself must be this column's
            assert got is not None and any(abs(got - value * k) < 1e-6 * max(1, value * k) for k in (1, 10000)), field
        elif field == "is_poor_village" or field == "leader_is_party_member":
            assert got is (value == "是"), field
        else:
            assert got == value, field

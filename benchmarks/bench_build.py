"""Benchmark `ticreg build` against plain MkDocs building the same pages.

For each N (default 1,000, 5,000 and 10,000 centers) it writes a synthetic
registry of N certified centers, the applications that certified them and
some that did not get that far, into a temporary copy of the repository
(the real mkdocs.yml, docs/, overrides/, templates/, schemas/ and the real
policy.yml, departments.yml, staff.yml and calendar/). It checks once that
`ticreg validate` reports zero findings on it, then measures, best of
--repeat, each as a subprocess of its own (wall time, CPU time and the peak
resident set size of that one process, from ``os.wait4``):

* ticreg build: ``ticreg build --today <TODAY>`` from scratch (no build/,
  no site/): validation, writing build/docs, MkDocs with Material;
* mkdocs build: ``python -m mkdocs build -q -f mkdocs.yml -d <dir>`` on the
  build/docs that ticreg build just wrote, with the same SOURCE_DATE_EPOCH;
* sources only: ``ticreg build --sources-only`` from scratch: validation
  and page generation without MkDocs.

It prints a table with the ratio ticreg build / mkdocs build, the peak
memory of both, the size of site/search/search_index.json gzipped (level 9)
per center, and whether the targets are met: a ratio of at most 1.2 at every
N, and at N = 10,000 under 60 seconds and under 1 GiB peak memory.
Wall time is what the targets name; on a shared machine CPU time (user +
system, also printed) is steadier.

``--phases`` adds one extra, untimed, in-process ``build_site`` with light
timers around its steps (validation, generation, and inside MkDocs: Markdown,
raw-HTML parsing, search indexing, jieba, the Material template), giving CPU
time per step and per page kind without cProfile's distortion. ``--profile``
adds a cProfile of one extra, untimed ``ticreg build``.

Run with the project's interpreter, from the repository root:

    .venv/bin/python benchmarks/bench_build.py --sizes 1000
    .venv/bin/python benchmarks/bench_build.py --sizes 1000 --phases
    nohup .venv/bin/python benchmarks/bench_build.py --sizes 5000,10000 > /tmp/bench_build.log 2>&1 &
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_validate import (
    GIVEN,
    SURNAMES,
    TEAM_OTHER,
    TEAM_QUALIFIED,
    TODAY,
    patent_number,
    ticreg_command,
)
from ticreg.identifiers import USCC_ALPHABET, uscc_expected_check_character

REPO = Path(__file__).resolve().parent.parent
SOURCE_REGISTRY = REPO / "registry"
# What `ticreg build` reads from a repository besides registry/ (tests/conftest.py SITE_INPUTS).
SITE_INPUTS = ("docs", "overrides", "templates", "schemas", "mkdocs.yml")
SEED = 20261126
DEFAULT_SIZES = (1000, 5000, 10000)

# Targets from the issue.
TARGET_RATIO = 1.2
TARGET_N = 10_000
TARGET_SECONDS = 60.0
TARGET_MIB = 1024.0  # 1 GiB

# ---------------------------------------------------------------------------
# Synthetic registry: N certified centers with realistic histories and text
# ---------------------------------------------------------------------------

HEADER = "# 【基准测试数据】由 benchmarks/bench_build.py 生成，单位、人员、编号均为虚构。"

# Per cluster: technology terms (name cores, research directions, summaries)
# and what the industry wants from them.
CLUSTER_TERMS = {
    "coal-chemical": [
        "煤炭清洁高效利用", "无烟煤气化", "煤制合成氨", "煤基新材料", "焦炉煤气综合利用", "煤矸石资源化",
        "矿井智能化开采", "煤矿安全监测", "洗选煤提质", "煤基活性炭", "甲醇下游产品", "煤化工废水处理",
        "二氧化碳捕集利用", "煤基针状焦", "合成气制乙二醇", "矿山生态修复", "煤矿井下机器人", "粉煤灰综合利用",
        "煤基碳材料", "低阶煤分质利用", "煤焦油深加工", "煤矿瓦斯防治",
    ],
    "steel-casting": [
        "球墨铸铁管件", "精密铸造", "汽车零部件铸造", "铸造废砂再生", "高端铸件", "消失模铸造", "特种合金铸钢",
        "铸件缺陷检测", "绿色铸造工艺", "轧辊制造", "精密锻造", "钢铁冶炼节能", "耐磨材料", "铸造模具设计",
        "液压阀体铸件", "砂型增材制造", "短流程炼钢", "铸造数字化车间", "机床铸件", "风电铸件", "钢材深加工",
    ],
    "coalbed-methane": [
        "煤层气高效开发", "煤层气勘探", "深部煤层气压裂", "煤层气排采", "瓦斯抽采利用", "煤层气集输", "煤层气液化",
        "采动区煤层气", "煤层气地质评价", "水平井钻完井", "煤层气增产改造", "煤层气发电", "低产井治理",
        "压缩天然气", "煤系气综合开发", "氢能制备与储运", "煤层气测井", "气田数字化管理", "煤层气装备",
    ],
    "optomechatronics": [
        "精密光学元件", "激光加工装备", "光电传感", "智能制造装备", "工业机器人", "数控机床", "光纤通信器件",
        "红外成像", "半导体照明", "精密测量仪器", "机器视觉检测", "电机驱动控制", "液压传动", "智能传感器",
        "光学镀膜", "微纳加工", "伺服系统", "电子信息材料", "精密轴承", "光电显示",
    ],
    "all-area-tourism": [
        "智慧旅游", "文旅融合", "古堡文化遗产保护", "太行山生态旅游", "乡村旅游", "康养旅游", "旅游大数据",
        "红色文化旅游", "非遗数字化", "景区智慧管理", "研学旅行", "文创产品开发", "旅游服务质量", "冰雪旅游",
        "旅游交通组织", "古建筑数字保护", "夜间文旅消费",
    ],
    "new-energy-materials": [
        "锂离子电池负极材料", "钠离子电池硬碳", "光伏材料", "氢燃料电池", "储能系统集成", "碳纤维复合材料",
        "石墨烯材料", "稀土功能材料", "高性能陶瓷", "新型建筑材料", "电池回收利用", "先进储热材料", "特种玻璃",
        "高分子材料改性", "超级电容器", "硅基材料", "固态电池", "光伏组件回收",
    ],
    "big-data": [
        "工业大数据", "工业互联网平台", "数据中心节能", "云计算服务", "人工智能算法", "数字孪生", "区块链应用",
        "智慧城市", "信息安全", "智能矿山数据", "政务数据治理", "物联网感知", "边缘计算", "数据要素流通",
        "智能客服", "第五代移动通信应用", "算力调度", "工业软件",
    ],
    "modern-agriculture": [
        "蚕桑产业", "小杂粮育种", "设施蔬菜", "中药材种植", "畜禽养殖", "农产品加工", "智慧农业", "旱作节水",
        "食用菌栽培", "农业废弃物利用", "果品保鲜", "种业创新", "土壤改良", "农机装备", "有机肥料",
        "山地特色农业", "生猪健康养殖", "农产品质量追溯", "山楂精深加工", "蜂产品开发",
    ],
    "medicine": [
        "太行中药材", "中药饮片炮制", "连翘综合开发", "党参精深加工", "生物医药", "医疗器械", "化学原料药",
        "中药配方颗粒", "药用辅料", "兽药研发", "药品质量检测", "道地药材", "保健食品", "生物发酵", "中医药康养",
        "医用材料", "黄芩规范化种植", "中药提取物",
    ],
}
# Comprehensive centers (article 6): cross-cutting cores, no cluster.
COMPREHENSIVE_TERMS = [
    "先进制造", "产业技术", "绿色低碳发展", "资源型经济转型", "科技成果转化", "新型工业化", "数字经济",
    "区域创新", "产学研协同", "高端装备", "战略性新兴产业", "节能环保", "安全生产科技", "现代服务业",
]
PLACES = [
    "太行", "王屋", "丹河", "沁河", "凤城", "珏山", "析城山", "王莽岭", "皇城", "蟒河", "端氏", "润城", "北留",
    "巴公", "高都", "犁川", "长平", "炎帝", "司徒", "大阳", "周村", "礼义", "町店", "晋东南", "泽州", "高平",
    "阳城", "陵川", "沁水", "太岳", "中条", "河东",
]
MODIFIERS = ["", "", "", "工程", "产业", "协同", "应用", "集成", "绿色", "智能", "共性", "装备"]
DIRECTION_SUFFIXES = [
    "关键技术", "关键技术研究与应用", "工艺与装备", "技术集成与示范", "新产品研发", "标准与检测技术", "智能化技术",
    "产业化技术", "共性技术攻关", "绿色化改造技术", "中试与工程化", "技术与装备国产化",
]
NEEDS = [
    "转型升级的技术需求", "高端化、智能化、绿色化发展", "延链补链强链", "提质增效", "安全生产与节能降碳",
    "关键核心技术自主可控", "产品结构调整", "数字化转型", "产业链协同创新",
]
GOALS = [
    "形成一批具有自主知识产权的核心技术和标志性产品", "建成区域一流的技术研发与中试服务平台",
    "培育一批科技型中小企业和高新技术企业", "制定若干项团体标准和地方标准", "实现一批重大科技成果就地转化",
]
UNIT_WORDS = ["华晋", "太行", "丹河", "沁河", "凤城", "珏山", "析城", "王莽岭", "皇城", "司徒", "兰花", "晋钢",
              "泽瑞", "沁新", "阳泰", "凤鸣", "天泽", "金驹", "富士康", "华阳", "潞安", "晋煤", "福盛", "宏圣"]
UNIT_INDUSTRY = {
    "coal-chemical": ["煤化工", "能源", "洁净煤", "化工"], "steel-casting": ["铸造", "精工", "钢铁", "机械"],
    "coalbed-methane": ["煤层气", "燃气", "能源开发", "天然气"], "optomechatronics": ["光电", "智能装备", "精密机械", "电子"],
    "all-area-tourism": ["文旅", "旅游开发", "文化传媒", "康养"],
    "new-energy-materials": ["新材料", "新能源", "储能", "碳材料"],
    "big-data": ["数据科技", "信息技术", "云计算", "数字科技"], "modern-agriculture": ["农业科技", "农牧", "种业", "蚕业"],
    "medicine": ["药业", "中药", "生物科技", "医疗器械"], None: ["产业技术", "科技发展", "工业技术", "创新"],
}
TOWN = {"140502": "凤城", "140521": "沁水", "140522": "阳城", "140524": "陵川", "140525": "泽州", "140581": "高平"}
UNIT_FORMS = ["有限公司", "股份有限公司", "科技有限公司", "集团有限公司"]
INSTITUTES = ["晋城市太行产业技术研究院", "晋城市科学技术研究院", "山西晋城先进制造研究院", "晋城市丹河新型材料研究院",
              "晋城市煤炭科学研究所", "晋城市农业科学研究院", "晋城市中医药研究所", "晋城市沁河生态研究院"]
SCHOOLS = ["太原理工大学", "中北大学", "山西大学", "太原科技大学", "山西农业大学", "晋城职业技术学院", "山西医科大学",
           "中国矿业大学", "太原工业学院", "山西师范大学", "长治学院", "山西中医药大学"]
PARTNER_REGIONS = ["山西", "太原", "河南", "北京", "长治", "临汾", "郑州", "西安"]
OTHER_DIVISIONS = ["140105", "140106", "140107", "140109", "140400", "410100", "110108"]
DIRECTOR_TITLES = [("full-senior", "正高级工程师"), ("full-senior", "研究员"), ("full-senior", "教授"),
                   ("associate-senior", "高级工程师"), ("associate-senior", "副研究员"), ("associate-senior", "副教授"),
                   ("associate-senior", "高级农艺师")]
SERVICES = ["commissioned-rd", "standards-and-verification", "inspection-testing", "incubation", "training",
            "market-information", "achievement-evaluation", "consulting"]
SERVICE_NAMES = {"commissioned-rd": "技术委托研发", "standards-and-verification": "标准制定和实验验证",
                 "inspection-testing": "检验检测", "incubation": "企业孵化", "training": "人员培训",
                 "market-information": "市场信息服务", "achievement-evaluation": "成果评价", "consulting": "科技咨询"}
EVALUATORS = ["山西恒信科技评估咨询有限公司", "山西省科技评估中心（示例）", "晋城市科技咨询服务中心（示例）",
              "太原华科技术评价有限公司", "山西众诚科技评估有限公司"]
ROADS = ["凤台街", "泽州路", "黄华街", "白马寺路", "兰花路", "文昌街", "书院街", "红星街", "中原街", "景西路", "北石店路"]
RETAIN_NOTES = [
    "中心运行规范，研发投入持续增长，对外服务收入达到预期目标，予以保留。",
    "完成绩效任务书约定的研发与服务指标，成果转化成效明显，予以保留。",
    "中心建设基本达到预期，建议进一步加强人才引进和对外开放共享，予以保留。",
]
RECTIFY_NOTES = [
    "评估发现共建单位之间协同不足、对外服务收入偏低，限期整改。",
    "研发设备开放共享不足，专职研究人员流失较多，限期整改。",
    "绩效任务书约定的成果转化指标完成率偏低，财务核算不够独立，限期整改。",
]
REVOKE_NOTES = [
    "牵头单位生产经营困难，科研团队流失，中心未实际运行。",
    "连续两年未开展实质性研发活动，研发场地已改作他用。",
    "整改期满复评仍未达到要求，中心不再具备运行条件。",
]
CHANGE_REASONS = [
    "中心认定以来研究重点发生调整，原名称不能准确反映中心定位，申请更名。",
    "牵头单位完成重组更名，中心名称随之调整，以准确反映中心的研究领域。",
    "根据产业发展需要拓展研究领域，申请调整中心名称，主要研究方向相应调整。",
]
DIRECTION_REASONS = [
    "根据市场需求和产业链延伸方向，申请调整主要研究方向。",
    "原研究方向已基本完成阶段性任务，申请增设新的研究方向，集中力量攻关产业急需技术。",
]
REJECT_REASONS = {
    "department-review": "申报材料不完整，研发设备原值证明和人员社保证明缺失，组织管理部门审核未通过。",
    "bureau-recheck": "复核发现牵头单位统一社会信用代码登记地不在本市，不符合第八条第（一）项。",
    "site-inspection": "实地考察发现研发场地与申报面积不符，部分设备未实际到位。",
    "expert-review": "专家评审认为研究方向过于分散，未聚焦重点产业集群的关键共性技术，团队规模与研究方向不匹配。",
    "meeting": "局党组会议研究认为该领域已有技术创新中心布局，不宜重复建设。",
}
WITHDRAW_REASONS = ["牵头单位拟与其他企业重组，申请撤回，重组完成后重新申报。",
                    "核心技术人员调整，申请撤回，待团队稳定后重新申报。"]
# The real offsets between review steps vary; (lowest, highest) days after the previous step.
STEP_DAYS = {"department-approved": (10, 20), "bureau-rechecked": (12, 24), "site-inspected": (10, 20),
             "expert-reviewed": (14, 28), "meeting-approved": (14, 35), "publicity-started": (1, 5)}
GENERAL_STEPS = ["submitted", "department-approved", "bureau-rechecked", "site-inspected", "expert-reviewed",
                 "meeting-approved", "publicity-started"]
DIRECT_STEPS = ["submitted", "department-approved", "bureau-rechecked", "meeting-approved", "publicity-started"]
FIRST_SUBMISSION = dt.date(2023, 1, 3)
# Last submission that still leaves room for the whole procedure before TODAY.
LAST_SUBMISSION = dt.date(2026, 5, 20)


def _days(rng: random.Random, bounds: tuple[int, int]) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(*bounds))


def credit_code(rng: random.Random, kind: str, division: str) -> str:
    """A valid credit code: 91 enterprise or 12 public institution, division, body, check."""
    first17 = kind + division + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    check = uscc_expected_check_character(first17 + "0")
    assert check is not None
    return first17 + check


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def flow(mapping: dict) -> str:
    """A flow mapping; values are plain scalars without YAML indicators (checked)."""
    parts = []
    for key, value in mapping.items():
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        assert not any(c in text for c in ",{}[]#") and ": " not in text, text
        parts.append(f"{key}: {text}")
    return "{" + ", ".join(parts) + "}"


def block(mapping: dict, indent: str) -> str:
    lines = []
    for i, (key, value) in enumerate(mapping.items()):
        prefix = indent + ("- " if i == 0 else "  ")
        if isinstance(value, list):
            lines.append(f"{prefix}{key}:")
            lines += [f"{indent}    - {item}" for item in value]
        else:
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            lines.append(f"{prefix}{key}: {text}")
    return "\n".join(lines)


def event_line(mapping: dict) -> str:
    long = any(isinstance(v, list) or (isinstance(v, str) and len(v) > 40) for v in mapping.values())
    return block(mapping, "  ") if long else "  - " + flow(mapping)


@dataclass
class Profile:
    """What an application proposes and its center then carries."""

    category: str
    cluster: dict | None
    county: str
    department: str
    name: str
    lead_name: str
    lead_uscc: str
    lead_kind: str
    legal_form: str
    co_builders: list[dict]
    director: dict
    directions: list[str]
    summary: str
    services: list[str]
    topics: list[str]  # the terms the research directions were made from
    institutions: list[dict] = field(default_factory=list)


class Generator:
    def __init__(self, root: Path, n: int, seed: int = SEED):
        self.root = root
        self.n = n
        self.rng = random.Random(seed)
        policy = yaml.safe_load((SOURCE_REGISTRY / "policy.yml").read_text(encoding="utf-8"))
        self.departments = yaml.safe_load((SOURCE_REGISTRY / "departments.yml").read_text(encoding="utf-8"))[
            "departments"]
        self.clusters = policy["clusters"]
        self.counties = {c["code"]: c["name"] for c in policy["counties"]}
        self.prefix = policy["eligibility"]["registration_division_prefix"]
        self.names: set[str] = set()
        self.ids: Counter = Counter()  # (year, department) -> applications so far
        self.documents: Counter = Counter()  # year -> 晋市科发 numbers so far
        self.stats: Counter = Counter()

    # --- text ---------------------------------------------------------------

    def unique_name(self, terms: list[str], place_first: bool) -> str:
        rng = self.rng
        for attempt in range(200):
            place = rng.choice(PLACES) if (place_first or attempt > 20 or rng.random() < 0.35) else ""
            core = place + rng.choice(terms) + rng.choice(MODIFIERS)
            if attempt > 100:
                core += rng.choice(terms)
            name = f"晋城市{core}技术创新中心"
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("could not make a unique center name")

    def company(self, cluster_id: str | None, place: str | None = None) -> str:
        rng = self.rng
        place = place or rng.choice(["晋城", "晋城市", "山西", ""] + PLACES[:12])
        return place + rng.choice(UNIT_WORDS) + rng.choice(UNIT_INDUSTRY[cluster_id]) + rng.choice(UNIT_FORMS)

    def summary(self, p: Profile, terms: list[str], cluster_name: str, county_name: str) -> str:
        rng = self.rng
        d = p.directions
        partner = p.co_builders[0]["name"]
        first = rng.choice([
            f"围绕{county_name}{cluster_name}产业{rng.choice(NEEDS)}，",
            f"依托{p.lead_name}在{rng.choice(terms)}领域多年的研发积累，",
            f"立足晋城市{cluster_name}产业集群，联合{partner}等单位，",
            f"由{p.lead_name}牵头，采取{rng.choice(['协议制', '股份制', '会员制'])}方式联合{partner}共建，",
        ])
        work = f"重点开展{'、'.join(x.removesuffix('关键技术') for x in d[:3])}等方向的技术攻关与成果转化。"
        record = rng.choice([
            (f"近三年承担省市科技项目{rng.randint(3, 28)}项，获授权发明专利{rng.randint(2, 40)}件，"
             f"建成中试线{rng.randint(1, 6)}条。"),
            (f"现有研发场地{rng.randrange(600, 9000, 50)}平方米，研发设备{rng.randint(40, 600)}台（套），"
             f"专职研发人员{rng.randint(12, 160)}人。"),
            (f"已与{rng.randint(5, 60)}家企业建立长期合作关系，累计转化科技成果{rng.randint(3, 45)}项，"
             f"新增产值{rng.randint(2, 90)}亿元。"),
            "",
        ])
        services = "、".join(SERVICE_NAMES[s] for s in p.services)
        serve = f"面向{county_name}及周边中小企业提供{services}等服务，"
        goal = f"力争到{rng.randint(2027, 2030)}年{rng.choice(GOALS)}。"
        return first + work + record + serve + goal

    # --- records ------------------------------------------------------------

    def department_and_county(self, i: int) -> tuple[dict, str]:
        department = self.departments[i % len(self.departments)]
        county = department.get("county_code") or list(self.counties)[(i // len(self.departments)) % len(self.counties)]
        assert county.startswith(self.prefix)
        return department, county

    def profile(self, i: int) -> Profile:
        rng = self.rng
        department, county = self.department_and_county(i)
        county_name = self.counties[county]
        comprehensive = rng.random() < 0.08
        cluster = None if comprehensive else self.clusters[rng.randrange(len(self.clusters))]
        terms = COMPREHENSIVE_TERMS if comprehensive else CLUSTER_TERMS[cluster["id"]]
        cluster_name = "重点产业" if comprehensive else cluster["name"]
        name = self.unique_name(terms, place_first=comprehensive)
        if comprehensive:
            lead_name = rng.choice([rng.choice(INSTITUTES), f"晋城市{rng.choice(PLACES)}{rng.choice(terms)}研究院"])
            lead_kind, legal_form = "research-institute", rng.choice(["internal-unit", "social-service-organization"])
            lead_uscc = credit_code(rng, "12", county)
        else:
            lead_name = self.company(cluster["id"], place=rng.choice(["晋城", "晋城市", TOWN[county]]))
            lead_kind, legal_form = "enterprise", rng.choice(["enterprise", "enterprise", "internal-unit"])
            lead_uscc = credit_code(rng, "91", county)
        co_builders = [{"name": rng.choice(SCHOOLS), "unit_kind": "university", "join_mode": "agreement"}]
        for _ in range(rng.randint(0, 2)):
            co_builders.append({
                "name": self.company(cluster["id"] if cluster else None, place=rng.choice(PARTNER_REGIONS)),
                "uscc": credit_code(rng, "91", rng.choice(OTHER_DIVISIONS + list(self.counties))),
                "unit_kind": "enterprise",
                "join_mode": rng.choice(["shareholding", "agreement", "membership"]),
            })
        level, title = rng.choice(DIRECTOR_TITLES)
        director = {"name": person(rng), "title_level": level, "title": title,
                    "degree": rng.choice(["doctorate", "doctorate", "master"])}
        topics = rng.sample(terms, rng.randint(2, 4))
        directions = [t + rng.choice(DIRECTION_SUFFIXES) for t in topics]
        services = sorted(rng.sample(SERVICES, rng.randint(2, 5)), key=SERVICES.index)
        p = Profile("comprehensive" if comprehensive else "domain", cluster, county, department["id"], name,
                    lead_name, lead_uscc, lead_kind, legal_form, co_builders, director, directions, "", services, topics)
        if comprehensive:
            hosts = [lead_name] + [c["name"] for c in co_builders]
            p.institutions = [
                {"name": t + rng.choice(["研究所", "实验室", "工程中心", "研发中心"]), "host_unit": rng.choice(hosts),
                 "focus": f"{t}{rng.choice(DIRECTION_SUFFIXES)}及其在本市企业中的推广应用。"}
                for t in rng.sample(terms, rng.randint(2, 4))
            ]
        p.summary = self.summary(p, terms, cluster_name, county_name)
        return p

    def profile_lines(self, p: Profile) -> list[str]:
        lines = ["co_builders:"]
        for c in p.co_builders:
            lines.append(f"  - name: {c['name']}")
            if "uscc" in c:
                lines.append(f"    uscc: {c['uscc']}")
            lines += [f"    unit_kind: {c['unit_kind']}", f"    join_mode: {c['join_mode']}"]
        d = p.director
        lines += ["director:", f"  name: {d['name']}", f"  title_level: {d['title_level']}", f"  title: {d['title']}",
                  f"  degree: {d['degree']}", "research_directions:"]
        lines += [f"  - {x}" for x in p.directions]
        lines += ["summary: >-", f"  {p.summary}", f"services: [{', '.join(p.services)}]"]
        if p.institutions:
            lines.append("specialized_institutions:")
            for s in p.institutions:
                lines += [f"  - name: {s['name']}", f"    host_unit: {s['host_unit']}", f"    focus: {s['focus']}"]
        return lines

    def application_id(self, year: int, department: str) -> str:
        self.ids[(year, department)] += 1
        return f"{year}-{department}-{self.ids[(year, department)]:03d}"

    def document(self, year: int) -> str:
        self.documents[year] += 1
        return f"晋市科发〔{year}〕{self.documents[year]}号"

    def team_lines(self) -> list[str]:
        """5 qualified full-time members working in Jincheng > 6 months, plus 0-4 others."""
        rng = self.rng
        members = [(level, degree, True, rng.randint(7, 12)) for level, degree in TEAM_QUALIFIED]
        for _ in range(rng.randint(0, 4)):
            level, degree = rng.choice(TEAM_OTHER)
            members.append((level, degree, rng.random() < 0.5, rng.randint(0, 12)))
        return [f"  - {{name: {person(rng)}, title_level: {level}, degree: {degree}, "
                f"full_time: {'true' if full_time else 'false'}, months_in_jincheng_per_year: {months}}}"
                for level, degree, full_time, months in members]

    def write_application(self, app_id: str, kind: str, p: Profile, history: list[str], seq: int) -> None:
        rng = self.rng
        submitted_year = int(app_id[:4])
        lines = [HEADER, f"id: {app_id}", f"kind: {kind}", f"category: {p.category}", f"proposed_name: {p.name}"]
        if p.cluster is not None:
            lines.append(f"cluster: {p.cluster['id']}")
        lines += [f'county_code: "{p.county}"', f"organizing_department: {p.department}",
                  f"center_legal_form: {p.legal_form}", "lead_unit:", f"  name: {p.lead_name}",
                  f"  uscc: {p.lead_uscc}", "  independent_legal_person: true", f"  unit_kind: {p.lead_kind}"]
        lines += self.profile_lines(p)
        if kind == "direct-certification":
            platform_kind = rng.choice([("engineering-research-center", "工程技术研究中心"), ("key-laboratory", "重点实验室")])
            year = rng.randint(2015, submitted_year - 1)
            lines += ["provincial_platform:", f"  name: 山西省{p.topics[0]}{platform_kind[1]}",
                      f"  platform_kind: {platform_kind[0]}", "  level: provincial", "  certified_by: 山西省科学技术厅",
                      f"  document_number: 晋科发〔{year}〕{rng.randint(10, 150)}号",
                      f"  certified_on: {dt.date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()}"]
        lines.append("team:")
        lines += self.team_lines()
        patent_year = rng.randint(2010, submitted_year - 1)
        granted = dt.date(patent_year + 1, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        topic = p.topics[0]
        lines += [f"rd_equipment_value_yuan: {rng.randrange(3_000_000, 60_000_000, 10_000)}",
                  f"floor_area_m2: {rng.randrange(500, 12000, 10)}", "ip_achievements:",
                  "  - kind: invention-patent", f"    title: 一种用于{topic}的{rng.choice(['方法', '装置', '系统', '工艺'])}",
                  f"    number: {patent_number(rng, '1', patent_year)}", f"    granted_on: {granted}"]
        for _ in range(rng.randint(0, 3)):
            kind_, title = rng.choice([("utility-model-patent", "检测装置"), ("software-copyright", "管理软件 V2.0"),
                                       ("standard", "技术规范")])
            if kind_ == "utility-model-patent":
                lines += [f"  - kind: {kind_}", f"    title: 一种{topic}{title}",
                          f"    number: {patent_number(rng, '2', patent_year)}", f"    granted_on: {granted}"]
            elif kind_ == "software-copyright":
                lines += [f"  - kind: {kind_}", f"    title: {topic}{title}",
                          f"    number: {patent_year + 1}SR{rng.randrange(10**7):07d}"]
            else:
                lines += [f"  - kind: {kind_}", f"    title: {topic}{title}",
                          f"    number: T/JCKJ {rng.randint(1, 300):03d}-{patent_year + 1}"]
        lines += ["declarations:", "  complies-with-industrial-policy: true", "  no-major-safety-incident: true",
                  "  no-major-quality-incident: true", "  no-serious-environmental-issue: true",
                  "  no-illegal-or-dishonest-record: true", "contact:", f"  person: {person(rng)}",
                  f'  phone: "1{rng.choice("3589")}{rng.randrange(10**9):09d}"', f"  email: tic{seq}@example.com",
                  "history:", *history]
        self.write(Path("applications") / p.department / f"{app_id}.yml", lines)

    def write(self, relative: Path, lines: list[str]) -> None:
        path = self.root / relative
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def procedure(self, submitted: dt.date, steps: list[str]) -> list[tuple[str, dt.date]]:
        out, day = [], submitted
        for step in steps:
            if step != "submitted":
                day += _days(self.rng, STEP_DAYS[step])
            out.append((step, day))
        return out

    def certified_center(self, i: int) -> None:
        """A certified center and its application, maybe a change, evaluations and a revocation.

        The steps draw from one random generator in a fixed order, so a seed
        always gives the same registry.
        """
        p = self.profile(i)
        seq = i + 1
        app_id, center_id, certified_on, document = self.certification(i, p, seq)
        center_history = [event_line({"date": certified_on, "event": "certified", "document_number": document,
                                      "application_id": app_id})]
        events: list[tuple[dt.date, dict]] = []
        name, p.directions = self.maybe_change(p, seq, center_id, certified_on, events)
        self.evaluations(certified_on, events)
        events.sort(key=lambda e: e[0])
        center_history += [event_line(e) for _, e in events]
        self.write_center(p, name, seq, center_id, app_id, center_history)

    def certification(self, i: int, p: Profile, seq: int) -> tuple[str, str, dt.date, str]:
        """Write the certified application; (its id, the center id, the date and number of certification)."""
        rng = self.rng
        # Submissions spread evenly over 2023-2026, a little jitter.
        span = (LAST_SUBMISSION - FIRST_SUBMISSION).days
        submitted = FIRST_SUBMISSION + dt.timedelta(days=min(span, int(span * i / self.n) + rng.randint(0, 3)))
        direct = rng.random() < 0.06
        kind = "direct-certification" if direct else "certification"
        self.stats[kind] += 1
        app_id = self.application_id(submitted.year, p.department)
        center_id = f"{p.cluster['id'] if p.cluster else 'comprehensive'}-{seq:05d}"
        steps = self.procedure(submitted, DIRECT_STEPS if direct else GENERAL_STEPS)
        history = []
        for step, day in steps:
            entry = {"date": day, "event": step}
            if step == "department-approved" and rng.random() < 0.3:
                entry["document_number"] = f"{self.counties[p.county][:2]}科字〔{day.year}〕{rng.randint(1, 90)}号"
            if step == "publicity-started" and rng.random() < 0.6:
                entry["notice_url"] = f'"https://kjj.jincheng.example/tzgg/{day.year}/{app_id}.html"'
            history.append(event_line(entry))
        published = steps[-1][1]
        if rng.random() < 0.02:  # an objection, dismissed
            self.stats["objection"] += 1
            history.append(event_line({"date": published + dt.timedelta(days=3), "event": "objection-raised",
                                       "note": "有群众来信反映牵头单位申报的研发设备中有部分为租赁设备，请求核查。"}))
            history.append(event_line({"date": published + dt.timedelta(days=12), "event": "objection-dismissed",
                                       "note": "经核实，租赁设备未计入研发设备原值，申报数据属实，异议不成立。"}))
        certified_on = published + _days(rng, (21, 30))
        assert certified_on <= TODAY, certified_on
        document = self.document(certified_on.year)
        history.append(event_line({"date": certified_on, "event": "certified", "document_number": document,
                                   "center_id": center_id}))
        self.write_application(app_id, kind, p, history, seq)
        return app_id, center_id, certified_on, document

    def maybe_change(self, p: Profile, seq: int, center_id: str, certified_on: dt.date,
                     events: list[tuple[dt.date, dict]]) -> tuple[str, list[str]]:
        """A change (Art. 15) now and then: a rename or new research directions, with its change application.
        Returns the center's name and research directions after it."""
        rng = self.rng
        name, directions = p.name, p.directions
        change_on = certified_on + _days(rng, (150, 600))
        if not (rng.random() < 0.05 and change_on <= TODAY):
            return name, directions
        rename = rng.random() < 0.7
        submitted_change = change_on - _days(rng, (35, 60))
        approved = submitted_change + _days(rng, (10, 20))
        change_id = self.application_id(submitted_change.year, p.department)
        change_document = self.document(change_on.year)
        terms = CLUSTER_TERMS[p.cluster["id"]] if p.cluster else COMPREHENSIVE_TERMS
        requested, event = [], {"date": change_on, "event": "changed", "application_id": change_id,
                                "document_number": change_document}
        if rename:
            new_name = self.unique_name(terms, place_first=False)
            requested = ["requested_change:", f"  new_name: {new_name}"]
            event.update(former_name=name, new_name=new_name)
            name = new_name
            reason = rng.choice(CHANGE_REASONS)
            self.stats["renamed"] += 1
        else:
            new_directions = directions[:1] + [t + rng.choice(DIRECTION_SUFFIXES) for t in rng.sample(terms, 2)]
            requested = ["requested_change:", "  new_research_directions:", *[f"    - {x}" for x in new_directions]]
            event.update(former_research_directions=list(directions), new_research_directions=new_directions)
            directions = new_directions
            reason = rng.choice(DIRECTION_REASONS)
            self.stats["directions changed"] += 1
        lines = [HEADER, f"id: {change_id}", "kind: change", f"organizing_department: {p.department}",
                 f"center_id: {center_id}", "lead_unit:", f"  name: {p.lead_name}", f"  uscc: {p.lead_uscc}",
                 "  independent_legal_person: true", f"  unit_kind: {p.lead_kind}", *requested,
                 f"reason: {reason}", "contact:", f"  person: {person(rng)}",
                 f'  phone: "1{rng.choice("3589")}{rng.randrange(10**9):09d}"', f"  email: tic{seq}@example.com",
                 "history:",
                 event_line({"date": submitted_change, "event": "submitted"}),
                 event_line({"date": approved, "event": "department-approved"}),
                 event_line({"date": change_on, "event": "change-approved", "document_number": change_document})]
        self.write(Path("applications") / p.department / f"{change_id}.yml", lines)
        self.stats["change"] += 1
        events.append((change_on, event))
        return name, directions

    def evaluations(self, certified_on: dt.date, events: list[tuple[dt.date, dict]]) -> None:
        """Article 14: evaluated within three years of certification (2023 certifications are due by TODAY);
        a revocation after a revoke outcome, or now and then outside an evaluation."""
        rng = self.rng
        due = certified_on.replace(year=certified_on.year + 3) if not (
            certified_on.month == 2 and certified_on.day == 29) else dt.date(certified_on.year + 3, 2, 28)
        if due <= TODAY + dt.timedelta(days=60):
            evaluated_on = min(due - _days(rng, (5, 90)), TODAY - dt.timedelta(days=1))
            revoked, evaluated_on = self.evaluation(evaluated_on, events)
            if revoked:
                self.revocation(evaluated_on + _days(rng, (10, 30)), "绩效评估结论为撤销：中心不再具备运行条件（第十四条）。",
                                events)
        elif rng.random() < 0.01:  # revoked outside an evaluation: the lead unit was dissolved
            revoked_on = certified_on + _days(rng, (200, 500))
            if not any(d >= revoked_on for d, _ in events):
                self.revocation(revoked_on, "牵头单位依法注销，中心不再具备运行条件，予以撤销（第十四条）。", events)

    def evaluation(self, evaluated_on: dt.date, events: list[tuple[dt.date, dict]]) -> tuple[bool, dt.date]:
        """One evaluation (and a re-evaluation after a rectification); (revoked?, the last evaluation date)."""
        rng = self.rng
        roll = rng.random()
        evaluator = rng.choice(EVALUATORS)
        if roll < 0.74:
            self.stats["evaluated: retain"] += 1
            event = {"date": evaluated_on, "event": "evaluated", "outcome": "retain", "evaluator": evaluator,
                     "document_number": self.document(evaluated_on.year), "note": rng.choice(RETAIN_NOTES)}
            if rng.random() < 0.2:
                event["excellent"] = "true"
            events.append((evaluated_on, event))
            return False, evaluated_on
        if roll < 0.92:
            return self.rectification(evaluated_on, evaluator, events)
        self.stats["evaluated: revoke"] += 1
        events.append((evaluated_on, {"date": evaluated_on, "event": "evaluated", "outcome": "revoke",
                                      "evaluator": evaluator, "note": rng.choice(REVOKE_NOTES)}))
        return True, evaluated_on

    def rectification(self, evaluated_on: dt.date, evaluator: str,
                      events: list[tuple[dt.date, dict]]) -> tuple[bool, dt.date]:
        """A rectify outcome, re-evaluated once the deadline has passed; (revoked?, the last evaluation date)."""
        rng = self.rng
        self.stats["evaluated: rectify"] += 1
        deadline = evaluated_on + _days(rng, (60, 120))
        events.append((evaluated_on, {"date": evaluated_on, "event": "evaluated", "outcome": "rectify",
                                      "rectification_deadline": deadline, "evaluator": evaluator,
                                      "document_number": self.document(evaluated_on.year),
                                      "note": rng.choice(RECTIFY_NOTES)}))
        if deadline >= TODAY:
            return False, evaluated_on
        again = min(deadline + _days(rng, (3, 20)), TODAY)
        outcome = "retain" if rng.random() < 0.85 else "revoke"
        self.stats[f"re-evaluated: {outcome}"] += 1
        events.append((again, {"date": again, "event": "evaluated", "outcome": outcome,
                               "evaluator": evaluator, "document_number": self.document(again.year),
                               "note": "整改期满复评：" + (
                                   "整改到位，予以保留。" if outcome == "retain" else rng.choice(REVOKE_NOTES))}))
        return outcome == "revoke", again

    def revocation(self, revoked_on: dt.date, reason: str, events: list[tuple[dt.date, dict]]) -> None:
        """A revocation, unless its date is still to come."""
        if revoked_on > TODAY:
            return
        self.stats["revoked"] += 1
        events.append((revoked_on, {"date": revoked_on, "event": "revoked",
                                    "document_number": self.document(revoked_on.year), "reason": reason}))

    def write_center(self, p: Profile, name: str, seq: int, center_id: str, app_id: str,
                     center_history: list[str]) -> None:
        rng = self.rng
        lines = [HEADER, f"id: {center_id}", f"name: {name}", f"category: {p.category}"]
        if p.cluster is not None:
            lines.append(f"cluster: {p.cluster['id']}")
        lines += [f'county_code: "{p.county}"', f"organizing_department: {p.department}", f"application_id: {app_id}",
                  f"legal_form: {p.legal_form}", "lead_unit:", f"  name: {p.lead_name}", f"  uscc: {p.lead_uscc}",
                  f"  unit_kind: {p.lead_kind}"]
        lines += self.profile_lines(p)
        road = rng.choice(ROADS)
        lines += ["contact:", f"  address: 山西省晋城市{self.counties[p.county]}{road}{rng.randint(1, 999)}号",
                  f"  office_phone: 0356-{rng.randint(2, 8)}{rng.randrange(10**6):06d}",
                  f"  email: tic{seq}@example.com"]
        if rng.random() < 0.6:
            lines.append(f"  website: https://example.com/tic/{center_id}")
        lines += ["history:", *center_history]
        self.write(Path("centers") / f"{center_id}.yml", lines)
        self.stats["centers"] += 1

    def other_application(self, j: int) -> None:
        """An application that did not (or not yet) lead to a center: rejected, withdrawn or under review."""
        rng = self.rng
        p = self.profile(self.n + j)
        seq = self.n + j + 1
        roll = rng.random()
        if roll < 0.3:  # under review now
            submitted = TODAY - _days(rng, (5, 150))
        else:
            submitted = FIRST_SUBMISSION + _days(rng, (0, (LAST_SUBMISSION - FIRST_SUBMISSION).days))
        steps = self.procedure(submitted, GENERAL_STEPS)
        history = []
        if roll < 0.3:
            steps = [(s, d) for s, d in steps if d <= TODAY]
            self.stats["application: under review"] += 1
            outcome = None
        elif roll < 0.8:
            stage_of = {"submitted": "department-review", "department-approved": "bureau-recheck",
                        "bureau-rechecked": "site-inspection", "site-inspected": "expert-review",
                        "expert-reviewed": "meeting"}
            cut = rng.randrange(len(stage_of))
            steps = steps[:cut + 1]
            stage = stage_of[steps[-1][0]]
            outcome = {"date": steps[-1][1] + _days(rng, (7, 25)), "event": "rejected", "stage": stage,
                       "reason": REJECT_REASONS[stage]}
            self.stats["application: rejected"] += 1
        else:
            steps = steps[:rng.randint(1, 4)]
            outcome = {"date": steps[-1][1] + _days(rng, (5, 20)), "event": "withdrawn",
                       "reason": rng.choice(WITHDRAW_REASONS)}
            self.stats["application: withdrawn"] += 1
        for step, day in steps:
            history.append(event_line({"date": day, "event": step}))
        if outcome is not None:
            outcome["date"] = min(outcome["date"], TODAY)
            history.append(event_line(outcome))
        app_id = self.application_id(submitted.year, p.department)
        self.write_application(app_id, "certification", p, history, seq)
        self.stats["certification"] += 1

    def run(self) -> Counter:
        for name in ("policy.yml", "departments.yml", "staff.yml"):
            shutil.copyfile(SOURCE_REGISTRY / name, self.root / name)
        shutil.copytree(SOURCE_REGISTRY / "calendar", self.root / "calendar", ignore=shutil.ignore_patterns("*.md"))
        for department in self.departments:
            (self.root / "applications" / department["id"]).mkdir(parents=True)
        (self.root / "centers").mkdir()
        for i in range(self.n):
            self.certified_center(i)
        for j in range(self.n * 15 // 100):  # about 15 applications in 100 did not become a center
            self.other_application(j)
        return self.stats


def build_registry(root: Path, n: int, seed: int = SEED) -> Counter:
    """Write the registry-wide files and n certified centers (plus applications) under root."""
    root.mkdir(parents=True)
    return Generator(root, n, seed).run()


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # elapsed seconds
    cpu: float  # user + system seconds of that process (and any children it waited for)
    peak_mib: float  # its own peak resident set size
    code: int
    output: str  # stdout + stderr, for failures


def measure(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run ``command`` once; its wall time, CPU time and peak RSS (from wait4: this process only)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, output)


def source_date_epoch(today: dt.date) -> str:
    """What ticreg.site.mkdocs_build sets: the start of ``today`` in Asia/Shanghai."""
    from ticreg.today import TIMEZONE

    return str(int(dt.datetime(today.year, today.month, today.day, tzinfo=TIMEZONE).timestamp()))


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under path."""
    files = size = 0
    for p in path.rglob("*"):
        if p.is_file():
            files += 1
            size += p.stat().st_size
    return files, size


def page_counts(docs: Path) -> dict[str, int]:
    def md(folder: str) -> int:
        return sum(1 for p in (docs / folder).glob("*.md") if p.name != "index.md") if (docs / folder).is_dir() else 0

    return {"pages": sum(1 for _ in docs.rglob("*.md")), "centers": md("centers"), "notices": md("notices")}


def notice_kinds(docs: Path) -> Counter:
    """Notice pages by kind, from their ids (<date>-<kind>-<record id>)."""
    kinds: Counter = Counter()
    for p in (docs / "notices").glob("*.md"):
        if p.name != "index.md":
            kinds[p.stem[11:].split("-", 1)[0]] += 1
    return kinds


def machine() -> dict[str, str]:
    info = {"nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
            "python": platform.python_version(), "platform": platform.platform()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name"))
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(next(line.split()[1] for line in meminfo.splitlines() if line.startswith("MemTotal")))
        info["memory"] = f"{kib / 1024**2:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    for package in ("mkdocs", "mkdocs-material", "Markdown", "Jinja2", "pymdown-extensions", "jieba", "pydantic",
                    "PyYAML"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    return info


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


@dataclass
class Result:
    n: int
    stats: Counter
    files: int = 0  # registry files
    generate_s: float = 0.0
    pages: dict = field(default_factory=dict)
    kinds: Counter = field(default_factory=Counter)
    build: list[Run] = field(default_factory=list)
    mkdocs: list[Run] = field(default_factory=list)
    sources: list[Run] = field(default_factory=list)
    validate: list[Run] = field(default_factory=list)
    index_raw: int = 0
    index_gz: int = 0
    site_files: int = 0
    site_bytes: int = 0
    mkdocs_site_files: int = 0
    failure: str | None = None
    load_before: str = ""
    load_after: str = ""
    phases: dict | None = None

    @staticmethod
    def best(runs: list[Run]) -> Run | None:
        return min(runs, key=lambda r: r.wall) if runs else None

    @staticmethod
    def peak(runs: list[Run]) -> float | None:
        return max(r.peak_mib for r in runs) if runs else None


def clean(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def run_size(n: int, repeat: int, workdir: Path, command: str, python: str, profile_lines: int,
             profile_dir: Path | None, phases: bool = False) -> Result:
    today = TODAY.isoformat()
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, workdir / name)
    start = time.perf_counter()
    stats = build_registry(workdir / "registry", n)
    result = Result(n, stats, generate_s=time.perf_counter() - start)
    result.files = sum(1 for p in (workdir / "registry").rglob("*.yml"))
    print(f"\n=== N = {n:,} centers: wrote {result.files:,} registry files in {result.generate_s:.1f} s under "
          f"{workdir}", flush=True)
    print("    " + ", ".join(f"{k} {v:,}" for k, v in sorted(stats.items())), flush=True)

    check = subprocess.run([command, "validate", "--format", "json", "--today", today], cwd=workdir, check=False,
                           capture_output=True, text=True, encoding="utf-8")
    try:
        summary = json.loads(check.stdout)["summary"]
    except (ValueError, KeyError):
        summary = None
    if check.returncode != 0 or summary is None or summary["errors"] or summary["warnings"]:
        sys.exit(f"bench_build: the synthetic registry is not clean (exit {check.returncode}, summary {summary}); "
                 f"timing it would be meaningless.\n{check.stdout[-3000:]}{check.stderr[-2000:]}")
    print(f"    verified: `ticreg validate` reports 0 findings on {summary['files']:,} files", flush=True)

    build_dir, site_dir, other_site = workdir / "build", workdir / "site", workdir / "mkdocs-site"
    mkdocs_env = {**os.environ, "SOURCE_DATE_EPOCH": source_date_epoch(TODAY)}
    ticreg_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result.load_before = load()
    for round_ in range(1, repeat + 1):
        # 1. the whole `ticreg build`, from scratch
        clean(build_dir, site_dir)
        run = measure([command, "build", "--today", today], workdir, ticreg_env)
        if run.code != 0:
            result.failure = f"`ticreg build` exited {run.code}:\n{run.output.strip()[-3000:]}"
            print("    " + result.failure.replace("\n", "\n    "), flush=True)
            break
        result.build.append(run)
        print(f"    round {round_}: ticreg build {run.wall:.2f} s, peak {run.peak_mib:.0f} MiB", flush=True)
        if round_ == 1:
            result.pages = page_counts(build_dir / "docs")
            result.kinds = notice_kinds(build_dir / "docs")
            index = (site_dir / "search" / "search_index.json").read_bytes()
            result.index_raw = len(index)
            result.index_gz = len(gzip.compress(index, compresslevel=9, mtime=0))
            result.site_files, result.site_bytes = tree_size(site_dir)
        # 2. plain MkDocs on the pages that build just wrote
        clean(other_site)
        run = measure([python, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(other_site)], workdir,
                      mkdocs_env)
        if run.code != 0:
            result.failure = f"`mkdocs build` exited {run.code}:\n{run.output.strip()[-3000:]}"
            print("    " + result.failure.replace("\n", "\n    "), flush=True)
            break
        result.mkdocs.append(run)
        result.mkdocs_site_files = tree_size(other_site)[0]
        print(f"    round {round_}: mkdocs build {run.wall:.2f} s, peak {run.peak_mib:.0f} MiB", flush=True)
        # 3. validation + generation alone, from scratch; 4. validation alone
        clean(build_dir)
        run = measure([command, "build", "--sources-only", "--today", today], workdir, ticreg_env)
        if run.code == 0:
            result.sources.append(run)
        run = measure([command, "validate", "--today", today], workdir, ticreg_env)
        if run.code == 0:
            result.validate.append(run)
        print(f"    round {round_}: sources-only {result.sources[-1].wall if result.sources else float('nan'):.2f} s, "
              f"validate {result.validate[-1].wall if result.validate else float('nan'):.2f} s", flush=True)
    result.load_after = load()
    if phases and result.failure is None:
        result.phases = phase_breakdown(workdir, python, today, n)
    if profile_lines and result.failure is None:
        profile_build(workdir, command, python, today, profile_lines, profile_dir, n)
    return result


# ---------------------------------------------------------------------------
# Profile
# ---------------------------------------------------------------------------

# (label, path fragment, function name): inclusive (cumulative) time of these calls.
KEY_FUNCTIONS = [
    ("ticreg build, total", "ticreg/site/build.py", "build_site"),
    ("  validation (registry_context)", "ticreg/validate.py", "registry_context"),
    ("  generation: site_data (public centers, notices)", "ticreg/site/generate.py", "site_data"),
    ("  generation: write_sources (render + write build/docs)", "ticreg/site/generate.py", "write_sources"),
    ("    Jinja templates of our page modules (render)", "ticreg/site/render.py", "render"),
    ("  MkDocs with Material (run_mkdocs)", "ticreg/site/mkdocs_build.py", "run_mkdocs"),
    ("    mkdocs: load_config", "mkdocs/config/base.py", "load_config"),
    ("    mkdocs: get_files (scan docs_dir)", "mkdocs/structure/files.py", "get_files"),
    ("    mkdocs: read sources + Markdown -> HTML (_populate_page)", "mkdocs/commands/build.py", "_populate_page"),
    ("      Markdown.convert", "markdown/core.py", "convert"),
    ("    mkdocs: page templates + page plugins (_build_page)", "mkdocs/commands/build.py", "_build_page"),
    ("      search plugin: index a page (on_page_context)", "material/plugins/search/plugin.py", "on_page_context"),
    ("        jieba segmentation (_segment_chinese)", "material/plugins/search/plugin.py", "_segment_chinese"),
    ("        HTML parsing for the index (SearchIndex.add_entry_from_context)", "material/plugins/search/plugin.py",
     "add_entry_from_context"),
    ("      Jinja2 Template.render (Material pages; ours too, ~1 %)", "jinja2/environment.py", "render"),
    ("      write HTML files (mkdocs.utils.write_file)", "mkdocs/utils/__init__.py", "write_file"),
    ("    search plugin: write search_index.json (on_post_build)", "material/plugins/search/plugin.py",
     "on_post_build"),
    ("    mkdocs: theme templates (404, sitemap; _build_theme_template)", "mkdocs/commands/build.py",
     "_build_theme_template"),
    ("    mkdocs: copy static files (copy_static_files)", "mkdocs/structure/files.py", "copy_static_files"),
]

# Where time is spent itself (tottime), by package; C builtins are attributed to "C builtins".
PACKAGES = [
    ("jieba", "/jieba/"), ("Markdown + pymdownx", "/markdown/"), ("Markdown + pymdownx", "/pymdownx/"),
    ("Jinja2 (runtime)", "/jinja2/"), ("Jinja2 templates (compiled)", "<template>"), ("Jinja2 templates (compiled)", ".html"),
    ("Jinja2 templates (compiled)", ".j2"), ("mkdocs-material", "/material/"), ("MkDocs", "/mkdocs/"),
    ("ticreg site generation", "/ticreg/site/"), ("ticreg validation and rules", "/ticreg/"),
    ("ticreg_schemas + pydantic", "ticreg_schemas"), ("ticreg_schemas + pydantic", "/pydantic"),
    ("PyYAML", "/yaml/"), ("Python stdlib (html.parser, re, json, posixpath, ...)", "/lib/python"),
]


def profile_build(workdir: Path, command: str, python: str, today: str, lines: int, profile_dir: Path | None,
                  n: int) -> None:
    import pstats

    clean(workdir / "build", workdir / "site")
    target = (profile_dir or workdir) / f"ticreg-build-{n}.prof"
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"\n--- cProfile of one extra `ticreg build` at N = {n:,} (not timed; cProfile adds overhead, "
          f"mostly to many small Python calls such as jieba's) -> {target}", flush=True)
    run = measure([python, "-m", "cProfile", "-o", str(target), "-m", "ticreg", "build", "--today", today], workdir)
    if run.code != 0:
        print(f"    profiled build failed ({run.code}):\n{run.output[-2000:]}")
        return
    stats = pstats.Stats(str(target))
    entries = stats.stats  # (file, line, function) -> (cc, nc, tottime, cumtime, callers)
    total = next((v[3] for k, v in entries.items() if k[0].endswith("ticreg/site/build.py") and k[2] == "build_site"),
                 None) or max(v[3] for v in entries.values())
    print(f"\n    profiled wall {run.wall:.1f} s; build_site {total:.1f} s under cProfile\n")
    print("    | part (inclusive time) | s | % of build_site |\n    |---|---:|---:|")
    for label, fragment, function in KEY_FUNCTIONS:
        matched = [v for k, v in entries.items() if fragment in k[0].replace("\\", "/") and k[2] == function]
        if not matched:
            continue
        seconds = sum(v[3] for v in matched)
        print(f"    | {label} | {seconds:.1f} | {100 * seconds / total:.0f} |")
    by_package: Counter = Counter()
    for (filename, _, _function), value in entries.items():
        name = filename.replace("\\", "/")
        if name == "~":
            package = "C builtins (re, str, json, I/O, ...)"
        else:
            package = next((label for label, fragment in PACKAGES if fragment in name), "other")
        by_package[package] += value[2]
    print("\n    | own time (tottime) by package | s | % |\n    |---|---:|---:|")
    grand = sum(by_package.values())
    for package, seconds in by_package.most_common():
        print(f"    | {package} | {seconds:.1f} | {100 * seconds / grand:.0f} |")
    for key in ("tottime", "cumulative"):
        print(f"\n--- top {lines} by {key} ---", flush=True)
        pstats.Stats(str(target), stream=sys.stdout).sort_stats(key).print_stats(lines)
    sys.stdout.flush()


# Run in a child process by --phases: one in-process `build_site` with light timers (process CPU
# time, inclusive) around the main steps of ticreg and of MkDocs/Material. Unlike cProfile, it
# does not inflate code made of many small Python calls (html.parser, jieba), so the shares are
# those of a normal build. Prints one JSON line.
PHASES_CHILD = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
start_cpu, start_wall = time.process_time(), time.perf_counter()
cpu, calls, rss = {}, {}, {}
inside = {"mkdocs": False}

current = {"page": "other"}

def kind_of(page):
    uri = page.file.src_uri
    folder, _, rest = uri.partition("/")
    if folder in ("centers", "notices") and rest:
        return folder + ("/index.md" if rest == "index.md" else "/<id>.md")
    return "other pages"

def wrap(owner, attr, label, *, split=False, top=False, by_page=False):
    original = getattr(owner, attr)
    def wrapper(*args, **kwargs):
        key = label + ((" [MkDocs]" if inside["mkdocs"] else " [ticreg]") if split else "")
        if by_page:
            page = kwargs.get("page") or args[0]
            current["page"] = kind_of(page)
        begin = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent = time.process_time() - begin
            cpu[key] = cpu.get(key, 0.0) + spent
            calls[key] = calls.get(key, 0) + 1
            if top:
                rss[key] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            if by_page:
                k = "by page: " + current["page"]
                cpu[k] = cpu.get(k, 0.0) + spent
                calls[k] = calls.get(k, 0) + 1
    setattr(owner, attr, wrapper)

import jinja2, markdown.core, markdown.preprocessors, mkdocs.commands.build as mb, mkdocs.structure.pages as mp
import mkdocs.utils, material.plugins.search.plugin as sp
import ticreg.validate, ticreg.site.build as tb
imports_cpu = time.process_time() - start_cpu
wrap(tb, "build_site", "build_site", top=True)
wrap(ticreg.validate, "registry_context", "validation (registry_context)", top=True)
wrap(tb, "site_data", "public data + notices (site_data)", top=True)
wrap(tb, "write_sources", "render + write build/docs (write_sources)", top=True)
original_run_mkdocs = tb.run_mkdocs
def run_mkdocs(*args, **kwargs):
    inside["mkdocs"] = True
    try:
        return original_run_mkdocs(*args, **kwargs)
    finally:
        inside["mkdocs"] = False
tb.run_mkdocs = run_mkdocs
wrap(tb, "run_mkdocs", "MkDocs + Material (run_mkdocs)", top=True)
wrap(mb, "_populate_page", "read + Markdown -> HTML (_populate_page)", by_page=True)
wrap(markdown.core.Markdown, "convert", "Markdown.convert", split=True)
wrap(markdown.preprocessors.HtmlBlockPreprocessor, "run", "Markdown raw-HTML block parsing (HtmlBlockPreprocessor)", split=True)
wrap(mp._RawHTMLPreprocessor, "run", "MkDocs raw-HTML anchor scan (_RawHTMLPreprocessor)")
wrap(mp._RelativePathTreeprocessor, "run", "MkDocs link rewriting/validation (_RelativePathTreeprocessor)")
wrap(mb, "_build_page", "page template + page events (_build_page)", by_page=True)
wrap(sp.SearchPlugin, "on_page_context", "search: index a page (on_page_context)")
wrap(sp.SearchIndex, "_segment_chinese", "search: jieba segmentation (_segment_chinese)")
wrap(sp.SearchPlugin, "on_post_build", "search: write search_index.json (on_post_build)")
wrap(jinja2.Template, "render", "Jinja2 Template.render", split=True)
wrap(mkdocs.utils, "write_file", "write site files (mkdocs.utils.write_file)")
wrap(mb, "_build_theme_template", "theme templates: 404, sitemap (_build_theme_template)")
result = tb.build_site(Path.cwd(), Path("registry"), dt.date.fromisoformat(sys.argv[1]))
print(json.dumps({"cpu": cpu, "calls": calls, "rss": rss, "imports_cpu": imports_cpu,
                  "process_cpu": time.process_time() - start_cpu, "wall": time.perf_counter() - start_wall,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PHASE_ORDER = [
    ("build_site", 0),
    ("validation (registry_context)", 1),
    ("public data + notices (site_data)", 1),
    ("render + write build/docs (write_sources)", 1),
    ("Jinja2 Template.render [ticreg]", 2),
    ("Markdown.convert [ticreg]", 2),
    ("MkDocs + Material (run_mkdocs)", 1),
    ("read + Markdown -> HTML (_populate_page)", 2),
    ("Markdown.convert [MkDocs]", 3),
    ("Markdown raw-HTML block parsing (HtmlBlockPreprocessor) [MkDocs]", 4),
    ("MkDocs raw-HTML anchor scan (_RawHTMLPreprocessor)", 4),
    ("MkDocs link rewriting/validation (_RelativePathTreeprocessor)", 4),
    ("page template + page events (_build_page)", 2),
    ("search: index a page (on_page_context)", 3),
    ("search: jieba segmentation (_segment_chinese)", 4),
    ("Jinja2 Template.render [MkDocs]", 3),
    ("write site files (mkdocs.utils.write_file)", 3),
    ("search: write search_index.json (on_post_build)", 2),
    ("theme templates: 404, sitemap (_build_theme_template)", 2),
    ("by page: centers/<id>.md", 2),
    ("by page: notices/<id>.md", 2),
    ("by page: centers/index.md", 2),
    ("by page: notices/index.md", 2),
    ("by page: other pages", 2),
]


def phase_breakdown(workdir: Path, python: str, today: str, n: int) -> dict | None:
    clean(workdir / "build", workdir / "site")
    print(f"\n--- phases of one extra, instrumented in-process `build_site` at N = {n:,} (CPU time, inclusive; "
          f"not timed above)", flush=True)
    run = measure([python, "-c", PHASES_CHILD, today], workdir)
    if run.code != 0:
        print(f"    instrumented build failed ({run.code}):\n{run.output[-2000:]}")
        return None
    data = json.loads(run.output.strip().splitlines()[-1])
    cpu, calls, rss = data["cpu"], data["calls"], data["rss"]
    total = cpu.get("build_site") or 1.0
    print(f"    process CPU {data['process_cpu']:.1f} s (imports {data['imports_cpu']:.1f} s), wall {data['wall']:.1f} s, "
          f"peak {data['peak_mib']:.0f} MiB\n")
    print("    | step | calls | CPU s | % of build_site | peak MiB after |\n    |---|---:|---:|---:|---:|")
    for label, depth in PHASE_ORDER:
        if label not in cpu:
            continue
        if label.startswith("by page:") and label == next(x for x, _ in PHASE_ORDER if x.startswith("by page:")):
            print("    | MkDocs per page kind (_populate_page + _build_page; calls = pages): | | | | |")
        after = f"{rss[label]:.0f}" if label in rss else ""
        count = calls[label] // 2 if label.startswith("by page:") else calls[label]  # populate + build: 2 a page
        print(f"    | {'  ' * depth}{label} | {count:,} | {cpu[label]:.1f} | {100 * cpu[label] / total:.0f} | {after} |")
    sys.stdout.flush()
    return data


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def fmt(run: Run | None) -> str:
    return f"{run.wall:.1f}" if run else "–"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "MISS")


def report(results: list[Result], repeat: int, info: dict[str, str]) -> None:
    header = ("N", "pages", "center pages", "notice pages", "ticreg build s", "mkdocs s", "ratio", "sources-only s",
              "validate s", "peak MiB (ticreg)", "peak MiB (mkdocs)", "search index gz KiB", "bytes/center",
              "site MB", "ticreg build cpu s", "mkdocs cpu s", "ratio cpu")
    rows = []
    for r in results:
        build, mk, src, val = (Result.best(x) for x in (r.build, r.mkdocs, r.sources, r.validate))
        rows.append((
            f"{r.n:,}", f"{r.pages.get('pages', 0):,}" if r.pages else "–",
            f"{r.pages.get('centers', 0):,}" if r.pages else "–", f"{r.pages.get('notices', 0):,}" if r.pages else "–",
            fmt(build), fmt(mk), f"{build.wall / mk.wall:.2f}" if build and mk else "–", fmt(src), fmt(val),
            f"{Result.peak(r.build):.0f}" if r.build else "–", f"{Result.peak(r.mkdocs):.0f}" if r.mkdocs else "–",
            f"{r.index_gz / 1024:,.0f}" if r.index_gz else "–", f"{r.index_gz / r.n:,.0f}" if r.index_gz else "–",
            f"{r.site_bytes / 1e6:,.0f}" if r.site_bytes else "–",
            f"{build.cpu:.1f}" if build else "–", f"{mk.cpu:.1f}" if mk else "–",
            f"{build.cpu / mk.cpu:.2f}" if build and mk else "–",
        ))
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    print(f"\n=== ticreg build vs mkdocs build (best of {repeat} by wall time; s = elapsed seconds, cpu s = "
          f"user+system seconds of the same run; peak RSS of each process, the highest over the rounds) ===")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(row, widths)) + " |")

    print("\nDetails:")
    for r in results:
        src = Result.best(r.sources)
        parts = [f"N = {r.n:,}: registry files {r.files:,}"]
        if src:
            parts.append(f"sources-only cpu {src.cpu:.1f} s, peak {Result.peak(r.sources):.0f} MiB")
        if r.index_raw:
            parts.append(f"search index {r.index_raw / 1e6:.1f} MB raw -> {r.index_gz / 1e6:.2f} MB gzip -9")
            parts.append(f"site {r.site_files:,} files ({r.site_bytes / 1e6:,.0f} MB); mkdocs-only site "
                         f"{r.mkdocs_site_files:,} files")
        if r.kinds:
            parts.append("notices by kind " + ", ".join(f"{k} {v:,}" for k, v in r.kinds.most_common()))
        parts.append(f"load average {r.load_before} -> {r.load_after}")
        if r.failure:
            parts.append("FAILED: " + r.failure.splitlines()[0])
        print("- " + "; ".join(parts))

    print(f"\nTargets: ratio ticreg build / mkdocs build <= {TARGET_RATIO} at every N; at N = {TARGET_N:,}: "
          f"ticreg build < {TARGET_SECONDS:.0f} s and peak memory < {TARGET_MIB:.0f} MiB (1 GiB).")
    print("(Wall time is what the targets name; on a shared machine it also counts waiting for the CPU, so the "
          "ratio of CPU times is given too: it is the steadier of the two when the load average exceeds nproc.)")
    for r in results:
        build, mk = Result.best(r.build), Result.best(r.mkdocs)
        wall_ok = None if not (build and mk) else build.wall / mk.wall <= TARGET_RATIO
        cpu_ok = None if not (build and mk) else build.cpu / mk.cpu <= TARGET_RATIO
        line = f"- N = {r.n:,}: ratio {verdict(wall_ok)} by wall time, {verdict(cpu_ok)} by CPU time"
        if r.n == TARGET_N:
            line += (f"; under {TARGET_SECONDS:.0f} s {verdict(None if not build else build.wall < TARGET_SECONDS)}"
                     f" (CPU time alone {verdict(None if not build else build.cpu < TARGET_SECONDS)})"
                     f"; memory {verdict(None if not r.build else Result.peak(r.build) < TARGET_MIB)}")
        print(line)
    if not any(r.n == TARGET_N for r in results):
        print(f"- N = {TARGET_N:,} not measured: the time and memory targets are not judged")
    print("\nMachine: " + ", ".join(f"{k} {v}" for k, v in info.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of centers (default 1000,5000,10000)")
    parser.add_argument("--repeat", type=int, default=1, help="timed rounds per size; the best counts (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="build each repository copy in DIR/n<N> and keep it")
    parser.add_argument("--profile", type=int, nargs="?", const=30, default=0, metavar="LINES",
                        help="also cProfile one extra `ticreg build` per size; print a breakdown and the top LINES")
    parser.add_argument("--profile-dir", metavar="DIR", help="keep the .prof files in DIR")
    parser.add_argument("--phases", action="store_true",
                        help="also run one extra in-process build per size with timers around its main steps "
                             "(CPU time by step, without cProfile's overhead)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        parser.error("--sizes takes comma-separated integers, e.g. 1000,5000")
    if not sizes or min(sizes) < 10 or args.repeat < 1:
        parser.error("each size must be at least 10 and --repeat at least 1")

    command = ticreg_command()
    python = str(Path(command).parent / "python")
    if not Path(python).exists():
        python = sys.executable
    info = machine()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    # jieba builds its dictionary cache on first use; do it once here, not inside a timed run.
    subprocess.run([python, "-c", "import logging, jieba; jieba.setLogLevel(logging.WARNING); jieba.initialize()"],
                   check=True)
    results = []
    for n in sizes:
        if args.keep:
            workdir = Path(args.keep).resolve() / f"n{n}"
            if workdir.exists():
                parser.error(f"{workdir} already exists")
            workdir.mkdir(parents=True)
            cleanup = None
        else:
            cleanup = tempfile.TemporaryDirectory(prefix=f"ticreg-bench-build-{n}-")
            workdir = Path(cleanup.name).resolve()
        try:
            results.append(run_size(n, args.repeat, workdir, command, python, args.profile,
                                    Path(args.profile_dir).resolve() if args.profile_dir else None, args.phases))
        finally:
            if cleanup is not None:
                cleanup.cleanup()
    report(results, args.repeat, info)
    return 0 if all(r.failure is None for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

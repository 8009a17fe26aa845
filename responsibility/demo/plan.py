"""The school plan of the demo county: which schools exist, of what type, where, how big, with
which features.

One *block* is ten towns with 60 schools in the realistic mix of a mountain county in southern
Shaanxi: five bureau-direct schools (a model high school, a second high school, a vocational
centre, a special-education school, a town primary), four education groups with member
campuses, a central primary in every town with its village schools (村小/教学点), rural boarding
junior middles and nine-year schools, two private schools with party instructors, and thirty
kindergartens (county, town, resettlement-community and private). ``scale=N`` repeats the block
N times over new towns. Sizes vary with the seed; types, features and order do not, so the
planted problems of :mod:`.problems` always find the school they need.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["SCHOOLS_PER_BLOCK", "TOWNS_PER_BLOCK", "SchoolSpec", "plan_block"]

TOWNS_PER_BLOCK = 10
SCHOOLS_PER_BLOCK = 60

_PRIMARY_GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
_JUNIOR_GRADES = ("七年级", "八年级", "九年级")
_HIGH_GRADES = ("高一", "高二", "高三")
_GRADES = {
    "小学": _PRIMARY_GRADES,
    "初中": _JUNIOR_GRADES,
    "普通高中": _HIGH_GRADES,
    "中职": ("中职一年级", "中职二年级", "中职三年级"),
    "特教": ("低年级段", "中年级段", "高年级段"),
    "九年一贯": ("小学低段", "小学高段", *_JUNIOR_GRADES),
    "初高中": (*_JUNIOR_GRADES, *_HIGH_GRADES),
    "学前": ("小班", "中班", "大班"),
}
_CLASS_SIZE = {"小学": 45, "初中": 48, "普通高中": 56, "中职": 45, "特教": 9, "九年一贯": 38, "初高中": 48, "学前": 30}

# name stem, subtype, town offset (within the block) and number of buses of each private kindergarten
_PRIVATE_KG = (
    ("小树苗", "民办园", 0, 0),
    ("童乐", "民办普惠园", 0, 1),
    ("启智", "民办普惠园", 0, 0),
    ("星光", "民办园", 0, 0),
    ("彩虹桥", "民办普惠园", 0, 0),
    ("小太阳", "民办普惠园", 0, 0),
    ("乐贝", "民办园", 0, 0),
    ("金色童年", "民办普惠园", 1, 1),
    ("小橡树", "民办普惠园", 1, 0),
    ("晨曦", "民办园", 2, 0),
    ("花蕾", "民办普惠园", 3, 0),
    ("博雅", "民办园", 4, 1),
    ("小海豚", "民办普惠园", 6, 0),
    ("向日葵", "民办普惠园", 0, 0),
)


@dataclass
class SchoolSpec:
    """What the generator needs to staff a school and draw its grids."""

    index: int
    id: str
    name: str
    type: str
    subtype: str
    ownership: str
    town: int
    direct: bool
    stage: str
    features: list[str]
    party_org_type: str
    buses: int = 0
    campuses: list[dict[str, int | str]] = field(default_factory=list)
    students: int = 0
    classes: int = 0
    boarders: int = 0
    note: str | None = None

    @property
    def kindergarten(self) -> bool:
        return "kindergarten" in self.features

    @property
    def grades(self) -> tuple[str, ...]:
        return _GRADES[self.stage]

    @property
    def main_classes(self) -> int:
        return int(self.campuses[0]["classes"]) if self.campuses else self.classes


def _size(spec: SchoolSpec, rng: random.Random, low: int, high: int) -> None:
    spec.students = rng.randint(low, high)
    spec.classes = max(len(spec.grades), round(spec.students / _CLASS_SIZE[spec.stage]))
    if "boarding" in spec.features:
        share = 0.8 if spec.stage in ("普通高中", "中职") else rng.uniform(0.2, 0.75)
        spec.boarders = int(spec.students * share) // 10 * 10


def _campuses(spec: SchoolSpec, rng: random.Random, core: str, sites: list[str]) -> None:
    """Split the school into its core campus and smaller member sites (村小, 教学点, 成员校)."""
    rows: list[dict[str, int | str]] = []
    rest_students, rest_classes = spec.students, spec.classes
    for site in sites:
        classes = rng.randint(2, 6) if spec.kindergarten or "小学" in site or "教学点" in site else rng.randint(6, 12)
        students = classes * rng.randint(10, 30) if "教学点" in site or "村" in site else classes * rng.randint(25, 45)
        rows.append({"name": site, "students": students, "classes": classes})
        rest_students -= students
        rest_classes -= classes
    spec.students = max(spec.students, sum(int(r["students"]) for r in rows) + 120)
    main_classes = max(len(spec.grades), rest_classes)
    spec.classes = main_classes + sum(int(r["classes"]) for r in rows)
    rows.insert(0, {"name": core, "students": max(rest_students, main_classes * 20), "classes": main_classes})
    spec.students = sum(int(r["students"]) for r in rows)
    spec.campuses = rows


@dataclass
class _Block:
    """One block being planned: its towns, the schools added so far and how to add one.

    Each school's sizes come from a generator seeded by the school's index, so the steps below
    only have to run in the same order to give the same county."""

    block: int
    county: str
    towns: list[tuple[str, str, list[str]]]
    seed: int
    specs: list[SchoolSpec] = field(default_factory=list)

    @property
    def stems(self) -> list[str]:
        return [name.removesuffix("镇") for name, _, _ in self.towns]

    @property
    def seat(self) -> str:
        return self.stems[0]

    @property
    def area(self) -> str:
        return "" if self.block == 0 else self.seat

    def add(
        self,
        type_: str,
        subtype: str,
        name: str,
        town: int,
        stage: str,
        features: list[str],
        party: str,
        *,
        ownership: str = "公办",
        direct: bool = False,
        buses: int = 0,
    ) -> SchoolSpec:
        index = self.block * SCHOOLS_PER_BLOCK + len(self.specs) + 1
        spec = SchoolSpec(
            index=index,
            id=f"SCH{index:03d}",
            name=name,
            type=type_,
            subtype=subtype,
            ownership=ownership,
            town=self.block * TOWNS_PER_BLOCK + town,
            direct=direct,
            stage=stage,
            features=sorted(set(features)),
            party_org_type=party,
            buses=buses,
        )
        if buses:
            spec.features = sorted({*spec.features, "school_bus"})
        self.specs.append(spec)
        return spec

    def rng(self, spec: SchoolSpec) -> random.Random:
        return random.Random(f"{self.seed}-plan-{spec.index}")


_HIGH = ["boarding", "canteen", "gas_or_heating", "k12", "lab"]
_KG = ["canteen", "kindergarten"]
_PRIMARY_BUSES = {1: 1, 3: 1, 5: 1, 6: 2, 7: 1}
_JUNIOR_BUSES = {2: 1, 5: 1, 6: 1, 8: 1}


def plan_block(block: int, county: str, towns: list[tuple[str, str, list[str]]], seed: int) -> list[SchoolSpec]:
    """The 60 schools of block ``block`` (0-based), whose ten towns are ``towns``."""
    b = _Block(block, county, towns, seed)
    _direct_schools(b)
    _education_groups(b)
    _town_primaries(b)
    _junior_middles(b)
    _private_schools(b)
    _kindergartens(b)
    assert len(b.specs) == SCHOOLS_PER_BLOCK
    return b.specs


def _direct_schools(b: _Block) -> None:
    """The five bureau-direct schools in the county seat."""
    county, area, high = b.county, b.area, _HIGH
    s = b.add(
        "局直学校",
        "省级示范高中",
        f"{county}{area}第一高级中学",
        0,
        "普通高中",
        [*high, "special_equipment"],
        "independent",
        direct=True,
    )
    _size(s, b.rng(s), 3300, 3800)
    s = b.add("局直学校", "普通高中", f"{county}{area}第二高级中学", 0, "普通高中", high, "independent", direct=True)
    _size(s, b.rng(s), 1300, 1600)
    s = b.add(
        "局直学校",
        "中等职业学校",
        f"{county}{area}职业教育中心",
        0,
        "中职",
        [*high, "construction", "special_equipment", "vocational"],
        "independent",
        direct=True,
    )
    _size(s, b.rng(s), 1200, 1450)
    s = b.add(
        "局直学校",
        "特殊教育学校",
        f"{county}{area}特殊教育学校",
        0,
        "特教",
        ["boarding", "canteen", "gas_or_heating", "k12"],
        "independent",
        direct=True,
    )
    _size(s, b.rng(s), 95, 125)
    s = b.add(
        "局直学校",
        "城区小学",
        f"{county}{area}实验小学",
        0,
        "小学",
        ["canteen", "k12", "lab"],
        "independent",
        direct=True,
    )
    _size(s, b.rng(s), 1900, 2200)


def _education_groups(b: _Block) -> None:
    """The four education groups of the seat, each split into its member campuses."""
    county, area, seat, high = b.county, b.area, b.seat, _HIGH
    villages = b.towns[0][2]
    s = b.add(
        "教育集团",
        "小学教育集团",
        f"{county}{seat}第一小学教育集团",
        0,
        "小学",
        ["canteen", "group", "k12", "lab"],
        "independent",
    )
    _size(s, b.rng(s), 2600, 3000)
    _campuses(
        s, b.rng(s), f"{seat}第一小学（核心校）", [f"{villages[2]}小学（成员校）", f"{villages[3]}小学（成员校）"]
    )
    s = b.add(
        "教育集团",
        "小学教育集团",
        f"{county}{seat}第二小学教育集团",
        0,
        "小学",
        ["canteen", "construction", "group", "k12", "lab"],
        "independent",
    )
    _size(s, b.rng(s), 2000, 2300)
    _campuses(s, b.rng(s), f"{seat}第二小学（核心校）", [f"{villages[1]}小学（成员校）"])
    s = b.add(
        "教育集团",
        "初中教育集团",
        f"{county}{area}实验初级中学教育集团",
        0,
        "初中",
        [*high, "group", "special_equipment"],
        "independent",
    )
    _size(s, b.rng(s), 2700, 3000)
    _campuses(s, b.rng(s), "实验初级中学（核心校）", [f"{seat}第二初级中学（成员校）"])
    s = b.add(
        "教育集团",
        "幼教集团",
        f"{county}{seat}幼儿园教育集团",
        0,
        "学前",
        ["canteen", "group", "kindergarten"],
        "independent",
    )
    _size(s, b.rng(s), 700, 800)
    _campuses(
        s,
        b.rng(s),
        f"{seat}幼儿园（总园）",
        [f"{seat}幼儿园{villages[0].removesuffix('社区')}分园", f"{seat}幼儿园{villages[2].removesuffix('村')}分园"],
    )


def _town_primaries(b: _Block) -> None:
    """A central primary in every town, with one or two of its village schools as campuses."""
    county, stems = b.county, b.stems
    for t in range(TOWNS_PER_BLOCK):
        mountain = t >= 5
        features = ["canteen", "central_school", "k12"] + (["boarding", "gas_or_heating"] if mountain else [])
        s = b.add(
            "镇中心小学",
            "镇中心小学",
            f"{county}{stems[t]}镇中心小学",
            t,
            "小学",
            features,
            "independent",
            buses=_PRIMARY_BUSES.get(t, 0),
        )
        r = b.rng(s)
        low, top = (380, 460) if t == 0 else (200, 720) if mountain else (600, 1200)
        _size(s, r, low, top)
        sites = [v for v in b.towns[t][2][1:]][: r.choice((1, 2, 2))]
        _campuses(s, r, f"{stems[t]}镇中心小学（本部）", [v + r.choice(("小学", "小学", "教学点")) for v in sites])
        if s.students < 520:
            s.party_org_type = "combined"


def _junior_middles(b: _Block) -> None:
    """A rural boarding junior middle in every town but the seat; nine-year schools in the last two."""
    county, stems, high = b.county, b.stems, _HIGH
    for t in range(1, TOWNS_PER_BLOCK):
        nine = t >= 8
        s = b.add(
            "单设初中",
            "九年一贯制学校" if nine else "农村寄宿制初中",
            f"{county}{stems[t]}{'九年制学校' if nine else '初级中学'}",
            t,
            "九年一贯" if nine else "初中",
            high,
            "independent",
            buses=_JUNIOR_BUSES.get(t, 0),
        )
        _size(s, b.rng(s), *((320, 660) if t >= 5 else (520, 1150)))


def _private_schools(b: _Block) -> None:
    """The two private schools, which have party instructors instead of their own party branch."""
    county, area, high = b.county, b.area, _HIGH
    s = b.add(
        "民办学校",
        "民办九年一贯制学校",
        f"{county}{area}博文学校",
        0,
        "九年一贯",
        high,
        "instructor",
        ownership="民办",
        buses=3,
    )
    _size(s, b.rng(s), 1150, 1300)
    s = b.add("民办学校", "民办完全中学", f"{county}{area}明德中学", 1, "初高中", high, "instructor", ownership="民办")
    _size(s, b.rng(s), 760, 880)


def _kindergartens(b: _Block) -> None:
    """The thirty kindergartens: county, town-centre, resettlement-community and private."""
    county, area, stems, kg = b.county, b.area, b.stems, _KG
    s = b.add(
        "幼儿园",
        "县直公办园",
        f"{county}{area}第一幼儿园",
        0,
        "学前",
        [*kg, "special_equipment"],
        "independent",
        direct=True,
    )
    _size(s, b.rng(s), 430, 500)
    s = b.add("幼儿园", "县直公办园", f"{county}{area}第二幼儿园", 0, "学前", kg, "independent", direct=True)
    _size(s, b.rng(s), 380, 430)
    for t in range(1, TOWNS_PER_BLOCK):
        s = b.add("幼儿园", "镇中心公办园", f"{county}{stems[t]}镇中心幼儿园", t, "学前", kg, "combined")
        _size(s, b.rng(s), 110, 360)
    for t in (1, 3, 2, 6, 4):
        community = b.towns[t][2][1] if b.towns[t][2][1].endswith("社区") else b.towns[t][2][0]
        s = b.add("幼儿园", "移民安置社区公办园", f"{county}{stems[t]}镇{community}幼儿园", t, "学前", kg, "combined")
        _size(s, b.rng(s), 100, 200)
        if t == 6:
            s.note = "2024年秋季新开园"
    for stem, subtype, t, buses in _PRIVATE_KG:
        s = b.add(
            "幼儿园", subtype, f"{county}{area}{stem}幼儿园", t, "学前", kg, "instructor", ownership="民办", buses=buses
        )
        _size(s, b.rng(s), 110, 320)

"""Fictional names for the demo county: the county, its towns and villages, and persons.

Person names combine a surname with one or two given-name characters drawn from the lists
below with a seeded :class:`random.Random`, so the same seed always yields the same people.
None of the lists names a real school or person; town names are common Chinese place-name
patterns and the county itself does not exist.
"""

from __future__ import annotations

import random

__all__ = [
    "COUNTY_NAME",
    "TOWNS",
    "person_name",
    "town_plan",
]

COUNTY_NAME = "岚川县"
CITY_NAME = "秦岭市（虚构）"
PROVINCE_NAME = "陕西省"

# Surnames weighted roughly by how common they are in southern Shaanxi.
_SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤"
    "尹黎易常武乔贺赖龚文柯庞向"
)
_MALE_GIVEN = "伟强军磊洋勇杰涛明超斌辉鹏波刚健俊峰浩宇凯东林亮飞博文华平志国建成兵龙海旭晨阳鑫坤彬锋振泽毅"
_FEMALE_GIVEN = "芳娜敏静丽艳娟霞燕玲萍红琳雪婷慧颖琴丹倩莉云梅兰洁欣悦蓉瑶佳莹晶璐妍蕾薇茜琦淑瑾月"

# (name, note, villages or communities) for the first ten towns; town 1 is the county seat.
TOWNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("城关镇", "县城驻地，岚川河谷中段", ("岚桥社区", "东关社区", "石碾村", "杏林村")),
    ("青岗镇", "岚川河谷东段，人口较多", ("青岗社区", "安居社区", "枣树坪村", "河湾村")),
    ("柳湾镇", "岚川河谷东部，川道平坝", ("柳湾社区", "新民村", "清泉村", "上坝村")),
    ("白石镇", "岚川河谷西部", ("白石社区", "幸福社区", "三合村", "岩口村")),
    ("龙潭镇", "河谷与浅山交界，交通便利", ("龙潭社区", "中河村", "桃园村")),
    ("枫坪镇", "北部浅山区", ("枫坪社区", "双泉村", "黄土岭村")),
    ("清水河镇", "南部沿江低山区", ("清水社区", "茶坡村", "凤凰村", "石门村")),
    ("松岭镇", "南部中山区，冬季寒冷", ("松岭社区", "长坡村", "竹园村")),
    ("三溪镇", "北部山区，三条溪流交汇", ("三溪社区", "红岩村")),
    ("云台镇", "北部高山区，水库库区", ("云台社区", "青石村")),
)

_EXTRA_TOWN_HEADS = "金银玉石松竹梅兰桂枫杨柳桃杏李梨茶麻桑槐柏椿栗枣芦荻荷菱蒲苇"
_EXTRA_TOWN_TAILS = "坪坝岭沟湾溪河口关桥店铺寨堡垭岗塘滩营庄集"


def person_name(rng: random.Random, gender: str) -> str:
    """A fictional full name: surname plus one or two given-name characters."""
    surname = rng.choice(_SURNAMES)
    pool = _MALE_GIVEN if gender == "男" else _FEMALE_GIVEN
    if rng.random() < 0.35:
        return surname + rng.choice(pool)
    return surname + rng.choice(pool) + rng.choice(pool)


def town_plan(count: int) -> list[tuple[str, str, list[str]]]:
    """``count`` towns: the ten fixed ones, then made-up names (deterministic, unique)."""
    towns = [(name, note, list(villages)) for name, note, villages in TOWNS[:count]]
    seen = {name for name, _, _ in towns}
    index = 0
    while len(towns) < count:
        head = _EXTRA_TOWN_HEADS[index % len(_EXTRA_TOWN_HEADS)]
        tail = _EXTRA_TOWN_TAILS[(index // len(_EXTRA_TOWN_HEADS)) % len(_EXTRA_TOWN_TAILS)]
        round_no = index // (len(_EXTRA_TOWN_HEADS) * len(_EXTRA_TOWN_TAILS))
        stem = head + tail + ("" if round_no == 0 else "一二三四五六七八九十"[round_no % 10])
        index += 1
        name = stem + "镇"
        if name in seen:
            continue
        seen.add(name)
        villages = [stem + "社区", stem + "一村", stem + "二村", stem + "三村"]
        towns.append((name, "扩展演示数据：按山区乡镇规模生成", villages))
    return towns

"""Realistic Chinese personal names for demo customers and staff.

Surnames are weighted by their approximate share of the population (per 100,000 people,
after the national household registration statistics); given names have one or two
characters drawn from gender-specific pools, with older customers more likely to carry the
names of their generation (建国, 秀英 …) and younger ones today's (子轩, 欣怡 …).
"""

# (surname, people per 100,000)
SURNAMES = (
    ("王", 7250), ("李", 7190), ("张", 6830), ("刘", 5380), ("陈", 4530), ("杨", 3080),
    ("黄", 2230), ("赵", 2140), ("吴", 2050), ("周", 1890), ("徐", 1570), ("孙", 1530),
    ("马", 1390), ("朱", 1370), ("胡", 1310), ("郭", 1160), ("何", 1140), ("林", 1130),
    ("高", 1080), ("罗", 990), ("郑", 940), ("梁", 920), ("谢", 830), ("宋", 820),
    ("唐", 790), ("许", 740), ("韩", 720), ("冯", 700), ("邓", 700), ("曹", 690),
    ("彭", 650), ("曾", 640), ("肖", 620), ("田", 610), ("董", 600), ("袁", 580),
    ("潘", 570), ("于", 560), ("蒋", 550), ("蔡", 540), ("余", 530), ("杜", 520),
    ("叶", 510), ("程", 500), ("苏", 490), ("魏", 480), ("吕", 470), ("丁", 460),
    ("任", 450), ("沈", 440), ("姚", 430), ("卢", 420), ("姜", 410), ("崔", 400),
    ("钟", 390), ("谭", 380), ("陆", 370), ("汪", 360), ("范", 350), ("金", 340),
    ("石", 330), ("廖", 320), ("贾", 310), ("夏", 300), ("韦", 290), ("付", 280),
    ("方", 270), ("白", 260), ("邹", 250), ("孟", 240), ("熊", 230), ("秦", 220),
    ("邱", 210), ("江", 200), ("尹", 190), ("薛", 180), ("闫", 170), ("段", 160),
    ("雷", 150), ("侯", 140), ("龙", 130), ("史", 120), ("陶", 110), ("黎", 100),
    ("贺", 100), ("顾", 100), ("毛", 100), ("郝", 90), ("龚", 90), ("邵", 90),
    ("万", 90), ("钱", 80), ("严", 80), ("覃", 80), ("武", 80), ("戴", 80),
    ("莫", 70), ("孔", 70), ("向", 70), ("汤", 70), ("欧阳", 30), ("上官", 6),
    ("司马", 5), ("诸葛", 4),
)

# Characters used in given names, by gender and generation.
MALE_CLASSIC = "国建华明军德志文平海永福胜荣庆生林春忠伟强刚勇峰东卫新力成兴立振宝金"
MALE_MODERN = "浩轩宇睿泽子博俊杰晨航铭一皓然辰逸昊鑫磊涛鹏凯帅超宁锐哲毅诚"
FEMALE_CLASSIC = "秀英桂兰玉梅凤珍淑芳华琴云霞红萍美丽春莲翠娟敏静燕玲芬素彩爱月"
FEMALE_MODERN = "欣怡梓涵诗雨萱思琪佳悦可馨婷雪琳慧颖倩洁瑶雯晶蕾璐薇丹妍梦语彤"

# Whole two-character given names that were popular in each generation.
MALE_CLASSIC_NAMES = (
    "建国", "建华", "国强", "志强", "卫东", "国庆", "建军", "德明", "振华", "永强",
    "志刚", "海涛", "立新", "红兵", "建设", "建平", "国平", "明华", "金龙", "春生",
)
MALE_MODERN_NAMES = (
    "子轩", "浩然", "宇航", "梓豪", "俊杰", "思远", "博文", "一鸣", "皓轩", "浩宇",
    "宇轩", "子豪", "晨阳", "天佑", "文博", "嘉懿", "铭泽", "奕辰", "俊熙", "睿哲",
)
FEMALE_CLASSIC_NAMES = (
    "秀英", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "丽华", "凤英", "玉梅", "秀珍",
    "美华", "红梅", "春兰", "玉珍", "丽娟", "素芬", "秀云", "金凤", "月娥", "爱华",
)
FEMALE_MODERN_NAMES = (
    "梓涵", "欣怡", "雨欣", "诗涵", "梦琪", "可馨", "语嫣", "思彤", "佳怡", "子萱",
    "雨涵", "欣妍", "梓萱", "一诺", "诗琪", "婉清", "若曦", "思雨", "佳琪", "晓雯",
)

SINGLE_CHARACTER_SHARE = 0.22
WHOLE_NAME_SHARE = 0.15


def _expand(weighted, scale=10):
    """Repeat each item in proportion to its weight, so a uniform index picks by weight."""
    table = []
    for item, weight in weighted:
        table.extend([item] * max(1, round(weight / scale)))
    return tuple(table)


def _modern_share(birth_year):
    """Return the chance that someone born in ``birth_year`` carries a modern name."""
    if birth_year < 1960:
        return 0.1
    if birth_year < 1975:
        return 0.3
    if birth_year < 1990:
        return 0.6
    return 0.9


class NameBook:
    """Picks names from precomputed tables; all randomness comes from the caller's ``rng``."""

    def __init__(self):
        self.surnames = _expand(SURNAMES)
        # pools[male][modern] -> (characters, whole names)
        self.pools = {
            True: {False: (MALE_CLASSIC, MALE_CLASSIC_NAMES),
                   True: (MALE_MODERN, MALE_MODERN_NAMES)},
            False: {False: (FEMALE_CLASSIC, FEMALE_CLASSIC_NAMES),
                    True: (FEMALE_MODERN, FEMALE_MODERN_NAMES)},
        }
        self.modern_share = {year: _modern_share(year) for year in range(1900, 2100)}

    def surname(self, rng):
        """Pick a surname by its frequency."""
        table = self.surnames
        return table[int(rng.random() * len(table))]

    def given_name(self, rng, male, birth_year):
        """Pick a one- or two-character given name fitting the gender and generation."""
        random = rng.random
        chars, names = self.pools[male][random() < self.modern_share.get(birth_year, 0.5)]
        roll = random()
        if roll < SINGLE_CHARACTER_SHARE:
            return chars[int(random() * len(chars))]
        if roll < SINGLE_CHARACTER_SHARE + WHOLE_NAME_SHARE:
            return names[int(random() * len(names))]
        size = len(chars)
        return chars[int(random() * size)] + chars[int(random() * size)]

    def full_name(self, rng, male, birth_year):
        """Pick a surname and a given name."""
        return self.surname(rng) + self.given_name(rng, male, birth_year)

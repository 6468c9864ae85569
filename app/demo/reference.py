"""Demo reference data: branches, staff, products and value-added services, as row dictionaries.

Pure functions of today's date (no database access); ``services`` inserts the rows.
"""
from datetime import date

from ..models import BranchKind, ProductCategory, Role, Tier
from ..tiers import DEFAULT_THRESHOLDS

ALL_TIERS = Tier.ALL
GOLD_UP = ALL_TIERS[1:]
PLATINUM_UP = ALL_TIERS[2:]
DIAMOND_UP = ALL_TIERS[3:]

# key, code, name, kind, parent key
BRANCHES = (
    ("ho", "HO", "总行", BranchKind.HEAD_OFFICE, None),
    ("pd", "PD", "浦东分行", BranchKind.BRANCH, "ho"),
    ("xh", "XH", "徐汇分行", BranchKind.BRANCH, "ho"),
    ("pd1", "PD-LJZ", "陆家嘴支行", BranchKind.OUTLET, "pd"),
    ("pd2", "PD-ZJ", "张江支行", BranchKind.OUTLET, "pd"),
    ("xh1", "XH-XJH", "徐家汇支行", BranchKind.OUTLET, "xh"),
    ("xh2", "XH-CHJ", "漕河泾支行", BranchKind.OUTLET, "xh"),
)

# username, display name, role, branch key
STAFF = (
    ("admin", "王立新", Role.ADMIN, "ho"),
    ("supervisor1", "陈国栋", Role.SUPERVISOR, "pd"),
    ("supervisor2", "李慧敏", Role.SUPERVISOR, "xh"),
    ("trainer1", "赵雅琴", Role.TRAINER, "pd"),
    ("maint1", "刘晓东", Role.MAINTAINER, "pd1"),
    ("maint2", "孙婷", Role.MAINTAINER, "pd1"),
    ("maint3", "黄志伟", Role.MAINTAINER, "pd2"),
    ("maint4", "吴佳怡", Role.MAINTAINER, "pd2"),
    ("maint5", "周海涛", Role.MAINTAINER, "xh1"),
    ("maint6", "徐静", Role.MAINTAINER, "xh1"),
    ("maint7", "马俊杰", Role.MAINTAINER, "xh2"),
    ("maint8", "朱丽娜", Role.MAINTAINER, "xh2"),
)

# code, name, category, risk, minimum (CNY), term days, yield bp, on sale from/until
# (days from today, until None = open-ended), tiers offered
PRODUCTS = (
    ("DEP-DMD", "活期储蓄", ProductCategory.DEPOSIT, "R1", 0, None, 5, -5000, None, ALL_TIERS),
    ("DEP-3M", "安心定期存款3个月", ProductCategory.DEPOSIT, "R1", 50, 91, 65, -3000, None,
     ALL_TIERS),
    ("DEP-1Y", "安心定期存款1年", ProductCategory.DEPOSIT, "R1", 50, 365, 95, -3000, None,
     ALL_TIERS),
    ("DEP-3Y", "安心定期存款3年", ProductCategory.DEPOSIT, "R1", 50, 1095, 125, -3000, None,
     ALL_TIERS),
    ("DEP-CD3Y", "大额存单3年期", ProductCategory.DEPOSIT, "R1", 200_000, 1095, 155, -1500, 45,
     GOLD_UP),
    ("WM-CASH", "天天利现金管理", ProductCategory.WEALTH, "R1", 1, None, 145, -2000, None,
     ALL_TIERS),
    ("WM-90D", "稳健理财90天", ProductCategory.WEALTH, "R2", 10_000, 90, 230, -1500, -30,
     ALL_TIERS),
    ("WM-180D", "稳健理财180天", ProductCategory.WEALTH, "R2", 10_000, 180, 260, -1200, None,
     ALL_TIERS),
    ("WM-1Y", "丰收理财1年", ProductCategory.WEALTH, "R2", 10_000, 365, 290, -1200, None,
     ALL_TIERS),
    ("WM-2Y", "睿享固收增强2年", ProductCategory.WEALTH, "R3", 50_000, 730, 340, -900, 20,
     GOLD_UP),
    ("WM-PRV", "私享定制理财1年", ProductCategory.WEALTH, "R3", 1_000_000, 365, 380, -700, None,
     DIAMOND_UP),
    ("FD-MMF", "添益货币基金", ProductCategory.FUND, "R1", 1, None, 150, -3000, None, ALL_TIERS),
    ("FD-BOND", "稳利债券基金", ProductCategory.FUND, "R2", 1000, None, 280, -2500, None,
     ALL_TIERS),
    ("FD-CSI300", "沪深300指数基金", ProductCategory.FUND, "R4", 10, None, None, -3000, None,
     ALL_TIERS),
    ("FD-MIX", "科技创新混合基金", ProductCategory.FUND, "R4", 1000, None, None, -1000, None,
     GOLD_UP),
    ("FD-EQ", "新兴产业股票基金", ProductCategory.FUND, "R5", 1000, None, None, -800, None,
     PLATINUM_UP),
    ("FD-PE", "私募股权精选三年期", ProductCategory.FUND, "R5", 1_000_000, 1095, None, -600, None,
     DIAMOND_UP),
    ("INS-ANN", "金生安享年金保险", ProductCategory.INSURANCE, "R2", 10_000, None, 250, -2000,
     None, ALL_TIERS),
    ("INS-CI", "康健无忧重疾险", ProductCategory.INSURANCE, "R1", 3000, None, None, -1800, None,
     ALL_TIERS),
    ("INS-UL", "鑫享万能险", ProductCategory.INSURANCE, "R3", 50_000, None, 300, -1000, -200,
     GOLD_UP),
    ("PM-ACC", "积存金", ProductCategory.PRECIOUS_METAL, "R3", 600, None, None, -2500, None,
     ALL_TIERS),
    ("PM-PANDA", "熊猫金币", ProductCategory.PRECIOUS_METAL, "R3", 3000, None, None, -330, 35,
     ALL_TIERS),
    ("PM-BAR", "生肖纪念金条", ProductCategory.PRECIOUS_METAL, "R3", 5000, None, None, -600, -240,
     ALL_TIERS),
    ("PM-TD", "黄金延期交易", ProductCategory.PRECIOUS_METAL, "R5", 100_000, None, None, -2000,
     None, PLATINUM_UP),
    ("LN-CON", "个人消费贷", ProductCategory.LOAN, "R1", 10_000, 1095, 330, -1500, None,
     ALL_TIERS),
    ("LN-MTG", "个人住房贷款", ProductCategory.LOAN, "R1", 300_000, 10950, 310, -5000, None,
     ALL_TIERS),
    ("LN-BIZ", "个人经营快贷", ProductCategory.LOAN, "R2", 50_000, 365, 365, -900, None, GOLD_UP),
    ("CD-DEBIT", "借记卡（标准卡）", ProductCategory.CARD, "R1", 0, None, None, -5000, None,
     ALL_TIERS),
    ("CD-GOLD", "金卡信用卡", ProductCategory.CARD, "R1", 0, None, None, -4000, None, GOLD_UP),
    ("CD-PLAT", "白金信用卡", ProductCategory.CARD, "R1", 0, None, None, -4000, None,
     PLATINUM_UP),
    ("CD-INF", "无限卡", ProductCategory.CARD, "R1", 0, None, None, -2000, None, DIAMOND_UP),
)

# Categories whose holdings count toward AUM (loans and cards do not).
ASSET_CATEGORIES = (ProductCategory.DEPOSIT, ProductCategory.WEALTH, ProductCategory.FUND,
                    ProductCategory.INSURANCE, ProductCategory.PRECIOUS_METAL)

# code, name, yearly allowance per tier (absent = not offered to that tier)
VALUE_ADDED_SERVICES = (
    ("wealth_seminar", "财富管理讲座",
     {Tier.MASS: 1, Tier.GOLD: 2, Tier.PLATINUM: 4, Tier.DIAMOND: 6, Tier.PRIVATE: 12}),
    ("birthday_gift", "生日礼遇",
     {Tier.GOLD: 1, Tier.PLATINUM: 1, Tier.DIAMOND: 1, Tier.PRIVATE: 1}),
    ("priority_window", "贵宾窗口优先办理",
     {Tier.GOLD: 12, Tier.PLATINUM: 24, Tier.DIAMOND: 52, Tier.PRIVATE: 99}),
    ("health_check", "年度健康体检", {Tier.PLATINUM: 1, Tier.DIAMOND: 2, Tier.PRIVATE: 4}),
    ("airport_lounge", "机场贵宾厅", {Tier.PLATINUM: 2, Tier.DIAMOND: 6, Tier.PRIVATE: 12}),
    ("airport_transfer", "机场接送", {Tier.DIAMOND: 2, Tier.PRIVATE: 6}),
    ("golf", "高尔夫练习场体验", {Tier.DIAMOND: 2, Tier.PRIVATE: 6}),
    ("concierge", "私人管家服务", {Tier.PRIVATE: 12}),
    ("legal_tax", "法律与税务咨询", {Tier.PRIVATE: 4}),
    ("family_office", "家族财富规划", {Tier.PRIVATE: 2}),
)


def threshold_rows():
    """Return the default tier thresholds (DESIGN §2) as ``tier_threshold`` rows."""
    return [DEFAULT_THRESHOLDS[tier].as_row() for tier in ALL_TIERS]


def branch_rows(first_id=1):
    """Return the head office, two branches and four outlets, with explicit ids."""
    ids = {key: first_id + n for n, (key, *_rest) in enumerate(BRANCHES)}
    return [{"id": ids[key], "code": code, "name": name, "kind": kind,
             "parent_id": ids[parent] if parent else None, "active": True}
            for key, code, name, kind, parent in BRANCHES]


def staff_rows(branches, password_hash, new_token, first_id=1):
    """Return the demo logins; every one shares ``password_hash`` and gets its own token.

    ``branches`` are the rows of ``branch_rows`` (in that order); ``new_token`` makes a
    session token.
    """
    branch_ids = {key: row["id"] for (key, *_rest), row in zip(BRANCHES, branches)}
    return [{"id": first_id + n, "username": username, "display_name": display_name,
             "role": role, "branch_id": branch_ids[branch], "password_hash": password_hash,
             "active": True, "session_token": new_token(), "daily_capacity": 25,
             "failed_logins": 0}
            for n, (username, display_name, role, branch) in enumerate(STAFF)]


def product_rows(today, first_id=1):
    """Return the product supermarket as (product rows, product_tier rows)."""
    products, offered = [], []
    for n, spec in enumerate(PRODUCTS):
        code, name, category, risk, minimum, term, yield_bp, start, until, tiers = spec
        product_id = first_id + n
        products.append({
            "id": product_id, "code": code, "name": name, "category": category,
            "risk_level": risk, "min_amount_fen": minimum * 100, "term_days": term,
            "indicative_yield_bp": yield_bp,
            "on_sale_from": date.fromordinal(today.toordinal() + start),
            "on_sale_until": None if until is None else date.fromordinal(today.toordinal() + until),
        })
        offered.extend({"product_id": product_id, "tier": tier} for tier in tiers)
    return products, offered


def value_added_service_rows(first_id=1):
    """Return the value-added services of every tier, richer for higher tiers."""
    rows = []
    for tier in ALL_TIERS:
        for code, name, allowances in VALUE_ADDED_SERVICES:
            if tier in allowances:
                rows.append({"id": first_id + len(rows), "tier": tier, "code": code,
                             "name": name, "yearly_allowance": allowances[tier],
                             "active": True})
    return rows

"""Demo training data: a course catalogue, a year of sessions, scores, certifications.

``seed_training(today)`` is called by the demo seeder once the staff are in. Twenty courses
across the five dimensions; for each branch a session every ten days over the last year
(held, with attendance and scores that give every maintainer a different profile) and every
five days over the next two months (planned, some with people enrolled); a session today in
each branch with its maintainers enrolled, ready for the roll call; and certifications, some
expiring within 60 days and one expired. Everything goes in with bulk Core inserts, in the
caller's transaction (the caller commits). Deterministic for a given ``today``.
"""
import random
from datetime import time, timedelta

from sqlalchemy import insert, select

from ..extensions import db
from ..models import (Assessment, Attendance, AttendanceStatus, Branch, BranchKind,
                      CertificationType, Course, CourseMode, Dimension, Role, SessionStatus,
                      Staff, StaffCertification, TrainingSession)
from .services.common import add_months

# code, title, dimension, hours, mode, pass mark, mandatory for maintainers every N months
COURSES = (
    ("PK101", "理财产品体系与风险等级", Dimension.PRODUCT, 4, CourseMode.CLASSROOM, 60, None),
    ("PK102", "公募基金基础与定投", Dimension.PRODUCT, 3, CourseMode.ONLINE, 60, None),
    ("PK103", "保险产品配置实务", Dimension.PRODUCT, 4, CourseMode.CLASSROOM, 60, None),
    ("PK104", "贵金属与外汇业务", Dimension.PRODUCT, 2, CourseMode.ONLINE, 60, None),
    ("CR101", "反洗钱年度复训", Dimension.COMPLIANCE, 3, CourseMode.ONLINE, 80, 12),
    ("CR102", "销售适当性与双录规范", Dimension.COMPLIANCE, 3, CourseMode.CLASSROOM, 70, 12),
    ("CR103", "消费者权益保护", Dimension.COMPLIANCE, 2, CourseMode.ONLINE, 60, None),
    ("CR104", "个人信息保护与数据安全", Dimension.COMPLIANCE, 2, CourseMode.ONLINE, 70, None),
    ("SM101", "客户分层与需求挖掘", Dimension.SALES, 4, CourseMode.CLASSROOM, 60, None),
    ("SM102", "资产配置建议书撰写", Dimension.SALES, 6, CourseMode.CLASSROOM, 60, None),
    ("SM103", "电话邀约与转介绍", Dimension.SALES, 3, CourseMode.ON_THE_JOB, 60, None),
    ("SM104", "沙龙活动策划与执行", Dimension.SALES, 3, CourseMode.CLASSROOM, 60, None),
    ("SC101", "高净值客户服务礼仪", Dimension.SERVICE, 3, CourseMode.CLASSROOM, 60, None),
    ("SC102", "投诉处理与情绪管理", Dimension.SERVICE, 3, CourseMode.CLASSROOM, 60, None),
    ("SC103", "客户关系维护节奏", Dimension.SERVICE, 2, CourseMode.ON_THE_JOB, 60, None),
    ("SC104", "增值服务权益介绍", Dimension.SERVICE, 2, CourseMode.ONLINE, 60, None),
    ("DT101", "移动展业终端使用", Dimension.DIGITAL, 2, CourseMode.ON_THE_JOB, 60, None),
    ("DT102", "企业微信客户经营", Dimension.DIGITAL, 3, CourseMode.ONLINE, 60, None),
    ("DT103", "数据看板与客户画像", Dimension.DIGITAL, 3, CourseMode.CLASSROOM, 60, None),
    ("DT104", "智能投顾与数字渠道", Dimension.DIGITAL, 2, CourseMode.ONLINE, 60, None),
)

# code, name, validity months, product categories it permits selling
CERTIFICATION_TYPES = (
    ("FUND", "基金从业资格", 36, "fund"),
    ("BANK", "银行业专业人员职业资格", 60, "deposit,wealth,card,loan"),
    ("AFP", "AFP 金融理财师", 24, "wealth,insurance,fund"),
    ("CFP", "CFP 国际金融理财师", 24, "wealth,insurance,fund,precious_metal"),
    ("INS", "保险代理从业资格", 36, "insurance"),
)

PLACES = ("三楼培训室", "线上直播间", "二楼会议室", "营业厅贵宾室")
PAST_EVERY_DAYS, FUTURE_EVERY_DAYS = 10, 5
PAST_DAYS, FUTURE_DAYS = 365, 60


def _insert_returning_ids(model, rows):
    """Insert ``rows`` in bulk and return their new ids, in the order of ``rows``."""
    if not rows:
        return []
    table = model.__table__
    return list(db.session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())


def _seed_catalogue():
    course_ids = _insert_returning_ids(Course, [
        {"code": code, "title": title, "dimension": dimension, "hours": hours, "mode": mode,
         "pass_mark": mark, "description": "", "active": True,
         "mandatory_roles": Role.MAINTAINER if months else "", "refresh_months": months}
        for code, title, dimension, hours, mode, mark, months in COURSES])
    type_ids = _insert_returning_ids(CertificationType, [
        {"code": code, "name": name, "validity_months": months, "categories": categories}
        for code, name, months, categories in CERTIFICATION_TYPES])
    courses = [dict(zip(("id", "code", "dimension", "pass_mark"), (cid, c[0], c[2], c[5])))
               for cid, c in zip(course_ids, COURSES)]
    return courses, dict(zip((t[0] for t in CERTIFICATION_TYPES), type_ids))


def _people():
    """Return the regional branches, their trainer (if any), and their maintainers."""
    branches = db.session.execute(select(Branch.id, Branch.parent_id, Branch.kind)).all()
    staff = db.session.execute(select(Staff.id, Staff.role, Staff.branch_id)
                               .where(Staff.active.is_(True)).order_by(Staff.id)).all()
    parent = {b.id: b.parent_id for b in branches}
    regions = {}
    for branch in branches:
        if branch.kind == BranchKind.BRANCH:
            regions[branch.id] = {"trainer": None, "maintainers": []}
    for person in staff:
        region = person.branch_id if person.branch_id in regions else parent.get(person.branch_id)
        if region not in regions:
            continue
        if person.role == Role.TRAINER and regions[region]["trainer"] is None:
            regions[region]["trainer"] = person.id
        elif person.role == Role.MAINTAINER:
            regions[region]["maintainers"].append(person.id)
    return regions


def _session_rows(rng, courses, regions, today):
    rows = []
    for region, people in regions.items():
        days = [today - timedelta(days=n) for n in range(PAST_DAYS, 0, -PAST_EVERY_DAYS)]
        days += [today] + [today + timedelta(days=n)
                           for n in range(FUTURE_EVERY_DAYS, FUTURE_DAYS + 1, FUTURE_EVERY_DAYS)]
        for index, day in enumerate(days):
            course = courses[(index * 7 + region) % len(courses)]
            start = time(9) if index % 2 else time(14)
            rows.append({"course_id": course["id"], "held_on": day, "start_time": start,
                         "end_time": time(start.hour + 3), "place": rng.choice(PLACES),
                         "trainer_id": people["trainer"], "capacity": 20, "branch_id": region,
                         "status": SessionStatus.HELD if day < today else SessionStatus.PLANNED})
    return rows


def _skill(rng, maintainers):
    """Give each maintainer a level per dimension, so the profiles differ."""
    return {(person, dimension): rng.randint(52, 92)
            for person in maintainers for dimension in Dimension.ALL}


def _roll_and_scores(rng, sessions, courses, regions, today):
    by_id = {course["id"]: course for course in courses}
    attendance, assessments = [], []
    skill = _skill(rng, [p for people in regions.values() for p in people["maintainers"]])
    for session in sessions:
        people = regions[session["branch_id"]]["maintainers"]
        course = by_id[session["course_id"]]
        if session["held_on"] == today:
            chosen = people
        elif session["held_on"] > today:
            chosen = rng.sample(people, k=min(len(people), rng.randint(0, 2)))
        else:
            chosen = rng.sample(people, k=max(1, len(people) * 2 // 3))
        for person in chosen:
            status = AttendanceStatus.ENROLLED
            if session["held_on"] < today:
                status = rng.choices(AttendanceStatus.MARKS, weights=(85, 10, 5))[0]
            attendance.append({"session_id": session["id"], "staff_id": person, "status": status})
            if status == AttendanceStatus.PRESENT:
                score = max(0, min(100, skill[(person, course["dimension"])]
                                   + rng.randint(-12, 10)))
                assessments.append({
                    "staff_id": person, "course_id": course["id"], "session_id": session["id"],
                    "score": score, "pass_mark": course["pass_mark"],
                    "passed": score >= course["pass_mark"], "assessed_on": session["held_on"],
                    "assessor_id": session["trainer_id"]})
    return attendance, assessments


def _certifications(rng, regions, type_ids, today):
    """Two or three certificates per maintainer; a few expire within 60 days, one expired."""
    validity = {code: months for code, _name, months, _categories in CERTIFICATION_TYPES}
    rows, n = [], 0
    people = [p for region in regions.values() for p in region["maintainers"]]
    for index, person in enumerate(people):
        for code in rng.sample(sorted(type_ids), k=2 + index % 2):
            n += 1
            if n % 7 == 1:
                expires_on = today + timedelta(days=rng.randint(5, 58))
            elif n == 4:
                expires_on = today - timedelta(days=12)
            else:
                expires_on = today + timedelta(days=rng.randint(90, 900))
            obtained_on = add_months(expires_on, -validity[code])
            rows.append({"staff_id": person, "type_id": type_ids[code],
                         "number": f"{code}-{2026000 + n:07d}", "obtained_on": obtained_on,
                         "expires_on": expires_on})
    return rows


def seed_training(today, seed=2026):
    """Load the demo training data for the staff present; return counts per table."""
    rng = random.Random(seed)
    courses, type_ids = _seed_catalogue()
    regions = {region: people for region, people in _people().items() if people["maintainers"]}
    sessions = _session_rows(rng, courses, regions, today)
    for session, session_id in zip(sessions, _insert_returning_ids(TrainingSession, sessions)):
        session["id"] = session_id
    attendance, assessments = _roll_and_scores(rng, sessions, courses, regions, today)
    certifications = _certifications(rng, regions, type_ids, today)
    for model, rows in ((Attendance, attendance), (Assessment, assessments),
                        (StaffCertification, certifications)):
        if rows:
            db.session.execute(insert(model.__table__), rows)
    return {"courses": len(courses), "training_sessions": len(sessions),
            "attendance": len(attendance), "assessments": len(assessments),
            "certifications": len(certifications)}

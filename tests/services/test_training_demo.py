"""Demo training data: a catalogue in five dimensions, a year of sessions, differing profiles."""
from datetime import date, timedelta

from sqlalchemy import func, select

from app.models import Course, SessionStatus, StaffCertification, TrainingSession
from app.training.demo import seed_training
from app.training.services.profile import heat_map

TODAY = date(2026, 12, 1)


def test_the_demo_fills_the_catalogue_sessions_scores_and_certifications(db, world):
    counts = seed_training(TODAY)

    assert counts["courses"] == 20
    assert set(db.session.scalars(select(Course.dimension))) == {
        "product", "compliance", "sales", "service", "digital"}
    held = db.session.scalar(select(func.min(TrainingSession.held_on)).where(
        TrainingSession.status == SessionStatus.HELD))
    planned = db.session.scalar(select(func.max(TrainingSession.held_on)).where(
        TrainingSession.status == SessionStatus.PLANNED))
    assert held <= TODAY - timedelta(days=350) and planned >= TODAY + timedelta(days=55)
    assert db.session.scalar(select(func.count()).select_from(TrainingSession).where(
        TrainingSession.held_on == TODAY)) == 2  # one per branch, ready for the roll call
    expiries = list(db.session.scalars(select(StaffCertification.expires_on)))
    assert any(TODAY <= day <= TODAY + timedelta(days=60) for day in expiries)
    assert sum(day < TODAY for day in expiries) == 1
    assert counts["assessments"] > 0 and counts["attendance"] > counts["assessments"]


def test_demo_profiles_differ(db, world):
    seed_training(TODAY)

    profiles = heat_map(world["admin"], TODAY)
    scores = {tuple(d.score for d in p.dimensions) for p in profiles}

    assert len(profiles) == 3 and len(scores) == 3

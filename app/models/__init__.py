"""The portal's models, one module per aggregate; importing this registers them all."""
from .audit import AuditEvent
from .branch import Branch, BranchKind
from .calendar import CalendarDay, DayKind
from .customer import Customer, CustomerStatus, Holding
from .import_run import ImportRun, ImportStatus
from .job_run import JobRun
from .notification import Notification
from .product import Product, ProductCategory, ProductTier
from .reveal_count import RevealCount
from .service_request import (RequestChannel, RequestKind, RequestPriority, RequestStatus,
                              ServiceRequest, ServiceRequestEvent, SlaTarget, SlaTierFactor)
from .setting import PortalSetting
from .staff import Role, Staff
from .task import Channel, Contact, FollowupRule, Outcome, RuleKind, Task, TaskStatus
from .tier import Tier, TierHistory, TierThreshold, ValueAddedService
from .training import (Assessment, Attendance, AttendanceStatus, CertificationReminder,
                       CertificationType, Course, CourseMode, Dimension, SessionStatus,
                       StaffCertification, TrainingSession, TrainingTarget)

__all__ = [
    "Assessment", "Attendance", "AttendanceStatus", "CertificationReminder",
    "CertificationType", "Course", "CourseMode", "Dimension", "SessionStatus",
    "StaffCertification", "TrainingSession", "TrainingTarget",
    "AuditEvent", "Branch", "BranchKind", "CalendarDay", "Channel", "Contact", "Customer",
    "CustomerStatus", "DayKind", "FollowupRule", "Holding", "ImportRun", "ImportStatus", "JobRun",
    "Notification", "Outcome", "PortalSetting", "Product", "ProductCategory", "ProductTier",
    "RequestChannel", "RequestKind", "RequestPriority", "RequestStatus", "RevealCount", "Role",
    "RuleKind", "ServiceRequest",
    "ServiceRequestEvent", "SlaTarget", "SlaTierFactor", "Staff", "Task", "TaskStatus", "Tier",
    "TierHistory", "TierThreshold", "ValueAddedService",
]

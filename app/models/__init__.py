"""The portal's models, one module per aggregate; importing this registers them all."""
from .audit import AuditEvent
from .branch import Branch, BranchKind
from .customer import Customer, CustomerStatus, Holding
from .product import Product, ProductCategory, ProductTier
from .staff import Role, Staff
from .tier import Tier, TierHistory, TierThreshold, ValueAddedService

__all__ = [
    "AuditEvent", "Branch", "BranchKind", "Customer", "CustomerStatus", "Holding",
    "Product", "ProductCategory", "ProductTier", "Role", "Staff", "Tier", "TierHistory",
    "TierThreshold", "ValueAddedService",
]

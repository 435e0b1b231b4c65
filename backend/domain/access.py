"""Access policy, in one place: the roles, and what each may read and change.

Accounts (who holds which role), web sign-in (which requests a role may make), the case
compartment (what a role sees) and the CLI (which roles it offers) all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ANALYST = "analyst"
    PROSECUTOR = "prosecutor"
    LIAISON = "liaison"


@dataclass(frozen=True)
class RolePolicy:
    # Sees every case, without a compartment.
    every_case: bool
    # Records judgements, marks and other changes (prosecutors and liaisons only read).
    changes_data: bool
    # Sees only entities an analyst marked shareable, and no document text.
    shareable_only: bool
    # Manages users and reads the audit log.
    administers: bool


POLICY: dict[Role, RolePolicy] = {
    Role.ADMIN: RolePolicy(every_case=True, changes_data=True, shareable_only=False, administers=True),
    Role.ANALYST: RolePolicy(every_case=False, changes_data=True, shareable_only=False, administers=False),
    Role.PROSECUTOR: RolePolicy(every_case=False, changes_data=False, shareable_only=False, administers=False),
    Role.LIAISON: RolePolicy(every_case=False, changes_data=False, shareable_only=True, administers=False),
}

ROLES: tuple[str, ...] = tuple(str(r) for r in Role)


def policy(role: str) -> RolePolicy:
    """The policy of a role; an unknown role is refused (ValueError)."""
    return POLICY[Role(role)]

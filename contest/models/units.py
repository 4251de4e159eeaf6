"""Unit lists of an organisation (one for the CBCCVC block, one for Nhân dân...), their units,
and each person's participation in a contest: the unit and category they entered it with."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timing import utcnow


class UnitList(db.Model):
    __tablename__ = "unit_lists"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("unit_list_id", "code", name="uq_units_list_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    unit_list_id: Mapped[int] = mapped_column(ForeignKey("unit_lists.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    headcount: Mapped[int] = mapped_column(default=0)
    excluded_from_prizes: Mapped[bool] = mapped_column(default=False)
    # an inactive unit is not offered at registration; its people and entries stay
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # leaves can always be chosen; a grouping row ("Khối ...") only when marked selectable
    selectable: Mapped[bool] = mapped_column(default=False, server_default=false())

    parent = relationship("Unit", remote_side=[id], lazy="joined", join_depth=1)

    @property
    def parent_code(self) -> str | None:
        return self.parent.code if self.parent else None


class Participation(db.Model):
    """A person in a contest: the unit, category (block) and profile fields chosen on entering
    it. Their entries in that contest carry this unit."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("contest_id", "user_id", name="uq_participation"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contests.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    category: Mapped[str] = mapped_column(String(30), default="cbccvc")
    profile: Mapped[dict | None] = mapped_column(JSON)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit = relationship("Unit", lazy="joined")
    contest = relationship("Contest")

"""Units (đơn vị) in a tree, with their headcounts."""
from sqlalchemy import ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Unit(db.Model):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    headcount: Mapped[int] = mapped_column(default=0)
    excluded_from_prizes: Mapped[bool] = mapped_column(default=False)
    # an inactive unit is not offered at registration; its people and entries stay
    active: Mapped[bool] = mapped_column(default=True, server_default=true())

    parent = relationship("Unit", remote_side=[id], lazy="joined", join_depth=1)

    @property
    def parent_code(self) -> str | None:
        return self.parent.code if self.parent else None

"""Organisers' downloads as operations: each builds its file first (reading only), then records
the download in the audit trail, so no write lock is held while a file is built."""

from ..decision_docx import decision_document, final_decision_document
from ..exports.results_xlsx_csv import results_csv, results_xlsx
from ..exports.round_xlsx import round_export
from ..exports.winners_xlsx import winners_workbook
from ..models.audit import record
from .entries import finalize_round
from .prize_snapshot import round_unit_prizes
from .prizes import draft_winners


def export_round(user, rnd, now) -> bytes:
    finalize_round(rnd, now)
    data = round_export(rnd)
    record(user, "export_round", f"round:{rnd.id}", now, label=rnd.name)
    return data


def export_winners(user, rnd, now) -> bytes:
    finalize_round(rnd, now)
    data = winners_workbook(rnd)
    record(user, "export_winners", f"round:{rnd.id}", now, label=rnd.name)
    return data


def export_results_xlsx(user, contest, now):
    """A file object (a spooled temporary file)."""
    data = results_xlsx(contest.id)
    record(
        user, "export_results", f"contest:{contest.slug}", now, label=contest.title, format="xlsx"
    )
    return data


def export_results_csv(user, contest, now):
    """Text chunks, produced after the request's transaction ends (they only read)."""
    record(
        user, "export_results", f"contest:{contest.slug}", now, label=contest.title, format="csv"
    )
    return results_csv(contest.id)


def export_decision(user, rnd, now) -> bytes:
    """The draft Quyết định khen thưởng (.docx) with the lists of individuals and collectives."""
    finalize_round(rnd, now)
    winners = draft_winners(rnd)
    units = round_unit_prizes(rnd)
    data = decision_document(rnd, winners, units, now)
    record(user, "export_decision", f"round:{rnd.id}", now, label=rnd.name)
    return data


def export_final_decision(user, contest, now) -> bytes:
    """The draft decision for the contest's final prizes (the confirmed list once there is)."""
    from .final_prizes import final_unit_prizes, final_winners

    data = final_decision_document(
        contest, final_winners(contest, now), final_unit_prizes(contest, now), now
    )
    record(user, "export_final_decision", f"contest:{contest.slug}", now, label=contest.title)
    return data

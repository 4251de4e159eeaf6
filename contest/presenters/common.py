"""How things look in the API's JSON. Keys and explanations only once results are visible."""

from flask import url_for

from ..models import Attempt, Contest, Round, User
from ..models.contests import PROFILE_FIELDS
from ..ranking import mask_name
from ..services.draws import drawn_questions
from ..services.question_images import Picture, attempt_pictures
from ..timing import closes_for_good, iso, round_status, score_visible


def user_json(user: User | None) -> dict | None:
    if user is None:
        return None
    unit = {"code": user.unit.code, "name": user.unit.name} if user.unit else None
    return {
        "id": user.id,
        "full_name": user.full_name,
        "role": user.role,
        "unit": unit,
        "category": user.category,
    }


def round_json(rnd: Round, now, full: bool = False) -> dict:
    data = {
        "id": rnd.id,
        "name": rnd.name,
        "opens_at": iso(rnd.opens_at),
        "closes_at": iso(rnd.closes_at),
        "status": round_status(rnd, now),
    }
    if full:
        data.update(
            contest=rnd.contest.slug,
            bank_id=rnd.bank_id,
            question_count=rnd.question_count,
            time_limit_s=rnd.time_limit_s,
            max_attempts=rnd.max_attempts,
            counting=rnd.counting,
            prediction=rnd.prediction,
            grace_s=rnd.grace_s,
            score_display=rnd.score_display,
            prediction_truth=rnd.prediction_truth,
            prizes=rnd.prize_counts,
            draw_quotas=rnd.draw_quotas,
            block_id=rnd.block_id,
            excluded_question_count=len(rnd.excluded_question_ids or []),
            prizes_confirmed=rnd.prizes_confirmed_at is not None,
        )
    return data


def contest_json(contest: Contest, now, full: bool = False) -> dict:
    data = {
        "slug": contest.slug,
        "title": contest.title,
        "signin_mode": contest.signin_mode,
        "contest_password": contest.signin_password_hash is not None,
        "rounds": [round_json(r, now, full) for r in contest.rounds],
    }
    if full:
        data.update(
            description=contest.description,
            rules=contest.rules,
            masking=contest.masking,
            documents=contest.documents,
            registration_fields={f: contest.field_mode(f) for f in PROFILE_FIELDS},
            blocks=[{"id": b.id, "name": b.name, "category": b.category} for b in contest.blocks],
            one_prize_per_person=contest.one_prize_per_person,
            unit_prize_basis=contest.unit_prize_basis,
            unit_prize_threshold=contest.unit_prize_threshold,
            unit_prize_count=contest.unit_prize_count,
            unit_level=contest.unit_level,
            **{f"final_prize_{k}": n for k, n in contest.final_prize_counts.items()},
            unit_list_id=contest.unit_list_id,
        )
    return data


def attempt_json(
    attempt: Attempt, answers: dict[int, list[int]], now, reveal: bool, drawn=None, pictures=None
) -> dict:
    """`reveal` (services.entries.key_visible) adds each question's key and explanation;
    `drawn` and `pictures`, when the caller has them (a new attempt), spare reading them back.
    A question or choice with a picture has `image` (picture_json)."""
    drawn = drawn or drawn_questions(attempt.id)
    stems, by_choice = pictures or attempt_pictures([question.id for question in drawn])

    def image(picture):
        return picture_json(picture, "api.attempt_picture_get", attempt_id=attempt.id)

    data = {
        "id": attempt.id,
        "round_id": attempt.round_id,
        "status": attempt.status,
        "seq": attempt.seq,
        "started_at": iso(attempt.started_at),
        "deadline": iso(attempt.deadline),
        "server_now": iso(now),
        "grace_s": attempt.round.grace_s,
        "prediction_asked": attempt.round.prediction,
        "questions": [_question(question, reveal, stems, by_choice, image) for question in drawn],
        "answers": {str(qid): choices for qid, choices in answers.items()},
    }
    if attempt.status != "in_progress":
        data.update(
            duration_ms=attempt.duration_ms,
            submitted_at=iso(attempt.submitted_at),
            prediction=attempt.prediction,
            score_visible=score_visible(attempt.round, now),
        )
        if data["score_visible"]:
            data.update(score=attempt.score, max_score=attempt.max_score)
        else:  # the round shows scores after it closes (timing.score_visible)
            data["score_visible_at"] = iso(
                closes_for_good(attempt.round.closes_at, attempt.round.grace_s)
            )
    return data


def _question(drawn, reveal: bool, stems: dict, by_choice: dict, image) -> dict:
    data = {
        "id": drawn.id,
        "text": drawn.text,
        "multiple": drawn.multiple,
        "choices": [{"id": cid, "text": text} for cid, text, _correct in drawn.choices],
    }
    if drawn.id in stems:
        data["image"] = image(stems[drawn.id])
    for choice in data["choices"]:
        if choice["id"] in by_choice:
            choice["image"] = image(by_choice[choice["id"]])
    if reveal:
        data["correct"] = [cid for cid, _text, correct in drawn.choices if correct]
        data["explanation"] = drawn.explanation
    return data


def picture_json(picture: Picture, endpoint: str, **values) -> dict:
    """{url, width, height} and, when a phone-sized copy exists, {small_url, small_width}: by
    the picture's content hash, never by its choice's letter."""
    url = url_for(endpoint, sha256=picture.sha256, **values)
    data = {"url": url, "width": picture.width, "height": picture.height}
    if picture.small_width:
        data.update(small_url=url + "?w=small", small_width=picture.small_width)
    return data


def leaderboard_json(rows, masking: str, with_prediction: bool) -> list[dict]:
    out = []
    for rank, entry in rows:
        item = {
            "rank": rank,
            "name": mask_name(entry.user.full_name, masking),
            "unit": entry.unit.name if entry.unit else None,
            "score": entry.score,
            "max_score": entry.max_score,
            "duration_ms": entry.duration_ms,
            "submitted_at": iso(entry.submitted_at),
        }
        if with_prediction:
            item["prediction"] = entry.prediction
        out.append(item)
    return out


def unit_stat_json(stat, hide_scores: bool = False) -> dict:
    """`hide_scores` (timing.scores_hidden) leaves out the average score."""
    return {
        "rank": stat.rank,
        "unit_code": stat.unit.code,
        "unit": stat.unit.name,
        "participants": stat.participants,
        "entries": stat.entries,
        "headcount": stat.headcount,
        "participation_rate": stat.participation_rate,
        "average_score": None if hide_scores else stat.average_score,
    }


def participation_json(part) -> dict:
    unit = {"code": part.unit.code, "name": part.unit.name} if part.unit else None
    return {
        "contest": part.contest.slug,
        "unit": unit,
        "category": part.category,
        "joined_at": iso(part.joined_at),
    }

"""flask --app wsgi COMMAND: create-organiser, token create, demo, close-expired, import, export."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from . import timing
from .extensions import db
from .models import ApiToken, Round
from .services.accounts import find_by_login, upsert_organiser


def register(app) -> None:
    for command in (
        create_organisation,
        create_organiser,
        make_instance_admin,
        demo,
        close_expired,
        export_round,
        backup,
    ):
        app.cli.add_command(command)
    app.cli.add_command(token)
    app.cli.add_command(bank)


@click.group(cls=AppGroup)
def bank():
    """Ngân hàng câu hỏi."""


@bank.command("draft")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Tệp .xlsx theo mẫu ngân hàng câu hỏi",
)
def bank_draft(plan_file, out):
    """Soạn câu hỏi nháp từ một kế hoạch (.txt, .docx, .pdf) ra tệp .xlsx theo mẫu."""
    from question_bank.drafting import PlanUnreadable, draft_questions, drafts_workbook, read_plan

    try:
        text = read_plan(plan_file.name, plan_file.read_bytes())
    except PlanUnreadable as exc:
        raise click.ClickException(str(exc)) from None
    drafts = draft_questions(text, plan_file.name)
    out.write_bytes(drafts_workbook(drafts, plan_file.name))
    click.echo(f"{len(drafts)} câu hỏi nháp -> {out}")


@click.command("backup")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def backup(out):
    """Sao lưu cơ sở dữ liệu SQLite ra tệp OUT trong khi ứng dụng vẫn chạy."""
    from .backup import backup_sqlite

    try:
        pages = backup_sqlite(db.engine, out)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Đã sao lưu {pages} trang vào {out}")


@click.command("create-organisation")
@with_appcontext
@click.argument("code")
@click.option("--name", required=True, help="Tên tổ chức")
@click.option("--slug", default=None, help="Địa chỉ trang công khai (mặc định: theo mã)")
def create_organisation(code, name, slug):
    """Tạo một tổ chức (chạy lại với cùng mã: chỉ đổi tên)."""
    from .errors import DomainError
    from .services.organisations import upsert_organisation

    try:
        org, created = upsert_organisation(code, name, slug)
    except DomainError as exc:
        db.session.rollback()
        fields = "; ".join((exc.fields or {}).values())
        raise click.ClickException(fields or exc.message) from None
    db.session.commit()
    click.echo(
        f"{'Đã tạo' if created else 'Đã đổi tên'} tổ chức {org.code}: {org.name} "
        f"(trang /don-vi-to-chuc/{org.slug})"
    )


@click.command("create-organiser")
@with_appcontext
@click.argument("email")
@click.option("--password", required=True, help="Mật khẩu đăng nhập")
@click.option("--name", required=True, help="Họ và tên")
@click.option("--organisation", default=None, help="Mã tổ chức (mặc định: tổ chức mặc định)")
@click.option(
    "--promote",
    is_flag=True,
    default=False,
    help="Cho phép chuyển tài khoản người dự thi có e-mail này thành ban tổ chức",
)
@click.option(
    "--role",
    type=click.Choice(["admin", "organiser", "viewer"]),
    default=None,
    help="Vai trò (mặc định: organiser; tài khoản đã có giữ vai trò)",
)
@click.option(
    "--instance-admin",
    is_flag=True,
    default=False,
    help="Cũng là quản trị hệ thống: quản lý các tổ chức (/quan-tri/to-chuc)",
)
def create_organiser(email, password, name, organisation, promote, role, instance_admin):
    """Tạo (hoặc cập nhật) tài khoản ban tổ chức."""
    from .errors import DomainError

    try:
        user = upsert_organiser(
            email,
            password,
            name,
            organisation,
            promote=promote,
            role=role,
            instance_admin=instance_admin,
        )
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(
        f"Tài khoản ban tổ chức: {user.email} (tổ chức {user.organisation.code}, "
        f"vai trò {user.role}{', quản trị hệ thống' if user.is_instance_admin else ''})"
    )


@click.command("make-instance-admin")
@with_appcontext
@click.argument("email")
def make_instance_admin(email):
    """Cho tài khoản ban tổ chức EMAIL quyền quản trị hệ thống (quản lý các tổ chức)."""
    from .errors import DomainError
    from .services.accounts import make_instance_admin as grant

    try:
        user = grant(email)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"Quản trị hệ thống: {user.email}")


@click.group(cls=AppGroup)
def token():
    """Mã truy cập API (bearer token)."""


@token.command("create")
@click.argument("login")
def token_create(login):
    """In ra một mã truy cập mới cho tài khoản LOGIN (số điện thoại hoặc e-mail)."""
    user = find_by_login(login)
    if user is None:
        raise click.ClickException(f"Không có tài khoản {login}")
    click.echo(ApiToken.issue(user, timing.utcnow(), current_app.config["TOKEN_LIFETIME_DAYS"]))
    db.session.commit()


@click.command("demo")
@with_appcontext
def demo():
    """Nạp dữ liệu mẫu (đơn vị, ngân hàng câu hỏi, cuộc thi, đợt thi đang mở) một lần."""
    from .demo import ORGANISER, PARTICIPANT, load_demo

    loaded = load_demo(timing.utcnow())
    db.session.commit()
    click.echo("Đã nạp dữ liệu mẫu." if loaded else "Dữ liệu mẫu đã có sẵn; không thay đổi gì.")
    click.echo(
        f"Ban tổ chức (quản trị tổ chức và quản trị hệ thống): {ORGANISER['email']} / "
        f"{ORGANISER['password']}"
    )
    click.echo(f"Người dự thi: {PARTICIPANT['phone']} / {PARTICIPANT['password']}")


@click.command("close-expired")
@with_appcontext
def close_expired():
    """Chấm và đóng mọi bài thi đã quá hạn (hạn + thời gian ân hạn); chốt các đợt đã kết thúc."""
    from .jobs import run_due_work

    closed, finalized = run_due_work(timing.utcnow())
    click.echo(f"Đã đóng {closed} bài thi quá hạn; đã chốt {len(finalized)} đợt thi.")


@click.command("export")
@with_appcontext
@click.argument("round_id", type=int)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_round(round_id, out):
    """Xuất kết quả một đợt thi ra tệp .xlsx."""
    from .exports.round_xlsx import round_export
    from .services.entries import finalize_round

    rnd = db.session.get(Round, round_id)
    if rnd is None:
        raise click.ClickException(f"Không có đợt thi {round_id}")
    finalize_round(rnd, timing.utcnow())
    db.session.commit()
    out.write_bytes(round_export(rnd))
    click.echo(str(out))

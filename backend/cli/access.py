"""Commands of access: cases, users and their roles and cases, API tokens, the audit log."""

from __future__ import annotations

import sys

import click
from rich.table import Table

from backend.cli.common import _open, _settings, console, main
from backend.domain.access import ROLES


def _accounts():
    from backend.store.accounts import Accounts

    settings = _settings()
    return Accounts(settings.accounts_path, settings.audit_key.get_secret_value())


@main.group()
def user() -> None:
    """Users: add, list, disable, enable, assign cases, issue API tokens."""


def _case_ids(given: tuple[str, ...]) -> tuple[str, ...]:
    """The stored cases named by id or by name (accents and case aside): a typo would leave a
    user seeing nothing, so an unknown case is an error that lists the known ones."""
    from backend.domain.text import fold

    if not given:
        return ()
    with _open() as store:
        known = store.cases()
    by_name = {fold(c.name).strip(): c.id for c in known} | {c.id: c.id for c in known}
    unknown = [g for g in given if g not in by_name and fold(g).strip() not in by_name]
    if unknown:
        listed = "; ".join(f"{c.id} ({c.name})" for c in known) or "none yet (ingest with --case first)"
        raise click.ClickException(f"no case {', '.join(repr(u) for u in unknown)} in the store; its cases: {listed}")
    return tuple(sorted({by_name.get(g) or by_name[fold(g).strip()] for g in given}))


@main.command("cases")
def list_cases() -> None:
    """Every case: its id (what `telarana user add --case` takes) and name."""
    with _open() as store:
        known = store.cases()
    table = Table("case id", "name", "description")
    for c in known:
        table.add_row(c.id, c.name, c.description or "")
    console.print(table)


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--case", "cases", multiple=True, help="A case the user may see, by id or name (repeat for more); admins see every case.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
def user_add(name: str, role: str, cases: tuple[str, ...], password_stdin: bool) -> None:
    """Add a user. There is no default password: you type one (at least 12 characters)."""
    cases = _case_ids(cases)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt("password", hide_input=True, confirmation_prompt=True)
    with _accounts() as accounts:
        made = accounts.add_user(name, role, password, cases)
        accounts.record("cli", "user add", name, "ok", f"role {role}, cases {','.join(made.cases) or '-'}")
    click.echo(f"user {made.name} added: {made.role}, cases {', '.join(made.cases) or 'none'}")


@user.command("list")
def user_list() -> None:
    """Every user with role, cases and whether disabled."""
    with _accounts() as accounts:
        table = Table("user", "role", "cases", "status", "created")
        for u in accounts.users():
            table.add_row(u.name, u.role, "every case" if u.sees_every_case else ", ".join(u.cases) or "none",
                          "disabled" if u.disabled else "active", u.created_at[:19])  # fmt: skip
    console.print(table)


@user.command("disable")
@click.argument("name")
def user_disable(name: str) -> None:
    """Disable a user: sign-in refused, sessions and tokens ended at once."""
    _set_disabled(name, True)


@user.command("enable")
@click.argument("name")
def user_enable(name: str) -> None:
    """Enable a disabled user again (they sign in anew)."""
    _set_disabled(name, False)


def _set_disabled(name: str, disabled: bool) -> None:
    word = "disable" if disabled else "enable"
    with _accounts() as accounts:
        accounts.set_disabled(name, disabled)
        accounts.record("cli", f"user {word}", name, "ok")
    click.echo(f"user {name} {word}d")


@user.command("cases")
@click.argument("name")
@click.argument("cases", nargs=-1)
def user_cases(name: str, cases: tuple[str, ...]) -> None:
    """Set the cases a user may see, by id or name (none given: no case)."""
    case_ids = _case_ids(cases)
    with _accounts() as accounts:
        changed = accounts.set_cases(name, case_ids)
        accounts.record("cli", "user cases", name, "ok", ",".join(changed.cases))
    click.echo(f"user {name}: cases {', '.join(changed.cases) or 'none'}")


@user.command("token")
@click.argument("name")
@click.option("--days", type=int, default=90, show_default=True, help="Valid for this many days (0: until the user is disabled).")
def user_token(name: str, days: int) -> None:
    """Issue an API token (send it as `Authorization: Bearer TOKEN`). Shown once."""
    with _accounts() as accounts:
        token = accounts.api_token(name, days or None)
        accounts.record("cli", "user token", name, "ok", f"{days or 'no'} day limit")
    click.echo(token)


@main.group()
def audit() -> None:
    """The audit log: show entries, verify the hash chain."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the chain: exit 1 and name each entry that was changed, removed or inserted."""
    with _accounts() as accounts:
        count, problems = accounts.verify_audit()
    if problems:
        for problem in problems:
            click.echo(click.style("broken", fg="red") + f" {problem}")
        raise click.ClickException(f"the audit log was tampered with: {len(problems)} problem(s) in {count} entries")
    click.echo(f"audit log intact: {count} entries, each chained to the one before")


@audit.command("show")
@click.option("--limit", default=50, show_default=True)
@click.option("--user", "user_name", default=None, help="Only this user's entries.")
def audit_show(limit: int, user_name: str | None) -> None:
    """The latest entries, newest first."""
    with _accounts() as accounts:
        for e in accounts.audit(limit=limit, user=user_name):
            click.echo(f"{e.seq:>7} {e.at[:23]} {e.user:<16} {e.action:<40} {e.outcome:<8} {e.target}")

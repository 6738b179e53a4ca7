"""The `closeknit` command line: serve, accounts and tokens, demo data, import/export, keys,
and the worker that sends reminders.

Each subcommand is a small function that reads its arguments, calls the code
that does the work, and prints a short summary. Expected problems (an unknown
member, a missing or malformed file) raise `CliError`: `main` prints its
message to stderr and exits with 1, without a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import re
import sys
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Field, Model

    from closeknit.accounts.models import User

Progress = Callable[[int, int], None]
Handler = Callable[[argparse.Namespace], int]

DEFAULT_DEMO_EMAIL = "demo@closeknit.invalid"
# Rows re-encrypted per transaction by `keys rotate`.
ROTATE_BATCH = 500


class CliError(Exception):
    """An expected problem, explained in the message; no traceback needed."""


# --- Output -------------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, flush=True)


def _warn(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


@contextmanager
def progress_bar(description: str) -> Iterator[Progress]:
    """A rich progress bar on stderr when it is a terminal; otherwise a silent callback."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda done, total: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# --- Setting up Django --------------------------------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "closeknit.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from closeknit.lib.env import ConfigError

    try:
        django.setup()
    except (ConfigError, ImproperlyConfigured) as error:
        raise CliError(f"The configuration has a problem: {error}") from error
    _make_sqlite_folder()


def _make_sqlite_folder() -> None:
    """SQLite creates its file but not the folder; a fresh data directory may not exist yet."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def _member(email: str) -> User:
    from closeknit.accounts.models import User

    member = User.objects.filter(email__iexact=email.strip()).first()
    if member is None:
        raise CliError(f"There is no account for {email}.")
    return member


def _read_password() -> str:
    """The first line of stdin, or a hidden prompt when a person is typing."""
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CliError(
            "No password came in on standard input. For example: "
            "printf '%s\\n' \"$PASSWORD\" | closeknit user create you@example.org --password-stdin"
        )
    return password


def _check_password(password: str, user: User) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CliError("Please choose another password. " + " ".join(error.messages)) from None


# --- serve, migrate, manage ---------------------------------------------------------------------


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _url_to_open(host: str, port: int) -> str:
    # Listening on every interface: this machine answers on loopback too.
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(host)  # noqa: S104
    if shown is None:
        shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def cmd_serve(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connections

    try:
        # Warnings (no e-mail set up, an unsafe public setup) are shown once, on start.
        call_command("check")
    except SystemCheckError as error:
        raise CliError(f"Closeknit can't start yet:\n{error}") from None
    _say("Preparing the database…")
    call_command("migrate", interactive=False, verbosity=0)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    # The Web Push key is made here, on first run, before gunicorn forks: workers that
    # each made their own on first use could race and hand browsers different keys.
    from closeknit.notify import vapid

    vapid.private_key_pem()
    # Each gunicorn worker opens its own connection; none may inherit this one across fork.
    connections.close_all()
    _say(f"Closeknit is running at {_url_to_open(args.host, args.port)}  (Ctrl+C stops it)")
    options = {
        "bind": _bind_address(args.host, args.port),
        "workers": args.workers,
        "proc_name": "closeknit",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 10,
        # gunicorn's control socket lives in the home folder, shared by every server
        # the user runs; Closeknit needs none.
        "control_socket_disable": True,
    }
    try:
        _run_gunicorn(options)
    except SystemExit as stop:
        return _exit_code(stop)
    return 0


def _run_gunicorn(options: dict[str, Any]) -> None:
    """gunicorn with these options, serving closeknit.wsgi (no config file, no argv parsing)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from closeknit.wsgi import application

            return application

    Server().run()


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["closeknit manage", *args.rest])
    except SystemExit as stop:
        return _exit_code(stop)
    return 0


def _exit_code(stop: SystemExit) -> int:
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code
    _warn(str(stop.code))
    return 1


# --- user, token --------------------------------------------------------------------------------


def _valid_email(email: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    address = email.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise CliError(f"{email!r} doesn't look like an e-mail address.") from None
    return address.lower()


def _valid_time_zone(name: str) -> str:
    if name not in zoneinfo.available_timezones():
        raise CliError(f"{name!r} isn't a time zone we know. Use a name like Europe/London.")
    return name


def _valid_country(code: str) -> str:
    if code and not re.fullmatch(r"[A-Za-z]{2}", code):
        raise CliError(f"{code!r} isn't a two-letter country code (like GB or US).")
    return code.upper()


def cmd_user_create(args: argparse.Namespace) -> int:
    from django.db import transaction

    from closeknit.accounts.models import User

    email = _valid_email(args.email)
    if User.objects.filter(email__iexact=email).exists():
        raise CliError(f"There is already an account for {email}.")
    candidate = User(
        email=email,
        display_name=args.name or "",
        time_zone=_valid_time_zone(args.time_zone),
        country=_valid_country(args.country or ""),
    )
    password = None
    if args.password_stdin:
        password = _read_password()
        _check_password(password, candidate)
    with transaction.atomic():
        User.objects.create_user(
            email,
            password,
            display_name=candidate.display_name,
            time_zone=candidate.time_zone,
            country=candidate.country,
        )
    _say(f"Created an account for {email}.")
    if password is None:
        _say(f"It has no password yet: closeknit user set-password {email} --password-stdin")
    return 0


def cmd_user_set_password(args: argparse.Namespace) -> int:
    member = _member(args.email)
    password = _read_password()
    _check_password(password, member)
    member.set_password(password)
    member.save(update_fields=["password"])
    _say(f"Set a new password for {member.email}.")
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from closeknit.accounts.models import ApiToken

    member = _member(args.email)
    _token, secret = ApiToken.issue(member, args.name)
    # Only the token, so that scripts can capture it: TOKEN=$(closeknit token create …)
    print(secret)
    return 0


# --- demo ---------------------------------------------------------------------------------------


def _free_demo_email() -> str:
    """demo@closeknit.invalid, or demo-2@…, demo-3@… when that one is taken."""
    from closeknit.accounts.models import User

    local, domain = DEFAULT_DEMO_EMAIL.split("@")
    candidate, number = DEFAULT_DEMO_EMAIL, 1
    while User.objects.filter(email__iexact=candidate).exists():
        number += 1
        candidate = f"{local}-{number}@{domain}"
    return candidate


def cmd_demo(args: argparse.Namespace) -> int:
    from closeknit.accounts.models import User
    from closeknit.demo.generate import create_demo_member, prune_demo_members
    from closeknit.network.models import Group, Interaction, Person

    if args.prune_older_than is not None:
        removed = prune_demo_members(dt.timedelta(hours=args.prune_older_than))
        hours = f"{args.prune_older_than:g} hour{'' if args.prune_older_than == 1 else 's'}"
        _say(f"Removed {_plural(removed, 'demo member', 'demo members')} older than {hours}.")
        return 0
    if args.email:
        email = _valid_email(args.email)
        if User.objects.filter(email__iexact=email).exists():
            raise CliError(f"There is already an account for {email}. Choose another --email.")
    else:
        email = _free_demo_email()
    with progress_bar(f"Making up a {args.scale} demo network") as progress:
        member = create_demo_member(email, args.scale, args.seed, progress)
    people = Person.objects.owned_by(member).count()
    groups = Group.objects.owned_by(member).count()
    contacts = Interaction.objects.owned_by(member).count()
    _say(
        f"Created the demo member {member.email} with {_plural(people, 'person', 'people')}, "
        f"{_plural(groups, 'group', 'groups')} and {_plural(contacts, 'contact', 'contacts')}."
    )
    _say(
        "To sign in as them, set a password: "
        f"closeknit user set-password {member.email} --password-stdin"
    )
    return 0


# --- import, export -----------------------------------------------------------------------------


def _read_bytes(path: str) -> bytes:
    """The file as it is: the importers know address books' encodings (UTF-16 and all)."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CliError(f"There is no file at {path}.") from None
    except IsADirectoryError:
        raise CliError(f"{path} is a folder, not a file.") from None
    except PermissionError:
        raise CliError(f"{path} can't be read (permission denied).") from None


def _parse_json(path: str, data: bytes) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise CliError(
            f"{path} isn't valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}). Nothing was imported."
        ) from None
    except UnicodeDecodeError:
        raise CliError(f"{path} isn't UTF-8 text. Nothing was imported.") from None


def import_summary(created: int, merged: int, skipped: int, *, whole_account: bool = False) -> str:
    """The summary line, like "Added 12 people, merged 3, skipped 2."

    A JSON export's counts cover its groups and logged contacts too.
    """
    if whole_account:
        from closeknit.network.importing import WHOLE_ACCOUNT_PARTS

        added = _plural(created, "entry", f"entries ({WHOLE_ACCOUNT_PARTS})")
    else:
        added = _plural(created, "person", "people")
    return f"Added {added}, merged {merged:,}, skipped {skipped:,}."


def cmd_import(args: argparse.Namespace) -> int:
    from django.db import transaction

    from closeknit.network import importing

    member = _member(args.user)
    data: Any = _read_bytes(args.file)
    if args.format == "json":
        data = _parse_json(args.file, data)
    importers: dict[str, Callable[..., importing.ImportResult]] = {
        "vcard": importing.import_vcard,
        "csv": importing.import_csv,
        "json": importing.import_document,
    }
    run = importers[args.format]
    try:
        with progress_bar(f"Importing {Path(args.file).name}") as progress, transaction.atomic():
            result = run(member, data, progress=progress)
    except importing.ImportFileError as error:
        raise CliError(f"{args.file}: {error} Nothing was imported.") from None
    whole_account = args.format == "json"
    _say(import_summary(result.created, result.merged, result.skipped, whole_account=whole_account))
    return 0


def _export_text(member: User, kind: str, what: str) -> str:
    from django.core.serializers.json import DjangoJSONEncoder

    from closeknit.network import exporting

    if kind == "json":
        document = exporting.export_document(member)
        return json.dumps(document, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"
    if kind == "vcard":
        return exporting.people_vcard(member)
    if what == "interactions":
        return exporting.interactions_csv(member)
    return exporting.people_csv(member)


def _write_private(path: str, text: str) -> None:
    """Write an export readable by its owner only: it holds decrypted notes."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise CliError(f"Can't write {path}: {error.strerror}.") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def cmd_export(args: argparse.Namespace) -> int:
    if args.what and args.format != "csv":
        raise CliError("--what is for CSV exports; use it with --format csv.")
    member = _member(args.user)
    text = _export_text(member, args.format, args.what or "people")
    if args.output and args.output != "-":
        _write_private(args.output, text)
        _warn(f"Saved the export of {member.email} to {args.output}.")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 0


# --- keys ---------------------------------------------------------------------------------------


def encrypted_fields() -> list[tuple[type[Model], Field[Any, Any]]]:
    """Every encrypted column of every installed model, found generically."""
    from django.apps import apps

    from closeknit.lib.fields import EncryptedField

    found: list[tuple[type[Model], Field[Any, Any]]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedField):
                found.append((model, field))
    return found


def _stored_count(model: type[Model], field: Field[Any, Any]) -> int:
    from django.db import connection

    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(field.column)
    with connection.cursor() as cursor:
        # Raw SQL: a lookup through the field would encrypt the value compared with.
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608
        )
        return int(cursor.fetchone()[0])


def reencrypt(model: type[Model], field: Field[Any, Any], advance: Callable[[int], None]) -> int:
    """Re-encrypt one column's raw Fernet tokens with the newest key; return how many changed.

    It works on the stored tokens with a raw cursor (the field itself would
    decrypt on read), in small transactions. Each UPDATE only applies if the
    token is still the one read: a note saved meanwhile is already encrypted
    with the newest key and must not be overwritten.
    """
    from django.db import connection, transaction

    from closeknit.lib import crypto

    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(field.column)
    pk = quote(model._meta.pk.column)
    # The identifiers are quoted names from the models; every value is a parameter.
    stored = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
    last: Any = None
    changed = 0
    while True:
        after, params = ("", []) if last is None else (f" AND {pk} > %s", [last])
        with connection.cursor() as cursor:
            cursor.execute(f"{stored}{after} ORDER BY {pk} LIMIT %s", [*params, ROTATE_BATCH])
            rows = cursor.fetchall()
        if not rows:
            return changed
        updates = []
        for key, token in rows:
            try:
                updates.append((crypto.rotate_token(token), key, token))
            except crypto.InvalidToken:
                raise CliError(
                    f"A value in {model._meta.label}.{field.name} (id {key}) can't be decrypted "
                    "with any of the keys. What was re-encrypted so far is fine; put the missing "
                    "key back in the list and run this again."
                ) from None
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(update, updates)
        changed += len(rows)
        advance(len(rows))
        last = rows[-1][0]


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from django.conf import settings

    from closeknit.lib import crypto

    if settings.ENCRYPTION_KEYS:
        if len(settings.ENCRYPTION_KEYS) < 2:
            raise CliError(
                "CLOSEKNIT_ENCRYPTION_KEYS holds one key, so there is nothing to rotate to. "
                "Put a new key (closeknit keys generate) in front of it, keep the old one after "
                "it, restart Closeknit, then run this again."
            )
        _say("Keys come from CLOSEKNIT_ENCRYPTION_KEYS: re-encrypting with its first key.")
    else:
        crypto.add_key_to_file()
        _say(f"Added a new key in front of {crypto.key_file()}.")
    fields = encrypted_fields()
    total = sum(_stored_count(model, field) for model, field in fields)
    done = 0
    with progress_bar("Re-encrypting") as progress:

        def advance(count: int) -> None:
            nonlocal done
            done += count
            progress(done, total)

        changed = sum(reencrypt(model, field, advance) for model, field in fields)
    _say(
        f"Re-encrypted {_plural(changed, 'value', 'values')} in "
        f"{_plural(len(fields), 'column', 'columns')} with the newest key."
    )
    where = "from CLOSEKNIT_ENCRYPTION_KEYS" if settings.ENCRYPTION_KEYS else "from the key file"
    _say(f"The older keys can now be removed {where}, once no backup you may restore needs them.")
    return 0


def cmd_keys_generate(args: argparse.Namespace) -> int:
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode())
    return 0


# --- worker -------------------------------------------------------------------------------------


def _check_migrated() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise CliError(
            "The database isn't up to date yet. Run `closeknit migrate` "
            "(or start `closeknit serve`, which does it), then start the worker again."
        )


def cmd_worker(args: argparse.Namespace) -> int:
    from closeknit.notify.worker import run

    _check_migrated()
    return run(once=args.once)


# --- The parser ---------------------------------------------------------------------------------


def _positive_hours(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours") from None
    if hours <= 0:
        raise argparse.ArgumentTypeError("the number of hours must be more than 0")
    return hours


def _workers(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers (1 or more)")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def _add_serve(commands: Any) -> None:
    serve = commands.add_parser("serve", help="migrate, collect static files and serve the app")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (8000)")
    serve.add_argument("--workers", type=_workers, default=2, help="web processes (2)")
    serve.set_defaults(handler=cmd_serve)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(
        handler=cmd_migrate
    )
    manage = commands.add_parser("manage", help="run a Django management command", add_help=False)
    manage.set_defaults(handler=cmd_manage, rest=[])


def _add_accounts(commands: Any) -> None:
    user = commands.add_parser("user", help="create members, set passwords")
    user_commands = user.add_subparsers(title="commands", metavar="COMMAND")
    create = user_commands.add_parser("create", help="create a member")
    create.add_argument("email")
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.add_argument("--name", help="what Closeknit should call them")
    create.add_argument("--time-zone", default="UTC", help="for example Europe/London")
    create.add_argument("--country", help="two letters, for crisis lines (GB, US …)")
    create.set_defaults(handler=cmd_user_create)
    set_password = user_commands.add_parser("set-password", help="set a member's password")
    set_password.add_argument("email")
    set_password.add_argument(
        "--password-stdin", action="store_true", required=True, help="read it from stdin"
    )
    set_password.set_defaults(handler=cmd_user_set_password)
    user.set_defaults(handler=_help_for(user))

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(title="commands", metavar="COMMAND")
    token_create = token_commands.add_parser("create", help="print a new API token")
    token_create.add_argument("email")
    token_create.add_argument("--name", default="API token", help="to recognise it later")
    token_create.set_defaults(handler=cmd_token_create)
    token.set_defaults(handler=_help_for(token))


def _add_demo(commands: Any) -> None:
    # Plain data, importable before Django is set up.
    from closeknit.demo.cast import SCALES

    demo = commands.add_parser("demo", help="create a demo member with made-up people")
    demo.add_argument("--scale", choices=list(SCALES), default="small")
    demo.add_argument("--email", help=f"their e-mail address ({DEFAULT_DEMO_EMAIL})")
    demo.add_argument("--seed", type=int, default=7, help="same seed, same made-up network")
    demo.add_argument(
        "--prune-older-than",
        type=_positive_hours,
        metavar="HOURS",
        help="instead: delete demo members created more than HOURS ago",
    )
    demo.set_defaults(handler=cmd_demo)


def _add_transfer(commands: Any) -> None:
    imports = commands.add_parser("import", help="import people from vCard, CSV or JSON")
    imports.add_argument("format", choices=["vcard", "csv", "json"])
    imports.add_argument("file", help="the file to import, or - for standard input")
    imports.add_argument("--user", required=True, metavar="EMAIL")
    imports.set_defaults(handler=cmd_import)

    export = commands.add_parser("export", help="export a member's network")
    export.add_argument("--user", required=True, metavar="EMAIL")
    export.add_argument("--format", choices=["json", "csv", "vcard"], default="json")
    export.add_argument("--what", choices=["people", "interactions"], help="for CSV (people)")
    export.add_argument("-o", "--output", metavar="FILE", help="write here, not to stdout")
    export.set_defaults(handler=cmd_export)


def _add_worker(commands: Any) -> None:
    worker = commands.add_parser(
        "worker", help="send reminders and notifications (runs until stopped)"
    )
    worker.add_argument(
        "--once", action="store_true", help="one pass: plan and send what is due now, then exit"
    )
    worker.set_defaults(handler=cmd_worker)


def _add_keys(commands: Any) -> None:
    keys = commands.add_parser("keys", help="encryption keys for notes")
    key_commands = keys.add_subparsers(title="commands", metavar="COMMAND")
    key_commands.add_parser(
        "rotate", help="add a new key (or use the first of the environment's) and re-encrypt"
    ).set_defaults(handler=cmd_keys_rotate)
    key_commands.add_parser("generate", help="print a new key").set_defaults(
        handler=cmd_keys_generate
    )
    keys.set_defaults(handler=_help_for(keys))


class _ShowHelp:
    """The handler of a command given without its subcommand."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.parser = parser

    def __call__(self, args: argparse.Namespace) -> int:
        self.parser.print_help(sys.stderr)
        return 2


def _help_for(parser: argparse.ArgumentParser) -> Handler:
    return _ShowHelp(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="closeknit",
        description="Closeknit: build, keep and lean on your support network.",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_serve(commands)
    _add_accounts(commands)
    _add_demo(commands)
    _add_transfer(commands)
    _add_keys(commands)
    _add_worker(commands)
    parser.set_defaults(handler=_help_for(parser))
    return parser


# Commands that need no database; everything else sets up Django first.
_WITHOUT_DJANGO = {cmd_keys_generate}


def main(argv: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    rest: list[str] = []
    if arguments[:1] == ["manage"]:
        # Everything after `manage` belongs to Django, options included.
        arguments, rest = ["manage"], arguments[1:]
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:
        return _exit_code(stop)
    args.rest = rest
    handler: Handler = args.handler
    try:
        if handler not in _WITHOUT_DJANGO and not isinstance(handler, _ShowHelp):
            _setup_django()
        return handler(args)
    except CliError as error:
        _warn(f"closeknit: {error}")
        return 1
    except KeyboardInterrupt:
        _warn("closeknit: stopped.")
        return 130


if __name__ == "__main__":
    sys.exit(main())

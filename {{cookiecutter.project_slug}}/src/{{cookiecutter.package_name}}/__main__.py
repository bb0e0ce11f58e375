"""``python -m {{ cookiecutter.package_name }}``: serve the API as the environment configures it.
``--help`` lists the commands."""

import argparse

from .config import get_settings
{%- if cookiecutter.database != "none" %}
from .db import schema
{%- endif %}
from .logging import configure_logging
from .server import serve


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="{{ cookiecutter.package_name }}", description=__doc__)
    commands = parser.add_subparsers(dest="command", title="commands")
    commands.add_parser("serve", help="serve the API (the default)")
{%- if cookiecutter.database != "none" %}
    migrate = commands.add_parser("migrate", help="upgrade the database schema, then exit")
    migrate.add_argument("revision", nargs="?", default="head", help="default: the latest")
{%- endif %}
    {% if cookiecutter.database != "none" %}arguments = {% endif %}parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings)  # before anything that logs, such as migrations
{%- if cookiecutter.database != "none" %}
    if arguments.command == "migrate":
        schema.upgrade(settings, arguments.revision)
        return
    if settings.database_migrate_on_start:
        schema.upgrade(settings)  # once, before gunicorn forks its workers
{%- endif %}
    serve(settings)


if __name__ == "__main__":
    main()

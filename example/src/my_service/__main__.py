"""``python -m my_service``: serve the API as the environment configures it.
``--help`` lists the commands."""

import argparse

from .config import SettingsError, get_settings
from .features import enabled_features
from .logging import configure_logging
from .server import serve


def main(argv: list[str] | None = None) -> None:
    features = enabled_features(get_settings())
    parser = argparse.ArgumentParser(prog="my_service", description=__doc__)
    commands = parser.add_subparsers(dest="command", title="commands")
    commands.add_parser("serve", help="serve the API (the default)")
    for command in (command for feature in features for command in feature.commands()):
        subparser = commands.add_parser(command.name, help=command.help)
        command.add_arguments(subparser)
        subparser.set_defaults(run=command.run)
    arguments = parser.parse_args(argv)
    configure_logging(get_settings())  # before anything that logs, such as migrations
    if run := getattr(arguments, "run", None):
        run(arguments)
        return
    settings = get_settings()
    if settings.workers > 1 and (alone := [f.name for f in features if f.one_process]):
        raise SettingsError(
            f"invalid setting WORKERS: {', '.join(alone)} keeps its state in one process; "
            "serve with WORKERS=1"
        )
    for feature in features:
        feature.before_serving()
    serve(settings, preload=any(feature.preload_app for feature in features))


if __name__ == "__main__":
    main()

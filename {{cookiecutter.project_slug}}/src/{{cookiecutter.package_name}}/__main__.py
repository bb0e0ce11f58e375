"""``python -m {{ cookiecutter.package_name }}``: serve the API with the configured settings."""

from .config import get_settings
from .server import serve


def main() -> None:
    serve(get_settings())


if __name__ == "__main__":
    main()

"""``python -m {{ cookiecutter.package_name }}``: serve the API with the configured host and port."""

import uvicorn

from .config import Environment, get_settings


def main() -> None:
    settings = get_settings()
    uvicorn.run(
        f"{__package__}.main:app",
        host=settings.host,
        port=settings.port,
        reload=settings.environment is Environment.DEVELOPMENT,
        log_level=settings.log_level.lower(),
    )


if __name__ == "__main__":
    main()

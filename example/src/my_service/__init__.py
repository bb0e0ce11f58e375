"""The service package: application factory, settings and API."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("my-service")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0"

"""wrqa: data-quality crawler and validator for street People's Congress working-committee reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wrqa")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""wrqa: data-quality crawler and validator for street People's Congress working-committee reports.

``wrqa.__version__`` is read from the installed package the first time it is asked for, so that
importing wrqa (``wrqa --help``) does not pay for ``importlib.metadata``.
"""


def __getattr__(name: str):
    if name == "__version__":
        from validators.records import tool_version

        return tool_version()
    raise AttributeError(f"module 'wrqa' has no attribute {name!r}")

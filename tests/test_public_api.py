import importlib
import types

import reelsense


def _isort_style(name: str) -> tuple[int, str]:
    """The order __all__ keeps (ruff's RUF022): CONSTANTS, then Classes, then the rest, each A-Z."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_public_api_all_is_every_public_name_sorted() -> None:
    public = [
        name
        for name, value in vars(reelsense).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    ]
    assert reelsense.__all__ == sorted([*public, "__version__"], key=_isort_style)


def test_public_api_names_are_importable() -> None:
    namespace: dict[str, object] = {}
    exec(f"from reelsense import {', '.join(reelsense.__all__)}", namespace)
    assert all(namespace[name] is getattr(reelsense, name) for name in reelsense.__all__)
    assert importlib.import_module("reelsense").__version__ == "0.1.0"


def test_public_api_classes_and_functions_say_they_come_from_reelsense() -> None:
    for name in reelsense.__all__:
        value = getattr(reelsense, name)
        if isinstance(value, type | types.FunctionType):
            assert value.__module__.startswith("reelsense."), name


def test_public_api_import_stays_light() -> None:
    """The database, web and terminal stacks load only where used, never with `import reelsense`."""
    import subprocess
    import sys

    heavy = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "jinja2", "rich", "psycopg")
    code = f"import sys, reelsense; print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(heavy)!r}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"

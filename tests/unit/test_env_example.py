"""`.env.example` lists every setting the service reads."""

from pathlib import Path

from pydantic_settings import BaseSettings

from cybervpn.config import Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def _env_names() -> set[str]:
    names: set[str] = set()
    for section in Settings.model_fields.values():
        model = section.annotation
        assert isinstance(model, type) and issubclass(model, BaseSettings)
        prefix = model.model_config.get("env_prefix", "")
        for name, field in model.model_fields.items():
            alias = field.validation_alias
            names.add(alias if isinstance(alias, str) else f"{prefix}{name}".upper())
    return names


def test_every_setting_is_in_the_env_example() -> None:
    listed = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in ENV_EXAMPLE.read_text().splitlines()
        if "=" in line
    }
    assert sorted(_env_names() - listed) == []

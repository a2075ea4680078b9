"""compose.yaml (no Docker daemon here to run it) names real settings and the commands the
team-library tests run."""

from __future__ import annotations

from pathlib import Path

import yaml

from ingest.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_postgres_chroma_and_the_ui_with_real_settings() -> None:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert set(services) == {"postgres", "chroma", "sourced"}
    assert services["chroma"]["command"][:2] == ["chroma", "run"]
    assert services["sourced"]["command"][:2] == ["sourced", "ui"]
    env = services["sourced"]["environment"]
    fields = set(Settings.model_fields)
    for name in env:
        assert name.startswith("SOURCED_") and name[8:].lower() in fields, name
    db = services["postgres"]["environment"]
    url = f"postgresql://{db['POSTGRES_USER']}:{db['POSTGRES_PASSWORD']}@postgres:5432/"
    assert env["SOURCED_DATABASE_URL"] == url + db["POSTGRES_DB"]
    port = services["chroma"]["command"][-1]
    assert env["SOURCED_CHROMA_URL"] == f"http://chroma:{port}"
    assert "'.[team]'" in services["chroma"]["build"]["dockerfile_inline"]


def test_the_image_build_leaves_out_local_state() -> None:
    # `COPY . .` would otherwise send the local virtualenv (GBs of torch) and the local
    # library into the image; the container installs its own and keeps its data in volumes.
    ignored = {
        line.strip().strip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", ".sourced", ".git"} <= ignored

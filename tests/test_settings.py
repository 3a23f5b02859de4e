from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwriter.cli import app
from ipwriter.config import load_settings, mask_secret, physical_cores
from ipwriter.errors import ConfigError


def test_defaults(tmp_path):
    s = load_settings()
    assert s.provider == "local"
    assert s.home == tmp_path / "home"
    assert s.threads == physical_cores() >= 1


@pytest.mark.parametrize(
    ("var", "value", "hint"),
    [
        ("IPWRITER_TIMEOUT", "abc", "需要一个数字"),
        ("IPWRITER_TIMEOUT", "-1", "数值太小"),
        ("IPWRITER_MAX_RETRIES", "many", "需要一个整数"),
        ("IPWRITER_EMBEDDINGS", "bert", "不是可选值之一"),
        ("IPWRITER_BASE_URL", "ftp://x", "http"),
        ("IPWRITER_LOCAL_MODEL", "/nope/model.gguf", "no such file"),
        ("IPWRITER_STRUCTURED_METHOD", "xml", "json_schema"),
    ],
)
def test_invalid_value_names_the_variable(monkeypatch, var, value, hint):
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert var in info.value.message
    assert hint in info.value.message
    assert info.value.exit_code == 2


def test_unknown_provider_lists_valid_ones(monkeypatch):
    monkeypatch.setenv("IPWRITER_PROVIDER", "gpt5")
    with pytest.raises(ConfigError) as info:
        load_settings()
    msg = info.value.message
    assert "IPWRITER_PROVIDER" in msg
    for name in ("local", "deepseek", "qwen", "moonshot", "zhipu", "ollama", "openai-compatible"):
        assert name in msg


def test_openai_compatible_needs_base_url(monkeypatch):
    monkeypatch.setenv("IPWRITER_PROVIDER", "openai-compatible")
    with pytest.raises(ConfigError, match="IPWRITER_BASE_URL"):
        load_settings()


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("IPWRITER_PROVIDER=deepseek\nIPWRITER_TIMEOUT=7\n")
    s = load_settings()
    assert (s.provider, s.timeout) == ("deepseek", 7.0)


def test_environment_beats_dotenv(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("IPWRITER_TIMEOUT=7\n")
    monkeypatch.setenv("IPWRITER_TIMEOUT", "9")
    assert load_settings().timeout == 9.0


def test_key_is_masked_in_public_view(monkeypatch):
    monkeypatch.setenv("IPWRITER_API_KEY", "sk-secret-1234567890abcd")
    shown = load_settings().public_dict()
    assert shown["api_key"] == "sk-…abcd"
    assert "secret" not in str(shown)
    assert mask_secret("abc") == "****"
    assert mask_secret(None) is None


def test_cli_reports_bad_setting_with_exit_2(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    monkeypatch.setenv("IPWRITER_TIMEOUT", "soon")
    result = CliRunner().invoke(app, ["profile", "--json"])
    assert result.exit_code == 2
    assert "IPWRITER_TIMEOUT" in result.stderr
    assert "配置错误" in result.stderr
    # --json still prints exactly one JSON document
    import json

    assert json.loads(result.stdout)["error"]["type"] == "ConfigError"


def test_physical_cores_is_positive():
    assert physical_cores() >= 1
    assert Path("/proc/cpuinfo").exists() or physical_cores() >= 1

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ipwriter.cli import app
from ipwriter.errors import ProfileError
from ipwriter.profile import load_profile, parse_profile

REPO = Path(__file__).resolve().parent.parent
GOOD = (REPO / "profile.yaml").read_text(encoding="utf-8")


def test_demo_profile_loads():
    p = load_profile(REPO / "profile.yaml")
    assert p.tagline == "阿岚聊私域"
    assert {x.tier for x in p.products} == {"引流产品", "明星产品", "非标产品"}
    assert p.product("私域变现实战营").price == 1999
    assert len(p.version()) == 12


def test_missing_field_is_named():
    text = "\n".join(line for line in GOOD.splitlines() if not line.startswith("keyword:"))
    with pytest.raises(ProfileError) as info:
        parse_profile(text)
    assert "keyword" in info.value.message
    assert "差异化关键词" in info.value.message


def test_bad_value_names_field_and_line():
    text = GOOD.replace("price: 1999", "price: 很贵")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "很贵" in ln)
    with pytest.raises(ProfileError) as info:
        parse_profile(text)
    msg = info.value.message
    assert "products.1.price" in msg
    assert f"第 {line} 行" in msg and f"line {line}" in msg


def test_bad_tier_lists_choices():
    text = GOOD.replace("tier: 明星产品", "tier: 爆款产品")
    with pytest.raises(ProfileError) as info:
        parse_profile(text)
    assert "products.1.tier" in info.value.message
    assert "明星产品" in info.value.message


def test_typo_field_is_reported_with_line():
    text = GOOD.replace("traits:", "trait:")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("trait:"))
    with pytest.raises(ProfileError) as info:
        parse_profile(text)
    msg = info.value.message
    assert "trait" in msg and f"第 {line} 行" in msg


def test_broken_yaml_reports_line():
    text = GOOD.replace("keyword: 实操", "keyword: [实操")
    with pytest.raises(ProfileError) as info:
        parse_profile(text)
    assert "不是合法的 YAML" in info.value.message
    assert "line" in info.value.message


@pytest.mark.parametrize("text", ["", "   \n", "- a\n- b\n", "just words"])
def test_not_a_mapping(text):
    with pytest.raises(ProfileError, match="profile.yaml"):
        parse_profile(text)


def test_unknown_platform_is_rejected():
    text = GOOD.replace("  - moments\n", "  - weibo\n")
    with pytest.raises(ProfileError, match="platforms"):
        parse_profile(text)


def test_gbk_encoded_profile_loads(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_bytes(GOOD.encode("gbk"))
    assert load_profile(path).name == "阿岚"


def test_binary_profile_is_a_clear_error(tmp_path):
    path = tmp_path / "profile.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ProfileError):
        load_profile(path)


def test_missing_profile(tmp_path):
    with pytest.raises(ProfileError, match="找不到"):
        load_profile(tmp_path / "profile.yaml")


def test_cli_profile_json(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    result = CliRunner().invoke(app, ["profile", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["profile"]["keyword"] == "实操"


def test_cli_broken_profile_exit_2(demo_ws, monkeypatch):
    monkeypatch.chdir(demo_ws)
    (demo_ws / "profile.yaml").write_text("name: [", encoding="utf-8")
    result = CliRunner().invoke(app, ["profile"])
    assert result.exit_code == 2
    assert "profile.yaml" in result.stderr
    assert "Traceback" not in result.output

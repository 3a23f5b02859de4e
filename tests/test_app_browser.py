"""The whole loop in a real browser: ``ipwriter app`` on a free port, Debian's
headless Chromium driven by selenium, the real local model and e5.

ingest the demo knowledge → generate a post → open it in 审阅 → edit it (the
checks run again and mark an invented number and an absolute term) → approve
(with a reason: the two findings block).
A screenshot of the review page is saved to ``test-artifacts/``."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from .support.servers import start_app, stop

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
ADDED = "我带过99999个学员，这是全网最好的课。"

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]


@pytest.fixture
def app_server(demo_ws):
    proc, log, url = start_app(demo_ws)
    yield url, demo_ws
    stop(proc, log, grace=15)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("the browser test needs Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver; .ci/run installs them)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1000", "--lang=zh-CN"):
        opts.add_argument(arg)
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never download a driver
    drv = webdriver.Chrome(options=opts, service=Service(executable_path=driver))
    yield drv
    drv.quit()


def wait_for(drv, condition, timeout: float, what: str):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, timeout, poll_frequency=0.5).until(condition)
    except TimeoutException:
        ARTIFACTS.mkdir(exist_ok=True)
        drv.save_screenshot(str(ARTIFACTS / "browser-failure.png"))
        body = drv.find_element("tag name", "body").text
        pytest.fail(f"timed out waiting for {what}; the page said:\n{body[-2000:]}")


def page_has(text: str):
    return lambda d: text in d.find_element("tag name", "body").text


def button(drv, label: str, timeout: float = 60, *, enabled: bool = True):
    """The button labelled ``label``, once it is there (and enabled): Streamlit draws a
    page in pieces, so the text above a button can show before the button does
    (on a loaded machine a bare find_element failed right after 「立场」 appeared)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    where = (By.XPATH, f"//button[.//p[normalize-space(text())='{label}']]")
    ready = ec.element_to_be_clickable(where) if enabled else ec.presence_of_element_located(where)
    return wait_for(drv, ready, timeout, f"the button {label}")


def test_the_whole_loop_in_a_real_browser(app_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, ws = app_server
    drv = browser
    drv.get(url + "/")  # 知识库 is the default page
    wait_for(drv, page_has("知识库还是空的"), 120, "the empty knowledge page")
    dialogs = drv.find_elements(By.CSS_SELECTOR, '[data-testid="stDialog"]')
    assert not dialogs, dialogs[0].text

    # 1. ingest the demo knowledge
    button(drv, "重新导入整个知识库").click()
    wait_for(drv, page_has("导入完成：新增 12"), 300, "the ingest to finish")
    wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]'), 30,
             "the sources table")
    # the proof ledger (issue 13): whose each number is, below the sources
    wait_for(drv, lambda d: "证据台账" in d.find_element("tag name", "body").text
             and len(d.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')) >= 2, 60,
             "the proof ledger table")
    assert "更正一条事实" in drv.find_element("tag name", "body").text
    nav = drv.find_element(By.CSS_SELECTOR, '[data-testid="stSidebarNav"]').text
    assert all(name in nav for name in ("知识库", "写作", "审阅", "历史", "设置")), nav

    # 2. generate a post with the bundled local model
    drv.get(url + "/write")
    topic = wait_for(drv, lambda d: d.find_element(By.CSS_SELECTOR, 'input[aria-label="主题"]'), 60,
                     "the topic box")
    topic.send_keys("粉丝不多，也能靠私信卖出第一单")
    button(drv, "先看素材（不调用模型）").click()  # the brief first: cases, stances, titles
    wait_for(drv, page_has("素材提纲"), 60, "the brief")
    wait_for(drv, page_has("立场"), 30, "the stance choices")
    button(drv, "按这个提纲生成").click()
    wait_for(drv, lambda d: d.find_elements(By.XPATH, "//button[.//p[text()='去审阅']]"), 600,
             "the generated draft")
    page = drv.find_element(By.TAG_NAME, "body").text
    assert "检查通过" in page or "需要修改" in page  # the check report came with it

    # 3. review: the draft with its marks
    button(drv, "去审阅").click()
    wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, "div.draft"), 60, "the review page")
    assert "/review" in drv.current_url and "draft=" in drv.current_url
    assert drv.find_elements(By.XPATH, "//*[contains(text(), '有据')]")  # the verdict legend

    # 4. edit in place: autosaved as version 2, checked again, marks drawn
    box = drv.find_element(By.CSS_SELECTOR, 'textarea[aria-label="草稿正文"]')
    box.send_keys(Keys.END, Keys.CONTROL + Keys.END)
    box.send_keys("\n" + ADDED)
    box.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_for(drv, page_has("已保存为第 2 版"), 60, "the autosave")
    ungrounded = wait_for(drv, lambda d: d.find_elements(By.CSS_SELECTOR, 'span.mark[data-kind="number-ungrounded"]'),
                          30, "the mark on the invented number")
    assert any("99999" in m.text for m in ungrounded)
    assert "99999" in ungrounded[0].get_attribute("title") or "无据" in ungrounded[0].get_attribute("title")
    bans = drv.find_elements(By.CSS_SELECTOR, 'span.mark[data-kind="compliance-ban"]')
    assert bans and "广告法" in bans[0].get_attribute("title")
    evidence = drv.find_element(By.XPATH, "//*[contains(text(), '引用的证据')]/ancestor::*[@data-testid='stColumn'][1]")
    assert "knowledge/" in evidence.text or "没有引用" in evidence.text

    # 5. approve: the edit added a ban and an invented number, so 通过 asks for a reason first
    button(drv, "通过").click()
    wait_for(drv, page_has("必须修改的问题"), 60, "the override confirmation")
    reason = drv.find_element(By.CSS_SELECTOR, 'input[aria-label="强制通过的理由"]')
    reason.send_keys("浏览器测试：确认保留", Keys.ENTER)
    wait_for(drv, lambda d: button(d, "仍然通过", enabled=False).is_enabled(), 30, "the override button")
    button(drv, "仍然通过").click()
    wait_for(drv, page_has("状态：已通过"), 60, "the approval")
    assert not button(drv, "通过", enabled=False).is_enabled()  # approved: the button is spent

    ARTIFACTS.mkdir(exist_ok=True)
    drv.set_window_size(1400, 2200)
    time.sleep(1)
    shot = ARTIFACTS / "browser-review.png"
    drv.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000

    # the browser's work is in the workspace: approved, version 2, edited by the user
    from ipwriter.config import load_settings
    from ipwriter.drafts import DraftStore

    home = load_settings(home=ws / ".ipwriter", _env_file=None).home
    drafts = DraftStore(home)
    (summary,) = drafts.list()
    assert summary.status == "approved" and summary.versions == 2
    latest = drafts.get(summary.draft_id)
    assert latest.author == "user" and ADDED in latest.text
    assert "浏览器测试：确认保留" in drafts.events(summary.draft_id)[-1]["detail"]

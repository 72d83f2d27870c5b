"""End to end in headless Chromium (Debian's chromium and chromium-driver, driven by Selenium):
the explorer served by uvicorn on a free port, as an analyst uses it.

Screenshots go to $COMMUNIQUE_SCREENSHOTS when set (docs/screenshots is made that way: see
docs/explorer.md), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("selenium")
uvicorn = pytest.importorskip("uvicorn")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from communique.web import ServeOptions, create_app  # noqa: E402
from web_store import EXAMPLE  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(DRIVER).exists()),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)
# The flags a closed network needs: no background connections, no component updates.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--window-size=1400,1000",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(web_store: Path) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        create_app(ServeOptions(db=web_store)), host="127.0.0.1", port=port, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium')}")
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("COMMUNIQUE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def wait_for_charts(driver: WebDriver) -> None:
    def drawn(d: WebDriver) -> bool:
        charts = d.find_elements(By.CSS_SELECTOR, ".chart[data-spec]")
        return all(c.get_attribute("data-rendered") for c in charts)

    WebDriverWait(driver, 30).until(drawn)
    for chart in driver.find_elements(By.CSS_SELECTOR, ".chart[data-spec]"):
        assert chart.get_attribute("data-rendered") == "true", chart.text


def total_on_page(driver: WebDriver) -> int:
    return int(driver.find_element(By.ID, "total").text.split()[0])


def test_overview_draws_its_charts_offline(browser: WebDriver, server: str, shots: Path) -> None:
    browser.get(server + "/")
    wait_for_charts(browser)
    timeline = browser.find_element(By.ID, "chart-timeline")
    assert timeline.find_elements(By.CSS_SELECTOR, "svg path")
    world = browser.find_element(By.ID, "chart-map")
    assert len(world.find_elements(By.CSS_SELECTOR, "svg path")) > 100  # the country outlines
    assert browser.find_elements(By.CSS_SELECTOR, "#dyads tbody tr")
    browser.save_screenshot(str(shots / "overview.png"))


def test_facets_and_words_narrow_the_events_table(
    browser: WebDriver, server: str, shots: Path
) -> None:
    browser.get(server + "/events")
    everything = total_on_page(browser)
    facet = browser.find_element(By.CSS_SELECTOR, '[data-facet="event"] li a')
    kind = facet.get_attribute("data-value")
    facet.click()
    WebDriverWait(browser, 20).until(lambda d: "event=" in d.current_url)
    narrowed = total_on_page(browser)
    assert 0 < narrowed < everything
    types = {e.text for e in browser.find_elements(By.CSS_SELECTOR, "#events-table .type")}
    assert types == {kind}
    words = browser.find_element(By.NAME, "text")
    words.send_keys("the")
    words.submit()
    WebDriverWait(browser, 20).until(lambda d: "text=the" in d.current_url)
    assert total_on_page(browser) <= narrowed
    assert f"event={kind}" in browser.current_url  # the facet stays: the URL is the view
    browser.save_screenshot(str(shots / "events.png"))


def test_opening_an_event_highlights_its_sentence(
    browser: WebDriver, server: str, shots: Path
) -> None:
    browser.get(server + "/events?text=Kremlin")
    row = browser.find_element(By.CSS_SELECTOR, "#events-table tbody tr")
    sentence_link = row.find_element(By.CSS_SELECTOR, "td.sentence a")
    event_id = row.get_attribute("data-event")
    sentence_link.click()
    WebDriverWait(browser, 20).until(lambda d: f"/events/{event_id}" in d.current_url)
    lit = browser.find_elements(By.CSS_SELECTOR, ".doctext .lit")
    assert {"m-trigger", "m-actor"} <= {
        cls for span in lit for cls in (span.get_attribute("class") or "").split()
    }
    sentence = "".join(
        s.text for s in browser.find_elements(By.CSS_SELECTOR, ".doctext .m-sentence")
    )
    assert "Kremlin" in sentence
    card = browser.find_element(By.ID, f"record-{event_id}")
    assert "active" in (card.get_attribute("class") or "")
    browser.save_screenshot(str(shots / "event.png"))
    others = [
        c
        for c in browser.find_elements(By.CSS_SELECTOR, ".record")
        if c.get_attribute("data-event") != event_id
    ]
    if others:  # choosing another record lights up its words instead
        others[0].click()
        other_id = others[0].get_attribute("data-event")
        for span in browser.find_elements(By.CSS_SELECTOR, ".doctext .lit"):
            assert other_id in (span.get_attribute("data-events") or "").split()


def test_pasting_the_example_briefing_shows_its_three_events(
    browser: WebDriver, server: str, shots: Path
) -> None:
    browser.get(server + "/code")
    box = browser.find_element(By.ID, "code-text")
    browser.execute_script(
        "arguments[0].value = arguments[1];", box, EXAMPLE.read_text(encoding="utf-8")
    )
    browser.find_element(By.ID, "code-date").send_keys("2023-10-20")
    browser.find_element(By.ID, "code-submit").click()
    WebDriverWait(browser, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".record"))
    cards = browser.find_elements(By.CSS_SELECTOR, ".record")
    assert len(cards) == 3
    labels = sorted(c.find_element(By.CSS_SELECTOR, ".type").text for c in cards)
    assert labels == ["AGREE", "AGREE", "CONSULT"]
    assert browser.find_elements(By.CSS_SELECTOR, ".doctext .m-trigger")
    browser.save_screenshot(str(shots / "code.png"))


def test_actor_view_and_map(browser: WebDriver, server: str, shots: Path) -> None:
    browser.get(server + "/actors")
    browser.find_element(By.CSS_SELECTOR, "#actor-codes tbody tr a").click()
    WebDriverWait(browser, 20).until(lambda d: "/actors/" in d.current_url)
    wait_for_charts(browser)
    network = browser.find_element(By.ID, "chart-network")
    assert network.find_elements(By.CSS_SELECTOR, "svg path")
    browser.save_screenshot(str(shots / "actor.png"))
    browser.get(server + "/map")
    wait_for_charts(browser)
    browser.save_screenshot(str(shots / "map.png"))

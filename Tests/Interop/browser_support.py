"""A real browser for the web UI tests: Debian's chromium, headless, driven
through chromium-driver by selenium, at the 1280×800 the UI is designed for.

Test modules use the `browser` fixture (conftest.py) and these helpers:
`open_view` loads a UI path and waits for the view to settle, `screenshot`
keeps a PNG under test-artifacts/screenshots/, and `console_errors` returns
what the page logged at SEVERE level, so a JavaScript exception fails a test
instead of leaving a silently broken page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
WAIT_S = 20.0


def _find(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError(f"none of {names} is installed; scripts/setup --test installs chromium and chromium-driver")


def start_browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = _find("chromium", "chromium-browser")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,800", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=_find("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(WAIT_S)
    driver.set_script_timeout(WAIT_S)
    return driver


def open_view(driver: webdriver.Chrome, base_url: str, path: str) -> None:
    """Loads `base_url + path` and waits until the router has mounted the view (or shown why it could not)
    and nothing shows "Loading…"."""
    driver.get(base_url + path)
    wait_for_settled(driver)


def wait_for_settled(driver: webdriver.Chrome, timeout: float = WAIT_S) -> None:
    WebDriverWait(driver, timeout).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, "#view > .page, #view > .state.error")))
    WebDriverWait(driver, timeout).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#view .state.loading"))


def until(driver: webdriver.Chrome, predicate, message: str = "", timeout: float = WAIT_S):
    """Polls `predicate(driver)` until it is truthy. A view re-renders while it loads, so an element found
    a moment ago may be replaced before it is read: such a poll is retried, not failed."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                         ).until(predicate, message)


def wait_for(driver: webdriver.Chrome, css: str, timeout: float = WAIT_S):
    """The first element matching `css`, once it is visible."""
    return WebDriverWait(driver, timeout).until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css)))


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """SEVERE console entries since the last call (chromium hands each entry out once)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]

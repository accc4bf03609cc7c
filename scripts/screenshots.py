"""Screenshots of the main screens from the demo database, in headless Chromium (make screenshots).

Usage: screenshots.py BASE_URL DB OUTDIR
Logs in as the demo users (password "vertrieb"), opens each screen, waits until it has rendered
and writes a PNG per screen into OUTDIR. Only the Python standard library, requests and
websocket-client (both in Odoo's requirements) are used.
"""

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

# file name, login, path below /odoo, CSS selector that shows the screen has rendered, height
SCREENS = [
    (
        "cockpit.png",
        "k.hoffmann",
        "action-crm_vertrieb.vertrieb_kpi_cockpit_action",
        ".o_vertrieb_trend_chart canvas",
        1100,
    ),
    ("acquisition.png", "k.hoffmann", "action-crm_vertrieb.crm_lead_action_acquisition", ".o_kanban_record", 800),
    ("targets.png", "k.hoffmann", "action-crm_vertrieb.vertrieb_kpi_target_action", ".o_data_row", 600),
    ("complaints.png", "m.krause", "action-crm_vertrieb.vertrieb_complaint_action", ".o_kanban_record", 600),
    ("privacy.png", "d.schneider", "action-crm_vertrieb.vertrieb_privacy_request_action", ".o_data_row", 400),
    ("quality.png", "k.hoffmann", "action-crm_vertrieb.vertrieb_partner_duplicate_action", ".o_group_header", 500),
]
# screens whose groups are opened before the picture (the duplicate pairs are grouped by cluster)
OPEN_GROUPS = {"quality.png"}
WIDTH, HEIGHT = 1366, 800


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="cv-shots-")
        binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))))
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        for _i in range(100):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            time.sleep(0.2)
        with open(port_file, encoding="ascii") as file:
            port = file.read().split()[0]
        target = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(t for t in target if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=300)
        self.counter = 0
        self.send("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)

    def send(self, method, **params):
        self.counter += 1
        self.ws.send(json.dumps({"id": self.counter, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.counter:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, selector, timeout=300):
        script = f"!!document.querySelector({json.dumps(selector)})"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.send("Runtime.evaluate", expression=script)["result"].get("value"):
                time.sleep(1.0)  # charts and fonts settle
                return
            time.sleep(0.5)
        raise RuntimeError(f"{selector} did not appear")

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def session(base_url, db, login):
    response = requests.post(
        f"{base_url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": "vertrieb"}},
        timeout=600,  # the first request builds the asset bundles: slow on a busy machine
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"login {login}: {response.json()['error']['data']['message']}")
    return response.cookies["session_id"]


def main(base_url, db, outdir):
    os.makedirs(outdir, exist_ok=True)
    browser = Browser()
    host = base_url.split("//", 1)[1].split(":")[0]
    try:
        for name, login, path, selector, height in SCREENS:
            browser.send(
                "Emulation.setDeviceMetricsOverride", width=WIDTH, height=height, deviceScaleFactor=1, mobile=False
            )
            browser.send("Network.enable")
            browser.send("Network.clearBrowserCookies")
            browser.send(
                "Network.setCookie", name="session_id", value=session(base_url, db, login), domain=host, path="/"
            )
            browser.send("Page.navigate", url=f"{base_url}/odoo/{path}")
            browser.wait_for(selector)
            if name in OPEN_GROUPS:
                browser.send(
                    "Runtime.evaluate",
                    expression="document.querySelectorAll('.o_group_header').forEach((row) => row.click())",
                )
                browser.wait_for(".o_data_row")
            data = browser.send("Page.captureScreenshot", format="png")["data"]
            with open(os.path.join(outdir, name), "wb") as file:
                file.write(base64.b64decode(data))
            print(f"{name}: {login} {path}")
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])

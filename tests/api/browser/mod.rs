//! End-to-end tests in headless Chromium over WebDriver (Debian's `chromium` and
//! `chromium-driver`): what readers and editors see and do, with screenshots of every page in
//! `target/browser-artifacts/` and an axe-core accessibility check of the public pages.
//!
//! Without Chromium the tests say so and pass, so that a plain `cargo test` works anywhere;
//! with `TIDINGS_BROWSER_TESTS=required` (as `.ci/run` sets) a missing browser, driver or
//! axe-core (`npm ci --prefix tests/browser`) fails them instead.

mod choices;
mod editor;
mod languages;
mod locales;
mod newsletters;
mod reader;
mod settings;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const AXE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/browser/node_modules/axe-core/axe.min.js"
);
const WAIT: Duration = Duration::from_secs(15);

/// One Chromium with its own driver and empty profile, closed when dropped.
pub struct Browser {
    pub client: Client,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
}

fn required() -> bool {
    std::env::var("TIDINGS_BROWSER_TESTS").is_ok_and(|v| v == "required")
}

fn driver_path() -> Option<PathBuf> {
    let named = std::env::var_os("TIDINGS_CHROMEDRIVER").map(PathBuf::from);
    let found = named.or_else(|| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("chromedriver"))
                .find(|p| p.is_file())
        })
    });
    found.filter(|p| p.is_file() && Path::new(CHROMIUM).is_file())
}

impl Browser {
    /// A browser at desktop size, or `None` (the test is skipped) when none is installed.
    pub async fn start() -> Option<Browser> {
        Self::launch(true).await
    }

    /// As `start`, with JavaScript turned off for every page.
    pub async fn start_without_javascript() -> Option<Browser> {
        Self::launch(false).await
    }

    async fn launch(javascript: bool) -> Option<Browser> {
        let Some(driver_path) = driver_path() else {
            assert!(
                !required(),
                "TIDINGS_BROWSER_TESTS=required but {CHROMIUM} or chromedriver is missing"
            );
            eprintln!("chromium or chromedriver not installed: browser test skipped");
            return None;
        };
        let (driver, port) = start_driver(&driver_path).await;
        let profile = tempfile::tempdir().unwrap();
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": {
                    "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }
                }
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("chromedriver did not start Chromium: {e}"));
        Some(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    pub async fn css(&self, selector: &str) -> fantoccini::elements::Element {
        match self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(selector))
            .await
        {
            Ok(element) => element,
            Err(err) => {
                let source = self.client.source().await.unwrap_or_default();
                panic!(
                    "no {selector} on {}: {err}\n{source:.2000}",
                    self.url().await
                )
            }
        }
    }

    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default()
    }

    pub async fn text(&self, selector: &str) -> String {
        self.css(selector).await.text().await.unwrap()
    }

    /// Waits until the element's text contains `needle` (pages that update themselves).
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css(selector)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(needle) {
                return text;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{selector} never said {needle:?}; it says {text:?} on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn fill(&self, selector: &str, value: &str) {
        let input = self.css(selector).await;
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, selector: &str) {
        self.css(selector).await.click().await.unwrap();
    }

    /// Saves what the browser shows as `target/browser-artifacts/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-artifacts");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Phone-width and desktop-width screenshots of the current page.
    pub async fn screenshots_at_both_widths(&self, name: &str) {
        self.client.set_window_size(390, 844).await.unwrap();
        self.screenshot(&format!("{name}-phone")).await;
        let overflow = self
            .client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(overflow, json!(false), "{name} scrolls sideways on a phone");
        self.client.set_window_size(1280, 900).await.unwrap();
        self.screenshot(&format!("{name}-desktop")).await;
    }

    /// Runs axe-core on the page: no violation of WCAG 2.1 A/AA or axe's best practices.
    pub async fn assert_accessible(&self, name: &str) {
        let Ok(axe) = std::fs::read_to_string(AXE) else {
            assert!(
                !required(),
                "axe-core is missing: run `npm ci --prefix tests/browser`"
            );
            eprintln!("axe-core not installed (npm ci --prefix tests/browser): {name} not checked");
            return;
        };
        self.client
            .execute(&axe, vec![])
            .await
            .expect("axe-core loads");
        let violations = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
                  .then(result => done(result.violations.map(v =>
                    `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)))
                  .catch(error => done([`axe failed: ${error}`]));"#,
                vec![],
            )
            .await
            .unwrap();
        let violations: Vec<String> = serde_json::from_value(violations).unwrap();
        assert!(
            violations.is_empty(),
            "{name} has accessibility problems:\n{}",
            violations.join("\n")
        );
    }

    /// The ids of the elements that Tab moves through, in order, from the top of the page.
    pub async fn tab_order(&self, presses: usize) -> Vec<String> {
        self.client
            .execute(
                "document.activeElement && document.activeElement.blur(); window.focus();",
                vec![],
            )
            .await
            .unwrap();
        let mut order = Vec::new();
        for _ in 0..presses {
            self.client
                .active_element()
                .await
                .unwrap()
                .send_keys("\u{e004}")
                .await
                .unwrap();
            let focused = self
                .client
                .execute(
                    "const e = document.activeElement; return e.id || e.getAttribute('name') || e.textContent.trim();",
                    vec![],
                )
                .await
                .unwrap();
            order.push(focused.as_str().unwrap_or_default().to_string());
        }
        order
    }

    /// Ends the session, so that Chromium quits in its own time.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// Chromium runs in the driver's process group: a test that panics must not leave it
    /// running (two cores do not have room for stray browsers).
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

/// chromedriver on a free port, in a process group of its own, once it listens.
async fn start_driver(path: &Path) -> (tokio::process::Child, u16) {
    for _ in 0..3 {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = tokio::process::Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return (driver, port);
            }
            // It exits at once if another process took the port in the meantime.
            if driver.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = driver.kill().await;
    }
    panic!("chromedriver did not start listening");
}

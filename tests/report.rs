//! The report and charts as a reader gets them: every PNG decodes with the
//! expected size, every SVG is well-formed XML with no text drawn over
//! another, and `report.html` renders in headless Chromium with the
//! network off, without console messages, with every chart, into a
//! screenshot that is not blank.
//!
//! Chromium comes from Debian's `chromium` package, which `.ci/run`
//! installs. Where it is missing the browser checks are skipped with a
//! note, except under CI (`CI` set), where a missing browser fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHARTS: [&str; 9] = [
    "debt_fan",
    "debt_medians",
    "debt_composition",
    "backlog_age",
    "trend_verdicts",
    "roi",
    "npv",
    "payback",
    "cost_breakdown",
];

fn run(dir: &Path, args: &[&str]) -> PathBuf {
    let out = dir.join("run");
    let o = Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(["run", "--out", out.to_str().unwrap(), "-q"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn check_charts(out: &Path) {
    for chart in CHARTS {
        let png = image::open(out.join(format!("{chart}.png")))
            .unwrap_or_else(|e| panic!("{chart}.png: {e}"));
        assert_eq!(png.width(), 1200, "{chart}.png width");
        assert!(png.height() >= 200, "{chart}.png height");
        let svg = std::fs::read_to_string(out.join(format!("{chart}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{chart}.svg is not XML: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert_eq!(doc.root_element().attribute("width"), Some("1200"));
        let texts = doc.descendants().filter(|n| n.has_tag_name("text")).count();
        assert!(texts >= 2, "{chart}.svg has {texts} text elements");
        assert!(
            !svg.contains("NaN") && !svg.contains("inf\""),
            "{chart}.svg holds a non-finite number"
        );
        let boxes = text_boxes(&doc);
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(
                    !a.overlaps(b),
                    "{chart}.svg: text {:?} overlaps text {:?}",
                    a.text,
                    b.text
                );
            }
        }
    }
}

/// Where a horizontal SVG text lands, estimated from its position, anchor
/// and font size (a glyph of the charts' sans-serif font is at most about
/// 0.6 em wide on average).
#[derive(Debug)]
struct TextBox {
    text: String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl TextBox {
    /// Whether the two share more than a pixel in both directions.
    fn overlaps(&self, other: &TextBox) -> bool {
        let across = self.right.min(other.right) - self.left.max(other.left);
        let down = self.bottom.min(other.bottom) - self.top.max(other.top);
        across > 1.0 && down > 1.0
    }
}

fn text_boxes(doc: &roxmltree::Document) -> Vec<TextBox> {
    let number = |n: &roxmltree::Node, name| -> f64 {
        n.attribute(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("transform").is_none())
        .filter_map(|n| {
            let text = n.text()?.trim().to_string();
            if text.is_empty() {
                return None;
            }
            let size = number(&n, "font-size");
            let width = 0.55 * size * text.chars().count() as f64;
            let x = number(&n, "x");
            let left = match n.attribute("text-anchor") {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            // plotters sets dy so that y is the top ("0.76em"), the middle
            // ("0.5ex") or the bottom ("-0.5ex") of the line; otherwise y
            // is the baseline.
            let y = number(&n, "y");
            let top = match n.attribute("dy") {
                Some("0.76em") => y,
                Some("0.5ex") => y - 0.4 * size,
                Some("-0.5ex") => y - size,
                _ => y - 0.8 * size,
            };
            Some(TextBox {
                text,
                left,
                right: left + width,
                top,
                bottom: top + 0.8 * size,
            })
        })
        .collect()
}

/// Runs a shipped comparison and checks its charts.
fn check_shipped(folder: &str, runs: &str) {
    let dir = tempfile::tempdir().unwrap();
    let folder = common::root(folder);
    let out = run(dir.path(), &[folder.to_str().unwrap(), "--runs", runs]);
    check_charts(&out);
}

#[test]
fn charts_decode_for_the_shipped_comparisons() {
    check_shipped("scenarios/helpdesk", "30");
    // Several of its interventions pay back in the same month.
    check_shipped("scenarios/contact-centre", "200");
}

#[test]
fn charts_survive_degenerate_runs() {
    // One scenario, one replication, a one-day horizon, zero debt.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tiny.yaml");
    std::fs::write(
        &file,
        "start_date: 2025-01-06\nhorizon_days: 1\ndemand: {new_per_day: 0}\nteam: {agents: 1}\n\
         work: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: 20}\n",
    )
    .unwrap();
    let out = run(dir.path(), &[file.to_str().unwrap(), "--runs", "1"]);
    check_charts(&out);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("nothing to compare") || html.contains("only a baseline"));
}

fn chromium() -> Option<String> {
    if let Ok(path) = std::env::var("ASPA_CHROMIUM") {
        return Some(path);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(String::from)
}

/// Runs headless Chromium with the network off; returns (stdout, stderr).
fn headless(browser: &str, profile: &Path, args: &[&str], page: &Path) -> (String, String) {
    let o = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn console_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

#[test]
fn report_renders_in_a_browser_without_errors() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!(
            "skipped: no chromium on this machine; set ASPA_CHROMIUM or install Debian's chromium"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            common::root("scenarios/helpdesk").to_str().unwrap(),
            "--runs",
            "30",
        ],
    );
    let page = out.join("report.html");

    // The harness notices console errors: a page that makes one is caught.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!DOCTYPE html><p>x</p><script>console.error('boom')</script>",
    )
    .unwrap();
    let (_, stderr) = headless(&browser, &dir.path().join("p0"), &["--dump-dom"], &bad);
    assert_eq!(
        console_lines(&stderr).len(),
        1,
        "the console check does not work:\n{stderr}"
    );

    let (dom, stderr) = headless(&browser, &dir.path().join("p1"), &["--dump-dom"], &page);
    assert!(
        console_lines(&stderr).is_empty(),
        "console messages:\n{}",
        console_lines(&stderr).join("\n")
    );
    for chart in CHARTS {
        let start = dom
            .find(&format!("id=\"chart-{chart}\""))
            .unwrap_or_else(|| panic!("chart {chart} missing"));
        let figure = &dom[start..start + dom[start..].find("</figure>").unwrap()];
        let shapes = [
            "<path",
            "<polygon",
            "<rect",
            "<polyline",
            "<circle",
            "<line",
        ]
        .iter()
        .map(|tag| figure.matches(tag).count())
        .sum::<usize>();
        assert!(shapes >= 10, "chart {chart} has only {shapes} shapes");
    }
    for section in ["headlines", "summary", "assumptions", "manifest"] {
        assert!(
            dom.contains(&format!("id=\"{section}\"")),
            "section {section} missing"
        );
    }
    assert!(
        !dom.contains("http://")
            || dom.matches("http://").count() == dom.matches("http://www.w3.org/2000/svg").count(),
        "the report refers to something outside itself"
    );

    let shot = dir.path().join("shot.png");
    let (_, _) = headless(
        &browser,
        &dir.path().join("p2"),
        &[
            "--window-size=1280,3000",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    let image = image::open(&shot).expect("screenshot decodes").to_rgb8();
    let total = (image.width() * image.height()) as f64;
    let ink = image
        .pixels()
        .filter(|p| p.0.iter().any(|&c| c < 200))
        .count() as f64;
    let orange = image
        .pixels()
        .filter(|p| p.0[0] > 200 && (130..190).contains(&p.0[1]) && p.0[2] < 60)
        .count();
    assert!(
        ink / total > 0.03,
        "screenshot is almost blank: {:.1} % ink",
        100.0 * ink / total
    );
    assert!(orange > 100, "no chart colour in the screenshot");
}

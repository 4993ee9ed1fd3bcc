//! The reference cases of `../shared/reference`, computed by others with
//! public tools and exact arithmetic, written as aspa scenarios.
//!
//! Backlog cases run 10,000 replications, the count the stated tolerances
//! (4 standard errors) are for; quantiles must fall in `accept_interval`.

mod common;

use aspa::model::economics;
use aspa::stats::{Measure, ScenarioStats};
use serde_json::Value;

const RUNS: u64 = 10_000;

/// The checks of `case`, from `../shared/reference/reference.json` beside
/// the checkout (or `ASPA_REFERENCE`). A clone without it skips these
/// tests with a note; under CI (`CI` set) a missing file fails.
fn checks(case: &str) -> Option<Vec<Value>> {
    let path = std::env::var_os("ASPA_REFERENCE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| common::root("../shared/reference/reference.json"));
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "{}: {e}", path.display());
            eprintln!("skipped: no reference values at {} ({e})", path.display());
            return None;
        }
    };
    let all: Value = serde_json::from_str(&text).unwrap();
    let checks: Vec<Value> = all["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["case_id"] == case)
        .cloned()
        .collect();
    assert!(!checks.is_empty(), "no checks for {case}");
    Some(checks)
}

/// Checks every backlog metric of `case` that aspa measures; returns how
/// many were checked.
fn check_backlog(case: &str, stats: &ScenarioStats, checks: Vec<Value>) -> usize {
    let mut checked = 0;
    let mut failures = Vec::new();
    for check in checks {
        let metric = check["metric"].as_str().unwrap();
        let value = check["value"].as_f64().unwrap();
        let tolerance = check["tolerance_abs"].as_f64().unwrap_or(0.0);
        let (sketch, stat) = if let Some(rest) = metric.strip_prefix("backlog_day") {
            let (day, stat) = rest.split_once('_').unwrap();
            let day: usize = day.parse().unwrap();
            (&stats.daily[0][day - 1], stat)
        } else if let Some(stat) = metric.strip_prefix("total_resolved_") {
            (stats.measure(Measure::Resolved), stat)
        } else {
            continue; // stationary-law values: not a finite-horizon output
        };
        let got = match stat {
            "mean" => sketch.mean().unwrap(),
            "p_zero" => sketch.share_at_most(0.0).unwrap(),
            "p5" => sketch.quantile(0.05).unwrap(),
            "p50" => sketch.quantile(0.50).unwrap(),
            "p95" => sketch.quantile(0.95).unwrap(),
            other => panic!("unknown statistic {other}"),
        };
        let ok = match check.get("accept_interval").and_then(Value::as_array) {
            Some(interval) => {
                let lo = interval[0].as_f64().unwrap();
                let hi = interval[1].as_f64().unwrap();
                (lo..=hi).contains(&got)
            }
            None => (got - value).abs() <= tolerance,
        };
        if !ok {
            failures.push(format!(
                "{case} {metric}: expected {value} ± {tolerance}, got {got}"
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}

#[test]
fn bl_a_stable_backlog() {
    let Some(checks) = checks("BL-a") else {
        return;
    };
    let scenarios = common::load(&["tests/reference/bl-a.yaml"]);
    let stats = common::simulate(&scenarios, RUNS, 20250101);
    assert!(check_backlog("BL-a", &stats[0], checks) >= 25);
}

#[test]
fn bl_b_growing_backlog() {
    let Some(checks) = checks("BL-b") else {
        return;
    };
    let scenarios = common::load(&["tests/reference/bl-b.yaml"]);
    let stats = common::simulate(&scenarios, RUNS, 20250102);
    assert!(check_backlog("BL-b", &stats[0], checks) >= 25);
}

#[test]
fn bl_d_weekly_seasonality() {
    let Some(checks) = checks("BL-d") else {
        return;
    };
    let scenarios = common::load(&["tests/reference/bl-d.yaml"]);
    let stats = common::simulate(&scenarios, RUNS, 20250104);
    assert!(check_backlog("BL-d", &stats[0], checks) >= 25);
}

#[test]
fn roi_base_through_the_economics_code() {
    let months = 36;
    let mut flows = vec![-50_000.0];
    flows.extend(std::iter::repeat_n(4_000.0 - 1_000.0, months));
    let savings = 4_000.0 * months as f64;
    let investment = 50_000.0 + 1_000.0 * months as f64;
    let Some(checks) = checks("ROI-base") else {
        return;
    };
    for check in checks {
        let value = check["value"].as_f64().unwrap();
        let tolerance = check["tolerance_abs"].as_f64().unwrap();
        let got = match check["metric"].as_str().unwrap() {
            "npv" => economics::npv(&flows, 0.08),
            "total_savings" => savings,
            "total_costs" => investment,
            "net_gain_undiscounted" => savings - investment,
            "simple_roi" => economics::roi(savings, investment).unwrap(),
            "payback_month" => f64::from(economics::payback_month(&flows).unwrap()),
            _ => continue, // alternative definitions aspa does not report
        };
        assert!(
            (got - value).abs() <= tolerance,
            "ROI-base {}: expected {value} ± {tolerance}, got {got}",
            check["metric"]
        );
    }
}

//! The shipped help-desk baseline against the real ticket log it was
//! calibrated on (data/helpdesk).

mod common;

use aspa::stats::{Measure, Verdict};

/// Mean open count of the log over the calibration window.
fn log_mean_open() -> f64 {
    let text = std::fs::read_to_string(common::root("data/helpdesk/daily.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let (mut sum, mut n) = (0.0, 0);
    for row in reader.records() {
        let row = row.unwrap();
        let date = &row[0];
        if ("2010-02-01"..="2012-07-31").contains(&date) {
            sum += row[4].parse::<f64>().unwrap();
            n += 1;
        }
    }
    assert_eq!(n, 912, "days in the calibration window");
    sum / n as f64
}

#[test]
fn helpdesk_baseline_reproduces_the_log() {
    let real = log_mean_open();
    assert!((real - 34.0).abs() < 0.1, "log mean open count {real}");

    let scenarios = common::load(&["scenarios/helpdesk/baseline.yaml"]);
    let stats = common::simulate(&scenarios, 1000, 42);
    let s = &stats[0];

    // The median debt path over the first year, averaged over its days.
    let days = &s.daily[0][..365];
    let median_path = days.iter().map(|d| d.quantile(0.5).unwrap()).sum::<f64>() / 365.0;
    assert!(
        (median_path - real).abs() <= 0.25 * real,
        "median debt over the first year {median_path:.1}, log {real:.1}"
    );
    let median_of_means = s.measure(Measure::MeanDebt).quantile(0.5).unwrap();
    assert!(
        (median_of_means - real).abs() <= 0.25 * real,
        "{median_of_means:.1}"
    );

    // Flat, as the log is.
    let band = aspa::engine::runner::flat_band(&aspa::engine::Plan::new(&scenarios[0]));
    let slope = s.measure(Measure::TrendPerWeek).quantile(0.5).unwrap();
    assert_eq!(
        Verdict::of(slope, band),
        Verdict::Flat,
        "median trend {slope:+.3} a week"
    );
}

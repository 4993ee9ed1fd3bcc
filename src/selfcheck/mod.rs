//! `aspa selfcheck`: the engine checked against values computed without
//! it, each with its expected value, measured value, tolerance and verdict.
//!
//! Tolerances come from the standard error of the estimate at the
//! replication count used (4 standard errors, a false alarm about once in
//! 16,000 checks), never from guesses. Quantiles pass when they fall inside
//! [F⁻¹(q − d), F⁻¹(q + d)] of the exact law F, d = 4·√(q(1 − q)/n).

pub mod exact;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::engine::sample::{Poissons, count};
use crate::engine::{Plan, RunConfig, State, Trajectory, run, simulate};
use crate::model::{HandleTime, Scenario, economics};
use crate::stats::{Measure, ScenarioStats, Sketch};

/// One check and its outcome.
#[derive(Debug, Clone)]
pub struct Check {
    /// What is checked.
    pub name: String,
    /// The value computed without the engine.
    pub expected: f64,
    /// The engine's value.
    pub measured: f64,
    /// Allowed deviation, or the accepted interval for a quantile.
    pub tolerance: Tolerance,
}

/// How close a measured value must be.
#[derive(Debug, Clone, Copy)]
pub enum Tolerance {
    /// |measured − expected| ≤ this.
    Absolute(f64),
    /// measured within [low, high].
    Interval(f64, f64),
}

impl Check {
    /// Whether the measured value is within tolerance.
    pub fn passed(&self) -> bool {
        match self.tolerance {
            Tolerance::Absolute(t) => (self.measured - self.expected).abs() <= t,
            Tolerance::Interval(lo, hi) => (lo..=hi).contains(&self.measured),
        }
    }
}

/// What the checks run with.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Replications of the Monte Carlo checks.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads, 0 for all cores.
    pub threads: usize,
}

fn scenario(name: &str, text: &str) -> Scenario {
    crate::scenario::load_text(Path::new(name), text)
        .unwrap_or_else(|e| panic!("built-in scenario {name} is invalid: {e}"))
}

fn monte_carlo(scenario: &Scenario, settings: &Settings) -> ScenarioStats {
    let config = RunConfig {
        runs: settings.runs,
        seed: settings.seed,
        threads: settings.threads,
    };
    let mut stats = run(
        std::slice::from_ref(scenario),
        &config,
        &|| {},
        &AtomicBool::new(false),
    )
    .expect("built-in checks run");
    stats.remove(0)
}

/// The daily backlog cases: λ, capacity and opening debt, as a scenario
/// (the same files the reference-value tests run) and as the exact
/// recursion.
struct Backlog {
    name: &'static str,
    yaml: &'static str,
    b0: usize,
    lambdas: Vec<f64>,
    capacities: Vec<u64>,
}

fn backlog_cases() -> Vec<Backlog> {
    let week = [140.0, 120.0, 110.0, 100.0, 90.0, 40.0, 30.0];
    vec![
        Backlog {
            name: "BL-a stable (λ 100, capacity 105)",
            yaml: include_str!("../../tests/reference/bl-a.yaml"),
            b0: 0,
            lambdas: vec![100.0; 90],
            capacities: vec![105; 90],
        },
        Backlog {
            name: "BL-b growing (λ 100, capacity 95, 200 open)",
            yaml: include_str!("../../tests/reference/bl-b.yaml"),
            b0: 200,
            lambdas: vec![100.0; 90],
            capacities: vec![95; 90],
        },
        Backlog {
            name: "BL-d weekly (capacity 100 on weekdays)",
            yaml: include_str!("../../tests/reference/bl-d.yaml"),
            b0: 0,
            lambdas: (0..84).map(|d| week[d % 7]).collect(),
            capacities: (0..84).map(|d| if d % 7 < 5 { 100 } else { 0 }).collect(),
        },
    ]
}

fn backlog_checks(settings: &Settings, out: &mut Vec<Check>) {
    let n = settings.runs as f64;
    for case in backlog_cases() {
        let laws = exact::backlog_laws(case.b0, &case.lambdas, &case.capacities);
        let stats = monte_carlo(&scenario(case.name, case.yaml), settings);
        let horizon = laws.len();
        for day in [1, 7, 30, 60, horizon] {
            let law = &laws[day - 1];
            let sketch = &stats.daily[0][day - 1];
            out.push(Check {
                name: format!("{}: mean debt, day {day}", case.name),
                expected: exact::mean(law),
                measured: sketch.mean().unwrap_or(f64::NAN),
                tolerance: Tolerance::Absolute(4.0 * exact::sd(law) / n.sqrt()),
            });
            for (q, label) in [(0.05, "P5"), (0.5, "P50"), (0.95, "P95")] {
                let d = 4.0 * (q * (1.0 - q) / n).sqrt();
                out.push(Check {
                    name: format!("{}: {label} debt, day {day}", case.name),
                    expected: exact::quantile(law, q),
                    measured: sketch.quantile(q).unwrap_or(f64::NAN),
                    tolerance: Tolerance::Interval(
                        exact::quantile(law, (q - d).max(0.0)),
                        exact::quantile(law, (q + d).min(1.0)),
                    ),
                });
            }
        }
    }
}

/// NPV, ROI and payback of the ROI-base case against their closed forms:
/// 50,000 at month 0, then 4,000 saved and 1,000 spent at the end of each
/// of 36 months, 8 % a year compounded monthly.
fn roi_checks(out: &mut Vec<Check>) {
    let (upfront, saving, cost, months, rate) = (50_000.0, 4_000.0, 1_000.0, 36, 0.08 / 12.0);
    let mut flows = vec![-upfront];
    flows.extend(std::iter::repeat_n(saving - cost, months));
    // An annuity of (s − c) for m months at r: (s − c)(1 − (1 + r)^−m) / r.
    let annuity = (saving - cost) * (1.0 - (1.0f64 + rate).powi(-(months as i32))) / rate;
    let investment = upfront + cost * months as f64;
    let savings = saving * months as f64;
    out.push(Check {
        name: "ROI-base: NPV".into(),
        expected: annuity - upfront,
        measured: economics::npv(&flows, 0.08),
        tolerance: Tolerance::Absolute(0.005),
    });
    out.push(Check {
        name: "ROI-base: ROI".into(),
        expected: (savings - investment) / investment,
        measured: economics::roi(savings, investment).unwrap_or(f64::NAN),
        tolerance: Tolerance::Absolute(1e-12),
    });
    out.push(Check {
        name: "ROI-base: payback month".into(),
        expected: (upfront / (saving - cost)).ceil(),
        measured: economics::payback_month(&flows).map_or(f64::NAN, f64::from),
        tolerance: Tolerance::Absolute(0.0),
    });
}

/// Little's law on a stable desk: over days 31 to 90, the mean end-of-day
/// debt equals the waiting days of the contacts resolved in the window per
/// day (arrival rate × mean days waiting, a contact resolved on its arrival
/// day waiting 0). The edge terms cancel in a stationary queue, so the
/// difference per replication has mean 0.
fn little_check(settings: &Settings, out: &mut Vec<Check>) {
    let s = scenario(
        "little",
        "start_date: 2025-01-06\nhorizon_days: 90\ndemand: {new_per_day: 100, variance_to_mean: 2}\n\
         team: {agents: 15, hours_per_day: 7, open_weekdays: [mon, tue, wed, thu, fri, sat, sun]}\n\
         work: {handle_minutes: {mean: 60, cv: 1}}\neconomics: {cost_per_agent_hour: 0}\n",
    );
    let plan = Plan::new(&s);
    let window = 30..90;
    let differences: Vec<f64> = (0..settings.runs)
        .into_par_iter()
        .map_init(
            || (State::default(), Trajectory::default()),
            |(state, t), r| {
                simulate(&s, &plan, settings.seed, r, state, t);
                let days = window.len() as f64;
                let debt = t.debt[window.clone()].iter().sum::<u64>() as f64 / days;
                let waited = t.waited_days[window.clone()].iter().sum::<u64>() as f64 / days;
                debt - waited
            },
        )
        .collect();
    let (mean, sd) = mean_sd(&differences);
    out.push(Check {
        name: "Little's law: mean debt − arrival rate × mean wait".into(),
        expected: 0.0,
        measured: mean,
        tolerance: Tolerance::Absolute(4.0 * sd / (differences.len() as f64).sqrt()),
    });
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, var.sqrt())
}

/// Mean and variance of daily counts, Poisson and over-dispersed, against
/// their definitions. The variance's standard error is estimated from the
/// sample's fourth moment: √((m₄ − s⁴) / n).
fn arrival_checks(settings: &Settings, out: &mut Vec<Check>) {
    let n = (settings.runs * 20).max(10_000) as usize;
    for (label, mean, ratio) in [
        ("Poisson", 40.0_f64, 1.0_f64),
        ("negative binomial", 40.0, 3.0),
    ] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(settings.seed ^ ratio.to_bits());
        let mut poissons = Poissons::default();
        let xs: Vec<f64> = (0..n)
            .map(|_| count(mean, ratio, &mut poissons, &mut rng) as f64)
            .collect();
        let (m, sd) = mean_sd(&xs);
        let var = sd * sd;
        let m4 = xs.iter().map(|x| (x - m).powi(4)).sum::<f64>() / n as f64;
        out.push(Check {
            name: format!("arrivals, {label}: mean of a day's count"),
            expected: mean,
            measured: m,
            tolerance: Tolerance::Absolute(4.0 * (mean * ratio / n as f64).sqrt()),
        });
        out.push(Check {
            name: format!("arrivals, {label}: variance of a day's count"),
            expected: mean * ratio,
            measured: var,
            tolerance: Tolerance::Absolute(4.0 * ((m4 - var * var) / n as f64).sqrt()),
        });
    }
}

/// Weekday profile, month profile and a dated spike through the engine:
/// the mean new contacts of chosen days against level × weights, computed
/// here from the raw numbers of the scenario text.
fn calendar_checks(settings: &Settings, out: &mut Vec<Check>) {
    // Day 1 is Monday 27 January; February weighs twice January.
    let s = scenario(
        "calendar",
        "start_date: 2025-01-27\nhorizon_days: 28\n\
         demand:\n  new_per_day: 50\n  weekday_profile: {mon: 3, tue: 1, wed: 1, thu: 1, fri: 1, sat: 0, sun: 0}\n\
         \x20 month_profile: {jan: 1, feb: 2, mar: 1, apr: 1, may: 1, jun: 1, jul: 1, aug: 1, sep: 1, oct: 1, nov: 1, dec: 1}\n\
         \x20 spikes: [{start: 2025-02-12, days: 1, multiplier: 4}]\n\
         team: {agents: 0}\nwork: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: 0}\n",
    );
    let stats = monte_carlo(&s, settings);
    // The weekday weights sum to 7 (mean 1), the month weights to 13.
    let weekday = 1.0;
    let month_mean = 13.0 / 12.0;
    let level = |w: f64, m: f64| 50.0 * (w / weekday) * (m / month_mean);
    let n = settings.runs as f64;
    // (label, day index, expected rate)
    let cases = [
        ("Monday in January", 1, level(3.0, 1.0)),
        ("Tuesday in January", 2, level(1.0, 1.0)),
        ("Saturday", 6, 0.0),
        ("Monday in February", 8, level(3.0, 2.0)),
        (
            "dated spike ×4 (Wednesday in February)",
            17,
            level(1.0, 2.0) * 4.0,
        ),
    ];
    for (label, day, rate) in cases {
        let measured = stats.daily[3][day - 1].mean().unwrap_or(f64::NAN);
        out.push(Check {
            name: format!("calendar: mean new contacts, {label}"),
            expected: rate,
            measured,
            // Poisson: the sd of the mean is √(rate / n).
            tolerance: Tolerance::Absolute(4.0 * (rate / n).sqrt().max(1e-12)),
        });
    }
}

/// Handle times: the sample mean from the mean and coefficient of
/// variation, for lognormal and gamma.
fn handle_checks(settings: &Settings, out: &mut Vec<Check>) {
    let n = (settings.runs * 40).max(10_000) as usize;
    for (label, h) in [
        ("lognormal", HandleTime::lognormal(12.0, 0.5)),
        ("gamma", HandleTime::gamma(12.0, 0.5)),
    ] {
        let Some(h) = h else { continue };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(settings.seed ^ 0x68616e64);
        let mean = (0..n).map(|_| h.sample(&mut rng)).sum::<f64>() / n as f64;
        out.push(Check {
            name: format!("handle time, {label} mean 12 min cv 0.5: sample mean"),
            expected: 12.0,
            measured: mean,
            tolerance: Tolerance::Absolute(4.0 * 6.0 / (n as f64).sqrt()),
        });
    }
}

/// Absence and attrition through capacity: each agent works one contact of
/// 60 minutes an hour on a desk that never runs out of work, so the
/// contacts resolved on a day count the agents present.
fn team_checks(settings: &Settings, out: &mut Vec<Check>) {
    let n = settings.runs as f64;
    let absence = scenario(
        "absence",
        "start_date: 2025-01-06\nhorizon_days: 30\ndemand: {new_per_day: 0, opening_debt: 100000}\n\
         team: {agents: 20, hours_per_day: 1, absence: 0.1, open_weekdays: [mon, tue, wed, thu, fri, sat, sun]}\n\
         work: {handle_minutes: {distribution: fixed, mean: 60}}\neconomics: {cost_per_agent_hour: 0}\n",
    );
    let stats = monte_carlo(&absence, settings);
    let per_day = stats.measure(Measure::Resolved).mean().unwrap_or(f64::NAN) / 30.0;
    out.push(Check {
        name: "absence 10 %: agents present a day, of 20".into(),
        expected: 18.0,
        measured: per_day,
        // Binomial(20, 0.9) a day, 30 independent days per replication.
        tolerance: Tolerance::Absolute(4.0 * (20.0 * 0.1 * 0.9 / (30.0 * n)).sqrt()),
    });

    let attrition = scenario(
        "attrition",
        "start_date: 2025-01-06\nhorizon_days: 365\ndemand: {new_per_day: 0, opening_debt: 100000}\n\
         team: {agents: 100, hours_per_day: 1, attrition_per_year: 0.2, replace_leavers: false,\n\
         \x20 open_weekdays: [mon, tue, wed, thu, fri, sat, sun]}\n\
         work: {handle_minutes: {distribution: fixed, mean: 60}}\neconomics: {cost_per_agent_hour: 0}\n",
    );
    let stats = monte_carlo(&attrition, settings);
    let last: &Sketch = &stats.daily[4][364];
    out.push(Check {
        name: "attrition 20 % a year: agents left after 365 days, of 100".into(),
        expected: 80.0,
        measured: last.mean().unwrap_or(f64::NAN),
        tolerance: Tolerance::Absolute(4.0 * (100.0 * 0.2 * 0.8 / n).sqrt()),
    });
}

/// Ramp-up of hires and a tool's learning dip over time. Both are
/// deterministic here (no absence, no attrition, fixed handle times of 60
/// minutes, one hour a day), so the contacts resolved by a day count the
/// productive hours; the contact in hand at the end is the only rounding.
fn ramp_checks(settings: &Settings, out: &mut Vec<Check>) {
    let one = Settings {
        runs: 1,
        ..*settings
    };
    let base = "start_date: 2025-01-06\nhorizon_days: 28\ndemand: {new_per_day: 0, opening_debt: 100000}\n\
                work: {handle_minutes: {distribution: fixed, mean: 60}}\neconomics: {cost_per_agent_hour: 0}\n";
    let hires = scenario(
        "ramp-up",
        &format!(
            "{base}team: {{agents: 0, hours_per_day: 1, open_weekdays: [mon, tue, wed, thu, fri, sat, sun]}}\n\
             interventions:\n  - hires: {{start: 2025-01-06, count: 10, salary_per_month: 0,\n\
             \x20     ramp_up: {{start_productivity: 0.2, weeks: 4}}}}\n"
        ),
    );
    let stats = monte_carlo(&hires, &one);
    // Productivity d − 1 days after joining: 0.2 + 0.8 · min(1, (d − 1) / 28).
    let expected: f64 = (1..=28)
        .map(|d| 10.0 * (0.2 + 0.8 * (f64::from(d - 1) / 28.0).min(1.0)))
        .sum();
    out.push(Check {
        name: "ramp-up 20 % → 100 % over 4 weeks: contacts of 10 hires in 28 days".into(),
        expected,
        measured: stats.measure(Measure::Resolved).mean().unwrap_or(f64::NAN),
        tolerance: Tolerance::Absolute(1.0),
    });

    let tools = scenario(
        "learning dip",
        &format!(
            "{base}team: {{agents: 10, hours_per_day: 1, open_weekdays: [mon, tue, wed, thu, fri, sat, sun]}}\n\
             interventions:\n  - tools: {{start: 2025-01-06, learning_dip: {{productivity_loss: 0.3, weeks: 2}}}}\n"
        ),
    );
    let stats = monte_carlo(&tools, &one);
    // Loss d − 1 days after go-live: 0.3 · max(0, 1 − (d − 1) / 14).
    let expected: f64 = (1..=28)
        .map(|d| 10.0 * (1.0 - 0.3 * (1.0 - f64::from(d - 1) / 14.0).max(0.0)))
        .sum();
    out.push(Check {
        name: "learning dip 30 % over 2 weeks: contacts of 10 agents in 28 days".into(),
        expected,
        measured: stats.measure(Measure::Resolved).mean().unwrap_or(f64::NAN),
        tolerance: Tolerance::Absolute(1.0),
    });
}

/// Dropped tasks: the share of open, unworked contacts that drop in a day
/// against the hazard, and the mean delay until the customer chases
/// against `chase_after_days`.
fn drop_checks(settings: &Settings, out: &mut Vec<Check>) {
    let n = settings.runs as f64;
    let contacts = 10_000.0;
    let hazard = scenario(
        "drop hazard",
        "start_date: 2025-01-06\nhorizon_days: 1\ndemand: {new_per_day: 0, opening_debt: 10000}\n\
         team: {agents: 0}\nwork: {handle_minutes: {mean: 10}, drop: {daily_hazard: 0.05, chase_after_days: 1e9}}\n\
         economics: {cost_per_agent_hour: 0}\n",
    );
    let stats = monte_carlo(&hazard, settings);
    out.push(Check {
        name: "drop hazard 5 %: share of unworked contacts dropped in a day".into(),
        expected: 0.05,
        measured: stats.daily[2][0].mean().unwrap_or(f64::NAN) / contacts,
        tolerance: Tolerance::Absolute(4.0 * (0.05 * 0.95 / (contacts * n)).sqrt()),
    });

    let horizon = 250;
    let chase = scenario(
        "chaser delay",
        &format!(
            "start_date: 2025-01-06\nhorizon_days: {horizon}\ndemand: {{new_per_day: 0, opening_debt: 10000, opening_dropped: 10000}}\n\
             team: {{agents: 0}}\nwork: {{handle_minutes: {{mean: 10}}, drop: {{chase_after_days: 10}}}}\n\
             economics: {{cost_per_agent_hour: 0}}\n"
        ),
    );
    let stats = monte_carlo(&chase, settings);
    // Chasers are the only new contacts; day d's chasers waited d days.
    let (mut weighted, mut total) = (0.0, 0.0);
    for (i, day) in stats.daily[3].iter().enumerate() {
        let m = day.mean().unwrap_or(0.0);
        weighted += (i + 1) as f64 * m;
        total += m;
    }
    // Geometric with p = 0.1: mean 10, sd √(1 − p) / p; the tail beyond
    // the horizon (0.9^250) is negligible.
    let sd = 0.9f64.sqrt() / 0.1;
    out.push(Check {
        name: "chaser delay: mean days until a dropped contact's customer chases".into(),
        expected: 10.0,
        measured: weighted / total,
        tolerance: Tolerance::Absolute(4.0 * sd / (contacts * n).sqrt()),
    });
}

/// Every check, in the order they are printed.
pub fn run_all(settings: &Settings) -> Vec<Check> {
    let mut out = Vec::new();
    backlog_checks(settings, &mut out);
    roi_checks(&mut out);
    little_check(settings, &mut out);
    arrival_checks(settings, &mut out);
    calendar_checks(settings, &mut out);
    handle_checks(settings, &mut out);
    team_checks(settings, &mut out);
    ramp_checks(settings, &mut out);
    drop_checks(settings, &mut out);
    out
}

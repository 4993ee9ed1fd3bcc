//! The numbers every output shows, computed once from the statistics.

use serde::Serialize;

use crate::model::Scenario;
use crate::stats::{DAILY_METRICS, Measure, NET_BENEFIT, ScenarioStats, Verdict};

/// The quantile levels reported everywhere.
pub const LEVELS: [(f64, &str); 5] = [
    (0.05, "p5"),
    (0.25, "p25"),
    (0.50, "p50"),
    (0.75, "p75"),
    (0.95, "p95"),
];

/// Mean and quantiles of one quantity. `None` marks an undefined value:
/// a quantity with no defined replication, or a quantile that falls among
/// replications where it is undefined (a payback that never comes).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Spread {
    /// Mean over the replications where it is defined.
    pub mean: Option<f64>,
    /// 5th percentile.
    pub p5: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
}

impl Spread {
    fn of(sketch: &crate::stats::Sketch, total: u64) -> Spread {
        let q = |level| sketch.quantile_of_total(level, total);
        Spread {
            mean: sketch.mean(),
            p5: q(0.05),
            p25: q(0.25),
            p50: q(0.50),
            p75: q(0.75),
            p95: q(0.95),
        }
    }

    /// The values in [`LEVELS`] order, then the mean.
    pub fn values(&self) -> [Option<f64>; 6] {
        [self.p5, self.p25, self.p50, self.p75, self.p95, self.mean]
    }
}

/// The summary of one scenario.
#[derive(Debug, Clone)]
pub struct ScenarioSummary {
    /// Scenario name.
    pub name: String,
    /// Whether this is the baseline.
    pub baseline: bool,
    /// The scenario file.
    pub file: String,
    /// Replications.
    pub replications: u64,
    /// Verdict of the median trend.
    pub verdict: Verdict,
    /// The flat band of the trend, contacts per week.
    pub flat_band_per_week: f64,
    /// Share of replications whose trend was falling.
    pub p_falling: f64,
    /// Share flat.
    pub p_flat: f64,
    /// Share rising.
    pub p_rising: f64,
    /// Share of replications with ROI > 0 (not for the baseline).
    pub p_roi_positive: Option<f64>,
    /// Share of replications that pay back within the horizon.
    pub p_payback: Option<f64>,
    /// Every measure, by its key.
    pub measures: Vec<(Measure, Spread)>,
}

impl ScenarioSummary {
    /// The spread of `measure`.
    pub fn get(&self, measure: Measure) -> &Spread {
        &self
            .measures
            .iter()
            .find(|(m, _)| *m == measure)
            .expect("every measure is summarised")
            .1
    }
}

/// Daily quantiles of one metric of one scenario.
#[derive(Debug, Clone)]
pub struct DailySeries {
    /// Metric name, as in [`DAILY_METRICS`].
    pub metric: &'static str,
    /// One spread per day.
    pub days: Vec<Spread>,
}

/// Everything a run reports about one scenario.
#[derive(Debug, Clone)]
pub struct ScenarioReport {
    /// The scalar summary.
    pub summary: ScenarioSummary,
    /// Daily series; the net benefit is absent for the baseline.
    pub daily: Vec<DailySeries>,
    /// The ROI distribution's spread (for charts).
    pub roi: Spread,
}

/// Summarises the statistics of each scenario; `bands` are the flat bands.
pub fn summarise(
    scenarios: &[Scenario],
    stats: &[ScenarioStats],
    bands: &[f64],
) -> Vec<ScenarioReport> {
    scenarios
        .iter()
        .zip(stats)
        .zip(bands)
        .map(|((scenario, s), &band)| {
            let n = s.replications.max(1);
            let share = |k: u64| k as f64 / n as f64;
            let compared = !scenario.is_baseline;
            let measures: Vec<(Measure, Spread)> = Measure::ALL
                .iter()
                .filter(|m| compared || !m.is_comparison())
                .map(|&m| {
                    // Undefined values rank last for the payback (it never
                    // comes); for the others quantiles are over the defined.
                    let total = if m == Measure::PaybackMonth {
                        s.replications
                    } else {
                        s.measure(m).count()
                    };
                    let mut spread = Spread::of(s.measure(m), total);
                    // A mean over only the replications that paid back
                    // would flatter the intervention: leave it undefined.
                    if m == Measure::PaybackMonth && s.measure(m).count() < s.replications {
                        spread.mean = None;
                    }
                    (m, spread)
                })
                .collect();
            let median_trend = s
                .measure(Measure::TrendPerWeek)
                .quantile(0.5)
                .unwrap_or(0.0);
            let summary = ScenarioSummary {
                name: scenario.name.clone(),
                baseline: scenario.is_baseline,
                file: scenario.source.display().to_string(),
                replications: s.replications,
                verdict: Verdict::of(median_trend, band),
                flat_band_per_week: band,
                p_falling: share(s.verdicts[0]),
                p_flat: share(s.verdicts[1]),
                p_rising: share(s.verdicts[2]),
                p_roi_positive: compared.then(|| share(s.roi_positive)),
                p_payback: compared.then(|| share(s.measure(Measure::PaybackMonth).count())),
                measures,
            };
            let daily = DAILY_METRICS
                .iter()
                .enumerate()
                .filter(|&(m, _)| compared || m != NET_BENEFIT)
                .map(|(m, &metric)| DailySeries {
                    metric,
                    days: s.daily[m]
                        .iter()
                        .map(|d| Spread::of(d, d.count()))
                        .collect(),
                })
                .collect();
            let roi = Spread::of(s.measure(Measure::Roi), s.measure(Measure::Roi).count());
            ScenarioReport {
                summary,
                daily,
                roi,
            }
        })
        .collect()
}

//! Statistics over replications: sketches that merge exactly, the robust
//! trend, and the per-scenario accumulators the runner fills.

pub mod sketch;
pub mod trend;

pub use sketch::{Sketch, rank_for};
pub use trend::Verdict;

use crate::engine::Trajectory;
use crate::model::economics;

/// The daily series kept for every scenario, in `daily.csv` order.
pub const DAILY_METRICS: [&str; 10] = [
    "debt",
    "visible",
    "dropped",
    "new",
    "resolved",
    "lost",
    "past_sla",
    "age_p90",
    "past_sla_share",
    "cumulative_net_benefit",
];

/// Index of the share of open contacts past the SLA in [`DAILY_METRICS`].
pub const PAST_SLA_SHARE: usize = 8;
/// Index of the cumulative net benefit in [`DAILY_METRICS`].
pub const NET_BENEFIT: usize = 9;

/// One value per replication, summarised over replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Debt at the end of the last day.
    DebtAtHorizon,
    /// Mean debt over the horizon.
    MeanDebt,
    /// Trend of the debt, contacts per week.
    TrendPerWeek,
    /// Share of resolved contacts resolved within the SLA.
    SlaShare,
    /// Contacts resolved over the horizon.
    Resolved,
    /// Contacts lost over the horizon.
    Lost,
    /// Cost of dropped tasks.
    DroppedCost,
    /// Labour cost.
    LabourCost,
    /// Delay cost.
    DelayCost,
    /// Lost-customer cost.
    LostCost,
    /// Intervention cost.
    InterventionCost,
    /// Total cost.
    TotalCost,
    /// Investment against the baseline.
    Investment,
    /// Operating savings against the baseline.
    Savings,
    /// (savings − investment) / investment.
    Roi,
    /// Net present value of the monthly net flows.
    Npv,
    /// First month with cumulative net flow ≥ 0.
    PaybackMonth,
}

impl Measure {
    /// All measures, in output order.
    pub const ALL: [Measure; 17] = [
        Measure::DebtAtHorizon,
        Measure::MeanDebt,
        Measure::TrendPerWeek,
        Measure::SlaShare,
        Measure::Resolved,
        Measure::Lost,
        Measure::DroppedCost,
        Measure::LabourCost,
        Measure::DelayCost,
        Measure::LostCost,
        Measure::InterventionCost,
        Measure::TotalCost,
        Measure::Investment,
        Measure::Savings,
        Measure::Roi,
        Measure::Npv,
        Measure::PaybackMonth,
    ];

    /// Column name in CSV and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Measure::DebtAtHorizon => "debt_at_horizon",
            Measure::MeanDebt => "mean_debt",
            Measure::TrendPerWeek => "trend_per_week",
            Measure::SlaShare => "sla_share",
            Measure::Resolved => "resolved",
            Measure::Lost => "lost",
            Measure::DroppedCost => "dropped_cost",
            Measure::LabourCost => "labour_cost",
            Measure::DelayCost => "delay_cost",
            Measure::LostCost => "lost_cost",
            Measure::InterventionCost => "intervention_cost",
            Measure::TotalCost => "total_cost",
            Measure::Investment => "investment",
            Measure::Savings => "savings",
            Measure::Roi => "roi",
            Measure::Npv => "npv",
            Measure::PaybackMonth => "payback_month",
        }
    }

    /// Whether the measure compares a scenario with the baseline.
    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            Measure::Investment
                | Measure::Savings
                | Measure::Roi
                | Measure::Npv
                | Measure::PaybackMonth
        )
    }
}

/// Small whole-number values of one daily count metric, over replications:
/// one histogram row per day, all in one buffer, so that adding a
/// replication's series walks memory in order and touches no sketch.
/// Values of [`sketch::DENSE_WIDTH`] and more go to the day's sketch.
#[derive(Debug, Clone)]
struct DailyCounts {
    days: usize,
    /// Values below `width` are counted at `rows[day * width + value]`.
    width: usize,
    rows: Vec<u32>,
}

impl DailyCounts {
    fn new(days: usize) -> Self {
        DailyCounts {
            days,
            width: 0,
            rows: Vec::new(),
        }
    }

    /// Counts `series[d]` for each day `d`; values too large for a row go
    /// to `sketches[d]`.
    fn add_series(&mut self, series: &[u64], sketches: &mut [Sketch]) {
        for (day, (&v, sketch)) in series.iter().zip(sketches.iter_mut()).enumerate() {
            if v >= self.width as u64 {
                if v >= sketch::DENSE_WIDTH {
                    sketch.add_count(v);
                    continue;
                }
                self.widen(v as usize + 1);
            }
            let n = &mut self.rows[day * self.width + v as usize];
            *n = n.saturating_add(1);
        }
    }

    /// Makes rows at least `width` wide (doubling, at most the dense width
    /// of a sketch).
    fn widen(&mut self, width: usize) {
        let wider = width
            .next_power_of_two()
            .max(2 * self.width)
            .max(16)
            .min(sketch::DENSE_WIDTH as usize);
        if wider <= self.width {
            return;
        }
        let mut rows = vec![0; self.days * wider];
        if self.width > 0 {
            for (new, old) in rows
                .chunks_exact_mut(wider)
                .zip(self.rows.chunks_exact(self.width))
            {
                new[..self.width].copy_from_slice(old);
            }
        }
        self.rows = rows;
        self.width = wider;
    }

    fn merge(&mut self, other: &DailyCounts) {
        if other.width == 0 {
            return;
        }
        self.widen(other.width);
        for (mine, theirs) in self
            .rows
            .chunks_exact_mut(self.width)
            .zip(other.rows.chunks_exact(other.width))
        {
            for (a, &b) in mine.iter_mut().zip(theirs) {
                *a = a.saturating_add(b);
            }
        }
    }

    /// Moves the counts into the day's sketches and empties the rows.
    fn settle_into(&mut self, sketches: &mut [Sketch]) {
        if self.width > 0 {
            for (row, sketch) in self.rows.chunks_exact(self.width).zip(sketches) {
                sketch.add_counts(row);
            }
        }
        self.width = 0;
        self.rows = Vec::new();
    }
}

/// Everything gathered about one scenario over the replications so far.
#[derive(Debug, Clone)]
pub struct ScenarioStats {
    /// Replications added.
    pub replications: u64,
    /// `daily[metric][day − 1]`, metrics as in [`DAILY_METRICS`]; complete
    /// once settled (see [`ScenarioStats::settle`]).
    pub daily: Vec<Vec<Sketch>>,
    /// The small values of the count metrics until settled, in
    /// [`DAILY_METRICS`] order.
    counts: Vec<DailyCounts>,
    /// One sketch per [`Measure`], in [`Measure::ALL`] order. Undefined
    /// values (ROI without investment, payback that never comes) are left
    /// out, so a sketch may hold fewer values than `replications`.
    pub measures: Vec<Sketch>,
    /// Replications whose trend was falling, flat, rising.
    pub verdicts: [u64; 3],
    /// Replications with ROI > 0.
    pub roi_positive: u64,
    /// Replications whose ROI was undefined.
    pub roi_undefined: u64,
}

impl ScenarioStats {
    /// Empty statistics for a horizon of `days`.
    pub fn new(days: usize) -> Self {
        let daily = (0..DAILY_METRICS.len())
            .map(|m| {
                let bits = if m == NET_BENEFIT || m == PAST_SLA_SHARE {
                    sketch::COARSE_BITS
                } else {
                    sketch::FINE_BITS
                };
                vec![Sketch::with_bits(bits); days]
            })
            .collect();
        ScenarioStats {
            replications: 0,
            daily,
            counts: (0..PAST_SLA_SHARE)
                .map(|_| DailyCounts::new(days))
                .collect(),
            measures: vec![Sketch::new(); Measure::ALL.len()],
            verdicts: [0; 3],
            roi_positive: 0,
            roi_undefined: 0,
        }
    }

    /// The sketch of `measure`.
    pub fn measure(&self, measure: Measure) -> &Sketch {
        &self.measures[measure as usize]
    }

    /// Moves the daily counts into the daily sketches and settles every
    /// sketch (see [`Sketch::settle`]), once all replications are in. The
    /// daily sketches are complete only then, and reading them does no
    /// merging.
    pub fn settle(&mut self) {
        for (counts, sketches) in self.counts.iter_mut().zip(&mut self.daily) {
            counts.settle_into(sketches);
        }
        for sketch in self.daily.iter_mut().flatten().chain(&mut self.measures) {
            sketch.settle();
        }
    }

    /// Adds everything `other` holds. Exact and order-independent.
    pub fn merge(&mut self, other: &ScenarioStats) {
        self.replications += other.replications;
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.daily.iter_mut().zip(&other.daily) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
        for (a, b) in self.measures.iter_mut().zip(&other.measures) {
            a.merge(b);
        }
        for (a, b) in self.verdicts.iter_mut().zip(other.verdicts) {
            *a += b;
        }
        self.roi_positive += other.roi_positive;
        self.roi_undefined += other.roi_undefined;
    }

    /// Adds the per-replication measures of one replication; `baseline` is
    /// the same replication of the baseline, or `None` for the baseline
    /// itself. For a scenario other than the baseline, `comparison` is left
    /// holding the replication's cumulative net benefit for
    /// [`ScenarioStats::add_daily`]. The daily series are added separately,
    /// a block of replications at a time.
    pub fn add(
        &mut self,
        run: &Trajectory,
        baseline: Option<&Trajectory>,
        comparison: &mut Comparison,
        trend: &TrendRule,
        scratch: &mut Vec<f64>,
    ) {
        self.replications += 1;
        let totals = &run.totals;
        let mut put = |m: Measure, v: f64| self.measures[m as usize].add(v);
        put(
            Measure::DebtAtHorizon,
            *run.debt.last().unwrap_or(&0) as f64,
        );
        let mean_debt = run.debt.iter().sum::<u64>() as f64 / run.debt.len().max(1) as f64;
        put(Measure::MeanDebt, mean_debt);
        let slope = trend::weekly_slope(&run.debt, &trend.season, scratch);
        put(Measure::TrendPerWeek, slope);
        if totals.resolved_primary > 0 {
            put(
                Measure::SlaShare,
                totals.resolved_within_sla as f64 / totals.resolved_primary as f64,
            );
        }
        put(Measure::Resolved, run.resolved.iter().sum::<u64>() as f64);
        put(Measure::Lost, run.lost.iter().sum::<u64>() as f64);
        put(Measure::DroppedCost, totals.dropped_cost);
        put(Measure::LabourCost, totals.labour_cost);
        put(Measure::DelayCost, totals.delay_cost);
        put(Measure::LostCost, totals.lost_cost);
        put(Measure::InterventionCost, totals.intervention_cost);
        put(Measure::TotalCost, run.total_cost());
        self.verdicts[Verdict::of(slope, trend.band) as usize] += 1;

        let Some(base) = baseline else { return };
        comparison.compute(run, base);
        let roi = economics::roi(comparison.savings, comparison.investment);
        put(Measure::Investment, comparison.investment);
        put(Measure::Savings, comparison.savings);
        put(Measure::Npv, comparison.npv);
        if let Some(p) = comparison.payback {
            put(Measure::PaybackMonth, f64::from(p));
        }
        match roi {
            Some(r) => {
                put(Measure::Roi, r);
                if r > 0.0 {
                    self.roi_positive += 1;
                }
            }
            None => self.roi_undefined += 1,
        }
    }

    /// Adds the daily series of a block of replications already counted by
    /// [`ScenarioStats::add`]: `runs[k]` and, for a scenario other than the
    /// baseline, its cumulative net benefit `net[k]` (empty for the
    /// baseline). Adding a block at a time fetches the scenario's daily
    /// histograms into cache once per block rather than once per
    /// replication; the result is the same as adding them one by one.
    /// Small counts go to one histogram buffer per metric until
    /// [`ScenarioStats::settle`].
    pub fn add_daily(&mut self, runs: &[&Trajectory], net: &[&[f64]]) {
        // One replication after the other, each day in order: the
        // trajectories are read in order, and one scenario's daily sketches
        // stay in cache for the whole block.
        for (k, run) in runs.iter().enumerate() {
            for ((counts, sketches), values) in self
                .counts
                .iter_mut()
                .zip(&mut self.daily)
                .zip(count_series(run))
            {
                counts.add_series(values, sketches);
            }
            // A day with no open contact has none past the SLA: share 0.
            let shares = self.daily[PAST_SLA_SHARE].iter_mut();
            for ((sketch, &late), &open) in shares.zip(&run.past_sla).zip(&run.debt) {
                sketch.add(if open > 0 {
                    late as f64 / open as f64
                } else {
                    0.0
                });
            }
            if let Some(series) = net.get(k) {
                for (sketch, &v) in self.daily[NET_BENEFIT].iter_mut().zip(series.iter()) {
                    sketch.add(v);
                }
            }
        }
    }
}

/// The daily count series of a replication, in [`DAILY_METRICS`] order.
fn count_series(run: &Trajectory) -> [&[u64]; PAST_SLA_SHARE] {
    [
        &run.debt,
        &run.visible,
        &run.dropped,
        &run.new,
        &run.resolved,
        &run.lost,
        &run.past_sla,
        &run.age_p90,
    ]
}

/// How a scenario's trend is measured and judged.
#[derive(Debug, Clone)]
pub struct TrendRule {
    /// Seasonal index per day (mean 1) the debt is divided by.
    pub season: Vec<f64>,
    /// Half-width of the flat band, contacts per week.
    pub band: f64,
}

/// A scenario against the baseline in one replication, with buffers kept
/// between replications.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Extra intervention cost over the baseline's.
    pub investment: f64,
    /// Operating cost saved against the baseline.
    pub savings: f64,
    /// NPV of the monthly net flows.
    pub npv: f64,
    /// Payback month, if within the horizon.
    pub payback: Option<u32>,
    /// Cumulative net benefit at the end of each day.
    pub cumulative: Vec<f64>,
    /// Monthly net flows, index 0 = month 0.
    pub flows: Vec<f64>,
    /// Cash month of each day (1-based), shared by both scenarios.
    pub months: Vec<u32>,
    /// Discount rate of the scenario.
    pub discount_rate_per_year: f64,
}

impl Comparison {
    /// A comparison for days in the given cash months.
    pub fn new(months: Vec<u32>, discount_rate_per_year: f64) -> Self {
        Comparison {
            months,
            discount_rate_per_year,
            ..Default::default()
        }
    }

    /// Fills the fields for `run` against `base`. One-time costs of month
    /// k are paid at its start (index k − 1); running costs and savings at
    /// its end (index k).
    pub fn compute(&mut self, run: &Trajectory, base: &Trajectory) {
        let n_months = self.months.last().copied().unwrap_or(1) as usize;
        self.flows.clear();
        self.flows.resize(n_months + 1, 0.0);
        self.cumulative.clear();
        let mut cumulative = 0.0;
        let mut savings = 0.0;
        let mut investment = 0.0;
        for day in 0..run.debt.len() {
            let month = self.months[day] as usize;
            let saved = base.operating_cost[day] - run.operating_cost[day];
            let one_time = run.one_time_cost[day] - base.one_time_cost[day];
            let running = run.running_cost[day] - base.running_cost[day];
            savings += saved;
            investment += one_time + running;
            self.flows[month - 1] -= one_time;
            self.flows[month] += saved - running;
            cumulative += saved - one_time - running;
            self.cumulative.push(cumulative);
        }
        self.savings = savings;
        self.investment = investment;
        self.npv = economics::npv(&self.flows, self.discount_rate_per_year);
        self.payback = economics::payback_month(&self.flows);
    }
}

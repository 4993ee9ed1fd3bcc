//! The Monte Carlo runner: replications in parallel, reproducibly.
//!
//! Replication r of every scenario uses the random streams of r (see
//! [`super::rng`]), so the scenarios of a run share their random numbers
//! and a scenario is compared with the baseline replication by
//! replication. It follows that a scenario whose interventions start on
//! day d runs exactly as the baseline until day d − 1, so it carries on
//! from the baseline's state at the end of that day instead of simulating
//! those days again (see [`first_difference`]).
//!
//! The replications are cut into pieces run in parallel; a piece adds its
//! replications to the [`ScenarioStats`] of a worker, and the workers'
//! statistics merge at the end. Merging is exact and
//! order-independent, so the output is the same for any thread count.
//! There is at most one worker per thread, so memory holds a few sets of
//! statistics whatever the number of replications.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::plan::Plan;
use super::replication::{
    Checkpoint, State, Trajectory, first_difference, resume_until, simulate_keeping, simulate_until,
};
use crate::model::Scenario;
use crate::stats::trend::FLAT_BAND_SHARE_OF_WEEKLY_DEMAND;
use crate::stats::{Comparison, ScenarioStats, TrendRule};

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct RunConfig {
    /// Number of replications.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads; 0 means all cores.
    pub threads: usize,
}

/// The run was stopped before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the run was interrupted")]
pub struct Cancelled;

/// Failure to set up the worker threads.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {threads} worker threads: {source}")]
pub struct PoolError {
    threads: usize,
    source: rayon::ThreadPoolBuildError,
}

/// Errors of [`run`].
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Stopped by the user.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// Threads could not start.
    #[error(transparent)]
    Pool(#[from] PoolError),
}

/// The flat band of a scenario's trend, in contacts per week.
pub fn flat_band(plan: &Plan) -> f64 {
    FLAT_BAND_SHARE_OF_WEEKLY_DEMAND * plan.mean_expected_new * 7.0
}

/// How the trend of a scenario is measured.
pub fn trend_rule(plan: &Plan) -> TrendRule {
    TrendRule {
        season: plan.season.clone(),
        band: flat_band(plan),
    }
}

/// Replications whose daily series are added to the daily sketches
/// together (see [`ScenarioStats::add_daily`]).
const BLOCK: usize = 32;

/// One worker's buffers and statistics.
struct Worker {
    stats: Vec<ScenarioStats>,
    /// `block[k][i]`: the k-th pending replication of scenario i.
    block: Vec<Vec<Trajectory>>,
    /// `net[k][i]`: its cumulative net benefit (empty for the baseline).
    net: Vec<Vec<Vec<f64>>>,
    /// Pending replications in `block`.
    pending: usize,
    comparisons: Vec<Comparison>,
    trends: Vec<TrendRule>,
    state: State,
    scratch: Vec<f64>,
    /// The baseline's checkpoints, one per day some scenario resumes from.
    checkpoints: Vec<Checkpoint>,
    /// For each scenario, the index of the checkpoint it resumes from, or
    /// `None` when it is simulated from day 1.
    resume_from: Vec<Option<usize>>,
}

impl Worker {
    fn new(scenarios: &[Scenario], plans: &[Plan]) -> Self {
        // A scenario that agrees with the baseline up to some day carries
        // on from the baseline's state at the end of the day before.
        let shared = |(s, p): (&Scenario, &Plan)| {
            (first_difference(&scenarios[0], &plans[0], s, p) - 1).min(s.horizon_days)
        };
        let shared: Vec<u32> = std::iter::once(0)
            .chain(scenarios.iter().zip(plans).skip(1).map(shared))
            .collect();
        let mut days: Vec<u32> = shared.iter().copied().filter(|&d| d > 0).collect();
        days.sort_unstable();
        days.dedup();
        let resume_from = shared.iter().map(|d| days.binary_search(d).ok()).collect();
        let checkpoints = days.into_iter().map(Checkpoint::at).collect();
        Worker {
            stats: scenarios
                .iter()
                .map(|s| ScenarioStats::new(s.horizon_days as usize))
                .collect(),
            block: Vec::new(),
            net: Vec::new(),
            pending: 0,
            comparisons: scenarios
                .iter()
                .zip(plans)
                .map(|(s, p)| {
                    Comparison::new(
                        p.days.iter().map(|d| d.month).collect(),
                        s.economics.discount_rate_per_year,
                    )
                })
                .collect(),
            trends: plans.iter().map(trend_rule).collect(),
            state: State::default(),
            scratch: Vec::new(),
            checkpoints,
            resume_from,
        }
    }

    fn replicate(
        &mut self,
        scenarios: &[Scenario],
        plans: &[Plan],
        seed: u64,
        replication: u64,
        cancel: &AtomicBool,
    ) {
        let k = self.pending;
        if k == self.block.len() {
            self.block
                .push(vec![Trajectory::default(); scenarios.len()]);
            self.net.push(vec![Vec::new(); scenarios.len()]);
        }
        let runs = &mut self.block[k];
        let (baseline, others) = runs.split_first_mut().expect("one scenario at least");
        simulate_keeping(
            &scenarios[0],
            &plans[0],
            seed,
            replication,
            &mut self.state,
            baseline,
            &mut self.checkpoints,
            cancel,
        );
        // A baseline stopped early has neither its days nor its
        // checkpoints to carry on from.
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        for (i, out) in others.iter_mut().enumerate() {
            let (scenario, plan) = (&scenarios[i + 1], &plans[i + 1]);
            match self.resume_from[i + 1].map(|k| &self.checkpoints[k]) {
                Some(from) => resume_until(
                    scenario,
                    plan,
                    seed,
                    replication,
                    from,
                    baseline,
                    &mut self.state,
                    out,
                    cancel,
                ),
                None => simulate_until(
                    scenario,
                    plan,
                    seed,
                    replication,
                    &mut self.state,
                    out,
                    cancel,
                ),
            }
        }
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let (baseline, others) = runs.split_first().expect("one scenario at least");
        for i in 0..plans.len() {
            let run = if i == 0 { baseline } else { &others[i - 1] };
            let base = (i > 0).then_some(baseline);
            let comparison = &mut self.comparisons[i];
            self.stats[i].add(run, base, comparison, &self.trends[i], &mut self.scratch);
            // Keep this replication's net benefit; the comparison reuses
            // the buffer it gets back.
            let net = &mut self.net[k][i];
            net.clear();
            if base.is_some() {
                std::mem::swap(net, &mut comparison.cumulative);
            }
        }
        self.pending += 1;
        if self.pending == BLOCK {
            self.flush();
        }
    }

    /// Adds the pending replications' daily series to the statistics.
    fn flush(&mut self) {
        let n = self.pending;
        for (i, stats) in self.stats.iter_mut().enumerate() {
            let runs: Vec<&Trajectory> = self.block[..n].iter().map(|b| &b[i]).collect();
            let net: Vec<&[f64]> = self.net[..n].iter().map(|b| b[i].as_slice()).collect();
            stats.add_daily(&runs, &net);
        }
        self.pending = 0;
    }

    fn merge(mut self, other: Worker) -> Worker {
        for (a, b) in self.stats.iter_mut().zip(&other.stats) {
            a.merge(b);
        }
        self
    }
}

/// Runs `config.runs` replications of every scenario; `scenarios[0]` is the
/// baseline. `progress` is called once per finished replication; setting
/// `cancel` stops the run within one replication per worker.
pub fn run(
    scenarios: &[Scenario],
    config: &RunConfig,
    progress: &(dyn Fn() + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<ScenarioStats>, RunError> {
    let plans: Vec<Plan> = scenarios.iter().map(Plan::new).collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|source| PoolError {
            threads: config.threads,
            source,
        })?;
    let runs = config.runs;
    let threads = pool.current_num_threads() as u64;
    // Small pieces balance the load; four per thread at least.
    let piece = (runs / (4 * threads)).clamp(1, 4 * BLOCK as u64);
    // Workers not in use. A piece takes one (or makes one when none is
    // idle) and gives it back, so there are never more workers than pieces
    // running at once: memory grows with the threads, not the
    // replications. Which worker adds which replication does not change
    // the result, because merging is exact.
    let idle: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let lock = || idle.lock().unwrap_or_else(PoisonError::into_inner);
    pool.install(|| {
        (0..runs.div_ceil(piece)).into_par_iter().for_each(|k| {
            let mut worker = lock()
                .pop()
                .unwrap_or_else(|| Worker::new(scenarios, &plans));
            for replication in k * piece..((k + 1) * piece).min(runs) {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                worker.replicate(scenarios, &plans, config.seed, replication, cancel);
                progress();
            }
            worker.flush();
            lock().push(worker);
        });
    });
    let mut workers = idle.into_inner().unwrap_or_else(PoisonError::into_inner);
    if cancel.load(Ordering::Relaxed) {
        return Err(Cancelled.into());
    }
    let mut total = workers
        .pop()
        .unwrap_or_else(|| Worker::new(scenarios, &plans));
    for worker in workers {
        total = total.merge(worker);
    }
    total.stats.iter_mut().for_each(ScenarioStats::settle);
    Ok(total.stats)
}

//! One replication of the minimal BL-a model, of the shipped help-desk
//! baseline and of the larger contact-centre example, seeded, so that the
//! engine's speed can be followed over time. The group `replication-days`
//! reports replication-days per second; the group `contacts` times the
//! same work and reports contacts per second, counting a replication's
//! contacts as the mean number of new contacts (fresh demand, reopens and
//! chasers) over 200 replications. The group `statistics` times what a
//! run does with a replication once simulated, on its own: the
//! per-replication measures (totals, the Theil-Sen trend) and the ten
//! daily histograms, for a block of 32 baseline replications, in
//! replication-days per second.

use std::path::Path;

use aspa::engine::runner::trend_rule;
use aspa::engine::{Plan, State, Trajectory, simulate};
use aspa::model::Scenario;
use aspa::stats::{Comparison, ScenarioStats};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CASES: [(&str, &str); 3] = [
    ("bl-a", "tests/reference/bl-a.yaml"),
    ("helpdesk", "scenarios/helpdesk/baseline.yaml"),
    ("contact-centre", "scenarios/contact-centre/baseline.yaml"),
];

fn load(file: &str) -> (Scenario, Plan) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = aspa::scenario::load(&root.join(file)).expect("shipped scenario loads");
    let plan = Plan::new(&scenario);
    (scenario, plan)
}

/// Mean new contacts of one replication, over the first 200.
fn contacts_per_replication(scenario: &Scenario, plan: &Plan) -> u64 {
    let (mut state, mut out) = (State::default(), Trajectory::default());
    let total: u64 = (0..200)
        .map(|r| {
            simulate(scenario, plan, 42, r, &mut state, &mut out);
            out.new.iter().sum::<u64>()
        })
        .sum();
    (total / 200).max(1)
}

fn bench(c: &mut Criterion, group_name: &str, throughput: impl Fn(&Scenario, &Plan) -> u64) {
    let mut group = c.benchmark_group(group_name);
    for (name, file) in CASES {
        let (scenario, plan) = load(file);
        let mut state = State::default();
        let mut out = Trajectory::default();
        group.throughput(Throughput::Elements(throughput(&scenario, &plan)));
        let mut replication = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                replication += 1;
                simulate(&scenario, &plan, 42, replication, &mut state, &mut out);
                out.debt.last().copied()
            })
        });
    }
    group.finish();
}

fn statistics(c: &mut Criterion) {
    let mut group = c.benchmark_group("statistics");
    for (name, file) in CASES {
        let (scenario, plan) = load(file);
        let mut state = State::default();
        let block: Vec<Trajectory> = (0..32)
            .map(|r| {
                let mut out = Trajectory::default();
                simulate(&scenario, &plan, 42, r, &mut state, &mut out);
                out
            })
            .collect();
        let runs: Vec<&Trajectory> = block.iter().collect();
        let rule = trend_rule(&plan);
        let mut comparison = Comparison::new(
            plan.days.iter().map(|d| d.month).collect(),
            scenario.economics.discount_rate_per_year,
        );
        let mut scratch = Vec::new();
        let days = scenario.horizon_days as usize;
        let mut stats = ScenarioStats::new(days);
        group.throughput(Throughput::Elements(32 * days as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                for run in &runs {
                    stats.add(run, None, &mut comparison, &rule, &mut scratch);
                }
                stats.add_daily(&runs, &[]);
                stats.replications
            })
        });
    }
    group.finish();
}

fn replication_days(c: &mut Criterion) {
    bench(c, "replication-days", |s, _| u64::from(s.horizon_days));
}

fn contacts(c: &mut Criterion) {
    bench(c, "contacts", contacts_per_replication);
}

criterion_group! {
    name = benches;
    // Criterion's own charts need system fonts, which a fresh machine may
    // lack; the figures are in the terminal output.
    config = Criterion::default().without_plots();
    targets = replication_days, contacts, statistics
}
criterion_main!(benches);

//! One replication of the minimal BL-a model, of the shipped help-desk
//! baseline and of the larger contact-centre example, seeded, so that the
//! engine's speed can be followed over time. Throughput is reported in
//! replication-days per second.

use std::path::Path;

use aspa::engine::{Plan, State, Trajectory, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn one_replication(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut group = c.benchmark_group("replication");
    for (name, file) in [
        ("bl-a", "tests/reference/bl-a.yaml"),
        ("helpdesk", "scenarios/helpdesk/baseline.yaml"),
        ("contact-centre", "scenarios/contact-centre/baseline.yaml"),
    ] {
        let scenario = aspa::scenario::load(&root.join(file)).expect("shipped scenario loads");
        let plan = Plan::new(&scenario);
        let mut state = State::default();
        let mut out = Trajectory::default();
        group.throughput(Throughput::Elements(u64::from(scenario.horizon_days)));
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

criterion_group!(benches, one_replication);
criterion_main!(benches);

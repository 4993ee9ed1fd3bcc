//! Loading and validating arbitrary scenario text must never panic; a
//! scenario that validates and is small enough is simulated for a few
//! days, which must not panic either and must conserve contacts.
#![no_main]

use std::path::Path;

use aspa::engine::{Plan, State, Trajectory, simulate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut scenario) = aspa::scenario::load_text(Path::new("fuzz.yaml"), text) else {
        return;
    };
    // Keep each input fast: a short horizon and a modest desk.
    if scenario.demand.new_per_day > 10_000.0 || scenario.team.agents > 1_000 || scenario.demand.opening_debt > 100_000 {
        return;
    }
    scenario.horizon_days = scenario.horizon_days.min(20);
    let plan = Plan::new(&scenario);
    let mut t = Trajectory::default();
    simulate(&scenario, &plan, 1, 0, &mut State::default(), &mut t);
    let mut open = scenario.demand.opening_debt;
    for day in 0..t.debt.len() {
        assert_eq!(t.debt[day], open + t.new[day] - t.resolved[day] - t.lost[day]);
        open = t.debt[day];
    }
});

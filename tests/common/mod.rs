//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use aspa::engine::{RunConfig, run};
use aspa::model::Scenario;
use aspa::stats::ScenarioStats;

/// Path of a file under the crate root.
pub fn root(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Loads scenarios (the baseline first).
pub fn load(paths: &[&str]) -> Vec<Scenario> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| root(p)).collect();
    aspa::scenario::load_all(&paths).unwrap_or_else(|e| panic!("{e}"))
}

/// Loads one scenario from YAML text written to a temporary file.
pub fn from_yaml(text: &str) -> Scenario {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.yaml");
    std::fs::write(&path, text).unwrap();
    aspa::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `runs` replications with `seed` on two threads.
pub fn simulate(scenarios: &[Scenario], runs: u64, seed: u64) -> Vec<ScenarioStats> {
    let config = RunConfig {
        runs,
        seed,
        threads: 2,
    };
    run(scenarios, &config, &|| {}, &AtomicBool::new(false)).unwrap()
}

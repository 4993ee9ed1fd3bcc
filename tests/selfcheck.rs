//! `aspa selfcheck`'s checks run in the test suite too.

use aspa::selfcheck::{Settings, run_all};

#[test]
fn every_selfcheck_passes() {
    let checks = run_all(&Settings {
        runs: 10_000,
        seed: 1,
        threads: 2,
    });
    assert!(checks.len() >= 70, "only {} checks", checks.len());
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.passed())
        .map(|c| {
            format!(
                "{}: expected {}, measured {}, {:?}",
                c.name, c.expected, c.measured, c.tolerance
            )
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn a_wrong_engine_would_fail_the_selfcheck() {
    // The checks are only worth something if they can fail: a measured
    // value off by a few standard errors must be flagged.
    let checks = run_all(&Settings {
        runs: 1_000,
        seed: 2,
        threads: 2,
    });
    for mut c in checks
        .into_iter()
        .filter(|c| c.name.contains("mean debt, day 90"))
    {
        c.measured += match c.tolerance {
            aspa::selfcheck::Tolerance::Absolute(t) => 2.0 * t + 1e-9,
            aspa::selfcheck::Tolerance::Interval(..) => unreachable!(),
        };
        assert!(!c.passed(), "{} passes a shifted value", c.name);
    }
}

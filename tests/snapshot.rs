//! Pinned output: the table and summary of a small seeded run. A change
//! in the engine's numbers shows up here as a diff to review; accept it
//! with `UPDATE_SNAPSHOTS=1 cargo test --test snapshot`.

mod common;

use std::process::Command;

fn check(name: &str, actual: &str) {
    let path = common::root(&format!("tests/snapshots/{name}"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} changed; review and accept with UPDATE_SNAPSHOTS=1\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn helpdesk_comparison_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(["run", common::root("scenarios/helpdesk").to_str().unwrap()])
        .args([
            "--runs",
            "200",
            "--seed",
            "3",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    check(
        "helpdesk-table.txt",
        &std::fs::read_to_string(out.join("table.txt")).unwrap(),
    );
    check(
        "helpdesk-summary.csv",
        &std::fs::read_to_string(out.join("summary.csv")).unwrap(),
    );
}

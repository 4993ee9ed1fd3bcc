//! The `aspa` binary as a user runs it: outputs, reproducibility, exit
//! codes and located errors.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn aspa(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("aspa runs")
}

fn helpdesk() -> String {
    common::root("scenarios/helpdesk").display().to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn same_seed_same_bytes_for_any_thread_count_and_another_seed_differs() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, seed: &str, threads: &str| {
        let out = dir.path().join(name);
        let o = aspa(
            &[
                "run",
                &helpdesk(),
                "--runs",
                "64",
                "--seed",
                seed,
                "--threads",
                threads,
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
            dir.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        out
    };
    let one = run("one", "7", "1");
    let two = run("two", "7", "2");
    let other = run("other", "8", "2");
    for file in [
        "summary.csv",
        "daily.csv",
        "summary.json",
        "table.txt",
        "debt_fan.svg",
    ] {
        let a = std::fs::read(one.join(file)).unwrap();
        let b = std::fs::read(two.join(file)).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
    let a = std::fs::read(one.join("summary.csv")).unwrap();
    let c = std::fs::read(other.join("summary.csv")).unwrap();
    assert_ne!(a, c, "another seed gives other numbers");
}

#[test]
fn a_run_writes_every_output_and_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = aspa(
        &[
            "run",
            &helpdesk(),
            "--runs",
            "20",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Help desk baseline") && stdout.contains("Payback"),
        "{stdout}"
    );
    for file in [
        "summary.csv",
        "daily.csv",
        "summary.json",
        "manifest.json",
        "table.txt",
        "debt_fan.png",
        "debt_fan.svg",
        "roi.png",
        "roi.svg",
        "payback.png",
        "payback.svg",
        "report.html",
    ] {
        let meta = std::fs::metadata(out.join(file)).unwrap_or_else(|_| panic!("{file} missing"));
        assert!(meta.len() > 100, "{file} is nearly empty");
    }
    let png = std::fs::read(out.join("debt_fan.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["runs"], 20);
    assert_eq!(manifest["files"].as_array().unwrap().len(), 6);
    assert_eq!(manifest["files"][0]["sha256"].as_str().unwrap().len(), 64);

    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(!summary.contains("NaN") && !summary.contains("inf"));
    let daily = std::fs::read_to_string(out.join("daily.csv")).unwrap();
    assert_eq!(
        daily.lines().next().unwrap(),
        "day,date,scenario,metric,p5,p25,p50,p75,p95,mean"
    );
    // 365 days × (6 scenarios × 9 metrics + 5 net-benefit series) + header.
    assert_eq!(daily.lines().count(), 365 * (6 * 9 + 5) + 1);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn an_existing_run_folder_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("taken");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "mine").unwrap();
    let o = aspa(
        &[
            "run",
            &helpdesk(),
            "--runs",
            "5",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("keep.txt")).unwrap(),
        "mine"
    );

    let o = aspa(
        &[
            "run",
            &helpdesk(),
            "--runs",
            "5",
            "--out",
            out.to_str().unwrap(),
            "--force",
            "-q",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("keep.txt").exists() && out.join("summary.csv").exists());
}

#[test]
fn default_run_folders_are_new_each_time() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let o = aspa(&["run", &helpdesk(), "--runs", "5", "-q"], dir.path());
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let runs: Vec<_> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .collect();
    assert_eq!(runs.len(), 2);
}

#[test]
fn bad_input_is_exit_code_2_with_file_line_column_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(
        &file,
        "start_date: 2025-01-06\ndemand: {new_per_day: 50}\nteam:\n  agents: 4\n  absence: 1.5\n\
         work: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: 20}\n",
    )
    .unwrap();
    let o = aspa(&["validate", file.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.yaml:5:3: `team.absence`: expected a share between 0 and 1, got 1.5"),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");

    std::fs::write(&file, "start_date: 2025-01-06\nteam:\n  agnets: 4\n").unwrap();
    let o = aspa(&["run", file.to_str().unwrap(), "--runs", "5"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.yaml:3:3") && err.contains("did you mean `agents`?"),
        "{err}"
    );
    assert!(
        !dir.path().join("output").exists(),
        "nothing is written for bad input"
    );
}

#[test]
fn validate_reports_every_problem_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.yaml");
    std::fs::write(
        &file,
        "start_date: 2025-01-06\ndemand: {new_per_day: -5}\nteam: {agents: 4, focus: 2}\n\
         work: {handle_minutes: {mean: 0}}\neconomics: {cost_per_agent_hour: 20}\n",
    )
    .unwrap();
    let o = aspa(&["validate", file.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for field in [
        "demand.new_per_day",
        "team.focus",
        "work.handle_minutes.mean",
    ] {
        assert!(
            err.contains(&format!("`{field}`")),
            "{field} not reported:\n{err}"
        );
    }
}

#[test]
fn usage_errors_are_exit_code_2_and_help_is_0() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(aspa(&["run"], dir.path()).status.code(), Some(2));
    assert_eq!(aspa(&["frobnicate"], dir.path()).status.code(), Some(2));
    let help = aspa(&["run", "--help"], dir.path());
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("[default: 1000]") && text.contains("[default: 42]"),
        "{text}"
    );
}

#[test]
fn an_extends_cycle_is_reported_with_its_chain() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), "extends: b.yaml\n").unwrap();
    std::fs::write(dir.path().join("b.yaml"), "extends: a.yaml\n").unwrap();
    let o = aspa(&["validate", "a.yaml"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cycle") && err.contains("a.yaml → ") && err.contains("b.yaml"),
        "{err}"
    );
}

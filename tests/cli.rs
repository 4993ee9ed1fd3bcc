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

/// Asserts that the run exited with `code` and said `message` on stderr.
fn fails_with(o: &Output, code: i32, message: &str) {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    assert!(stderr(o).contains(message), "{}", stderr(o));
}

#[test]
fn same_seed_same_bytes_for_1_2_and_8_threads_and_repeated_runs() {
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
    let eight = run("eight", "7", "8");
    let again = run("again", "7", "2");
    let other = run("other", "8", "2");
    for file in [
        "summary.csv",
        "daily.csv",
        "summary.json",
        "table.txt",
        "manifest.json",
        "debt_fan.svg",
        "payback.png",
    ] {
        let a = std::fs::read(one.join(file)).unwrap();
        for (label, run) in [
            ("2 threads", &two),
            ("8 threads", &eight),
            ("a repeated run", &again),
        ] {
            let b = std::fs::read(run.join(file)).unwrap();
            assert!(a == b, "{file} differs between 1 thread and {label}");
        }
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

/// A short help-desk run into `out` with `--force`.
fn force_into(out: &Path, dir: &Path) -> Output {
    let out = out.to_str().unwrap();
    aspa(
        &["run", &helpdesk(), "--runs", "5", "--out", out, "--force"],
        dir,
    )
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

    // --force replaces an earlier run, never a folder that is not one.
    let o = force_into(&out, dir.path());
    fails_with(&o, 2, "not an aspa run folder");
    assert!(out.join("keep.txt").exists());

    let run = dir.path().join("run");
    for _ in 0..2 {
        let o = aspa(
            &[
                "run",
                &helpdesk(),
                "--runs",
                "5",
                "--out",
                run.to_str().unwrap(),
                "--force",
                "-q",
            ],
            dir.path(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert!(run.join("manifest.json").exists());
    // Every file a run writes is one --force may replace, and no other.
    let mut written: Vec<String> = std::fs::read_dir(&run)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut names = aspa::report::output_names();
    names.sort();
    assert_eq!(written, names);

    // Not even an earlier run with something of the user's added, or a
    // folder with a manifest.json that aspa did not write.
    let fake = dir.path().join("fake");
    std::fs::create_dir(&fake).unwrap();
    std::fs::write(fake.join("manifest.json"), "{}").unwrap();
    std::fs::write(fake.join("thesis.tex"), "mine").unwrap();
    std::fs::write(run.join("notes.txt"), "mine").unwrap();
    for (folder, kept) in [(&run, "notes.txt"), (&fake, "thesis.tex")] {
        let o = force_into(folder, dir.path());
        fails_with(&o, 2, "not an aspa run folder");
        assert_eq!(std::fs::read_to_string(folder.join(kept)).unwrap(), "mine");
    }
}

#[test]
fn the_run_folder_never_replaces_inputs_or_files() {
    let dir = tempfile::tempdir().unwrap();
    let desk = dir.path().join("desk");
    std::fs::create_dir(&desk).unwrap();
    std::fs::copy(
        common::root("scenarios/helpdesk/baseline.yaml"),
        desk.join("baseline.yaml"),
    )
    .unwrap();
    std::fs::write(desk.join("manifest.json"), "{}").unwrap();
    let o = aspa(
        &["run", "desk", "--runs", "5", "--out", "desk", "--force"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("would overwrite the scenario file"),
        "{}",
        stderr(&o)
    );
    assert!(desk.join("baseline.yaml").exists());

    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "keep").unwrap();
    let o = aspa(
        &[
            "run",
            "desk",
            "--runs",
            "5",
            "--out",
            "notes.txt",
            "--force",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a folder"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    // Nor a folder under a file.
    let o = aspa(
        &["run", "desk", "--runs", "5", "--out", "notes.txt/run"],
        dir.path(),
    );
    fails_with(&o, 2, "notes.txt exists and is not a folder");
}

#[test]
fn scenarios_on_other_days_or_money_are_not_compared() {
    // Savings against a baseline of another horizon, start or currency
    // would be numbers without meaning.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root("scenarios/helpdesk/baseline.yaml"),
        dir.path().join("baseline.yaml"),
    )
    .unwrap();
    for (file, change, expected) in [
        (
            "short.yaml",
            "horizon_days: 60",
            "horizon_days 60 (the baseline's is 365)",
        ),
        (
            "later.yaml",
            "start_date: 2012-09-01",
            "start_date 2012-09-01 (the baseline's is 2012-08-01)",
        ),
        (
            "dollars.yaml",
            "economics: {currency: USD}",
            "currency USD (the baseline's is EUR)",
        ),
    ] {
        let text = format!("extends: baseline.yaml\nname: {file}\nbaseline: false\n{change}\n");
        std::fs::write(dir.path().join(file), text).unwrap();
        let o = aspa(&["run", "baseline.yaml", file, "--runs", "5"], dir.path());
        fails_with(
            &o,
            2,
            &format!("{file}: scenario \"{file}\" cannot be compared"),
        );
        fails_with(&o, 2, expected);
        std::fs::remove_file(dir.path().join(file)).unwrap();
    }
    assert!(!dir.path().join("output").exists());
}

#[test]
fn results_that_cannot_reach_stdout_are_a_failure() {
    // /dev/full takes no bytes: the table and the run path are lost.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("no /dev/full here: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(["validate", &helpdesk()])
        .current_dir(dir.path())
        .stdout(full)
        .output()
        .unwrap();
    fails_with(&o, 1, "cannot write the results to standard output");
}

#[test]
fn absurd_thread_counts_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = aspa(&["run", &helpdesk(), "--threads", "100000"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("output").exists());
}

/// Writes `text` as a scenario and returns validate's exit code and stderr.
fn validate_text(text: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), text).unwrap();
    let o = aspa(&["validate", "s.yaml"], dir.path());
    (o.status.code(), stderr(&o))
}

const GOOD: &str = "start_date: 2025-01-06\ndemand: {new_per_day: 50}\nteam: {agents: 4}\n\
                    work: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: 20}\n";

#[test]
fn hand_written_mistakes_get_plain_located_messages() {
    let (code, err) = validate_text(format!("\u{feff}{GOOD}").as_bytes());
    assert_eq!(code, Some(0), "a byte-order mark is fine: {err}");

    let (code, err) = validate_text(GOOD.replace("agents: 4", "agents: 2.5").as_bytes());
    assert_eq!(code, Some(2));
    assert!(
        err.contains("s.yaml:3:") && err.contains("expected a whole number"),
        "{err}"
    );
    assert!(!err.contains("u32"), "{err}");

    let (code, err) = validate_text(GOOD.replace("2025-01-06", "2025-02-30").as_bytes());
    assert_eq!(code, Some(2));
    assert!(err.contains("that date does not exist"), "{err}");

    let (code, err) = validate_text(
        GOOD.replace("{new_per_day: 50}", "{new_per_day: 50")
            .as_bytes(),
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("every [ and { is closed"), "{err}");
    assert!(
        err.matches("line").count() <= 1,
        "position given once: {err}"
    );

    let (code, err) = validate_text(b"- a\n- b\n");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("mapping of scenario fields") && !err.contains("Raw"),
        "{err}"
    );
}

#[test]
fn extends_names_a_scenario_file_and_errors_do_not_echo_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder.yaml")).unwrap();
    for (parent, expected) in [
        ("/etc/passwd", "is not a .yaml or .yml file"),
        ("folder.yaml", "is not a regular file"),
        ("missing.yaml", "does not exist"),
        ("''", "expected the path of a scenario file"),
    ] {
        std::fs::write(dir.path().join("c.yaml"), format!("extends: {parent}\n")).unwrap();
        let o = aspa(&["validate", "c.yaml"], dir.path());
        assert_eq!(o.status.code(), Some(2), "{parent}");
        let err = stderr(&o);
        assert!(err.contains(expected), "{parent}: {err}");
        assert!(err.len() < 600 && !err.contains("root:"), "{parent}: {err}");
    }
}

#[test]
fn problems_come_in_file_order() {
    let text = "start_date: 2025-01-06\ndemand: {new_per_day: -5}\nteam:\n  agents: 4\n  focus: 2\n  absence: 3\n\
                work: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: -1}\n";
    let (code, err) = validate_text(text.as_bytes());
    assert_eq!(code, Some(2));
    let lines: Vec<usize> = err
        .lines()
        .filter_map(|l| l.strip_prefix("error: ").or(Some(l)))
        .filter_map(|l| l.strip_prefix("s.yaml:"))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
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

#[test]
fn an_interrupted_run_exits_130_and_leaves_nothing() {
    for signal in ["-INT", "-TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_aspa"))
            .args([
                "run",
                common::root("scenarios/contact-centre").to_str().unwrap(),
            ])
            .args(["--runs", "1000000", "--out", "big"])
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Let it get into the simulation, then interrupt as Ctrl-C does.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "after {signal}");
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.is_empty(), "left behind after {signal}: {left:?}");
    }
}

#[test]
fn an_unwritable_out_fails_before_the_simulation() {
    // A million replications of the contact centre would take minutes;
    // failing at once shows the folder is checked first.
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let o = aspa(
        &[
            "run",
            common::root("scenarios/contact-centre").to_str().unwrap(),
            "--runs",
            "1000000",
            "--out",
            "/proc/aspa-cannot-write-here/run",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("cannot write to /proc/aspa-cannot-write-here/run"),
        "{err}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "it simulated first"
    );
}

/// The README shows what `aspa run scenarios/helpdesk` prints; it must be
/// what the current engine prints (all but the run folder's name).
#[test]
fn the_readme_shows_the_help_desk_run_as_it_is() {
    let readme = std::fs::read_to_string(common::root("README.md")).unwrap();
    let start = readme
        .find("```\n1,000 replications, seed 42;")
        .expect("the README shows the help-desk run")
        + 4;
    let shown: Vec<&str> = readme[start..]
        .lines()
        .take_while(|l| !l.starts_with("output/"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let o = aspa(&["run", &helpdesk(), "--out", "run"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let printed = String::from_utf8_lossy(&o.stdout).into_owned();
    // The last line names the run folder.
    let mut printed: Vec<&str> = printed.lines().collect();
    assert_eq!(printed.pop(), Some("run"));
    assert_eq!(
        shown, printed,
        "update the README's example with what `aspa run scenarios/helpdesk` prints"
    );
}

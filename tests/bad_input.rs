//! One test per kind of bad scenario: exit code 2 and a message that names
//! the file, the line and column where the file has them, the field, and
//! what was expected.

mod common;

use std::process::Command;

const GOOD: &str = "start_date: 2025-01-06\ndemand: {new_per_day: 50}\nteam: {agents: 4}\n\
                    work: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: 20}\n";

/// Validates `bytes` as `s.yaml`; returns stderr after asserting exit 2.
fn refused(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), bytes).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(["validate", "s.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(
        o.status.code(),
        Some(2),
        "accepted:\n{}\n{err}",
        String::from_utf8_lossy(bytes)
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn with(from: &str, to: &str) -> Vec<u8> {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1).into_bytes()
}

/// Validates `text` as `s.yaml` and asserts that it passes.
fn accepted(text: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.yaml"), text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(["validate", "s.yaml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn the_good_file_is_accepted() {
    accepted(GOOD);
}

#[test]
fn empty_and_not_text() {
    assert!(refused(b"").contains("s.yaml: file is empty"));
    assert!(refused(b"# only a comment\n").contains("s.yaml: file is empty"));
    assert!(refused(b"\xff\xfe\x00junk").contains("not UTF-8"));
}

#[test]
fn yaml_syntax() {
    let err = refused(b"start_date: 2025-01-06\n  demand: 3\n");
    assert!(err.contains("s.yaml:2:"), "{err}");
}

#[test]
fn a_negative_count_is_told_it_cannot_be_negative() {
    let err = refused(&with("agents: 4", "agents: -3"));
    assert!(
        err.contains("s.yaml:3:")
            && err.contains("`team.agents`")
            && err.contains("cannot be negative"),
        "{err}"
    );
}

#[test]
fn scalars_of_the_wrong_type() {
    let err = refused(&with("agents: 4", "agents: four"));
    assert!(
        err.contains("s.yaml:3:") && err.contains("`team.agents`") && err.contains("whole number"),
        "{err}"
    );
    let err = refused(&with("new_per_day: 50", "new_per_day: \"lots\""));
    assert!(
        err.contains("`demand.new_per_day`") && err.contains("expected a number"),
        "{err}"
    );
    // Values the file's own parse let through and the merged scenario
    // refused, once without a line or a field.
    let err = refused(&with("agents: 4", "agents: 4, hours_per_day: 010"));
    assert!(
        err.contains("s.yaml:3:") && err.contains("`team.hours_per_day`"),
        "{err}"
    );
    let err = refused(&with("team: {agents: 4}", "team: 5"));
    assert!(
        err.contains("`team`") && err.contains("expected a mapping") && !err.contains("Raw"),
        "{err}"
    );
    let big = "2025-01-06\nsla_days: 99999999999999999999\n";
    let err = refused(&with("2025-01-06\n", big));
    assert!(
        err.contains("`sla_days`") && err.contains("too large") && !err.contains("u128"),
        "{err}"
    );
    let err = refused(&with(
        "2025-01-06\n",
        "2025-01-06\nhorizon_days: !!str 90\n",
    ));
    assert!(
        err.contains("s.yaml:2:") && err.contains("`horizon_days`") && !err.contains("u32"),
        "{err}"
    );
}

#[test]
fn keys_given_twice_anywhere() {
    let err = refused(format!("{GOOD}start_date: 2025-02-03\n").as_bytes());
    assert!(
        err.contains("duplicate") && err.contains("start_date"),
        "{err}"
    );
    let err = refused(&with("team: {agents: 4}", "team: {agents: 4, agents: 5}"));
    assert!(
        err.contains("duplicate") && err.contains("s.yaml:3:"),
        "{err}"
    );
    let profile = "demand: {new_per_day: 50, weekday_profile: {mon: 1, mon: 2, tue: 1, wed: 1, thu: 1, fri: 1, sat: 1, sun: 1}}";
    let err = refused(&with("demand: {new_per_day: 50}", profile));
    assert!(err.contains("duplicate") && err.contains("mon"), "{err}");
}

#[test]
fn unknown_keys_get_the_nearest_valid_one() {
    let err = refused(&with(
        "team: {agents: 4}",
        "team: {agents: 4, absense: 0.1}",
    ));
    assert!(
        err.contains("s.yaml:3:") && err.contains("did you mean `absence`?"),
        "{err}"
    );
}

#[test]
fn shares_rates_and_numbers_are_checked() {
    for (from, to, field, expected) in [
        (
            "agents: 4",
            "agents: 4, absence: 1.5",
            "team.absence",
            "between 0 and 1",
        ),
        (
            "agents: 4",
            "agents: 4, focus: -0.2",
            "team.focus",
            "between 0 and 1",
        ),
        (
            "new_per_day: 50",
            "new_per_day: -3",
            "demand.new_per_day",
            "0 or more",
        ),
        (
            "new_per_day: 50",
            "new_per_day: .nan",
            "demand.new_per_day",
            "finite",
        ),
        (
            "cost_per_agent_hour: 20",
            "cost_per_agent_hour: .inf",
            "economics.cost_per_agent_hour",
            "finite",
        ),
        (
            "mean: 10",
            "mean: 10, cv: -1",
            "work.handle_minutes.cv",
            "0 or more",
        ),
        // Values that used to pass and mislead: an erratic demand whose
        // mean few replications see, a delay shorter than the model's day,
        // a share above 1, a cost whose totals overflow.
        (
            "new_per_day: 50",
            "new_per_day: 50, variance_to_mean: 1e8",
            "demand.variance_to_mean",
            "at most 100",
        ),
        (
            "mean: 10}",
            "mean: 10}, drop: {chase_after_days: 0.5}",
            "work.drop.chase_after_days",
            "at least 1 day",
        ),
        (
            "mean: 10}",
            "mean: 10}, drop: {resurface_after_days: 0.5}",
            "work.drop.resurface_after_days",
            "at least 1 day",
        ),
        (
            "agents: 4",
            "agents: 4, knowledge: {leaver_hit: 5}",
            "team.knowledge.leaver_hit",
            "between 0 and 1",
        ),
        (
            "cost_per_agent_hour: 20",
            "cost_per_agent_hour: 1e308",
            "economics.cost_per_agent_hour",
            "more than aspa accepts",
        ),
        (
            "2025-01-06\n",
            "2025-01-06\nname: \"desk\\u202Eevil\"\n",
            "name",
            "control character U+202E",
        ),
        (
            "economics:",
            "interventions: [training: {name: \"x\\ty\", start: 2025-02-01}]\neconomics:",
            "interventions[0].training.name",
            "control character U+0009",
        ),
        (
            "new_per_day: 50",
            "new_per_day: 50, random_spikes: {per_year: 3, days: 4294967295}",
            "demand.random_spikes.days",
            "at most 3653 days",
        ),
        (
            "agents: 4",
            "agents: 4, open_weekdays: [mon, tue, mon]",
            "team.open_weekdays[2]",
            "already listed",
        ),
        (
            "2025-01-06",
            "9999-06-01",
            "start_date",
            "between year 1 and 9999",
        ),
        // Demand that grows past the limit: each of these passed once and
        // then ran for minutes, deaf to Ctrl-C.
        (
            "new_per_day: 50",
            "new_per_day: 50, growth_per_year: 1e300",
            "demand",
            "more than aspa simulates",
        ),
        (
            "new_per_day: 50",
            "new_per_day: 50, spikes: [{start: 2025-02-01, days: 5, multiplier: 1e6}]",
            "demand",
            "more than aspa simulates",
        ),
        (
            "new_per_day: 50",
            "new_per_day: 50, random_spikes: {per_year: 12, days: 30, multiplier: [5, 10]}",
            "demand.random_spikes",
            "more than aspa simulates",
        ),
    ] {
        let err = refused(&with(from, to));
        assert!(
            err.contains(&format!("`{field}`")) && err.contains(expected),
            "{to}: {err}"
        );
        assert!(err.contains("s.yaml:"), "{to}: {err}");
    }
}

#[test]
fn dates_must_exist_and_fall_inside_the_horizon() {
    let err = refused(&with("2025-01-06", "2025-13-01"));
    assert!(err.contains("`start_date`"), "{err}");
    let late = format!("{GOOD}interventions:\n  - tools: {{start: 2026-06-01}}\n");
    let err = refused(late.as_bytes());
    assert!(
        err.contains("s.yaml:7:")
            && err.contains("`interventions[0].tools.start`")
            && err.contains("outside the horizon"),
        "{err}"
    );
}

#[test]
fn profiles_must_be_complete() {
    let err = refused(&with(
        "demand: {new_per_day: 50}",
        "demand: {new_per_day: 50, weekday_profile: {mon: 2, tue: 1}}",
    ));
    assert!(
        err.contains("`demand.weekday_profile`") && err.contains("wed, thu, fri, sat, sun missing"),
        "{err}"
    );
}

#[test]
fn enormous_aliases_do_not_expand() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9u8 {
        let (prev, next) = ((b'a' + i) as char, (b'b' + i) as char);
        text.push_str(&format!("{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    text.push_str(GOOD);
    let err = refused(text.as_bytes());
    assert!(err.len() < 2000, "{err}");
}

#[test]
fn brackets_nested_absurdly_deep_are_refused_before_parsing() {
    // The YAML parser takes a time that grows with the square of the depth
    // before it gives up; this is refused by a scan first.
    let deep = format!(
        "{GOOD}description: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = refused(deep.as_bytes());
    assert!(
        err.contains("s.yaml:6:") && err.contains("nest more than 64"),
        "{err}"
    );
    // Brackets and apostrophes in real text are not nesting.
    accepted(&format!(
        "{GOOD}name: the team's [first] year\ndescription: \"it's {{a: [1, [2]]}}\"\n"
    ));
}

#[test]
fn values_beyond_what_aspa_simulates_are_refused_up_front() {
    // An invalid growth rate is one problem, not also a demand past the
    // limit on the way.
    let err = refused(&with(
        "new_per_day: 50",
        "new_per_day: 50, growth_per_year: -1.5",
    ));
    assert!(
        err.contains("`demand.growth_per_year`") && !err.contains("more than aspa simulates"),
        "{err}"
    );
    let err = refused(&with("new_per_day: 50", "new_per_day: 1000000000"));
    assert!(err.contains("more than aspa simulates"), "{err}");
    let err = refused(&with("2025-01-06\n", "2025-01-06\nhorizon_days: 40000\n"));
    assert!(
        err.contains("`horizon_days`") && err.contains("3653"),
        "{err}"
    );
}

#[test]
fn a_ten_year_horizon_runs() {
    let dir = tempfile::tempdir().unwrap();
    let text = GOOD.replacen("2025-01-06\n", "2025-01-06\nhorizon_days: 3653\n", 1);
    std::fs::write(dir.path().join("s.yaml"), text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_aspa"))
        .args(["run", "s.yaml", "--runs", "20", "--out", "run", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let daily = std::fs::read_to_string(dir.path().join("run/daily.csv")).unwrap();
    assert_eq!(daily.lines().count(), 3653 * 9 + 1);
}

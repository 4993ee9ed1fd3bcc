//! What the commands do, between parsed arguments and exit codes.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::cli::{RunArgs, SelfcheckArgs, ValidateArgs};
use crate::engine::runner::{RunError, flat_band};
use crate::engine::{Plan, RunConfig, run};
use crate::model::Scenario;
use crate::report::output::{OutputError, RunFolder};
use crate::report::{Report, ReportError, RunInfo, exports, output_names, summarise, table};
use crate::scenario::{self, Problems};

/// Why a command failed; each kind has its exit code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The scenarios are wrong (exit code 2).
    #[error("{0}")]
    Input(#[from] Problems),
    /// The run folder cannot be used (exit code 2 when it exists, else 1).
    #[error("{0}")]
    Output(#[from] OutputError),
    /// An output could not be rendered (exit code 1).
    #[error("{0}")]
    Report(#[from] ReportError),
    /// The run could not start or was stopped.
    #[error("{0}")]
    Run(#[from] RunError),
    /// Some self-checks failed (exit code 1).
    #[error("{0} of {1} self-checks failed")]
    Selfcheck(usize, usize),
    /// The results could not be written to standard output (exit code 1).
    #[error("cannot write the results to standard output: {0}")]
    Stdout(io::Error),
}

impl AppError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Input(_) => 2,
            AppError::Output(
                OutputError::Exists(_)
                | OutputError::NotAFolder(_)
                | OutputError::NotARun(..)
                | OutputError::BadPath(_)
                | OutputError::HoldsInput(..),
            ) => 2,
            AppError::Output(_)
            | AppError::Report(_)
            | AppError::Selfcheck(..)
            | AppError::Stdout(_) => 1,
            AppError::Run(RunError::Cancelled(_)) => 130,
            AppError::Run(RunError::Pool(_)) => 1,
        }
    }

    /// A hint to print after the message, if any.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            AppError::Output(OutputError::Exists(_)) => {
                Some("choose another --out folder, or add --force to replace it")
            }
            AppError::Input(_) => Some("see MODEL.md for every field, its unit and its default"),
            _ => None,
        }
    }
}

/// A failed write of results to stdout: a reader that closed the pipe
/// (`aspa run … | head`) has what it wanted, so that is a clean exit;
/// anything else (a full disk) is a failure.
fn stdout_failure(e: io::Error) -> Result<(), AppError> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(AppError::Stdout(e))
    }
}

/// `aspa validate`: prints one line per valid scenario on stdout.
pub fn validate(args: &ValidateArgs) -> Result<(), AppError> {
    let files = scenario::expand_paths(&args.paths)?;
    let mut problems = Vec::new();
    let mut loaded = Vec::new();
    let mut out = io::stdout().lock();
    for file in &files {
        match scenario::load(file) {
            Ok(s) => {
                writeln!(
                    out,
                    "ok  {}  \"{}\"{}: {} days from {}, {} intervention{}",
                    file.display(),
                    s.name,
                    if s.is_baseline { " (baseline)" } else { "" },
                    s.horizon_days,
                    s.start_date,
                    s.interventions.len(),
                    if s.interventions.len() == 1 { "" } else { "s" }
                )
                .or_else(stdout_failure)?;
                loaded.push(s);
            }
            Err(p) => problems.extend(p.0),
        }
    }
    out.flush().or_else(stdout_failure)?;
    warn(&loaded);
    if !problems.is_empty() {
        return Err(Problems(scenario::dedup(problems)).into());
    }
    // What `run` checks of the files together.
    scenario::check_run(&mut loaded)?;
    Ok(())
}

/// `aspa selfcheck`: prints every check on stdout.
pub fn selfcheck(args: &SelfcheckArgs) -> Result<(), AppError> {
    use crate::selfcheck::{Settings, Tolerance, run_all};
    use comfy_table::presets::UTF8_FULL_CONDENSED;

    let settings = Settings {
        runs: args.runs,
        seed: args.seed,
        threads: usize::from(args.threads),
    };
    let checks = run_all(&settings);
    let mut table = comfy_table::Table::new();
    table.load_style(UTF8_FULL_CONDENSED).set_header(vec![
        "Check",
        "Expected",
        "Measured",
        "Tolerance",
        "Result",
    ]);
    let number = |v: f64| {
        format!("{v:.6}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    };
    for c in &checks {
        let tolerance = match c.tolerance {
            Tolerance::Absolute(t) => format!("± {}", number(t)),
            Tolerance::Interval(lo, hi) => format!("[{}, {}]", number(lo), number(hi)),
        };
        table.add_row(vec![
            c.name.clone(),
            number(c.expected),
            number(c.measured),
            tolerance,
            if c.passed() {
                "pass".into()
            } else {
                "FAIL".into()
            },
        ]);
    }
    let failed = checks.iter().filter(|c| !c.passed()).count();
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{table}
{} passed, {failed} failed ({} replications, seed {}; tolerances: 4 standard errors, for a quantile \
as the interval of values it may take; ± 0 where the value is exact, ± 1 where it is rounded to whole contacts)",
        checks.len() - failed,
        settings.runs,
        settings.seed
    )
    .and_then(|()| out.flush())
    .or_else(stdout_failure)?;
    if failed == 0 {
        Ok(())
    } else {
        Err(AppError::Selfcheck(failed, checks.len()))
    }
}

/// Prints the scenarios' warnings on stderr, each once.
fn warn(scenarios: &[Scenario]) {
    let all = scenarios
        .iter()
        .flat_map(|s| s.warnings.iter().cloned())
        .collect();
    for w in scenario::dedup(all) {
        // Nowhere to report a failure to write to stderr; it must not panic.
        let _ = writeln!(io::stderr(), "warning: {w}");
    }
}

/// `aspa run`: simulates and writes the run folder; returns its path.
pub fn run_scenarios(args: &RunArgs, cancel: Arc<AtomicBool>) -> Result<PathBuf, AppError> {
    let scenarios = scenario::load_all(&args.paths)?;
    warn(&scenarios);
    let label = run_label(&scenarios);
    let inputs: Vec<PathBuf> = scenarios
        .iter()
        .flat_map(|s| s.chain.iter().cloned())
        .collect();
    let folder = RunFolder::prepare(
        args.out.as_deref(),
        Path::new("output"),
        &label,
        args.force,
        &inputs,
        &output_names(),
    )?;

    let config = RunConfig {
        runs: args.runs,
        seed: args.seed,
        threads: usize::from(args.threads),
    };
    let bar = progress_bar(args.runs);
    let tick = || bar.inc(1);
    let stats = run(&scenarios, &config, &tick, &cancel);
    bar.finish_and_clear();
    let stats = stats?;

    let bands: Vec<f64> = scenarios.iter().map(|s| flat_band(&Plan::new(s))).collect();
    let report = Report {
        info: RunInfo {
            version: env!("CARGO_PKG_VERSION"),
            seed: args.seed,
            runs: args.runs,
            files: hash_files(&scenarios),
            date: run_date(),
        },
        currency: scenarios[0].economics.currency.clone(),
        start_date: scenarios[0].start_date,
        scenarios: summarise(&scenarios, &stats, &bands),
        assumptions: scenarios
            .iter()
            .map(crate::report::assumptions::describe)
            .collect(),
    };
    for export in exports() {
        for (name, bytes) in export.render(&report)? {
            if cancel.load(Ordering::Relaxed) {
                return Err(RunError::Cancelled(crate::engine::Cancelled).into());
            }
            folder.write(&name, &bytes)?;
        }
    }
    let path = folder.commit()?;
    let mut out = io::stdout().lock();
    if !args.quiet {
        write!(out, "{}", table::render(&report)).or_else(stdout_failure)?;
    }
    writeln!(out, "{}", path.display())
        .and_then(|()| out.flush())
        .or_else(stdout_failure)?;
    Ok(path)
}

/// The run folder's name: the baseline file's folder, or its name.
fn run_label(scenarios: &[Scenario]) -> String {
    let source =
        std::fs::canonicalize(&scenarios[0].source).unwrap_or_else(|_| scenarios[0].source.clone());
    let source = &source;
    let stem = source
        .parent()
        .and_then(|p| p.file_name())
        .or_else(|| source.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "run".into());
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn progress_bar(runs: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
    if !io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {eta} left")
    {
        bar.set_style(style);
    }
    bar
}

/// The run's date and time: from `SOURCE_DATE_EPOCH` (seconds) when set,
/// for reproducible builds of the report, else the local clock.
fn run_date() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0));
    match fixed {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => chrono::Local::now().format("%Y-%m-%d %H:%M %Z").to_string(),
    }
}

/// SHA-256 of every file the scenarios were read from, in name order.
fn hash_files(scenarios: &[Scenario]) -> Vec<(String, String)> {
    let mut files: Vec<&PathBuf> = scenarios.iter().flat_map(|s| &s.chain).collect();
    files.sort();
    files.dedup();
    files
        .into_iter()
        .map(|path| {
            let digest = std::fs::read(path)
                .map(|bytes| {
                    Sha256::digest(&bytes)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<String>()
                })
                .unwrap_or_else(|e| format!("unreadable: {e}"));
            (path.display().to_string(), digest)
        })
        .collect()
}

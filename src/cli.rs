//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Monte Carlo simulation of customer-service contact debt: compare a
/// baseline help desk with interventions (training, task management,
/// tools, hires) by projected debt and ROI.
#[derive(Debug, Parser)]
#[command(name = "aspa", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success, 1 failure (writing output), 2 bad input or usage, 130 interrupted."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and write the comparison to a new run folder.
    Run(RunArgs),
    /// Check scenario files without simulating; report every problem.
    Validate(ValidateArgs),
    /// Check the engine against values computed without it; exit 0 only
    /// if every check passes.
    Selfcheck(SelfcheckArgs),
}

/// Arguments of `aspa selfcheck`.
#[derive(Debug, Args)]
pub struct SelfcheckArgs {
    /// Replications of each Monte Carlo check; tolerances follow from it.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=10_000_000))]
    pub runs: u64,

    /// Master seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Worker threads, 0 to 256; 0 uses every core.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub threads: u16,
}

/// Arguments of `aspa run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files, or folders whose .yaml/.yml files are scenarios.
    /// The scenario with `baseline: true` is the one the others are
    /// compared against.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Number of replications (Monte Carlo runs) of every scenario.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub runs: u64,

    /// Master seed; the same seed gives the same output bytes.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Worker threads, 0 to 256; 0 uses every core. Does not change the
    /// results.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=256))]
    pub threads: u16,

    /// Run folder to write [default: a new folder output/NAME-DATE-TIME].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Replace the --out folder if it holds an earlier run and nothing
    /// else; any other folder is never replaced.
    #[arg(long)]
    pub force: bool,

    /// Print no table; only the run folder's path.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `aspa validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files, or folders of them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}

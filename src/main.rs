//! The `aspa` command: parse arguments, run the command, map the outcome
//! to an exit code (0 success, 1 failure, 2 bad input or usage, 130
//! interrupted).

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;

use aspa::app;
use aspa::cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };

    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    // Without a handler Ctrl-C still stops aspa, only less tidily.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));

    let result = match &cli.command {
        Command::Run(args) => app::run_scenarios(args, cancel).map(|_| ()),
        Command::Validate(args) => app::validate(args),
        Command::Selfcheck(args) => app::selfcheck(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A failure to write to stderr has nowhere to be reported; the
            // exit code still tells.
            let mut err = io::stderr().lock();
            let _ = writeln!(err, "error: {e}");
            if let Some(hint) = e.hint() {
                let _ = writeln!(err, "hint: {hint}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

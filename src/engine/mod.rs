//! The simulation: one replication's day loop, and the Monte Carlo runner
//! that repeats it in parallel, reproducibly.

pub mod plan;
pub mod replication;
pub mod rng;
pub mod runner;
pub mod sample;

pub use plan::Plan;
pub use replication::{
    Checkpoint, State, Totals, Trajectory, first_difference, resume_until, simulate,
    simulate_keeping,
};
pub use runner::{Cancelled, RunConfig, RunError, run};

//! The simulation: one replication's day loop, and the Monte Carlo runner
//! that repeats it in parallel, reproducibly.

pub mod plan;
pub mod replication;
pub mod rng;
pub mod runner;
pub mod sample;

pub use plan::Plan;
pub use replication::{State, Totals, Trajectory, simulate};
pub use runner::{Cancelled, RunConfig, RunError, run};

//! aspa simulates customer-service contact debt.
//!
//! Contact debt on a day is the number of contacts still open at its end.
//! aspa runs a daily Monte Carlo model of contact arrivals and resolution
//! capacity for a baseline help desk and for interventions (training,
//! task management, tools, hires), compares their debt and ROI, and writes
//! tables, charts and a report. Data flows one way:
//! [`scenario`] → [`engine`] → [`stats`] → [`report`].
#![deny(missing_docs)]

pub mod app;
pub mod cli;
pub mod engine;
pub mod model;
pub mod report;
pub mod scenario;
pub mod selfcheck;
pub mod stats;

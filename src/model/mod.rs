//! The checked model of a help desk: what the world is, in units the
//! engine can trust.
//!
//! Every value here has passed validation: shares lie in [0, 1], rates and
//! counts are not negative, numbers are finite and dates fall inside the
//! horizon. MODEL.md describes each parameter, its unit and its default.

pub mod demand;
pub mod economics;
pub mod intervention;
pub mod team;
pub mod work;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use demand::{Demand, RandomSpikes, Spike};
pub use economics::Economics;
pub use intervention::{Intervention, InterventionKind};
pub use team::{Knowledge, RampUp, Team};
pub use work::{Chase, Drop, HandleTime, Reopen, Work};

/// One scenario: a help desk over a horizon, with its interventions.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name shown in tables, charts and the report.
    pub name: String,
    /// Free text describing the scenario.
    pub description: String,
    /// Whether the other scenarios of a run are compared against this one.
    pub is_baseline: bool,
    /// The file the scenario was read from.
    pub source: PathBuf,
    /// The files of the `extends` chain, the scenario's own file first.
    pub chain: Vec<PathBuf>,
    /// Day 1 of the horizon.
    pub start_date: NaiveDate,
    /// Number of simulated days.
    pub horizon_days: u32,
    /// A contact is within the SLA if resolved at most this many days after
    /// the day it arrived.
    pub sla_days: u32,
    /// New contacts.
    pub demand: Demand,
    /// The agents and their time.
    pub team: Team,
    /// How contacts are handled, reopened, dropped and chased.
    pub work: Work,
    /// Money.
    pub economics: Economics,
    /// Investments layered on top of the help desk.
    pub interventions: Vec<Intervention>,
    /// Things in the file that are legal but look unintended.
    pub warnings: Vec<crate::scenario::Problem>,
}

impl Scenario {
    /// The calendar date of day `day` (day 1 is the start date).
    pub fn date_of(&self, day: u32) -> NaiveDate {
        self.start_date + chrono::Days::new(u64::from(day.saturating_sub(1)))
    }

    /// The last simulated date.
    pub fn end_date(&self) -> NaiveDate {
        self.date_of(self.horizon_days)
    }
}

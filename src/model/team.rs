//! The agents: how many, when they work, absence, attrition, ramp-up and
//! the know-how they carry.

use chrono::NaiveDate;

/// The team that resolves contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// Agents employed on day 1.
    pub agents: u32,
    /// Paid hours per agent per open day.
    pub hours_per_day: f64,
    /// Open weekdays, Monday first.
    pub open_weekdays: [bool; 7],
    /// Dates the help desk is closed although the weekday is open.
    pub closed_dates: Vec<NaiveDate>,
    /// Share of paid time spent on contacts.
    pub focus: f64,
    /// Probability that an agent is absent on an open day.
    pub absence: f64,
    /// Expected share of agents leaving within a year.
    pub attrition_per_year: f64,
    /// Whether a leaver is replaced by a new agent.
    pub replace_leavers: bool,
    /// Calendar days from a leaver's last day to the replacement's first.
    pub hiring_lead_days: u32,
    /// How fast a new agent becomes fully productive.
    pub ramp_up: RampUp,
    /// How much know-how is shared, and what losing it costs.
    pub knowledge: Knowledge,
}

/// Ramp-up of a new agent: productivity rises linearly from
/// `start_productivity` to 1 over `weeks`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RampUp {
    /// Productivity on the first day, as a share of a full agent's.
    pub start_productivity: f64,
    /// Weeks until full productivity.
    pub weeks: f64,
}

impl RampUp {
    /// Productivity `days` calendar days after the start.
    pub fn productivity(&self, days: u32) -> f64 {
        if !self.is_ramping(days) {
            return 1.0;
        }
        let ramp_days = self.weeks * 7.0;
        let progress = (f64::from(days) / ramp_days).min(1.0);
        self.start_productivity + (1.0 - self.start_productivity) * progress
    }

    /// Whether an agent who started `days` ago is still ramping up.
    pub fn is_ramping(&self, days: u32) -> bool {
        f64::from(days) < self.weeks * 7.0
    }
}

/// Know-how: how widely it is spread, and what the team loses when a
/// person who holds it is away or leaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Knowledge {
    /// Share of know-how that is shared (1 = anyone can do anything).
    pub spread: f64,
    /// Output the rest of the team loses right after a leaver, as a share
    /// of the leaver's own output, at a spread of 0. It recovers linearly
    /// over `recovery_weeks`.
    pub leaver_hit: f64,
    /// Weeks until the team has rebuilt a leaver's know-how.
    pub recovery_weeks: f64,
    /// Output the rest of the team loses per absent agent, as a share of
    /// the absent agent's output, at a spread of 0: work only they could do
    /// waits.
    pub absence_hit: f64,
}

impl Team {
    /// Daily probability of leaving, from the yearly share:
    /// p = 1 − (1 − a)^(1/365), so that 365 days compound to `a`.
    pub fn daily_attrition(&self) -> f64 {
        1.0 - (1.0 - self.attrition_per_year).powf(1.0 / 365.0)
    }
}

//! Interventions: training, task management, tools and hires.
//!
//! Each has a start date, a one-time cost, a monthly cost and a ramp-in
//! period over which its effects grow linearly from nothing to full. Any
//! number can be combined; effects that reduce the same quantity multiply
//! (two 10 % reductions give 19 %).

use chrono::NaiveDate;

use super::team::RampUp;

/// One intervention of a scenario.
#[derive(Debug, Clone)]
pub struct Intervention {
    /// Label in the report.
    pub name: String,
    /// First day it is in force (for tools: go-live).
    pub start: NaiveDate,
    /// Day index of `start` within the horizon (day 1 is the start date).
    pub start_day: u32,
    /// Cost paid once on the start date (for tools: setup).
    pub one_time_cost: f64,
    /// Running cost per month from the start date.
    pub monthly_cost: f64,
    /// Days over which the effects grow from 0 to full.
    pub ramp_in_days: u32,
    /// What it does.
    pub kind: InterventionKind,
}

/// What an intervention does.
#[derive(Debug, Clone)]
pub enum InterventionKind {
    /// Training that spreads skill and know-how.
    Training(Training),
    /// Task management and ownership rules: fewer dropped tasks.
    TaskManagement(TaskManagement),
    /// A better tool.
    Tools(Tools),
    /// More agents.
    Hires(Hires),
}

/// Training: takes agent time while it runs, then makes trained agents
/// better. Effects scale with the share of capacity from trained agents.
#[derive(Debug, Clone)]
pub struct Training {
    /// Hours of training per agent, taken out of capacity while it runs.
    pub hours_per_agent: f64,
    /// Calendar days over which the hours are spread.
    pub duration_days: u32,
    /// Cost per agent trained (fee, material).
    pub cost_per_agent: f64,
    /// Whether agents hired after the start are trained when they join.
    pub onboarding: bool,
    /// Reduction of the handle time (0.1 = 10 % shorter).
    pub handle_time: f64,
    /// Reduction of the reopen share.
    pub reopen_share: f64,
    /// Reduction of the drop hazard.
    pub drop_hazard: f64,
    /// Reduction of the output lost when an agent leaves.
    pub knowledge_loss: f64,
    /// Reduction of the output lost when an agent is absent.
    pub absence_impact: f64,
}

/// Task management: lower drop hazard, faster resurfacing.
#[derive(Debug, Clone)]
pub struct TaskManagement {
    /// Reduction of the drop hazard.
    pub drop_hazard: f64,
    /// Mean days until the team finds a dropped contact again, replacing
    /// the scenario's own value; `None` keeps it.
    pub resurface_after_days: Option<f64>,
}

/// A better tool.
#[derive(Debug, Clone)]
pub struct Tools {
    /// Licence per employed agent per month.
    pub licence_per_agent_month: f64,
    /// Productivity lost at go-live, recovering linearly.
    pub dip_productivity_loss: f64,
    /// Weeks until the learning dip is over.
    pub dip_weeks: f64,
    /// Reduction of the handle time.
    pub handle_time: f64,
    /// Share of new contacts that self-service absorbs.
    pub deflection: f64,
    /// Reduction of the drop hazard.
    pub drop_hazard: f64,
    /// Reduction of the reopen share.
    pub reopen_share: f64,
}

/// More agents.
#[derive(Debug, Clone)]
pub struct Hires {
    /// Number of agents hired, all starting on the start date.
    pub count: u32,
    /// One-time recruiting cost per hire.
    pub recruiting_cost_per_hire: f64,
    /// Salary per hire per month, while employed.
    pub salary_per_month: f64,
    /// Ramp-up of the hires.
    pub ramp_up: RampUp,
    /// Hours per week that existing agents spend mentoring each hire while
    /// the hire ramps up.
    pub mentoring_hours_per_week: f64,
}

impl Intervention {
    /// Share of the full effect in force on `day`: 0 before the start, then
    /// rising linearly to 1 over the ramp-in days.
    pub fn level(&self, day: u32) -> f64 {
        if day < self.start_day {
            0.0
        } else if self.ramp_in_days == 0 {
            1.0
        } else {
            (f64::from(day - self.start_day + 1) / f64::from(self.ramp_in_days)).min(1.0)
        }
    }
}

impl Tools {
    /// Productivity lost to the learning dip `days` days after go-live.
    pub fn dip(&self, days: u32) -> f64 {
        let dip_days = self.dip_weeks * 7.0;
        if dip_days <= 0.0 {
            return 0.0;
        }
        self.dip_productivity_loss * (1.0 - f64::from(days) / dip_days).max(0.0)
    }
}

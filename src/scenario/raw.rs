//! The scenario file as written: every field optional, nothing checked.
//!
//! A file that `extends` another may give only the fields it changes, so
//! every field here is an `Option`. Defaults and range checks live in
//! [`super::validate`], which turns a merged raw scenario into the checked
//! [`crate::model::Scenario`]. Interventions are externally tagged enums
//! (`- training: {...}`) because serde keeps line and column for those and
//! loses them for internally tagged or flattened ones.

// Fields mirror the YAML keys one to one; MODEL.md documents each of them.
#![allow(missing_docs)]

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One scenario file, before `extends` is resolved.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    pub baseline: Option<bool>,
    pub extends: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub horizon_days: Option<u32>,
    pub sla_days: Option<u32>,
    pub demand: Option<RawDemand>,
    pub team: Option<RawTeam>,
    pub work: Option<RawWork>,
    pub economics: Option<RawEconomics>,
    pub interventions: Option<Vec<RawIntervention>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    pub new_per_day: Option<f64>,
    pub weekday_profile: Option<RawWeekdayProfile>,
    pub month_profile: Option<RawMonthProfile>,
    pub growth_per_year: Option<f64>,
    pub variance_to_mean: Option<f64>,
    pub spikes: Option<Vec<RawSpike>>,
    pub random_spikes: Option<RawRandomSpikes>,
    pub opening_debt: Option<u64>,
    pub opening_dropped: Option<u64>,
}

/// Relative demand by weekday. A struct, not a map, so that a weekday
/// given twice is an error and a missing one is caught in validation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeekdayProfile {
    pub mon: Option<f64>,
    pub tue: Option<f64>,
    pub wed: Option<f64>,
    pub thu: Option<f64>,
    pub fri: Option<f64>,
    pub sat: Option<f64>,
    pub sun: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMonthProfile {
    pub jan: Option<f64>,
    pub feb: Option<f64>,
    pub mar: Option<f64>,
    pub apr: Option<f64>,
    pub may: Option<f64>,
    pub jun: Option<f64>,
    pub jul: Option<f64>,
    pub aug: Option<f64>,
    pub sep: Option<f64>,
    pub oct: Option<f64>,
    pub nov: Option<f64>,
    pub dec: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpike {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub days: Option<u32>,
    pub multiplier: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRandomSpikes {
    pub per_year: Option<f64>,
    pub days: Option<u32>,
    pub multiplier: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTeam {
    pub agents: Option<u32>,
    pub hours_per_day: Option<f64>,
    pub open_weekdays: Option<Vec<Weekday>>,
    pub closed_dates: Option<Vec<NaiveDate>>,
    pub focus: Option<f64>,
    pub absence: Option<f64>,
    pub attrition_per_year: Option<f64>,
    pub replace_leavers: Option<bool>,
    pub hiring_lead_days: Option<u32>,
    pub ramp_up: Option<RawRampUp>,
    pub knowledge: Option<RawKnowledge>,
}

/// A weekday as written in `open_weekdays`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Days since Monday, 0 to 6.
    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawRampUp {
    pub start_productivity: Option<f64>,
    pub weeks: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawKnowledge {
    pub spread: Option<f64>,
    pub leaver_hit: Option<f64>,
    pub recovery_weeks: Option<f64>,
    pub absence_hit: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWork {
    pub handle_minutes: Option<RawHandle>,
    pub chaser_handle_minutes: Option<RawHandle>,
    pub reopen: Option<RawReopen>,
    pub drop: Option<RawDrop>,
    pub chase: Option<RawChase>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHandle {
    pub distribution: Option<HandleDistribution>,
    pub mean: Option<f64>,
    pub cv: Option<f64>,
}

/// The family of a handle-time distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HandleDistribution {
    Lognormal,
    Gamma,
    Fixed,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawReopen {
    pub share: Option<f64>,
    pub after_days: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDrop {
    pub daily_hazard: Option<f64>,
    pub chase_after_days: Option<f64>,
    pub give_up_share: Option<f64>,
    pub resurface_after_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawChase {
    pub patience_days: Option<u32>,
    pub daily_probability: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEconomics {
    pub currency: Option<String>,
    pub cost_per_agent_hour: Option<f64>,
    pub salary_per_month: Option<f64>,
    pub delay_cost_per_contact_day: Option<f64>,
    pub lost_contact_cost: Option<f64>,
    pub discount_rate_per_year: Option<f64>,
}

/// One intervention, written as a map with one key naming its kind:
/// `- training: {...}`. A struct of options rather than an enum: serde_yaml
/// reads enums from YAML tags (`!training`), and a plain struct keeps line
/// and column in its errors. Validation checks that exactly one is given.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawIntervention {
    pub training: Option<RawTraining>,
    pub task_management: Option<RawTaskManagement>,
    pub tools: Option<RawTools>,
    pub hires: Option<RawHires>,
}

/// The kind of one intervention, once validation found exactly one.
#[derive(Debug, Clone, Copy)]
pub enum RawKind<'a> {
    Training(&'a RawTraining),
    TaskManagement(&'a RawTaskManagement),
    Tools(&'a RawTools),
    Hires(&'a RawHires),
}

impl RawIntervention {
    /// The kinds given, in field order.
    pub fn kinds(&self) -> Vec<RawKind<'_>> {
        let mut kinds = Vec::new();
        if let Some(t) = &self.training {
            kinds.push(RawKind::Training(t));
        }
        if let Some(t) = &self.task_management {
            kinds.push(RawKind::TaskManagement(t));
        }
        if let Some(t) = &self.tools {
            kinds.push(RawKind::Tools(t));
        }
        if let Some(t) = &self.hires {
            kinds.push(RawKind::Hires(t));
        }
        kinds
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTraining {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub one_time_cost: Option<f64>,
    pub monthly_cost: Option<f64>,
    pub ramp_in_days: Option<u32>,
    pub hours_per_agent: Option<f64>,
    pub duration_days: Option<u32>,
    pub cost_per_agent: Option<f64>,
    pub onboarding: Option<bool>,
    pub effects: Option<RawTrainingEffects>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrainingEffects {
    pub handle_time: Option<f64>,
    pub reopen_share: Option<f64>,
    pub drop_hazard: Option<f64>,
    pub knowledge_loss: Option<f64>,
    pub absence_impact: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaskManagement {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub one_time_cost: Option<f64>,
    pub monthly_cost: Option<f64>,
    pub ramp_in_days: Option<u32>,
    pub effects: Option<RawTaskEffects>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTaskEffects {
    pub drop_hazard: Option<f64>,
    pub resurface_after_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTools {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub one_time_cost: Option<f64>,
    pub monthly_cost: Option<f64>,
    pub ramp_in_days: Option<u32>,
    pub licence_per_agent_month: Option<f64>,
    pub learning_dip: Option<RawLearningDip>,
    pub effects: Option<RawToolEffects>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawLearningDip {
    pub productivity_loss: Option<f64>,
    pub weeks: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawToolEffects {
    pub handle_time: Option<f64>,
    pub deflection: Option<f64>,
    pub drop_hazard: Option<f64>,
    pub reopen_share: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawHires {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub one_time_cost: Option<f64>,
    pub monthly_cost: Option<f64>,
    pub ramp_in_days: Option<u32>,
    pub count: Option<u32>,
    pub recruiting_cost_per_hire: Option<f64>,
    pub salary_per_month: Option<f64>,
    pub ramp_up: Option<RawRampUp>,
    pub mentoring_hours_per_week: Option<f64>,
}

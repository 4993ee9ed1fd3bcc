//! What each day of a scenario looks like before any randomness: the
//! calendar, expected demand and the effects of interventions in force.
//! Computed once per scenario and shared by all replications.

use chrono::{Datelike, Months, NaiveDate};

use crate::model::{InterventionKind, Scenario};

/// One day of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    /// Calendar date.
    pub date: NaiveDate,
    /// Whether agents work today.
    pub open: bool,
    /// Cash month (1 = the month starting on the start date).
    pub month: u32,
    /// Expected new contacts before random spikes and deflection.
    pub expected_new: f64,
    /// Share of new contacts absorbed by self-service.
    pub deflection: f64,
    /// Handle-time multiplier from tools.
    pub handle_factor: f64,
    /// Reopen-share multiplier from tools.
    pub reopen_factor: f64,
    /// Drop-hazard multiplier from tools and task management.
    pub drop_factor: f64,
    /// Productivity multiplier from tools' learning dips.
    pub dip_factor: f64,
    /// Mean days until the team finds a dropped contact, if it does.
    pub resurface_after_days: Option<f64>,
    /// Intervention costs paid once today, not per agent.
    pub one_time_cost: f64,
    /// Intervention running costs today, not per agent.
    pub running_cost: f64,
    /// Licence cost per employed agent today.
    pub licence_per_agent: f64,
}

/// A training intervention as the engine needs it.
#[derive(Debug, Clone)]
pub struct TrainingPlan {
    /// Bit of this training in an agent's trained mask.
    pub bit: u32,
    /// First day.
    pub start_day: u32,
    /// Training minutes per trained agent on each day (0 when closed or
    /// outside the training period), indexed by day − 1.
    pub minutes_per_agent: Vec<f64>,
    /// Level of the effect (ramp-in) per day, indexed by day − 1.
    pub level: Vec<f64>,
    /// The intervention's parameters.
    pub training: crate::model::intervention::Training,
}

/// A hire intervention as the engine needs it.
#[derive(Debug, Clone)]
pub struct HirePlan {
    /// Index among the scenario's hire interventions.
    pub index: usize,
    /// First day of the hires.
    pub start_day: u32,
    /// The intervention's parameters.
    pub hires: crate::model::intervention::Hires,
}

/// The plan of a whole scenario.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Days 1..=horizon, at index day − 1.
    pub days: Vec<Day>,
    /// Number of cash months the horizon touches.
    pub months: u32,
    /// Trainings, in scenario order.
    pub trainings: Vec<TrainingPlan>,
    /// Hires, in scenario order.
    pub hires: Vec<HirePlan>,
    /// Open days per week (for spreading weekly hours over days).
    pub open_days_per_week: f64,
    /// Mean expected new contacts per day over the horizon.
    pub mean_expected_new: f64,
    /// Seasonal index of each day (index day − 1): the month profile and
    /// dated spikes averaged over the trailing [`SEASON_WINDOW_DAYS`],
    /// scaled to a mean of 1. The trend divides the debt by it.
    pub season: Vec<f64>,
}

/// Days over which the seasonal index is averaged: the debt follows
/// demand with a lag of about the time contacts stay open.
pub const SEASON_WINDOW_DAYS: usize = 28;

/// Trailing means of `factors` over `window` days, scaled to a mean of 1
/// and kept away from 0.
fn season_index(factors: &[f64], window: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(factors.len());
    let mut sum = 0.0;
    for (i, f) in factors.iter().enumerate() {
        sum += f;
        if i >= window {
            sum -= factors[i - window];
        }
        out.push(sum / (i + 1).min(window) as f64);
    }
    let mean = out.iter().sum::<f64>() / out.len().max(1) as f64;
    if mean > 0.0 {
        for x in &mut out {
            *x = (*x / mean).max(0.05);
        }
    } else {
        out.iter_mut().for_each(|x| *x = 1.0);
    }
    out
}

impl Plan {
    /// Builds the plan of `scenario`.
    pub fn new(scenario: &Scenario) -> Plan {
        let horizon = scenario.horizon_days;
        let team = &scenario.team;
        let mut days = Vec::with_capacity(horizon as usize);
        let mut month = 1;
        let mut next_month = scenario.start_date.checked_add_months(Months::new(1));
        for day in 1..=horizon {
            let date = scenario.date_of(day);
            while let Some(boundary) = next_month
                && date >= boundary
            {
                month += 1;
                next_month = scenario.start_date.checked_add_months(Months::new(month));
            }
            let weekday = date.weekday().num_days_from_monday() as usize;
            let open =
                team.open_weekdays[weekday] && team.closed_dates.binary_search(&date).is_err();
            days.push(Day {
                date,
                open,
                month,
                expected_new: scenario.demand.expected_on(date, day - 1),
                deflection: 0.0,
                handle_factor: 1.0,
                reopen_factor: 1.0,
                drop_factor: 1.0,
                dip_factor: 1.0,
                resurface_after_days: scenario.work.drop.resurface_after_days,
                one_time_cost: 0.0,
                running_cost: 0.0,
                licence_per_agent: 0.0,
            });
        }

        let per_day_of_month = 12.0 / 365.0;
        let mut trainings = Vec::new();
        let mut hires = Vec::new();
        for intervention in &scenario.interventions {
            for day in intervention.start_day..=horizon {
                let d = &mut days[day as usize - 1];
                d.running_cost += intervention.monthly_cost * per_day_of_month;
            }
            days[intervention.start_day as usize - 1].one_time_cost += intervention.one_time_cost;
            match &intervention.kind {
                InterventionKind::Training(t) => {
                    let window = intervention.start_day..intervention.start_day + t.duration_days;
                    let open_in_window = window
                        .clone()
                        .filter(|&d| d <= horizon && days[d as usize - 1].open)
                        .count();
                    let mut minutes_per_agent = vec![0.0; horizon as usize];
                    if open_in_window > 0 {
                        let each = t.hours_per_agent * 60.0 / open_in_window as f64;
                        for d in window.filter(|&d| d <= horizon) {
                            if days[d as usize - 1].open {
                                minutes_per_agent[d as usize - 1] = each;
                            }
                        }
                    }
                    trainings.push(TrainingPlan {
                        bit: trainings.len() as u32,
                        start_day: intervention.start_day,
                        minutes_per_agent,
                        level: (1..=horizon).map(|d| intervention.level(d)).collect(),
                        training: t.clone(),
                    });
                }
                InterventionKind::TaskManagement(t) => {
                    for day in intervention.start_day..=horizon {
                        let level = intervention.level(day);
                        let d = &mut days[day as usize - 1];
                        d.drop_factor *= 1.0 - t.drop_hazard * level;
                        if let Some(faster) = t.resurface_after_days {
                            // Ramp in from the old mean (or never) to the new.
                            let old = d.resurface_after_days.map_or(0.0, |x| 1.0 / x);
                            let rate = old + (1.0 / faster - old) * level;
                            d.resurface_after_days = (rate > 0.0).then(|| 1.0 / rate);
                        }
                    }
                }
                InterventionKind::Tools(t) => {
                    for day in intervention.start_day..=horizon {
                        let level = intervention.level(day);
                        let d = &mut days[day as usize - 1];
                        d.handle_factor *= 1.0 - t.handle_time * level;
                        d.reopen_factor *= 1.0 - t.reopen_share * level;
                        d.drop_factor *= 1.0 - t.drop_hazard * level;
                        d.deflection = 1.0 - (1.0 - d.deflection) * (1.0 - t.deflection * level);
                        d.dip_factor *= 1.0 - t.dip(day - intervention.start_day);
                        d.licence_per_agent += t.licence_per_agent_month * per_day_of_month;
                    }
                }
                InterventionKind::Hires(h) => hires.push(HirePlan {
                    index: hires.len(),
                    start_day: intervention.start_day,
                    hires: h.clone(),
                }),
            }
        }

        let months = days.last().map_or(1, |d| d.month);
        let open_days_per_week = team.open_weekdays.iter().filter(|&&o| o).count() as f64;
        let mean_expected_new =
            days.iter().map(|d| d.expected_new).sum::<f64>() / days.len().max(1) as f64;
        let factors: Vec<f64> = days
            .iter()
            .map(|d| scenario.demand.seasonal_factor(d.date))
            .collect();
        let season = season_index(&factors, SEASON_WINDOW_DAYS);
        Plan {
            season,
            days,
            months,
            trainings,
            hires,
            open_days_per_week,
            mean_expected_new,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn season_index_is_flat_without_a_season() {
        assert!(
            season_index(&[1.0; 100], 28)
                .iter()
                .all(|&x| (x - 1.0).abs() < 1e-12)
        );
        assert!(season_index(&[0.0; 10], 28).iter().all(|&x| x == 1.0));
    }

    #[test]
    fn season_index_follows_with_a_lag() {
        let mut f = vec![0.5; 30];
        f.extend(vec![1.5; 60]);
        let s = season_index(&f, 28);
        assert!(s[29] < s[40] && s[40] < s[60]);
        let mean = s.iter().sum::<f64>() / s.len() as f64;
        assert!((mean - 1.0).abs() < 1e-12);
    }
}

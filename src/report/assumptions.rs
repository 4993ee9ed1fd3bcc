//! A scenario's inputs as (parameter, value) text pairs, for the
//! assumptions table of the report.

use crate::model::{HandleTime, InterventionKind, Scenario};

fn share(v: f64) -> String {
    let pct = v * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("{pct:.0} %")
    } else {
        format!("{pct:.1} %")
    }
}

fn handle(h: &HandleTime) -> String {
    if h.cv() == 0.0 {
        format!("{} min, fixed", h.mean())
    } else {
        format!("mean {} min, cv {}", h.mean(), h.cv())
    }
}

fn profile(weights: &[f64], names: &[&str]) -> String {
    if weights.iter().all(|w| (w - 1.0).abs() < 1e-12) {
        return "flat".into();
    }
    names
        .iter()
        .zip(weights)
        .map(|(n, w)| format!("{n} {w:.2}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The inputs of `s` that a reader needs, in a fixed order.
pub fn describe(s: &Scenario) -> Vec<(String, String)> {
    let d = &s.demand;
    let t = &s.team;
    let w = &s.work;
    let e = &s.economics;
    let c = &e.currency;
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let open: Vec<&str> = days
        .iter()
        .zip(t.open_weekdays)
        .filter(|(_, o)| *o)
        .map(|(d, _)| *d)
        .collect();
    let mut rows = vec![
        (
            "horizon",
            format!(
                "{} to {} ({} days)",
                s.start_date,
                s.end_date(),
                s.horizon_days
            ),
        ),
        ("SLA", format!("{} days", s.sla_days)),
        ("new contacts per day", format!("{}", d.new_per_day)),
        ("weekday profile", profile(&d.weekday_profile, &days)),
        (
            "month profile",
            profile(
                &d.month_profile,
                &[
                    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                    "dec",
                ],
            ),
        ),
        ("growth per year", share(d.growth_per_year)),
        ("variance to mean", format!("{}", d.variance_to_mean)),
        ("dated spikes", format!("{}", d.spikes.len())),
        (
            "random spikes",
            d.random_spikes.as_ref().map_or("none".into(), |r| {
                format!(
                    "{} a year, {} days, × {}–{}",
                    r.per_year, r.days, r.multiplier[0], r.multiplier[1]
                )
            }),
        ),
        (
            "opening debt",
            format!("{} ({} dropped)", d.opening_debt, d.opening_dropped),
        ),
        ("agents", format!("{}", t.agents)),
        ("hours per day", format!("{}", t.hours_per_day)),
        ("open weekdays", open.join(", ")),
        ("closed dates", format!("{}", t.closed_dates.len())),
        ("focus", share(t.focus)),
        ("absence", share(t.absence)),
        ("attrition per year", share(t.attrition_per_year)),
        (
            "leavers",
            if t.replace_leavers {
                format!("replaced after {} days", t.hiring_lead_days.max(1))
            } else {
                "not replaced".into()
            },
        ),
        (
            "ramp-up",
            format!(
                "{} at start, {} weeks",
                share(t.ramp_up.start_productivity),
                t.ramp_up.weeks
            ),
        ),
        (
            "knowledge",
            format!(
                "spread {}, leaver hit {}, absence hit {}, recovery {} weeks",
                share(t.knowledge.spread),
                share(t.knowledge.leaver_hit),
                share(t.knowledge.absence_hit),
                t.knowledge.recovery_weeks
            ),
        ),
        ("handle time", handle(&w.handle_minutes)),
        ("chaser handle time", handle(&w.chaser_handle_minutes)),
        (
            "reopen",
            format!(
                "{} after {} days",
                share(w.reopen.share),
                w.reopen.after_days
            ),
        ),
        (
            "drop",
            format!(
                "{} a day; customer acts after {} days ({} give up); team finds after {}",
                share(w.drop.daily_hazard),
                w.drop.chase_after_days,
                share(w.drop.give_up_share),
                w.drop
                    .resurface_after_days
                    .map_or("never".into(), |x| format!("{x} days"))
            ),
        ),
        (
            "chase",
            format!(
                "{} a day after {} days",
                share(w.chase.daily_probability),
                w.chase.patience_days
            ),
        ),
        (
            "cost per agent hour",
            format!("{} {c}", e.cost_per_agent_hour),
        ),
        (
            "delay cost per contact-day",
            format!("{} {c}", e.delay_cost_per_contact_day),
        ),
        ("lost contact cost", format!("{} {c}", e.lost_contact_cost)),
        ("discount rate per year", share(e.discount_rate_per_year)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect::<Vec<_>>();

    for i in &s.interventions {
        let (kind, what) = match &i.kind {
            InterventionKind::Training(t) => (
                "training",
                format!(
                    "{} h per agent over {} days, {} {c} per agent{}; handle −{}, reopen −{}, drop −{}, \
                     knowledge loss −{}, absence impact −{}",
                    t.hours_per_agent,
                    t.duration_days,
                    t.cost_per_agent,
                    if t.onboarding {
                        ", joiners trained"
                    } else {
                        ""
                    },
                    share(t.handle_time),
                    share(t.reopen_share),
                    share(t.drop_hazard),
                    share(t.knowledge_loss),
                    share(t.absence_impact)
                ),
            ),
            InterventionKind::TaskManagement(t) => (
                "task management",
                format!(
                    "drop −{}{}",
                    share(t.drop_hazard),
                    t.resurface_after_days.map_or(String::new(), |x| format!(
                        ", team finds dropped contacts after {x} days"
                    ))
                ),
            ),
            InterventionKind::Tools(t) => (
                "tools",
                format!(
                    "licence {} {c} per agent-month, dip {} for {} weeks; handle −{}, deflection {}, drop −{}, \
                     reopen −{}",
                    t.licence_per_agent_month,
                    share(t.dip_productivity_loss),
                    t.dip_weeks,
                    share(t.handle_time),
                    share(t.deflection),
                    share(t.drop_hazard),
                    share(t.reopen_share)
                ),
            ),
            InterventionKind::Hires(h) => (
                "hires",
                format!(
                    "{} hires, {} {c} recruiting each, {} {c} a month each, mentoring {} h a week",
                    h.count,
                    h.recruiting_cost_per_hire,
                    h.salary_per_month,
                    h.mentoring_hours_per_week
                ),
            ),
        };
        rows.push((
            format!("intervention: {kind}"),
            format!(
                "{} from {}: {what}; {} {c} once, {} {c} a month, ramp-in {} days",
                i.name, i.start, i.one_time_cost, i.monthly_cost, i.ramp_in_days
            ),
        ));
    }
    rows
}

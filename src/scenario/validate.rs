//! Raw scenario → checked [`Scenario`]: defaults filled in, every value
//! checked, every problem collected (not only the first).

use std::path::PathBuf;

use chrono::NaiveDate;

use super::locate::Locations;
use super::problem::Problem;
use super::raw::*;
use crate::model::{
    Chase, Demand, Drop, Economics, HandleTime, Intervention, InterventionKind, Knowledge, RampUp,
    RandomSpikes, Reopen, Scenario, Spike, Team, Work, intervention,
};

/// Longest horizon accepted, in days (ten years).
pub const MAX_HORIZON_DAYS: u32 = 3653;
/// Largest mean demand accepted, in contacts per day.
pub const MAX_NEW_PER_DAY: f64 = 1e7;
/// Largest value of any cost, duration or other amount: far beyond any
/// real one, and small enough that no total over the horizon overflows.
pub const MAX_AMOUNT: f64 = 1e12;
/// Largest variance-to-mean ratio of the daily demand accepted.
pub const MAX_VARIANCE_TO_MEAN: f64 = 100.0;
/// Largest team accepted, in agents.
pub const MAX_AGENTS: u32 = 100_000;
/// Largest opening debt accepted, in contacts.
pub const MAX_OPENING_DEBT: u64 = 1_000_000_000;

/// The files a scenario was assembled from, its own file first, each with
/// the positions of its fields.
pub struct Sources {
    /// (path, field positions), child first.
    pub files: Vec<(PathBuf, Locations)>,
}

impl Sources {
    /// The file and position of `field`: the first file in the chain that
    /// sets it, else the scenario's own file at the nearest ancestor.
    pub(super) fn locate(&self, field: &str) -> (PathBuf, Option<super::locate::Position>) {
        for (path, locations) in &self.files {
            if let Some(position) = locations.get(field) {
                return (path.clone(), Some(position));
            }
        }
        let (path, locations) = &self.files[0];
        (path.clone(), locations.find(field))
    }
}

struct Checker<'a> {
    sources: &'a Sources,
    problems: Vec<Problem>,
    warnings: Vec<Problem>,
}

impl Checker<'_> {
    fn located(&self, field: &str, message: String, hint: Option<String>) -> Problem {
        let (file, position) = self.sources.locate(field);
        Problem {
            file,
            position,
            field: field.to_string(),
            message,
            hint,
        }
    }

    fn report(&mut self, field: &str, message: String, hint: impl Into<Option<String>>) {
        let problem = self.located(field, message, hint.into());
        self.problems.push(problem);
    }

    /// Something legal but probably unintended: shown, not refused.
    fn warn(&mut self, field: &str, message: String, hint: impl Into<Option<String>>) {
        let warning = self.located(field, message, hint.into());
        self.warnings.push(warning);
    }

    fn required<T: Clone>(&mut self, field: &str, value: &Option<T>, hint: &str) -> Option<T> {
        if value.is_none() {
            self.report(field, "is required but missing".into(), hint.to_string());
        }
        value.clone()
    }

    fn finite(&mut self, field: &str, value: f64) -> bool {
        if value.is_finite() {
            return true;
        }
        self.report(
            field,
            format!("expected a finite number, got {value}"),
            "write a plain number such as 0.5; .nan and .inf are not allowed".to_string(),
        );
        false
    }

    /// A share in [0, 1].
    fn share(&mut self, field: &str, value: Option<f64>, default: f64) -> f64 {
        let Some(v) = value else { return default };
        if !self.finite(field, v) {
            return default;
        }
        if !(0.0..=1.0).contains(&v) {
            self.report(
                field,
                format!("expected a share between 0 and 1, got {v}"),
                "shares are fractions: write 0.05 for 5 %".to_string(),
            );
            return default;
        }
        v
    }

    /// A number ≥ 0 (or > 0 when `positive`).
    fn amount(&mut self, field: &str, value: Option<f64>, default: f64, positive: bool) -> f64 {
        let Some(v) = value else { return default };
        if !self.finite(field, v) {
            return default;
        }
        if v < 0.0 || (positive && v == 0.0) {
            let bound = if positive { "above 0" } else { "0 or more" };
            self.report(field, format!("expected a number {bound}, got {v}"), None);
            return default;
        }
        if v > MAX_AMOUNT {
            self.report(
                field,
                format!("{v:e} is more than aspa accepts for any amount ({MAX_AMOUNT:e})"),
                "costs and totals this large would overflow; use a larger unit".to_string(),
            );
            return default;
        }
        v
    }

    /// Refuses control characters in a text that tables, charts and the
    /// terminal show.
    fn printable(&mut self, field: &str, text: Option<&str>) {
        if let Some(bad) = text.and_then(|t| t.chars().find(|&ch| unprintable(ch))) {
            self.report(
                field,
                format!("holds the control character U+{:04X}", u32::from(bad)),
                "use letters, digits, spaces and punctuation only".to_string(),
            );
        }
    }

    /// A whole number of days: at most the longest horizon, so that no
    /// day plus it overflows and no value hides a typo.
    fn days(&mut self, field: &str, value: Option<u32>, default: u32) -> u32 {
        let Some(v) = value else { return default };
        if v > MAX_HORIZON_DAYS {
            self.report(
                field,
                format!("expected at most {MAX_HORIZON_DAYS} days (the longest horizon), got {v}"),
                None,
            );
            return default;
        }
        v
    }

    /// A mean delay in days: at least 1, since a day is the model's step
    /// and the daily probability of the event is 1 / delay.
    fn delay(&mut self, field: &str, value: f64) -> f64 {
        // Negative values are told so by amount(); zero is a delay too.
        let v = self.amount(field, Some(value), 1.0, false);
        if v < 1.0 {
            self.report(
                field,
                format!("expected a mean delay of at least 1 day, got {v}"),
                "the model steps a day at a time; 1 means the next day".to_string(),
            );
            return 1.0;
        }
        v
    }

    /// Day index (1 = start date) of a date that must lie in the horizon.
    fn day_in_horizon(
        &mut self,
        field: &str,
        date: NaiveDate,
        start: NaiveDate,
        horizon: u32,
    ) -> u32 {
        let offset = (date - start).num_days();
        if offset < 0 || offset >= i64::from(horizon) {
            let end = start + chrono::Days::new(u64::from(horizon.max(1) - 1));
            self.report(
                field,
                format!("{date} is outside the horizon {start} to {end}"),
                "move the date inside the horizon, or change start_date or horizon_days"
                    .to_string(),
            );
            return 1;
        }
        offset as u32 + 1
    }
}

/// Control characters, and the bidirectional controls that reorder text
/// on screen.
fn unprintable(ch: char) -> bool {
    ch.is_control() || matches!(ch, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks a merged raw scenario and builds the model.
pub fn validate(raw: &RawScenario, sources: &Sources) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        sources,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let source = sources.files[0].0.clone();

    let name = raw.name.clone().unwrap_or_else(|| {
        source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "scenario".into())
    });
    if name.trim().is_empty() {
        c.report("name", "must not be empty".into(), None);
    }
    // Names and the currency go into tables, charts and the terminal.
    let currency = raw.economics.as_ref().and_then(|e| e.currency.as_deref());
    c.printable("name", Some(name.as_str()));
    c.printable("description", raw.description.as_deref());
    c.printable("economics.currency", currency);
    let start_date = c
        .required(
            "start_date",
            &raw.start_date,
            "add `start_date: 2025-01-06` (the first simulated day)",
        )
        .unwrap_or(NaiveDate::MIN);
    let horizon_days = raw.horizon_days.unwrap_or(365);
    if horizon_days == 0 || horizon_days > MAX_HORIZON_DAYS {
        c.report(
            "horizon_days",
            format!("expected 1 to {MAX_HORIZON_DAYS} days, got {horizon_days}"),
            "a year is 365".to_string(),
        );
    }
    let horizon = horizon_days.clamp(1, MAX_HORIZON_DAYS);
    // Every day of the horizon must be a date the outputs can write as
    // YYYY-MM-DD.
    let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let start_date = if raw.start_date.is_some()
        && (start_date < first
            || start_date
                .checked_add_days(chrono::Days::new(u64::from(horizon - 1)))
                .is_none_or(|end| end > last))
    {
        c.report(
            "start_date",
            format!(
                "{start_date} and the {horizon} days after it are not all between year 1 and 9999"
            ),
            "give the first simulated day, for example 2025-01-06".to_string(),
        );
        first
    } else {
        start_date
    };
    let sla_days = c.days("sla_days", raw.sla_days, 5);

    let demand = demand(&mut c, raw.demand.as_ref(), start_date, horizon);
    let team = team(&mut c, raw.team.as_ref());
    let end = start_date + chrono::Days::new(u64::from(horizon - 1));
    for (i, date) in raw
        .team
        .iter()
        .flat_map(|t| t.closed_dates.iter().flatten())
        .enumerate()
    {
        if *date < start_date || *date > end {
            c.warn(
                &format!("team.closed_dates[{i}]"),
                format!("{date} is outside the horizon {start_date} to {end} and has no effect"),
                "list the holidays of the simulated period".to_string(),
            );
        }
    }
    let work = work(&mut c, raw.work.as_ref());
    let economics = economics(&mut c, raw.economics.as_ref(), &team);
    let interventions = interventions(&mut c, raw, start_date, horizon, &team);

    if team.agents == 0 {
        c.warn(
            "team.agents",
            "is 0: nobody works unless interventions hire".into(),
            None,
        );
    }
    if !team.open_weekdays.iter().any(|&o| o) {
        c.warn(
            "team.open_weekdays",
            "is empty: the team never works".into(),
            "list the days the team works, such as [mon, tue, wed, thu, fri]".to_string(),
        );
    }
    if !c.problems.is_empty() {
        // In file order, as a reader goes through the file.
        c.problems
            .sort_by_key(|p| (p.file.clone(), p.position.map(|q| (q.line, q.column))));
        return Err(c.problems);
    }
    Ok(Scenario {
        name,
        description: raw.description.clone().unwrap_or_default(),
        is_baseline: raw.baseline.unwrap_or(false),
        source,
        chain: sources.files.iter().map(|(p, _)| p.clone()).collect(),
        start_date,
        horizon_days: horizon,
        sla_days,
        demand,
        team,
        work,
        economics,
        interventions,
        warnings: c.warnings,
    })
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A complete profile of non-negative weights, normalised to a mean of 1.
fn profile<const N: usize>(
    c: &mut Checker,
    field: &str,
    names: [&str; N],
    values: Option<[Option<f64>; N]>,
) -> [f64; N] {
    let Some(values) = values else {
        return [1.0; N];
    };
    let mut out = [1.0; N];
    let mut missing = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match value {
            None => missing.push(names[i]),
            Some(_) => out[i] = c.amount(&format!("{field}.{}", names[i]), *value, 1.0, false),
        }
    }
    if !missing.is_empty() {
        c.report(
            field,
            format!("is incomplete: {} missing", missing.join(", ")),
            format!(
                "give all of {} (relative weights; 0 is allowed)",
                names.join(", ")
            ),
        );
        return [1.0; N];
    }
    let mean = out.iter().sum::<f64>() / N as f64;
    if mean <= 0.0 {
        c.report(
            field,
            "has only zero weights".into(),
            "give at least one weight above 0".to_string(),
        );
        return [1.0; N];
    }
    out.map(|w| w / mean)
}

fn demand(c: &mut Checker, raw: Option<&RawDemand>, start: NaiveDate, horizon: u32) -> Demand {
    let default = RawDemand::default();
    let raw = raw.unwrap_or(&default);
    if raw.new_per_day.is_none() {
        c.report(
            "demand.new_per_day",
            "is required but missing".into(),
            "add `demand: {new_per_day: 120}` (mean new contacts per calendar day)".to_string(),
        );
    }
    let new_per_day = c.amount("demand.new_per_day", raw.new_per_day, 0.0, false);
    if new_per_day > MAX_NEW_PER_DAY {
        c.report(
            "demand.new_per_day",
            format!("{new_per_day} contacts a day is more than aspa simulates ({MAX_NEW_PER_DAY})"),
            "model a share of the demand, or aggregate contacts into batches".to_string(),
        );
    }
    let weekday_profile = profile(
        c,
        "demand.weekday_profile",
        WEEKDAYS,
        raw.weekday_profile
            .as_ref()
            .map(|p| [p.mon, p.tue, p.wed, p.thu, p.fri, p.sat, p.sun]),
    );
    let month_profile = profile(
        c,
        "demand.month_profile",
        MONTHS,
        raw.month_profile.as_ref().map(|p| {
            [
                p.jan, p.feb, p.mar, p.apr, p.may, p.jun, p.jul, p.aug, p.sep, p.oct, p.nov, p.dec,
            ]
        }),
    );
    let growth_per_year = raw.growth_per_year.unwrap_or(0.0);
    if c.finite("demand.growth_per_year", growth_per_year) && growth_per_year <= -1.0 {
        c.report(
            "demand.growth_per_year",
            format!("expected more than -1 (a fall of 100 %), got {growth_per_year}"),
            "0.1 is 10 % growth a year, -0.1 a fall of 10 %".to_string(),
        );
    }
    let variance_to_mean = raw.variance_to_mean.unwrap_or(1.0);
    if c.finite("demand.variance_to_mean", variance_to_mean) && variance_to_mean < 1.0 {
        c.report(
            "demand.variance_to_mean",
            format!("expected 1 (Poisson) or more (over-dispersed), got {variance_to_mean}"),
            "daily counts below Poisson variability are not modelled; use 1".to_string(),
        );
    } else if variance_to_mean > MAX_VARIANCE_TO_MEAN {
        // Beyond this, most days have almost no demand and the mean rests
        // on rare enormous days that few replications see.
        c.report(
            "demand.variance_to_mean",
            format!(
                "expected at most {MAX_VARIANCE_TO_MEAN}, got {variance_to_mean}: a demand this \
                 erratic is not a daily count aspa can estimate"
            ),
            "the shipped help desk, measured from its log, has 2.2; model rare floods as spikes"
                .to_string(),
        );
    }

    let mut spikes = Vec::new();
    for (i, s) in raw.spikes.iter().flatten().enumerate() {
        let field = format!("demand.spikes[{i}]");
        let Some(date) = c.required(
            &format!("{field}.start"),
            &s.start,
            "add `start: 2025-03-01` (first day of the spike)",
        ) else {
            continue;
        };
        c.day_in_horizon(&format!("{field}.start"), date, start, horizon);
        c.printable(&format!("{field}.name"), s.name.as_deref());
        spikes.push(Spike {
            name: s.name.clone().unwrap_or_else(|| format!("spike {}", i + 1)),
            start: date,
            days: c.days(&format!("{field}.days"), s.days, 1),
            multiplier: c.amount(&format!("{field}.multiplier"), s.multiplier, 1.0, false),
        });
    }

    let random_spikes = raw.random_spikes.as_ref().map(|r| {
        let field = "demand.random_spikes";
        let [lo, hi] = r.multiplier.unwrap_or([1.0, 1.0]);
        let lo = c.amount(&format!("{field}.multiplier"), Some(lo), 1.0, false);
        let hi = c.amount(&format!("{field}.multiplier"), Some(hi), 1.0, false);
        if lo > hi {
            c.report(
                &format!("{field}.multiplier"),
                format!("expected [low, high] with low ≤ high, got [{lo}, {hi}]"),
                "write for example `multiplier: [1.5, 3]`".to_string(),
            );
        }
        let per_year = c.amount(&format!("{field}.per_year"), r.per_year, 0.0, false);
        if per_year > 365.0 {
            c.report(
                &format!("{field}.per_year"),
                format!("expected at most 365 spikes a year, got {per_year}"),
                None,
            );
        }
        RandomSpikes {
            per_year,
            days: c.days(&format!("{field}.days"), r.days, 1),
            multiplier: [lo, hi.max(lo)],
        }
    });

    let opening_debt = raw.opening_debt.unwrap_or(0);
    if opening_debt > MAX_OPENING_DEBT {
        c.report(
            "demand.opening_debt",
            format!(
                "{opening_debt} open contacts is more than aspa simulates ({MAX_OPENING_DEBT})"
            ),
            None,
        );
    }
    let opening_debt = opening_debt.min(MAX_OPENING_DEBT);
    let opening_dropped = raw.opening_dropped.unwrap_or(0);
    if opening_dropped > opening_debt {
        c.report(
            "demand.opening_dropped",
            format!(
                "{opening_dropped} dropped contacts is more than the opening debt of {opening_debt}"
            ),
            "opening_dropped counts the part of opening_debt that has stalled".to_string(),
        );
    }
    let demand = Demand {
        new_per_day,
        weekday_profile,
        month_profile,
        growth_per_year,
        variance_to_mean,
        spikes,
        random_spikes,
        opening_debt,
        opening_dropped,
    };
    peak_demand(c, &demand, start, horizon);
    demand
}

/// The most random spikes active on one day that any run could plausibly
/// see: a day has a spike from each of the last `days` days that started
/// one (each with probability `p`), a binomial count; this is the largest
/// count whose chance on a given day is at least 10⁻¹⁵, far below once in
/// a million replications of ten years.
fn plausible_overlap(days: u32, p: f64) -> u32 {
    if p >= 1.0 {
        return days;
    }
    if p <= 0.0 || days == 0 {
        return 0;
    }
    // log P(N = j), from j = 0 up, then the tail P(N ≥ k) from the top.
    let n = f64::from(days);
    let mut log_pmf = Vec::with_capacity(days as usize + 1);
    log_pmf.push(n * (-p).ln_1p());
    for j in 0..days {
        let j = f64::from(j);
        let prev = log_pmf[log_pmf.len() - 1];
        log_pmf.push(prev + ((n - j) / (j + 1.0)).ln() + (p / (1.0 - p)).ln());
    }
    let mut tail = 0.0;
    for k in (0..=days).rev() {
        tail += log_pmf[k as usize].exp();
        if tail >= 1e-15 {
            return k;
        }
    }
    0
}

/// Refuses a demand whose expected daily count grows past what aspa
/// simulates on some day of the horizon: growth, profiles and spikes
/// multiply the level, and random spikes may overlap (as many at once as
/// [`plausible_overlap`] allows, each at most its high multiplier).
fn peak_demand(c: &mut Checker, demand: &Demand, start: NaiveDate, horizon: u32) {
    if demand.growth_per_year.is_nan() || demand.growth_per_year <= -1.0 {
        // Reported already; the growth factor would not be a number.
        return;
    }
    // The day with the largest expected demand. A product that overflows
    // is infinite, and one of infinity and a zero weight (NaN) counts as
    // infinite too: that day could not be simulated either.
    let Some((peak, day)) = (0..horizon)
        .map(|d| {
            let e = demand.expected_on(start + chrono::Days::new(u64::from(d)), d);
            (if e.is_nan() { f64::INFINITY } else { e }, d)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
    else {
        return;
    };
    let overlap = demand
        .random_spikes
        .as_ref()
        .filter(|r| r.per_year > 0.0 && peak > 0.0)
        .map_or(1.0, |r| {
            let at_once = plausible_overlap(r.days.min(horizon), (r.per_year / 365.0).min(1.0));
            r.multiplier[1].max(1.0).powf(f64::from(at_once))
        });
    if peak * overlap <= MAX_NEW_PER_DAY {
        return;
    }
    let date = start + chrono::Days::new(u64::from(day));
    let amount = |v: f64| {
        if v.is_finite() {
            format!("{v:.3e}")
        } else {
            "more than 1e308".to_string()
        }
    };
    if peak > MAX_NEW_PER_DAY {
        c.report(
            "demand",
            format!(
                "the expected demand reaches {} contacts on {date} (new_per_day × growth × \
                 profiles × spikes), more than aspa simulates ({MAX_NEW_PER_DAY})",
                amount(peak)
            ),
            "check growth_per_year, the profiles and the spike multipliers".to_string(),
        );
    } else {
        c.report(
            "demand.random_spikes",
            format!(
                "overlapping random spikes (as many at once as could plausibly happen) could \
                 raise the expected demand on {date} to {} contacts, more than aspa simulates \
                 ({MAX_NEW_PER_DAY})",
                amount(peak * overlap)
            ),
            "lower random_spikes.multiplier or random_spikes.days".to_string(),
        );
    }
}

fn ramp_up(c: &mut Checker, field: &str, raw: Option<&RawRampUp>, default: RampUp) -> RampUp {
    let Some(raw) = raw else { return default };
    RampUp {
        start_productivity: c.share(
            &format!("{field}.start_productivity"),
            raw.start_productivity,
            default.start_productivity,
        ),
        weeks: c.amount(&format!("{field}.weeks"), raw.weeks, default.weeks, false),
    }
}

fn team(c: &mut Checker, raw: Option<&RawTeam>) -> Team {
    let default = RawTeam::default();
    let raw = raw.unwrap_or(&default);
    let agents = c
        .required(
            "team.agents",
            &raw.agents,
            "add `team: {agents: 12}` (agents employed on day 1)",
        )
        .unwrap_or(0);
    if agents > MAX_AGENTS {
        c.report(
            "team.agents",
            format!("expected at most {MAX_AGENTS} agents, got {agents}"),
            None,
        );
    }
    let hours_per_day = c.amount("team.hours_per_day", raw.hours_per_day, 8.0, false);
    if hours_per_day > 24.0 {
        c.report(
            "team.hours_per_day",
            format!("expected at most 24 hours a day, got {hours_per_day}"),
            "hours are per agent; raise team.agents for more capacity".to_string(),
        );
    }
    let mut open_weekdays = [true, true, true, true, true, false, false];
    if let Some(days) = &raw.open_weekdays {
        open_weekdays = [false; 7];
        for (i, day) in days.iter().enumerate() {
            if open_weekdays[day.index()] {
                c.report(
                    &format!("team.open_weekdays[{i}]"),
                    "lists a weekday that is already listed".into(),
                    "name each open weekday once".to_string(),
                );
            }
            open_weekdays[day.index()] = true;
        }
    }
    let mut closed_dates = raw.closed_dates.clone().unwrap_or_default();
    closed_dates.sort();
    closed_dates.dedup();
    let knowledge = raw.knowledge.clone().unwrap_or_default();
    Team {
        agents: agents.min(MAX_AGENTS),
        hours_per_day,
        open_weekdays,
        closed_dates,
        focus: c.share("team.focus", raw.focus, 1.0),
        absence: c.share("team.absence", raw.absence, 0.0),
        attrition_per_year: c.share("team.attrition_per_year", raw.attrition_per_year, 0.0),
        replace_leavers: raw.replace_leavers.unwrap_or(true),
        hiring_lead_days: c.days("team.hiring_lead_days", raw.hiring_lead_days, 0),
        ramp_up: ramp_up(
            c,
            "team.ramp_up",
            raw.ramp_up.as_ref(),
            RampUp {
                start_productivity: 1.0,
                weeks: 0.0,
            },
        ),
        knowledge: Knowledge {
            spread: c.share("team.knowledge.spread", knowledge.spread, 1.0),
            leaver_hit: c.share("team.knowledge.leaver_hit", knowledge.leaver_hit, 0.0),
            recovery_weeks: c.amount(
                "team.knowledge.recovery_weeks",
                knowledge.recovery_weeks,
                12.0,
                false,
            ),
            absence_hit: c.share("team.knowledge.absence_hit", knowledge.absence_hit, 0.0),
        },
    }
}

fn handle(c: &mut Checker, field: &str, raw: &RawHandle) -> Option<HandleTime> {
    let mean = c.required(
        &format!("{field}.mean"),
        &raw.mean,
        "add `mean: 12` (minutes per contact)",
    )?;
    let mean = c.amount(&format!("{field}.mean"), Some(mean), 1.0, true);
    let cv = c.amount(&format!("{field}.cv"), raw.cv, 0.0, false);
    let distribution = raw.distribution.unwrap_or(HandleDistribution::Lognormal);
    if cv == 0.0 || distribution == HandleDistribution::Fixed {
        return Some(HandleTime::fixed(mean));
    }
    let built = match distribution {
        HandleDistribution::Lognormal => HandleTime::lognormal(mean, cv),
        HandleDistribution::Gamma => HandleTime::gamma(mean, cv),
        HandleDistribution::Fixed => Some(HandleTime::fixed(mean)),
    };
    if built.is_none() {
        c.report(
            field,
            format!("mean {mean} and cv {cv} do not make a {distribution:?} distribution"),
            "use a mean above 0 and a cv between 0 and 10".to_string(),
        );
    }
    built
}

fn work(c: &mut Checker, raw: Option<&RawWork>) -> Work {
    let default = RawWork::default();
    let raw = raw.unwrap_or(&default);
    let handle_minutes = match &raw.handle_minutes {
        Some(h) => handle(c, "work.handle_minutes", h),
        None => {
            c.report(
                "work.handle_minutes",
                "is required but missing".into(),
                "add `work: {handle_minutes: {mean: 12, cv: 0.8}}`".to_string(),
            );
            None
        }
    }
    .unwrap_or(HandleTime::fixed(1.0));
    let chaser_handle_minutes = match &raw.chaser_handle_minutes {
        Some(h) => handle(c, "work.chaser_handle_minutes", h).unwrap_or(handle_minutes),
        None => handle_minutes,
    };
    let reopen = raw.reopen.clone().unwrap_or_default();
    let drop = raw.drop.clone().unwrap_or_default();
    let chase = raw.chase.clone().unwrap_or_default();
    Work {
        handle_minutes,
        chaser_handle_minutes,
        reopen: Reopen {
            share: c.share("work.reopen.share", reopen.share, 0.0),
            after_days: c.days("work.reopen.after_days", reopen.after_days, 7),
        },
        drop: Drop {
            daily_hazard: c.share("work.drop.daily_hazard", drop.daily_hazard, 0.0),
            chase_after_days: c.delay(
                "work.drop.chase_after_days",
                drop.chase_after_days.unwrap_or(14.0),
            ),
            give_up_share: c.share("work.drop.give_up_share", drop.give_up_share, 0.0),
            resurface_after_days: drop
                .resurface_after_days
                .map(|d| c.delay("work.drop.resurface_after_days", d)),
        },
        chase: Chase {
            patience_days: c.days("work.chase.patience_days", chase.patience_days, 0),
            daily_probability: c.share(
                "work.chase.daily_probability",
                chase.daily_probability,
                0.0,
            ),
        },
    }
}

fn economics(c: &mut Checker, raw: Option<&RawEconomics>, team: &Team) -> Economics {
    let default = RawEconomics::default();
    let raw = raw.unwrap_or(&default);
    let cost_per_agent_hour = match (raw.cost_per_agent_hour, raw.salary_per_month) {
        (Some(_), Some(_)) => {
            c.report(
                "economics.salary_per_month",
                "is given together with cost_per_agent_hour".into(),
                "give one of the two".to_string(),
            );
            0.0
        }
        (Some(h), None) => c.amount("economics.cost_per_agent_hour", Some(h), 0.0, false),
        (None, Some(s)) => {
            let salary = c.amount("economics.salary_per_month", Some(s), 0.0, false);
            // A month's salary buys the open days of an average month.
            let open_days_per_month =
                team.open_weekdays.iter().filter(|&&d| d).count() as f64 * 52.0 / 12.0;
            let hours = open_days_per_month * team.hours_per_day;
            if hours > 0.0 { salary / hours } else { 0.0 }
        }
        (None, None) => {
            c.report(
                "economics.cost_per_agent_hour",
                "is required but missing".into(),
                "add `economics: {cost_per_agent_hour: 35}` or `salary_per_month: 4200`"
                    .to_string(),
            );
            0.0
        }
    };
    let discount = raw.discount_rate_per_year.unwrap_or(0.0);
    if c.finite("economics.discount_rate_per_year", discount) && !(0.0..1.0).contains(&discount) {
        c.report(
            "economics.discount_rate_per_year",
            format!("expected a yearly rate from 0 to 1, got {discount}"),
            "write 0.08 for 8 % a year".to_string(),
        );
    }
    Economics {
        currency: raw.currency.clone().unwrap_or_else(|| "EUR".into()),
        cost_per_agent_hour,
        delay_cost_per_contact_day: c.amount(
            "economics.delay_cost_per_contact_day",
            raw.delay_cost_per_contact_day,
            0.0,
            false,
        ),
        lost_contact_cost: c.amount(
            "economics.lost_contact_cost",
            raw.lost_contact_cost,
            0.0,
            false,
        ),
        discount_rate_per_year: discount,
    }
}

/// The fields every intervention shares.
struct Common<'a> {
    name: &'a Option<String>,
    start: &'a Option<NaiveDate>,
    one_time_cost: Option<f64>,
    monthly_cost: Option<f64>,
    ramp_in_days: Option<u32>,
}

/// The shared fields of one intervention variant.
macro_rules! common {
    ($t:expr) => {
        Common {
            name: &$t.name,
            start: &$t.start,
            one_time_cost: $t.one_time_cost,
            monthly_cost: $t.monthly_cost,
            ramp_in_days: $t.ramp_in_days,
        }
    };
}

fn interventions(
    c: &mut Checker,
    raw: &RawScenario,
    start: NaiveDate,
    horizon: u32,
    team: &Team,
) -> Vec<Intervention> {
    let mut out = Vec::new();
    for (i, raw_item) in raw.interventions.iter().flatten().enumerate() {
        let kinds = raw_item.kinds();
        let item = match kinds.as_slice() {
            [one] => *one,
            _ => {
                c.report(
                    &format!("interventions[{i}]"),
                    format!(
                        "expected exactly one kind of intervention, found {}",
                        kinds.len()
                    ),
                    "start each item with one of training, task_management, tools, hires, \
                     as in `- tools: {start: 2025-03-03}`"
                        .to_string(),
                );
                continue;
            }
        };
        let (tag, common) = match item {
            RawKind::Training(t) => ("training", common!(t)),
            RawKind::TaskManagement(t) => ("task_management", common!(t)),
            RawKind::Tools(t) => ("tools", common!(t)),
            RawKind::Hires(t) => ("hires", common!(t)),
        };
        let field = format!("interventions[{i}].{tag}");
        let f = |name: &str| format!("{field}.{name}");
        let Some(date) = c.required(
            &f("start"),
            common.start,
            "add `start: 2025-02-03` (the first day it is in force)",
        ) else {
            continue;
        };
        let start_day = c.day_in_horizon(&f("start"), date, start, horizon);
        let kind = match item {
            RawKind::Training(t) => {
                let e = t.effects.clone().unwrap_or_default();
                let ef = |name: &str| format!("{field}.effects.{name}");
                InterventionKind::Training(intervention::Training {
                    hours_per_agent: c.amount(&f("hours_per_agent"), t.hours_per_agent, 0.0, false),
                    duration_days: c.days(&f("duration_days"), t.duration_days, 1).max(1),
                    cost_per_agent: c.amount(&f("cost_per_agent"), t.cost_per_agent, 0.0, false),
                    onboarding: t.onboarding.unwrap_or(false),
                    handle_time: c.share(&ef("handle_time"), e.handle_time, 0.0),
                    reopen_share: c.share(&ef("reopen_share"), e.reopen_share, 0.0),
                    drop_hazard: c.share(&ef("drop_hazard"), e.drop_hazard, 0.0),
                    knowledge_loss: c.share(&ef("knowledge_loss"), e.knowledge_loss, 0.0),
                    absence_impact: c.share(&ef("absence_impact"), e.absence_impact, 0.0),
                })
            }
            RawKind::TaskManagement(t) => {
                let e = t.effects.clone().unwrap_or_default();
                InterventionKind::TaskManagement(intervention::TaskManagement {
                    drop_hazard: c.share(
                        &format!("{field}.effects.drop_hazard"),
                        e.drop_hazard,
                        0.0,
                    ),
                    resurface_after_days: e
                        .resurface_after_days
                        .map(|d| c.delay(&format!("{field}.effects.resurface_after_days"), d)),
                })
            }
            RawKind::Tools(t) => {
                let e = t.effects.clone().unwrap_or_default();
                let dip = t.learning_dip.clone().unwrap_or_default();
                let ef = |name: &str| format!("{field}.effects.{name}");
                InterventionKind::Tools(intervention::Tools {
                    licence_per_agent_month: c.amount(
                        &f("licence_per_agent_month"),
                        t.licence_per_agent_month,
                        0.0,
                        false,
                    ),
                    dip_productivity_loss: c.share(
                        &f("learning_dip.productivity_loss"),
                        dip.productivity_loss,
                        0.0,
                    ),
                    dip_weeks: c.amount(&f("learning_dip.weeks"), dip.weeks, 0.0, false),
                    handle_time: c.share(&ef("handle_time"), e.handle_time, 0.0),
                    deflection: c.share(&ef("deflection"), e.deflection, 0.0),
                    drop_hazard: c.share(&ef("drop_hazard"), e.drop_hazard, 0.0),
                    reopen_share: c.share(&ef("reopen_share"), e.reopen_share, 0.0),
                })
            }
            RawKind::Hires(t) => InterventionKind::Hires(intervention::Hires {
                count: {
                    let count = t.count.unwrap_or(1);
                    if count > MAX_AGENTS {
                        c.report(
                            &f("count"),
                            format!("expected at most {MAX_AGENTS} hires, got {count}"),
                            None,
                        );
                    }
                    if count > 0 && t.salary_per_month.is_none() {
                        c.report(
                            &f("salary_per_month"),
                            "is required for hires but missing".into(),
                            "add `salary_per_month: 4200` (cost per hire per month); hires are not free"
                                .to_string(),
                        );
                    }
                    count.min(MAX_AGENTS)
                },
                recruiting_cost_per_hire: c.amount(
                    &f("recruiting_cost_per_hire"),
                    t.recruiting_cost_per_hire,
                    0.0,
                    false,
                ),
                salary_per_month: c.amount(&f("salary_per_month"), t.salary_per_month, 0.0, false),
                ramp_up: ramp_up(c, &f("ramp_up"), t.ramp_up.as_ref(), team.ramp_up),
                mentoring_hours_per_week: c.amount(
                    &f("mentoring_hours_per_week"),
                    t.mentoring_hours_per_week,
                    0.0,
                    false,
                ),
            }),
        };
        c.printable(&f("name"), common.name.as_deref());
        out.push(Intervention {
            name: common.name.clone().unwrap_or_else(|| tag.replace('_', " ")),
            start: date,
            start_day,
            one_time_cost: c.amount(&f("one_time_cost"), common.one_time_cost, 0.0, false),
            monthly_cost: c.amount(&f("monthly_cost"), common.monthly_cost, 0.0, false),
            ramp_in_days: c.days(&f("ramp_in_days"), common.ramp_in_days, 0),
            kind,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_overlap_is_the_last_count_with_a_chance_of_1e_minus_15() {
        // Three days at p = 1e-6: P(N ≥ 2) ≈ 3e-12, P(N = 3) = 1e-18.
        assert_eq!(plausible_overlap(3, 1e-6), 2);
        // Two days at one half: both is a quarter.
        assert_eq!(plausible_overlap(2, 0.5), 2);
        assert_eq!(plausible_overlap(30, 1.0), 30);
        assert_eq!(plausible_overlap(30, 0.0), 0);
        // One month-long spike a year, against the exact binomial tail.
        let p: f64 = 1.0 / 365.0;
        let tail = |k: u32| -> f64 {
            (k..=30)
                .map(|j| {
                    let choose: f64 = (0..j)
                        .map(|i| f64::from(30 - i) / f64::from(i + 1))
                        .product();
                    choose * p.powi(j as i32) * (1.0 - p).powi(30 - j as i32)
                })
                .sum()
        };
        let k = plausible_overlap(30, p);
        assert!(tail(k) >= 1e-15 && tail(k + 1) < 1e-15, "k = {k}");
    }
}

//! New contacts: level, calendar profiles, growth, noise and spikes.

use chrono::{Datelike, NaiveDate};

/// How many new contacts arrive, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    /// Mean new contacts per calendar day at the start date, before the
    /// profiles and spikes.
    pub new_per_day: f64,
    /// Multiplier per weekday, Monday first, normalised to a mean of 1.
    pub weekday_profile: [f64; 7],
    /// Multiplier per month, January first, normalised to a mean of 1.
    pub month_profile: [f64; 12],
    /// Relative growth of the level per year (0.1 = 10 % a year),
    /// compounded daily.
    pub growth_per_year: f64,
    /// Variance of a day's count over its mean: 1 is Poisson, above 1 is a
    /// negative binomial (a Poisson whose rate is gamma distributed).
    pub variance_to_mean: f64,
    /// Spikes on known dates (campaigns, outages).
    pub spikes: Vec<Spike>,
    /// Spikes that strike at random.
    pub random_spikes: Option<RandomSpikes>,
    /// Open contacts before day 1.
    pub opening_debt: u64,
    /// Of those, how many have dropped (stalled, hidden).
    pub opening_dropped: u64,
}

/// A spike on a known date.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    /// Label for the report.
    pub name: String,
    /// First day of the spike.
    pub start: NaiveDate,
    /// Length in days.
    pub days: u32,
    /// Demand multiplier while it lasts.
    pub multiplier: f64,
}

/// Spikes that start on random days.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomSpikes {
    /// Expected number of spikes starting per year.
    pub per_year: f64,
    /// Length of each spike in days.
    pub days: u32,
    /// A spike's multiplier is uniform between these two values.
    pub multiplier: [f64; 2],
}

impl Demand {
    /// Expected new contacts on `date`, `days_since_start` days after day 1,
    /// before random spikes: level × growth × weekday × month × dated spikes.
    pub fn expected_on(&self, date: NaiveDate, days_since_start: u32) -> f64 {
        let growth = (1.0 + self.growth_per_year).powf(f64::from(days_since_start) / 365.0);
        let weekday = self.weekday_profile[date.weekday().num_days_from_monday() as usize];
        self.new_per_day * growth * weekday * self.seasonal_factor(date)
    }

    /// The part of the expected demand on `date` that comes from the
    /// calendar and dated spikes: month profile × spike multipliers.
    pub fn seasonal_factor(&self, date: NaiveDate) -> f64 {
        let month = self.month_profile[date.month0() as usize];
        let spikes: f64 = self
            .spikes
            .iter()
            .filter(|s| covers(s.start, s.days, date))
            .map(|s| s.multiplier)
            .product();
        month * spikes
    }
}

/// Whether the run of `days` days from `start` includes `date`.
pub fn covers(start: NaiveDate, days: u32, date: NaiveDate) -> bool {
    let offset = (date - start).num_days();
    offset >= 0 && offset < i64::from(days)
}

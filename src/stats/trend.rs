//! The debt trend, estimated so that occasional spikes do not decide it.
//!
//! The daily debt is divided by the seasonal index of its day (the month
//! profile and dated spikes, averaged over the trailing four weeks, see
//! `engine::plan`), then summarised by its median in each whole week,
//! which removes the weekly cycle and dampens spikes that last a few days;
//! the trend is then the Theil–Sen slope of those weekly medians, the
//! median of the slopes between every pair of weeks, which ignores up to
//! 29 % of outlying weeks. With fewer than four whole weeks the daily
//! values are used directly. The unit is contacts per week.

/// A trend classified against a band of "no real change".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Slope below −band.
    Falling,
    /// Slope within ±band.
    Flat,
    /// Slope above +band.
    Rising,
}

impl Verdict {
    /// Classifies a slope against `band` (both in contacts per week).
    pub fn of(slope: f64, band: f64) -> Verdict {
        if slope > band {
            Verdict::Rising
        } else if slope < -band {
            Verdict::Falling
        } else {
            Verdict::Flat
        }
    }

    /// The word used in tables.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Falling => "falling",
            Verdict::Flat => "flat",
            Verdict::Rising => "rising",
        }
    }
}

/// Share of a week's expected demand by which the debt must change per
/// week before the trend counts as rising or falling: 0.5 % of a week's
/// new contacts, so that over a year the drift adds up to more than a
/// quarter of a week's demand.
pub const FLAT_BAND_SHARE_OF_WEEKLY_DEMAND: f64 = 0.005;

/// Trend of a daily series in units per week; 0 for fewer than 2 points.
/// Each day's value is first divided by its seasonal index (`season`, one
/// per day, mean 1), so that a horizon starting in a quiet month does not
/// read as rising; with a flat season the values are used as they are.
pub fn weekly_slope(daily: &[u64], season: &[f64], scratch: &mut Vec<f64>) -> f64 {
    let adjusted = |i: usize| daily[i] as f64 / season.get(i).copied().unwrap_or(1.0);
    let weeks = daily.len() / 7;
    let mut points: Vec<f64> = Vec::with_capacity(weeks.max(daily.len()));
    let per_week = if weeks >= 4 {
        let mut week = [0.0; 7];
        for w in 0..weeks {
            for (k, slot) in week.iter_mut().enumerate() {
                *slot = adjusted(7 * w + k);
            }
            week.sort_unstable_by(f64::total_cmp);
            points.push(week[3]);
        }
        1.0
    } else {
        points.extend((0..daily.len()).map(adjusted));
        7.0
    };
    theil_sen(&points, scratch) * per_week
}

/// Median of the pairwise slopes (y_j − y_i) / (j − i), i < j.
pub fn theil_sen(y: &[f64], scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    for i in 0..y.len() {
        for j in i + 1..y.len() {
            scratch.push((y[j] - y[i]) / (j - i) as f64);
        }
    }
    if scratch.is_empty() {
        return 0.0;
    }
    let mid = scratch.len() / 2;
    let (_, &mut upper, _) = scratch.select_nth_unstable_by(mid, f64::total_cmp);
    if scratch.len() % 2 == 1 {
        upper
    } else {
        let lower = scratch[..mid]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_line_despite_spikes() {
        let mut daily: Vec<u64> = (0..364).map(|d| 100 + d / 7 * 3).collect();
        // Spikes of a few days in several weeks.
        for start in [20, 90, 91, 200, 300] {
            daily[start] += 500;
        }
        let slope = weekly_slope(&daily, &[], &mut Vec::new());
        assert!((slope - 3.0).abs() < 1e-9, "{slope}");
    }

    #[test]
    fn short_series_use_daily_points() {
        let daily: Vec<u64> = (0..14).map(|d| 2 * d).collect();
        assert!((weekly_slope(&daily, &[], &mut Vec::new()) - 14.0).abs() < 1e-9);
        assert_eq!(weekly_slope(&[5], &[], &mut Vec::new()), 0.0);
    }

    #[test]
    fn even_number_of_slopes_takes_the_middle_pair() {
        // Slopes: 1, 3, 2 → 3 pairs; add a point for 6 pairs.
        let y = [0.0, 1.0, 4.0, 4.0];
        // Pairs: 1, 2, 4/3, 3, 1.5, 0 → sorted 0, 1, 4/3, 1.5, 2, 3.
        assert!((theil_sen(&y, &mut Vec::new()) - (4.0 / 3.0 + 1.5) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_seasonal_swing_is_not_a_trend() {
        // Debt that doubles with demand in the second half of the horizon.
        let season: Vec<f64> = (0..364)
            .map(|d| if d < 182 { 2.0 / 3.0 } else { 4.0 / 3.0 })
            .collect();
        let daily: Vec<u64> = season.iter().map(|s| (30.0 * s) as u64).collect();
        assert!(weekly_slope(&daily, &[], &mut Vec::new()) > 0.1);
        assert!(weekly_slope(&daily, &season, &mut Vec::new()).abs() < 1e-9);
    }

    #[test]
    fn verdicts() {
        assert_eq!(Verdict::of(0.5, 1.0), Verdict::Flat);
        assert_eq!(Verdict::of(1.5, 1.0), Verdict::Rising);
        assert_eq!(Verdict::of(-1.5, 1.0), Verdict::Falling);
    }
}

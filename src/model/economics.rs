//! Money: what a day costs, and how a stream of monthly cash flows turns
//! into NPV, ROI and a payback month.
//!
//! Conventions (checked against the ROI-base reference case):
//! - flows are monthly; index 0 is the investment at month 0, which is not
//!   discounted; index m ≥ 1 is the net flow at the end of month m;
//! - NPV = Σ flow(m) / (1 + r)^m with r = annual rate / 12 (nominal rate,
//!   compounded monthly);
//! - ROI = (savings − investment) / investment, undiscounted, where the
//!   investment is everything the interventions cost over the horizon;
//! - the payback month is the first m ≥ 0 whose cumulative undiscounted
//!   flow is ≥ 0.

/// Costs and money conventions.
#[derive(Debug, Clone, PartialEq)]
pub struct Economics {
    /// Label for money in tables and charts.
    pub currency: String,
    /// Cost of one paid agent hour.
    pub cost_per_agent_hour: f64,
    /// Cost per open contact per day once it is past the SLA.
    pub delay_cost_per_contact_day: f64,
    /// Cost of a lost contact (customer value).
    pub lost_contact_cost: f64,
    /// Nominal annual discount rate (0.08 = 8 %), compounded monthly.
    pub discount_rate_per_year: f64,
}

/// Net present value of monthly flows; `flows[0]` is month 0.
///
/// ```
/// use aspa::model::economics::{npv, payback_month, roi};
/// // 50,000 up front, then 3,000 net at the end of each of 36 months.
/// let mut flows = vec![-50_000.0];
/// flows.extend([3_000.0; 36]);
/// assert!((npv(&flows, 0.08) - 45_735.4165).abs() < 0.005);
/// assert_eq!(payback_month(&flows), Some(17));
/// assert!((roi(144_000.0, 86_000.0).unwrap() - 29.0 / 43.0).abs() < 1e-12);
/// ```
pub fn npv(flows: &[f64], discount_rate_per_year: f64) -> f64 {
    let factor = 1.0 / (1.0 + discount_rate_per_year / 12.0);
    let mut discount = 1.0;
    let mut total = 0.0;
    for flow in flows {
        total += flow * discount;
        discount *= factor;
    }
    total
}

/// The payback month: the first month whose cumulative flow is ≥ 0 once
/// the investment has made it negative. An investment that starts later
/// than month 0 leaves the months before it at 0, which is not a payback.
/// 0 when the cumulative flow never goes below 0 (nothing to pay back);
/// `None` when it is still negative at the end.
pub fn payback_month(flows: &[f64]) -> Option<u32> {
    let mut cumulative = 0.0;
    let mut invested = false;
    for (month, flow) in flows.iter().enumerate() {
        cumulative += flow;
        if cumulative < 0.0 {
            invested = true;
        } else if invested {
            return Some(month as u32);
        }
    }
    if invested { None } else { Some(0) }
}

/// (savings − investment) / investment. With no investment the ratio is
/// undefined unless nothing changed at all, which is a return of 0.
pub fn roi(savings: f64, investment: f64) -> Option<f64> {
    if investment > 0.0 {
        Some((savings - investment) / investment)
    } else if savings == 0.0 && investment == 0.0 {
        Some(0.0)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payback_counts_from_a_late_investment() {
        assert_eq!(payback_month(&[0.0, 0.0, -10.0, 4.0, 4.0, 4.0]), Some(5));
        assert_eq!(payback_month(&[0.0, -10.0, 4.0]), None);
        assert_eq!(payback_month(&[0.0, 5.0, 5.0]), Some(0));
        assert_eq!(payback_month(&[-50.0, 25.0, 25.0]), Some(2));
    }

    #[test]
    fn roi_without_investment() {
        assert_eq!(roi(0.0, 0.0), Some(0.0));
        assert_eq!(roi(10.0, 0.0), None);
        assert_eq!(roi(150.0, 100.0), Some(0.5));
    }
}

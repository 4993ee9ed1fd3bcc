//! The comparison table shown in the terminal and saved as `table.txt`.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};

use super::format::{money, or_dash, percent, probability, thousands};
use super::{Export, Report, ReportError};
use crate::stats::Measure;

/// `table.txt`.
pub struct TableText;

impl Export for TableText {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        Ok(vec![("table.txt".into(), render(report).into_bytes())])
    }
}

fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    for i in 1..header.len() {
        if let Some(column) = t.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

fn triple(
    p5: Option<f64>,
    p50: Option<f64>,
    p95: Option<f64>,
    f: impl Fn(f64) -> String,
) -> String {
    format!(
        "{} / {} / {}",
        or_dash(p5, &f),
        or_dash(p50, &f),
        or_dash(p95, &f)
    )
}

/// Both tables as text.
pub fn render(report: &Report) -> String {
    let c = &report.currency;
    let mut debt = new_table(&[
        "Scenario",
        "Debt at horizon P5 / P50 / P95",
        "Trend /week",
        "Verdict",
        "P(rising)",
        "Within SLA",
        "Lost",
        &format!("Dropped-task cost ({c})"),
        &format!("Total cost ({c})"),
    ]);
    for s in &report.scenarios {
        let s = &s.summary;
        let horizon = s.get(Measure::DebtAtHorizon);
        debt.add_row(vec![
            s.name.clone(),
            triple(horizon.p5, horizon.p50, horizon.p95, thousands),
            or_dash(s.get(Measure::TrendPerWeek).p50, |v| format!("{v:+.2}")),
            s.verdict.word().to_string(),
            probability(s.p_rising),
            or_dash(s.get(Measure::SlaShare).mean, percent),
            or_dash(s.get(Measure::Lost).p50, thousands),
            or_dash(s.get(Measure::DroppedCost).p50, money),
            or_dash(s.get(Measure::TotalCost).p50, money),
        ]);
    }

    let mut roi = new_table(&[
        "Against the baseline",
        &format!("Investment ({c})"),
        &format!("Savings ({c})"),
        "ROI P5 / P50 / P95",
        "P(ROI > 0)",
        &format!("NPV P50 ({c})"),
        "Payback month P50",
    ]);
    let mut any = false;
    for s in report.scenarios.iter().filter(|s| !s.summary.baseline) {
        any = true;
        let s = &s.summary;
        let r = s.get(Measure::Roi);
        roi.add_row(vec![
            s.name.clone(),
            or_dash(s.get(Measure::Investment).p50, money),
            or_dash(s.get(Measure::Savings).p50, money),
            triple(r.p5, r.p50, r.p95, percent),
            or_dash(s.p_roi_positive, probability),
            or_dash(s.get(Measure::Npv).p50, money),
            match s.get(Measure::PaybackMonth).p50 {
                Some(m) => format!("{m:.0}"),
                None => "not within horizon".into(),
            },
        ]);
    }

    let runs = report.info.runs;
    let mut out = format!(
        "{} replications, seed {}; debt = open contacts at the end of a day; medians unless marked.\n",
        thousands(runs as f64),
        report.info.seed
    );
    out.push_str(&debt.to_string());
    out.push('\n');
    if any {
        out.push_str(&roi.to_string());
        out.push('\n');
    }
    out
}

//! The comparison tables: shown in the terminal, saved as `table.txt`, and
//! shown again in the HTML report from the same cells.

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

/// A table as text cells: a header and rows; the first column is text,
/// the others are numbers.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Column titles.
    pub header: Vec<String>,
    /// Cells, one row per scenario.
    pub rows: Vec<Vec<String>>,
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

/// Debt and service per scenario.
pub fn debt_grid(report: &Report) -> Grid {
    let c = &report.currency;
    let header = [
        "Scenario".to_string(),
        "Debt at horizon P5 / P50 / P95".into(),
        "Trend /week".into(),
        "Verdict".into(),
        "P(rising)".into(),
        "Within SLA".into(),
        "Lost".into(),
        format!("Dropped-task cost ({c})"),
        format!("Total cost ({c})"),
    ]
    .to_vec();
    let rows = report
        .scenarios
        .iter()
        .map(|s| {
            let s = &s.summary;
            let horizon = s.get(Measure::DebtAtHorizon);
            vec![
                s.name.clone(),
                triple(horizon.p5, horizon.p50, horizon.p95, thousands),
                or_dash(s.get(Measure::TrendPerWeek).p50, |v| format!("{v:+.2}")),
                s.verdict.word().to_string(),
                probability(s.p_rising),
                or_dash(s.get(Measure::SlaShare).mean, percent),
                or_dash(s.get(Measure::Lost).p50, thousands),
                or_dash(s.get(Measure::DroppedCost).p50, money),
                or_dash(s.get(Measure::TotalCost).p50, money),
            ]
        })
        .collect();
    Grid { header, rows }
}

/// Money against the baseline per intervention scenario, if any.
pub fn money_grid(report: &Report) -> Option<Grid> {
    let c = &report.currency;
    let header = [
        "Against the baseline".to_string(),
        format!("Investment ({c})"),
        format!("Savings ({c})"),
        "ROI P5 / P50 / P95".into(),
        "P(ROI > 0)".into(),
        format!("NPV P50 ({c})"),
        "Payback month P50".into(),
    ]
    .to_vec();
    let rows: Vec<Vec<String>> = report
        .scenarios
        .iter()
        .filter(|s| !s.summary.baseline)
        .map(|s| {
            let s = &s.summary;
            let r = s.get(Measure::Roi);
            vec![
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
            ]
        })
        .collect();
    (!rows.is_empty()).then_some(Grid { header, rows })
}

fn text_table(grid: &Grid) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(grid.header.clone());
    for row in &grid.rows {
        t.add_row(row.clone());
    }
    for i in 1..grid.header.len() {
        if let Some(column) = t.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    t.to_string()
}

/// Both tables as text.
pub fn render(report: &Report) -> String {
    let mut out = format!(
        "{} replication{}, seed {}; debt = open contacts at the end of a day; medians unless marked.\n",
        thousands(report.info.runs as f64),
        if report.info.runs == 1 { "" } else { "s" },
        report.info.seed
    );
    out.push_str(&text_table(&debt_grid(report)));
    out.push('\n');
    if let Some(grid) = money_grid(report) {
        out.push_str(&text_table(&grid));
        out.push('\n');
    }
    out
}

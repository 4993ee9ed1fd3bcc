//! Outputs of a run: the terminal table, CSV, JSON, charts and the
//! manifest, each behind the [`Export`] trait in a file of its own, and the
//! run folder they are written to.

pub mod assumptions;
pub mod charts;
pub mod csv;
pub mod format;
pub mod html;
pub mod json;
pub mod manifest;
pub mod output;
pub mod summary;
pub mod table;

use chrono::NaiveDate;

pub use summary::{ScenarioReport, Spread, summarise};

/// Facts about the run, for the manifest and the report.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// aspa's version.
    pub version: &'static str,
    /// Master seed.
    pub seed: u64,
    /// Replications.
    pub runs: u64,
    /// Each scenario file read (the `extends` chains included) with the
    /// SHA-256 of its bytes, in name order.
    pub files: Vec<(String, String)>,
    /// When the run was made (shown in the HTML report only, so that the
    /// other files stay byte-identical between runs).
    pub date: String,
}

/// Everything the outputs are made from.
#[derive(Debug, Clone)]
pub struct Report {
    /// The run.
    pub info: RunInfo,
    /// Currency label.
    pub currency: String,
    /// Day 1 of the horizon.
    pub start_date: NaiveDate,
    /// The scenarios, the baseline first.
    pub scenarios: Vec<ScenarioReport>,
    /// Each scenario's inputs as (parameter, value) text.
    pub assumptions: Vec<Vec<(String, String)>>,
}

impl Report {
    /// The date of day `day` (1-based).
    pub fn date_of(&self, day: usize) -> NaiveDate {
        self.start_date + chrono::Days::new(day.saturating_sub(1) as u64)
    }
}

/// A failure to render an output.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// CSV encoding failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// JSON encoding failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A chart failed to draw.
    #[error("cannot draw chart {name}: {message}")]
    Chart {
        /// The chart's file name.
        name: String,
        /// What went wrong.
        message: String,
    },
}

/// One output format: renders a report into named files.
pub trait Export {
    /// Renders the report into (file name, bytes) pairs.
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError>;
}

/// The names of every file a run folder holds: `--force` replaces a
/// folder only if it holds nothing else.
pub fn output_names() -> Vec<String> {
    let fixed = [
        "summary.csv",
        "daily.csv",
        "summary.json",
        "manifest.json",
        "table.txt",
        "report.html",
    ];
    let charts = charts::Chart::ALL
        .iter()
        .flat_map(|c| [format!("{}.png", c.name()), format!("{}.svg", c.name())]);
    fixed.iter().map(|n| n.to_string()).chain(charts).collect()
}

/// Every file format a run writes, in the order they are written.
pub fn exports() -> Vec<Box<dyn Export>> {
    vec![
        Box::new(csv::SummaryCsv),
        Box::new(csv::DailyCsv),
        Box::new(json::SummaryJson),
        Box::new(manifest::Manifest),
        Box::new(table::TableText),
        Box::new(charts::Charts),
        Box::new(html::Html),
    ]
}

//! `summary.csv` (one row per scenario) and `daily.csv` (day × scenario ×
//! metric). Undefined values are empty cells.

use super::summary::LEVELS;
use super::{Export, Report, ReportError};
use crate::stats::Measure;

/// `summary.csv`.
pub struct SummaryCsv;

/// `daily.csv`.
pub struct DailyCsv;

fn cell(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl Export for SummaryCsv {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = [
            "scenario",
            "baseline",
            "replications",
            "verdict",
            "flat_band_per_week",
            "p_falling",
            "p_flat",
            "p_rising",
            "p_roi_positive",
            "p_payback",
        ]
        .map(String::from)
        .to_vec();
        for m in Measure::ALL {
            for (_, level) in LEVELS {
                header.push(format!("{}_{level}", m.key()));
            }
            header.push(format!("{}_mean", m.key()));
        }
        w.write_record(&header)?;
        for s in &report.scenarios {
            let s = &s.summary;
            let mut row = vec![
                s.name.clone(),
                s.baseline.to_string(),
                s.replications.to_string(),
                s.verdict.word().to_string(),
                s.flat_band_per_week.to_string(),
                s.p_falling.to_string(),
                s.p_flat.to_string(),
                s.p_rising.to_string(),
                cell(s.p_roi_positive),
                cell(s.p_payback),
            ];
            for m in Measure::ALL {
                match s.measures.iter().find(|(k, _)| *k == m) {
                    Some((_, spread)) => row.extend(spread.values().map(cell)),
                    None => row.extend(std::iter::repeat_n(String::new(), 6)),
                }
            }
            w.write_record(&row)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ::csv::Error::from(e.into_error()))?;
        Ok(vec![("summary.csv".into(), bytes)])
    }
}

impl Export for DailyCsv {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        w.write_record([
            "day", "date", "scenario", "metric", "p5", "p25", "p50", "p75", "p95", "mean",
        ])?;
        for s in &report.scenarios {
            for series in &s.daily {
                for (i, spread) in series.days.iter().enumerate() {
                    let day = i + 1;
                    let mut row = vec![
                        day.to_string(),
                        report.date_of(day).to_string(),
                        s.summary.name.clone(),
                        series.metric.to_string(),
                    ];
                    row.extend(spread.values().map(cell));
                    w.write_record(&row)?;
                }
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| ::csv::Error::from(e.into_error()))?;
        Ok(vec![("daily.csv".into(), bytes)])
    }
}

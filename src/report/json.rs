//! `summary.json`: the numbers of `summary.csv` as nested objects.
//! Undefined values are `null`; JSON never holds NaN or infinity.

use serde_json::{Map, Value, json};

use super::{Export, Report, ReportError};

/// `summary.json`.
pub struct SummaryJson;

fn number(v: Option<f64>) -> Value {
    v.filter(|x| x.is_finite()).map_or(Value::Null, Value::from)
}

impl Export for SummaryJson {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        let scenarios: Vec<Value> = report
            .scenarios
            .iter()
            .map(|s| {
                let s = &s.summary;
                let mut measures = Map::new();
                for (m, spread) in &s.measures {
                    measures.insert(
                        m.key().into(),
                        json!({
                            "mean": number(spread.mean),
                            "p5": number(spread.p5),
                            "p25": number(spread.p25),
                            "p50": number(spread.p50),
                            "p75": number(spread.p75),
                            "p95": number(spread.p95),
                        }),
                    );
                }
                json!({
                    "name": s.name,
                    "baseline": s.baseline,
                    "file": s.file,
                    "replications": s.replications,
                    "trend": {
                        "verdict": s.verdict,
                        "flat_band_per_week": number(Some(s.flat_band_per_week)),
                        "p_falling": number(Some(s.p_falling)),
                        "p_flat": number(Some(s.p_flat)),
                        "p_rising": number(Some(s.p_rising)),
                    },
                    "p_roi_positive": number(s.p_roi_positive),
                    "p_payback": number(s.p_payback),
                    "measures": measures,
                })
            })
            .collect();
        let doc = json!({
            "aspa_version": report.info.version,
            "seed": report.info.seed,
            "runs": report.info.runs,
            "currency": report.currency,
            "start_date": report.start_date.to_string(),
            "quantile_definition": "P_q = min{x : F(x) >= q}, the ceil(n q)-th smallest value",
            "scenarios": scenarios,
        });
        let mut bytes = serde_json::to_vec_pretty(&doc)?;
        bytes.push(b'\n');
        Ok(vec![("summary.json".into(), bytes)])
    }
}

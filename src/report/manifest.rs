//! `manifest.json`: what produced the run, so that it can be reproduced.

use serde_json::json;

use super::{Export, Report, ReportError};

/// `manifest.json`.
pub struct Manifest;

impl Export for Manifest {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        let files: Vec<_> = report
            .info
            .files
            .iter()
            .map(|(path, hash)| json!({"path": path, "sha256": hash}))
            .collect();
        let doc = json!({
            "aspa_version": report.info.version,
            "seed": report.info.seed,
            "runs": report.info.runs,
            "scenarios": report.scenarios.iter().map(|s| &s.summary.name).collect::<Vec<_>>(),
            "files": files,
            "reproduce": format!(
                "aspa run --seed {} --runs {} <the files above>",
                report.info.seed, report.info.runs
            ),
        });
        let mut bytes = serde_json::to_vec_pretty(&doc)?;
        bytes.push(b'\n');
        Ok(vec![("manifest.json".into(), bytes)])
    }
}

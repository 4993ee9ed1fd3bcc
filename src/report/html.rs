//! `report.html`: one self-contained file a service lead can mail to a
//! colleague. Charts are inline SVG, styles are inline, and nothing is
//! fetched from anywhere, so it opens in any browser without a network.

use std::fmt::Write;

use super::charts::{self, Chart};
use super::format::{percent, probability, thousands};
use super::table::{Grid, debt_grid, money_grid};
use super::{Export, Report, ReportError, ScenarioReport};
use crate::stats::Measure;

/// `report.html`.
pub struct Html;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: system-ui, 'Noto Sans', 'Segoe UI', Helvetica, Arial, sans-serif; color: #111;
       max-width: 1240px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
p.lead { color: #444; margin-top: 0; }
ul.headlines { list-style: none; padding: 0; } ul.headlines li { border-left: 6px solid; padding: .3rem .8rem; margin: .4rem 0; background: #f6f6f6; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .92rem; }
th, td { border: 1px solid #ccc; padding: .3rem .55rem; vertical-align: top; }
th { background: #eee; text-align: left; } td.num { text-align: right; white-space: nowrap; }
td.diff { background: #fff3cd; } td.param { font-weight: 600; white-space: nowrap; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
figcaption { color: #444; font-size: .92rem; margin-top: .3rem; }
code { font-size: .88rem; } footer { margin-top: 3rem; color: #666; font-size: .85rem; }
";

fn hex(i: usize) -> String {
    let c = charts::colour(i);
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// The headline of one scenario in plain words.
pub fn headline(s: &ScenarioReport, report: &Report) -> String {
    let m = &s.summary;
    let mut text = format!(
        "{}: debt {}, P(rising) {}",
        m.name,
        m.verdict.word(),
        probability(m.p_rising)
    );
    if m.baseline {
        if let Some(debt) = m.get(Measure::DebtAtHorizon).p50 {
            let _ = write!(text, "; median debt at the horizon {}", thousands(debt));
        }
        if let Some(cost) = m.get(Measure::TotalCost).p50 {
            let _ = write!(text, "; total cost {} {}", thousands(cost), report.currency);
        }
        text.push_str(". This is the baseline the others are compared with.");
        return text;
    }
    match m.get(Measure::Roi).p50 {
        Some(roi) => {
            let _ = write!(
                text,
                "; ROI median {}, P(ROI > 0) {}",
                percent(roi),
                probability(m.p_roi_positive.unwrap_or(0.0))
            );
        }
        None => text.push_str("; ROI undefined (no investment)"),
    }
    match m.get(Measure::PaybackMonth).p50 {
        Some(0.0) => text.push_str("; pays for itself from the start."),
        Some(month) => {
            let _ = write!(text, "; pays back in month {month:.0}.");
        }
        None => text.push_str("; does not pay back within the horizon."),
    }
    text
}

fn grid_html(out: &mut String, grid: &Grid) {
    out.push_str("<table><thead><tr>");
    for h in &grid.header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &grid.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i == 0 { "" } else { " class=\"num\"" };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn assumptions_html(out: &mut String, report: &Report) {
    // Parameters in the baseline's order, then any the others add.
    let mut keys: Vec<&str> = Vec::new();
    for list in &report.assumptions {
        for (k, _) in list {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    let value = |i: usize, key: &str| -> String {
        report.assumptions[i]
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    };
    out.push_str("<table><thead><tr><th>Parameter</th>");
    for s in &report.scenarios {
        let _ = write!(out, "<th>{}</th>", escape(&s.summary.name));
    }
    out.push_str("</tr></thead><tbody>");
    for key in keys {
        let base = value(0, key);
        let _ = write!(out, "<tr><td class=\"param\">{}</td>", escape(key));
        for i in 0..report.scenarios.len() {
            let v = value(i, key);
            let class = if i > 0 && v != base {
                " class=\"diff\""
            } else {
                ""
            };
            let shown = if v.is_empty() {
                "–".to_string()
            } else {
                escape(&v)
            };
            let _ = write!(out, "<td{class}>{shown}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

/// The whole report as HTML text.
pub fn render(report: &Report) -> Result<String, ReportError> {
    let base = report
        .scenarios
        .first()
        .map_or("", |s| s.summary.name.as_str());
    let days = report
        .scenarios
        .first()
        .and_then(|s| s.daily.first())
        .map_or(1, |d| d.days.len());
    let end = report.date_of(days);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>aspa report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(base)
    );
    let _ = write!(
        out,
        "<header><h1>Contact debt: {} and {} alternative{}</h1>\n<p class=\"lead\">{} to {} · {} replication{} · seed {}. \
         Contact debt is the number of contacts still open at the end of a day; a rising trend means problems \
         are piling up. Every number below is a distribution over replications of the same year: P50 is the \
         median, P5 and P95 bound nine in ten outcomes.</p></header>\n",
        escape(base),
        report.scenarios.len().saturating_sub(1),
        if report.scenarios.len() == 2 { "" } else { "s" },
        report.start_date,
        end,
        thousands(report.info.runs as f64),
        if report.info.runs == 1 { "" } else { "s" },
        report.info.seed
    );

    out.push_str("<section id=\"headlines\"><h2>In short</h2><ul class=\"headlines\">\n");
    for (i, s) in report.scenarios.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li style=\"border-left-color:{}\">{}</li>",
            hex(i),
            escape(&headline(s, report))
        );
    }
    out.push_str("</ul></section>\n");

    out.push_str("<section id=\"summary\"><h2>Summary</h2>\n");
    grid_html(&mut out, &debt_grid(report));
    if let Some(grid) = money_grid(report) {
        grid_html(&mut out, &grid);
    }
    let _ = writeln!(
        out,
        "<p>Trend: Theil–Sen slope of weekly median debt, seasonally adjusted, in contacts per week; flat \
         within ±0.5 % of a week's demand. Savings and ROI are against the baseline in the same replication; \
         money in {}.</p></section>",
        escape(&report.currency)
    );

    out.push_str("<section id=\"charts\"><h2>Charts</h2>\n");
    for chart in Chart::ALL {
        let svg = charts::svg(chart, report).map_err(|message| ReportError::Chart {
            name: chart.name().into(),
            message,
        })?;
        // Inline SVG needs no XML prolog; plotters writes none, but be sure.
        let svg = svg.find("<svg").map_or(svg.as_str(), |start| &svg[start..]);
        let _ = writeln!(
            out,
            "<figure class=\"chart\" id=\"chart-{}\">{svg}<figcaption>{}</figcaption></figure>",
            chart.name(),
            escape(chart.caption())
        );
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"assumptions\"><h2>Assumptions</h2>\n<p>Each scenario's inputs; cells that differ from the baseline are highlighted.</p>\n");
    assumptions_html(&mut out, report);
    out.push_str("</section>\n");

    let _ = write!(
        out,
        "<section id=\"manifest\"><h2>Run</h2>\n<table><tbody>\
         <tr><td class=\"param\">aspa version</td><td>{}</td></tr>\
         <tr><td class=\"param\">seed</td><td>{}</td></tr>\
         <tr><td class=\"param\">replications</td><td>{}</td></tr>\
         <tr><td class=\"param\">date</td><td>{}</td></tr></tbody></table>\n\
         <table><thead><tr><th>Scenario file</th><th>SHA-256</th></tr></thead><tbody>",
        escape(report.info.version),
        report.info.seed,
        report.info.runs,
        escape(&report.info.date)
    );
    for (path, hash) in &report.info.files {
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            escape(path),
            escape(hash)
        );
    }
    out.push_str("</tbody></table></section>\n");
    let _ = write!(
        out,
        "<footer>Made with aspa {}. The model and every parameter are described in MODEL.md of the aspa \
         repository. Reproduce with the seed, the replication count and the files above.</footer>\n</body>\n</html>\n",
        escape(report.info.version)
    );
    Ok(out)
}

impl Export for Html {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        Ok(vec![("report.html".into(), render(report)?.into_bytes())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
    }
}

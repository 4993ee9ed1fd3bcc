//! The trend verdicts: P(falling), P(flat), P(rising) per scenario.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{Drawn, FONT, Mark, Report, colour, legend_rows, rows_mesh, titled};

/// The categories, light to dark: rising is the one that must stand out.
const SHADES: [(RGBColor, &str); 3] = [
    (RGBColor(205, 205, 205), "falling"),
    (RGBColor(140, 140, 140), "flat"),
    (RGBColor(40, 40, 40), "rising"),
];

/// Stacked bars of the three verdict shares.
pub fn verdicts<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let area = titled(
        root,
        "Trend of the debt: share of replications falling, flat or rising",
    )?;
    let shades: Vec<(String, RGBColor)> = SHADES
        .iter()
        .map(|&(shade, word)| (word.to_string(), shade))
        .collect();
    let area = legend_rows(&area, &shades, Mark::Block)?;
    let n = report.scenarios.len();
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(280)
        .build_cartesian_2d(0.0..1.0, -0.5..n as f64 - 0.5)?;
    let names: Vec<String> = report
        .scenarios
        .iter()
        .map(|s| s.summary.name.clone())
        .collect();
    rows_mesh(
        &mut chart,
        "Share of replications",
        &|v| format!("{:.0} %", v * 100.0),
        &names,
    )?;
    for (row, s) in report.scenarios.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        let shares = [s.summary.p_falling, s.summary.p_flat, s.summary.p_rising];
        let mut left = 0.0;
        for (k, (&share, (shade, _))) in shares.iter().zip(SHADES).enumerate() {
            let right = (left + share).min(1.0);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, y - 0.3), (right, y + 0.3)],
                shade.filled(),
            )))?;
            if share >= 0.08 {
                let ink = if k == 2 { WHITE } else { BLACK };
                chart.draw_series(std::iter::once(Text::new(
                    format!("{:.0} %", share * 100.0),
                    ((left + right) / 2.0 - 0.02, y + 0.08),
                    (FONT, 14).into_font().color(&ink),
                )))?;
            }
            left = right;
        }
        // The scenario's own colour marks its row.
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.32), (1.0, y + 0.38)],
            colour(row).filled(),
        )))?;
    }
    Ok(())
}

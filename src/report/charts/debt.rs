//! Charts of the debt itself: fan charts, medians, composition and age.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Drawn, Mark, Report, colour, count_label, day_range, fan, legend_rows, panel_cols, panel_rows,
    panel_title_style, points, scenario_entries, series, span, time_mesh, titled, wide_line,
};
use crate::report::format::percent;

/// One fan chart per scenario, on a shared y axis.
pub fn fan_panels<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let area = titled(
        root,
        "Contact debt per scenario: median, P25–P75 and P5–P95 over replications",
    )?;
    let (x0, x1) = day_range(report);
    let (y0, y1) = span(
        report.scenarios.iter().flat_map(|s| {
            series(s, "debt")
                .iter()
                .flat_map(|d| [d.p5, d.p95])
                .flatten()
        }),
        true,
    );
    let n = report.scenarios.len();
    let panels = area.split_evenly((panel_rows(n), panel_cols(n)));
    for (i, (s, panel)) in report.scenarios.iter().zip(&panels).enumerate() {
        let mut chart = ChartBuilder::on(panel)
            .caption(&s.summary.name, panel_title_style(colour(i)))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        time_mesh(&mut chart, report, "Open contacts", &|v| count_label(*v), 3)?;
        fan(&mut chart, series(s, "debt"), colour(i), true)?;
    }
    Ok(())
}

/// The median debt of every scenario in one chart.
pub fn medians<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let area = titled(root, "Median contact debt of every scenario")?;
    let area = legend_rows(&area, &scenario_entries(report), Mark::Line)?;
    median_lines(
        &area,
        report,
        "debt",
        "Open contacts at end of day (median)",
        &|v| count_label(*v),
        1,
    )
}

/// One line per scenario: the median of a daily `metric` over
/// replications, on a y axis from 0 that fits them all.
fn median_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report,
    metric: &str,
    y_desc: &str,
    y_fmt: &dyn Fn(&f64) -> String,
    average_days: usize,
) -> Drawn<DB> {
    let (x0, x1) = day_range(report);
    let lines: Vec<Vec<(f64, f64)>> = report
        .scenarios
        .iter()
        .map(|s| trailing_mean(&points(series(s, metric), |d| d.p50), average_days))
        .collect();
    let (y0, y1) = span(lines.iter().flatten().map(|&(_, y)| y), true);
    let mut chart = ChartBuilder::on(area)
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    time_mesh(&mut chart, report, y_desc, y_fmt, 8)?;
    for (i, line) in lines.iter().enumerate() {
        wide_line(&mut chart, line, colour(i))?;
    }
    Ok(())
}

/// Each point's value averaged with those of up to `days − 1` points
/// before it (fewer at the start); `days` of 1 leaves the line as it is.
fn trailing_mean(line: &[(f64, f64)], days: usize) -> Vec<(f64, f64)> {
    let days = days.max(1);
    let mut sum = 0.0;
    line.iter()
        .enumerate()
        .map(|(k, &(x, y))| {
            sum += y;
            if k >= days {
                sum -= line[k - days].1;
            }
            (x, sum / (k + 1).min(days) as f64)
        })
        .collect()
}

/// Mean visible and mean dropped debt, stacked, per scenario.
pub fn composition<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
) -> Drawn<DB> {
    let area = titled(
        root,
        "Visible and dropped (hidden) debt per scenario, means over replications",
    )?;
    // One legend for all panels, in the shades of black that each panel
    // takes of its scenario's colour.
    let shades = [
        ("visible (dark shade)".to_string(), RGBColor(64, 64, 64)),
        (
            "dropped, hidden (light shade)".to_string(),
            RGBColor(191, 191, 191),
        ),
    ];
    let area = legend_rows(&area, &shades, Mark::Block)?;
    let (x0, x1) = day_range(report);
    let (y0, y1) = span(
        report
            .scenarios
            .iter()
            .flat_map(|s| series(s, "debt").iter().filter_map(|d| d.mean)),
        true,
    );
    let n = report.scenarios.len();
    let panels = area.split_evenly((panel_rows(n), panel_cols(n)));
    for (i, (s, panel)) in report.scenarios.iter().zip(&panels).enumerate() {
        let c = colour(i);
        let mut chart = ChartBuilder::on(panel)
            .caption(&s.summary.name, panel_title_style(c))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        time_mesh(
            &mut chart,
            report,
            "Open contacts (mean)",
            &|v| count_label(*v),
            3,
        )?;
        let visible = series(s, "visible");
        let dropped = series(s, "dropped");
        let zero: Vec<(f64, f64)> = (0..visible.len()).map(|d| ((d + 1) as f64, 0.0)).collect();
        let visible_top: Vec<(f64, f64)> = points(visible, |d| d.mean);
        let total_top: Vec<(f64, f64)> = visible
            .iter()
            .zip(dropped)
            .enumerate()
            .filter_map(|(d, (v, x))| Some(((d + 1) as f64, v.mean? + x.mean?)))
            .collect();
        let stack = |top: &[(f64, f64)], bottom: &[(f64, f64)]| -> Vec<(f64, f64)> {
            top.iter()
                .copied()
                .chain(bottom.iter().rev().copied())
                .collect()
        };
        chart.draw_series(std::iter::once(Polygon::new(
            stack(&visible_top, &zero),
            c.mix(0.75),
        )))?;
        chart.draw_series(std::iter::once(Polygon::new(
            stack(&total_top, &visible_top),
            c.mix(0.25),
        )))?;
    }
    Ok(())
}

/// Share of open contacts past the SLA, and the P90 age of open contacts.
pub fn backlog_age<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
) -> Drawn<DB> {
    let area = titled(
        root,
        "How late the debt is: share past the SLA and P90 age (medians, mean of the last 7 days)",
    )?;
    let area = legend_rows(&area, &scenario_entries(report), Mark::Line)?;
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 / 2);
    median_lines(
        &top,
        report,
        "past_sla_share",
        "Open contacts past the SLA",
        &|v| percent(*v),
        7,
    )?;
    median_lines(
        &bottom,
        report,
        "age_p90",
        "P90 age of open contacts (days)",
        &|v| count_label(*v),
        7,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailing_mean_averages_at_most_the_last_days() {
        let line = [(1.0, 7.0), (2.0, 0.0), (3.0, 0.0), (4.0, 7.0)];
        let mean = trailing_mean(&line, 3);
        assert_eq!(
            mean,
            [(1.0, 7.0), (2.0, 3.5), (3.0, 7.0 / 3.0), (4.0, 7.0 / 3.0)]
        );
        assert_eq!(trailing_mean(&line, 1), line);
    }
}

//! Charts of money against the baseline: ROI, NPV, payback, costs.

use chrono::Months;
use plotters::coord::Shift;
use plotters::prelude::*;

use super::{
    Drawn, Mark, Report, colour, compared, day_range, fan, label_style, legend_rows,
    nothing_to_compare, rows_mesh, series, span, time_mesh, titled,
};
use crate::report::format::{money, percent};
use crate::report::summary::Spread;
use crate::stats::Measure;

/// One box of a box chart.
struct BoxRow {
    colour: RGBColor,
    name: String,
    spread: Spread,
    note: String,
}

/// Horizontal boxes: P25–P75 box, P5–P95 whiskers, median bar.
fn boxes<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    x_desc: &str,
    rows: &[BoxRow],
    fmt: &dyn Fn(f64) -> String,
) -> Drawn<DB> {
    let area = titled(root, title)?;
    let (x0, x1) = span(
        rows.iter()
            .flat_map(|r| [r.spread.p5, r.spread.p95])
            .flatten(),
        true,
    );
    let n = rows.len();
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(280)
        .build_cartesian_2d(x0..x1, -0.5..n as f64 - 0.5)?;
    rows_mesh(&mut chart, x_desc, &|v| fmt(*v), &names)?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
        BLACK.mix(0.6).stroke_width(2),
    )))?;
    for (row, r) in rows.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        let c = r.colour;
        let s = &r.spread;
        let (Some(p5), Some(p25), Some(p50), Some(p75), Some(p95)) =
            (s.p5, s.p25, s.p50, s.p75, s.p95)
        else {
            chart.draw_series(std::iter::once(Text::new(
                "undefined: no investment".to_string(),
                (x0, y),
                label_style(),
            )))?;
            continue;
        };
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(p5, y), (p95, y)],
            c.stroke_width(2),
        )))?;
        for w in [p5, p95] {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(w, y - 0.12), (w, y + 0.12)],
                c.stroke_width(2),
            )))?;
        }
        chart.draw_series(std::iter::once(Rectangle::new(
            [(p25, y - 0.22), (p75, y + 0.22)],
            c.mix(0.45).filled(),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(p50, y - 0.22), (p50, y + 0.22)],
            BLACK.stroke_width(3),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            r.note.clone(),
            (p25, y + 0.42),
            label_style(),
        )))?;
    }
    Ok(())
}

/// ROI per intervention, with P(ROI > 0).
pub fn roi<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let title = "ROI against the baseline: box P25–P75, whiskers P5–P95";
    let items = compared(report);
    if items.is_empty() {
        return nothing_to_compare(root, title);
    }
    let scale = |v: Option<f64>| v.map(|x| x * 100.0);
    let rows: Vec<BoxRow> = items
        .iter()
        .map(|(i, s)| {
            let r = &s.roi;
            BoxRow {
                colour: colour(*i),
                name: s.summary.name.clone(),
                spread: Spread {
                    mean: scale(r.mean),
                    p5: scale(r.p5),
                    p25: scale(r.p25),
                    p50: scale(r.p50),
                    p75: scale(r.p75),
                    p95: scale(r.p95),
                },
                note: format!(
                    "median {}, P(ROI > 0) = {:.2}",
                    r.p50.map_or("undefined".into(), percent),
                    s.summary.p_roi_positive.unwrap_or(0.0)
                ),
            }
        })
        .collect();
    boxes(
        root,
        title,
        "ROI (%) = (savings − investment) / investment",
        &rows,
        &|v| format!("{v:.0} %"),
    )
}

/// NPV per intervention.
pub fn npv<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let title = "Net present value against the baseline: box P25–P75, whiskers P5–P95";
    let items = compared(report);
    if items.is_empty() {
        return nothing_to_compare(root, title);
    }
    let rows: Vec<BoxRow> = items
        .iter()
        .map(|(i, s)| {
            let spread = *s.summary.get(Measure::Npv);
            let positive = spread.p50.is_some_and(|v| v > 0.0);
            BoxRow {
                colour: colour(*i),
                name: s.summary.name.clone(),
                spread,
                note: format!(
                    "median {} {}{}",
                    spread.p50.map_or("–".into(), money),
                    report.currency,
                    if positive { "" } else { " (loses money)" }
                ),
            }
        })
        .collect();
    let x_desc = format!("NPV ({}), discounted monthly", report.currency);
    boxes(root, title, &x_desc, &rows, &money)
}

/// Cumulative net benefit per intervention with the break-even line and
/// the median payback month marked.
pub fn payback<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let title = "Payback: cumulative net benefit against the baseline, median and P25–P75";
    let items = compared(report);
    if items.is_empty() {
        return nothing_to_compare(root, title);
    }
    let area = titled(root, title)?;
    // The payback month goes into the legend: the markers of scenarios that
    // pay back in the same month coincide, and labels beside them would.
    let paybacks: Vec<Option<f64>> = items
        .iter()
        .map(|(_, s)| s.summary.get(Measure::PaybackMonth).p50)
        .collect();
    let entries: Vec<(String, RGBColor)> = std::iter::once(("break-even".to_string(), BREAK_EVEN))
        .chain(items.iter().zip(&paybacks).map(|((i, s), payback)| {
            let name = &s.summary.name;
            let label = match payback {
                Some(month) => format!("{name}: pays back in month {month:.0}"),
                None => format!("{name}: does not pay back within the horizon"),
            };
            (label, colour(*i))
        }))
        .collect();
    let area = legend_rows(&area, &entries, Mark::Line)?;
    let metric = "cumulative_net_benefit";
    let (x0, x1) = day_range(report);
    let (y0, y1) = span(
        items.iter().flat_map(|(_, s)| {
            series(s, metric)
                .iter()
                .flat_map(|d| [d.p25, d.p75])
                .flatten()
        }),
        true,
    );
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let y_desc = format!("Net benefit ({})", report.currency);
    time_mesh(&mut chart, report, &y_desc, &|v| money(*v), 8)?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x0, 0.0), (x1, 0.0)],
        BREAK_EVEN.stroke_width(2),
    )))?;
    for ((i, s), payback) in items.iter().zip(paybacks) {
        let c = colour(*i);
        fan(&mut chart, series(s, metric), c, false)?;
        // Month m ends the day before the same date m months later.
        let Some(end) = payback.and_then(|month| {
            report
                .start_date
                .checked_add_months(Months::new(month as u32))
        }) else {
            continue;
        };
        let day = ((end - report.start_date).num_days() as f64).clamp(x0, x1);
        let marker = EmptyElement::at((day, 0.0)) + Circle::new((0, 0), 7, c.filled());
        chart.draw_series(std::iter::once(marker))?;
    }
    Ok(())
}

/// The break-even line: black at 70 % on white.
const BREAK_EVEN: RGBColor = RGBColor(77, 77, 77);

/// The kinds of cost, light to dark.
const KINDS: [(Measure, &str, RGBColor); 4] = [
    (Measure::LabourCost, "labour", RGBColor(215, 215, 215)),
    (
        Measure::DelayCost,
        "delay past the SLA",
        RGBColor(165, 165, 165),
    ),
    (Measure::LostCost, "lost customers", RGBColor(105, 105, 105)),
    (
        Measure::InterventionCost,
        "interventions",
        RGBColor(35, 35, 35),
    ),
];

/// Mean total cost per scenario, stacked by kind.
pub fn costs<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let area = titled(
        root,
        "Cost over the horizon by kind, mean over replications",
    )?;
    let kinds: Vec<(String, RGBColor)> = KINDS
        .iter()
        .map(|&(_, word, shade)| (word.to_string(), shade))
        .collect();
    let area = legend_rows(&area, &kinds, Mark::Block)?;
    let n = report.scenarios.len();
    let total = |s: &crate::report::ScenarioReport| -> f64 {
        KINDS
            .iter()
            .filter_map(|(m, _, _)| s.summary.get(*m).mean)
            .sum()
    };
    // Room on the right for the total written after each bar.
    let (_, x1) = span(report.scenarios.iter().map(total), true);
    let x1 = x1 * 1.15;
    let names: Vec<String> = report
        .scenarios
        .iter()
        .map(|s| s.summary.name.clone())
        .collect();
    let mut chart = ChartBuilder::on(&area)
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(280)
        .build_cartesian_2d(0.0..x1, -0.5..n as f64 - 0.5)?;
    rows_mesh(
        &mut chart,
        &format!("Cost ({})", report.currency),
        &|v| money(*v),
        &names,
    )?;
    for (row, s) in report.scenarios.iter().enumerate() {
        let y = (n - 1 - row) as f64;
        let mut left = 0.0;
        for (m, _, shade) in KINDS {
            let value = s.summary.get(m).mean.unwrap_or(0.0).max(0.0);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, y - 0.3), (left + value, y + 0.3)],
                shade.filled(),
            )))?;
            left += value;
        }
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y + 0.32), (left, y + 0.38)],
            colour(row).filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            format!("{} {}", money(left), report.currency),
            (left, y - 0.1),
            label_style(),
        )))?;
    }
    Ok(())
}

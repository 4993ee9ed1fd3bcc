//! Charts, each as PNG and SVG: the debt fan chart, the ROI distribution
//! per intervention and the cumulative net benefit.
//!
//! Text is drawn with Noto Sans compiled into the binary, so charts render
//! the same on a machine with no fonts. Every axis range passes through
//! [`span`], so plotters never sees NaN, infinity or an empty range.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::format::{money, percent};
use super::summary::Spread;
use super::{Export, Report, ReportError};

/// All chart files.
pub struct Charts;

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 700;
const FONT: &str = "sans-serif";

/// Okabe–Ito colours, which readers with colour-vision deficiencies can
/// tell apart; scenario i always gets colour i (the baseline black).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(0, 114, 178),
    RGBColor(204, 121, 167),
    RGBColor(240, 228, 66),
];

/// The colour of scenario `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The fonts are compiled in; failing to parse them is impossible
        // short of a corrupt build, and then text is simply not drawn.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, notosans::REGULAR_TTF);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, notosans::BOLD_TTF);
    });
}

/// A finite, non-empty axis range covering `values` with a margin.
pub fn span(values: impl IntoIterator<Item = f64>, include_zero: bool) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        let pad = (hi.abs() * 0.1).max(1.0);
        return (lo - pad, hi + pad);
    }
    let pad = (hi - lo) * 0.05;
    (
        if include_zero && lo >= 0.0 {
            lo
        } else {
            lo - pad
        },
        hi + pad,
    )
}

/// The charts drawn.
#[derive(Debug, Clone, Copy)]
enum Chart {
    DebtFan,
    Roi,
    NetBenefit,
}

impl Chart {
    fn name(self) -> &'static str {
        match self {
            Chart::DebtFan => "debt_fan",
            Chart::Roi => "roi",
            Chart::NetBenefit => "net_benefit",
        }
    }

    fn draw<DB: DrawingBackend>(self, root: DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
        match self {
            Chart::DebtFan => debt_fan(root, report),
            Chart::Roi => roi(root, report),
            Chart::NetBenefit => net_benefit(root, report),
        }
    }
}

type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Renders one chart into a PNG and an SVG file.
fn both(chart: Chart, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let name = chart.name();
    let fail = |e: String| ReportError::Chart {
        name: name.to_string(),
        message: e,
    };
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        chart
            .draw(root.clone(), report)
            .map_err(|e| fail(format!("{e:?}")))?;
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, WIDTH, HEIGHT, image::ColorType::Rgb8)
        .map_err(|e| fail(e.to_string()))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        chart
            .draw(root.clone(), report)
            .map_err(|e| fail(format!("{e:?}")))?;
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    Ok(vec![
        (format!("{name}.png"), png),
        (format!("{name}.svg"), svg.into_bytes()),
    ])
}

use image::ImageEncoder;

impl Export for Charts {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        register_fonts();
        let mut files = Vec::new();
        for chart in [Chart::DebtFan, Chart::Roi, Chart::NetBenefit] {
            files.extend(both(chart, report)?);
        }
        Ok(files)
    }
}

fn title_style() -> TextStyle<'static> {
    (FONT, 26).into_font().style(FontStyle::Bold).into()
}

fn label_style() -> TextStyle<'static> {
    (FONT, 16).into_font().into()
}

/// Days on the x axis, labelled with calendar dates.
fn date_label(report: &Report, day: f64) -> String {
    if day < 1.0 {
        return String::new();
    }
    report
        .date_of(day.round() as usize)
        .format("%d %b %Y")
        .to_string()
}

fn day_range(report: &Report) -> (f64, f64) {
    let days = report
        .scenarios
        .first()
        .map_or(1, |s| s.daily.first().map_or(1, |d| d.days.len()));
    if days <= 1 {
        (0.5, 1.5)
    } else {
        (1.0, days as f64)
    }
}

/// A median line with P25–P75 and (optionally) P5–P95 bands.
fn fan<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    days: &[Spread],
    colour: RGBColor,
    label: &str,
    outer: bool,
) -> Drawn<DB> {
    let band =
        |lo: fn(&Spread) -> Option<f64>, hi: fn(&Spread) -> Option<f64>| -> Vec<(f64, f64)> {
            let upper = days
                .iter()
                .enumerate()
                .filter_map(|(i, s)| hi(s).map(|v| ((i + 1) as f64, v)));
            let lower: Vec<(f64, f64)> = days
                .iter()
                .enumerate()
                .filter_map(|(i, s)| lo(s).map(|v| ((i + 1) as f64, v)))
                .collect();
            upper.chain(lower.into_iter().rev()).collect()
        };
    if outer {
        chart.draw_series(std::iter::once(Polygon::new(
            band(|s| s.p5, |s| s.p95),
            colour.mix(0.10),
        )))?;
    }
    chart.draw_series(std::iter::once(Polygon::new(
        band(|s| s.p25, |s| s.p75),
        colour.mix(0.22),
    )))?;
    let median: Vec<(f64, f64)> = days
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.p50.map(|v| ((i + 1) as f64, v)))
        .collect();
    chart
        .draw_series(LineSeries::new(median, colour.stroke_width(3)))?
        .label(label.to_string())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3)));
    Ok(())
}

fn debt_fan<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    root.fill(&WHITE)?;
    let (x0, x1) = day_range(report);
    let (y0, y1) = span(
        report
            .scenarios
            .iter()
            .flat_map(|s| s.daily[0].days.iter().flat_map(|d| [d.p5, d.p95]).flatten()),
        true,
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Contact debt: median, P25–P75 and P5–P95 over replications",
            title_style(),
        )
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(80)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("Date")
        .y_desc("Open contacts at end of day")
        .x_label_formatter(&|d| date_label(report, *d))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style(label_style())
        .axis_desc_style(label_style())
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, s) in report.scenarios.iter().enumerate() {
        fan(
            &mut chart,
            &s.daily[0].days,
            colour(i),
            &s.summary.name,
            true,
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(label_style())
        .draw()?;
    Ok(())
}

fn no_interventions<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str) -> Drawn<DB> {
    root.fill(&WHITE)?;
    root.draw(&Text::new(title.to_string(), (40, 40), title_style()))?;
    root.draw(&Text::new(
        "The run has only a baseline: there is nothing to compare.".to_string(),
        (40, 100),
        label_style(),
    ))?;
    Ok(())
}

fn roi<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let title = "ROI per intervention against the baseline (box P25–P75, whiskers P5–P95)";
    let items: Vec<(usize, &super::ScenarioReport)> = report
        .scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.summary.baseline)
        .collect();
    if items.is_empty() {
        return no_interventions(&root, title);
    }
    root.fill(&WHITE)?;
    let (x0, x1) = span(
        items
            .iter()
            .flat_map(|(_, s)| [s.roi.p5, s.roi.p95])
            .flatten()
            .map(|v| v * 100.0),
        true,
    );
    let n = items.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, title_style())
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(260)
        .build_cartesian_2d(x0..x1, -0.5..n - 0.5)?;
    chart
        .configure_mesh()
        .x_desc("ROI (%) = (savings − investment) / investment")
        .y_labels(items.len().max(1))
        .y_label_formatter(&|y| {
            let i = y.round();
            if (y - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < items.len() {
                items[items.len() - 1 - i as usize].1.summary.name.clone()
            } else {
                String::new()
            }
        })
        .x_label_formatter(&|v| format!("{v:.0} %"))
        .label_style(label_style())
        .axis_desc_style(label_style())
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.5), (0.0, n - 0.5)],
        BLACK.mix(0.6).stroke_width(2),
    )))?;
    for (row, (i, s)) in items.iter().enumerate() {
        let y = (items.len() - 1 - row) as f64;
        let c = colour(*i);
        let pct = |v: Option<f64>| v.map(|x| x * 100.0);
        let (Some(p5), Some(p25), Some(p50), Some(p75), Some(p95)) = (
            pct(s.roi.p5),
            pct(s.roi.p25),
            pct(s.roi.p50),
            pct(s.roi.p75),
            pct(s.roi.p95),
        ) else {
            chart.draw_series(std::iter::once(Text::new(
                "ROI undefined: no investment".to_string(),
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
            [(p25, y - 0.25), (p75, y + 0.25)],
            c.mix(0.45).filled(),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(p50, y - 0.25), (p50, y + 0.25)],
            BLACK.stroke_width(3),
        )))?;
        let note = format!(
            "median {}, P(ROI > 0) {:.2}",
            percent(p50 / 100.0),
            s.summary.p_roi_positive.unwrap_or(0.0)
        );
        chart.draw_series(std::iter::once(Text::new(
            note,
            (p25, y + 0.42),
            label_style(),
        )))?;
    }
    Ok(())
}

fn net_benefit<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
    let title = "Cumulative net benefit against the baseline: median and P25–P75";
    let items: Vec<(usize, &super::ScenarioReport)> = report
        .scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.summary.baseline)
        .collect();
    if items.is_empty() {
        return no_interventions(&root, title);
    }
    root.fill(&WHITE)?;
    let metric = crate::stats::NET_BENEFIT;
    let series = |s: &super::ScenarioReport| -> Vec<Spread> {
        s.daily
            .iter()
            .find(|d| d.metric == crate::stats::DAILY_METRICS[metric])
            .map(|d| d.days.clone())
            .unwrap_or_default()
    };
    let (x0, x1) = day_range(report);
    let (y0, y1) = span(
        items
            .iter()
            .flat_map(|(_, s)| series(s).into_iter().flat_map(|d| [d.p25, d.p75]).flatten()),
        true,
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(title, title_style())
        .margin(20)
        .x_label_area_size(50)
        .y_label_area_size(90)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("Date")
        .y_desc(format!("Net benefit ({})", report.currency))
        .x_label_formatter(&|d| date_label(report, *d))
        .y_label_formatter(&|v| money(*v))
        .label_style(label_style())
        .axis_desc_style(label_style())
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x0, 0.0), (x1, 0.0)],
        BLACK.mix(0.6).stroke_width(2),
    )))?;
    for (i, s) in &items {
        fan(&mut chart, &series(s), colour(*i), &s.summary.name, false)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .label_font(label_style())
        .draw()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_always_usable() {
        assert_eq!(span([], false), (0.0, 1.0));
        assert_eq!(span([f64::NAN, f64::INFINITY], false), (0.0, 1.0));
        let (lo, hi) = span([0.0, 0.0], true);
        assert!(lo < hi);
        let (lo, hi) = span([5.0, 10.0], true);
        assert_eq!(lo, 0.0);
        assert!(hi > 10.0);
    }
}

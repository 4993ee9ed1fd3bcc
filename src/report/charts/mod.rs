//! Charts, each written as PNG and SVG.
//!
//! Text is drawn with Noto Sans compiled into the binary, so charts render
//! the same on a machine with no fonts. Every axis range passes through
//! [`span`], so plotters never sees NaN, infinity or an empty range, and
//! every chart still draws for one scenario, one replication, a one-day
//! horizon or a debt that is always zero. Scenario i has colour i in
//! every chart, from a palette readers with colour-vision deficiencies
//! can tell apart.

mod debt;
mod money;
mod trend;

use std::sync::Once;

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::summary::Spread;
use super::{Export, Report, ReportError, ScenarioReport};

/// All chart files.
pub struct Charts;

const WIDTH: u32 = 1200;
const FONT: &str = "sans-serif";

/// Okabe–Ito colours; scenario i always gets colour i (the baseline black).
/// The two blues are kept apart (2 and 6) so that up to six scenarios never
/// get both.
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(0, 114, 178),
    RGBColor(240, 228, 66),
];

/// The colour of scenario `i`.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The charts, in the order the report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// Debt fan chart per scenario, small multiples on a shared axis.
    DebtFan,
    /// The median debt of every scenario in one chart.
    DebtMedians,
    /// Visible against dropped (hidden) debt.
    Composition,
    /// Share of open contacts past the SLA, and their P90 age.
    BacklogAge,
    /// Trend verdict probabilities.
    Verdicts,
    /// ROI distribution per intervention.
    Roi,
    /// NPV distribution per intervention.
    Npv,
    /// Cumulative net benefit and payback.
    Payback,
    /// Cost breakdown per scenario.
    Costs,
}

impl Chart {
    /// Every chart.
    pub const ALL: [Chart; 9] = [
        Chart::DebtFan,
        Chart::DebtMedians,
        Chart::Composition,
        Chart::BacklogAge,
        Chart::Verdicts,
        Chart::Roi,
        Chart::Npv,
        Chart::Payback,
        Chart::Costs,
    ];

    /// File name without extension.
    pub fn name(self) -> &'static str {
        match self {
            Chart::DebtFan => "debt_fan",
            Chart::DebtMedians => "debt_medians",
            Chart::Composition => "debt_composition",
            Chart::BacklogAge => "backlog_age",
            Chart::Verdicts => "trend_verdicts",
            Chart::Roi => "roi",
            Chart::Npv => "npv",
            Chart::Payback => "payback",
            Chart::Costs => "cost_breakdown",
        }
    }

    /// A sentence saying what the chart shows, for the report.
    pub fn caption(self) -> &'static str {
        match self {
            Chart::DebtFan => {
                "Open contacts at the end of each day, per scenario: the line is the median over replications, the dark band holds the middle half of them, the light band nine in ten."
            }
            Chart::DebtMedians => "The median debt of every scenario in one chart.",
            Chart::Composition => {
                "Mean open contacts split into visible ones, which somebody will work, and dropped ones, which stalled and wait for the customer to chase."
            }
            Chart::BacklogAge => {
                "How late the open contacts are: the share past the SLA, and the age nine in ten open contacts do not exceed. Each line is the median over replications, averaged over the last 7 days so that the weekly cycle does not hide the level; daily.csv has the daily values."
            }
            Chart::Verdicts => "Share of replications whose debt trend is falling, flat or rising.",
            Chart::Roi => {
                "Return on investment against the baseline: the box holds the middle half of the replications, the whiskers nine in ten."
            }
            Chart::Npv => "Net present value against the baseline, discounted monthly.",
            Chart::Payback => {
                "Cumulative net benefit against the baseline (savings less investment): the median with the middle half of replications; where it crosses zero the intervention has paid for itself."
            }
            Chart::Costs => "Mean cost over the horizon, by kind.",
        }
    }

    fn height(self, report: &Report) -> u32 {
        let n = report.scenarios.len() as u32;
        let compared = n.saturating_sub(1).max(1);
        match self {
            Chart::DebtFan | Chart::Composition => {
                90 + 300 * panel_rows(report.scenarios.len()) as u32
            }
            Chart::BacklogAge => 760,
            Chart::Verdicts | Chart::Costs => 140 + 70 * n,
            Chart::Roi | Chart::Npv => 140 + 90 * compared,
            Chart::DebtMedians | Chart::Payback => 640,
        }
    }

    fn draw<DB: DrawingBackend>(self, root: DrawingArea<DB, Shift>, report: &Report) -> Drawn<DB> {
        root.fill(&WHITE)?;
        match self {
            Chart::DebtFan => debt::fan_panels(&root, report),
            Chart::DebtMedians => debt::medians(&root, report),
            Chart::Composition => debt::composition(&root, report),
            Chart::BacklogAge => debt::backlog_age(&root, report),
            Chart::Verdicts => trend::verdicts(&root, report),
            Chart::Roi => money::roi(&root, report),
            Chart::Npv => money::npv(&root, report),
            Chart::Payback => money::payback(&root, report),
            Chart::Costs => money::costs(&root, report),
        }
    }
}

/// Rows of a small-multiples grid of up to three columns.
fn panel_rows(panels: usize) -> usize {
    panels.div_ceil(3).max(1)
}

fn panel_cols(panels: usize) -> usize {
    panels.clamp(1, 3)
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The fonts are compiled in; they cannot fail to parse short of a
        // corrupt build, and then text is simply not drawn.
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
        return (
            if include_zero && lo >= 0.0 {
                lo
            } else {
                lo - pad
            },
            hi + pad,
        );
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

type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;
type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Renders one chart into a PNG and an SVG file.
fn both(chart: Chart, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    let name = chart.name();
    let fail = |e: String| ReportError::Chart {
        name: name.to_string(),
        message: e,
    };
    let height = chart.height(report);
    let mut pixels = vec![0u8; (WIDTH * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, height)).into_drawing_area();
        chart
            .draw(root.clone(), report)
            .map_err(|e| fail(format!("{e:?}")))?;
        root.present().map_err(|e| fail(format!("{e:?}")))?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, WIDTH, height, image::ColorType::Rgb8)
        .map_err(|e| fail(e.to_string()))?;
    let svg = svg(chart, report).map_err(fail)?;
    Ok(vec![
        (format!("{name}.png"), png),
        (format!("{name}.svg"), svg.into_bytes()),
    ])
}

/// Renders one chart as SVG text.
pub fn svg(chart: Chart, report: &Report) -> Result<String, String> {
    register_fonts();
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, chart.height(report))).into_drawing_area();
        chart
            .draw(root.clone(), report)
            .map_err(|e| format!("{e:?}"))?;
        root.present().map_err(|e| format!("{e:?}"))?;
    }
    Ok(svg)
}

impl Export for Charts {
    fn render(&self, report: &Report) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
        register_fonts();
        let mut files = Vec::new();
        for chart in Chart::ALL {
            files.extend(both(chart, report)?);
        }
        Ok(files)
    }
}

fn title_style() -> TextStyle<'static> {
    (FONT, 24).into_font().style(FontStyle::Bold).into()
}

fn panel_title_style(colour: RGBColor) -> TextStyle<'static> {
    (FONT, 18).into_font().style(FontStyle::Bold).color(&colour)
}

fn label_style() -> TextStyle<'static> {
    (FONT, 15).into_font().into()
}

/// Splits off a title line at the top of `root` and returns the rest.
fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (top, rest) = root.split_vertically(50);
    top.draw(&Text::new(title.to_string(), (20, 14), title_style()))?;
    Ok(rest)
}

/// How a legend entry shows its colour.
#[derive(Debug, Clone, Copy)]
enum Mark {
    /// A short thick line, for series drawn as lines.
    Line,
    /// A filled block, for bars.
    Block,
}

/// Splits off a legend at the top of `area`, in rows as wide as the area,
/// and returns the rest: a legend inside the plot would cover whatever
/// reaches its corner.
fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor)],
    mark: Mark,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    const ROW: i32 = 24;
    const SWATCH: i32 = 24;
    let width = area.dim_in_pixel().0 as i32;
    let style = label_style();
    // Lay the entries out first, to know how many rows they take.
    let mut placed = Vec::new();
    let (mut x, mut row) = (20, 0);
    // The SVG names only a generic sans-serif font, and a viewer's may be
    // wider than the one measured here: allow at least 0.45 em a character.
    let at_least = |name: &str| 0.45 * style.font.get_size() * name.chars().count() as f64;
    for (name, _) in entries {
        let measured = area
            .estimate_text_size(name, &style)
            .map_or(0.0, |(w, _)| f64::from(w));
        let text_width = measured.max(at_least(name)).ceil() as i32;
        let entry = SWATCH + 8 + text_width + 28;
        if x > 20 && x + entry > width - 20 {
            x = 20;
            row += 1;
        }
        placed.push((x, row));
        x += entry;
    }
    let (top, rest) = area.split_vertically((row + 1) * ROW + 8);
    for ((name, c), (x, row)) in entries.iter().zip(placed) {
        let y = 4 + row * ROW + ROW / 2;
        match mark {
            Mark::Line => top.draw(&PathElement::new(
                vec![(x, y), (x + SWATCH, y)],
                c.stroke_width(3),
            ))?,
            Mark::Block => top.draw(&Rectangle::new(
                [(x, y - 7), (x + SWATCH, y + 7)],
                c.filled(),
            ))?,
        }
        top.draw(&Text::new(
            name.clone(),
            (x + SWATCH + 8, y - 8),
            style.clone(),
        ))?;
    }
    Ok(rest)
}

/// A legend entry for each scenario, in its colour.
fn scenario_entries(report: &Report) -> Vec<(String, RGBColor)> {
    report
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| (s.summary.name.clone(), colour(i)))
        .collect()
}

/// Days on the x axis, labelled with calendar dates; ticks between days or
/// outside the horizon stay blank.
fn date_label(report: &Report, day: f64) -> String {
    let whole = day.round();
    if (day - whole).abs() > 0.01 || whole < 1.0 || whole as usize > horizon_days(report) {
        return String::new();
    }
    report
        .date_of(whole as usize)
        .format("%d %b %Y")
        .to_string()
}

/// A count on an axis: whole numbers with separators, small fractions
/// with one decimal (ticks of a nearly empty range).
fn count_label(v: f64) -> String {
    if v.fract().abs() < 1e-9 || v.abs() >= 100.0 {
        crate::report::format::thousands(v)
    } else {
        format!("{v:.1}")
    }
}

fn horizon_days(report: &Report) -> usize {
    report
        .scenarios
        .first()
        .and_then(|s| s.daily.first())
        .map_or(1, |d| d.days.len())
}

fn day_range(report: &Report) -> (f64, f64) {
    let days = horizon_days(report);
    if days <= 1 {
        (0.5, 1.5)
    } else {
        (1.0, days as f64)
    }
}

/// The daily spreads of `metric` for a scenario (empty if absent).
fn series<'a>(s: &'a ScenarioReport, metric: &str) -> &'a [Spread] {
    s.daily
        .iter()
        .find(|d| d.metric == metric)
        .map_or(&[], |d| d.days.as_slice())
}

/// (day, value) points of one quantile of a daily series.
fn points(days: &[Spread], pick: fn(&Spread) -> Option<f64>) -> Vec<(f64, f64)> {
    days.iter()
        .enumerate()
        .filter_map(|(i, s)| pick(s).map(|v| ((i + 1) as f64, v)))
        .collect()
}

/// A daily series drawn as a line 3 pixels wide: one segment per day and
/// a dot at each joint, rather than one wide polyline. plotters mitres the
/// joints of a wide polyline, and where a daily series turns back within
/// a pixel column the bitmap backend throws a spike far outside the line
/// (plotters issue 549, seen below the axis of the help-desk debt fan);
/// separate segments have no joints to mitre.
fn wide_line<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    points: &[(f64, f64)],
    colour: RGBColor,
) -> Drawn<DB> {
    chart.draw_series(points.iter().map(|&p| Circle::new(p, 1, colour.filled())))?;
    chart.draw_series(
        points
            .windows(2)
            .map(|w| PathElement::new(vec![w[0], w[1]], colour.stroke_width(3))),
    )?;
    Ok(())
}

/// A closed polygon between two quantiles of a daily series.
fn band(
    days: &[Spread],
    lo: fn(&Spread) -> Option<f64>,
    hi: fn(&Spread) -> Option<f64>,
) -> Vec<(f64, f64)> {
    let mut upper = points(days, hi);
    let mut lower = points(days, lo);
    lower.reverse();
    upper.append(&mut lower);
    upper
}

/// A time chart's mesh: dates on x, `y_desc` on y.
fn time_mesh<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    report: &Report,
    y_desc: &str,
    y_fmt: &dyn Fn(&f64) -> String,
    x_labels: usize,
) -> Drawn<DB> {
    chart
        .configure_mesh()
        .x_desc("Date")
        .y_desc(y_desc)
        .x_labels(x_labels)
        .x_label_formatter(&|d| date_label(report, *d))
        .y_label_formatter(y_fmt)
        .label_style(label_style())
        .axis_desc_style(label_style())
        .light_line_style(WHITE.mix(0.0))
        .draw()
}

/// The mesh of a chart with one row per scenario: `x_desc` on x, the
/// scenario names down the y axis (first at the top).
fn rows_mesh<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    x_desc: &str,
    x_fmt: &dyn Fn(&f64) -> String,
    names: &[String],
) -> Drawn<DB> {
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .x_label_formatter(x_fmt)
        .y_labels(names.len().max(1))
        .y_label_formatter(&|y| row_label(names, *y))
        .label_style(label_style())
        .axis_desc_style(label_style())
        .light_line_style(WHITE.mix(0.0))
        .draw()
}

/// The name of the scenario drawn at height `y` (rows from the top).
fn row_label(names: &[String], y: f64) -> String {
    let i = y.round();
    if (y - i).abs() > 1e-6 || i < 0.0 || i as usize >= names.len() {
        return String::new();
    }
    names[names.len() - 1 - i as usize].clone()
}

/// A median line with a P25–P75 band and, if `outer`, a P5–P95 band.
fn fan<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
    days: &[Spread],
    colour: RGBColor,
    outer: bool,
) -> Drawn<DB> {
    if outer {
        chart.draw_series(std::iter::once(Polygon::new(
            band(days, |s| s.p5, |s| s.p95),
            colour.mix(0.12),
        )))?;
    }
    chart.draw_series(std::iter::once(Polygon::new(
        band(days, |s| s.p25, |s| s.p75),
        colour.mix(0.28),
    )))?;
    let median = points(days, |s| s.p50);
    if median.len() == 1 {
        // A one-day horizon: a line of one point would not show.
        chart.draw_series(median.iter().map(|&p| Circle::new(p, 6, colour.filled())))?;
    }
    wide_line(chart, &median, colour)
}

/// The scenarios compared with the baseline, with their colour index.
fn compared(report: &Report) -> Vec<(usize, &ScenarioReport)> {
    report
        .scenarios
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.summary.baseline)
        .collect()
}

fn nothing_to_compare<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, title: &str) -> Drawn<DB> {
    let area = titled(root, title)?;
    area.draw(&Text::new(
        "The run has only a baseline: there is nothing to compare it with.".to_string(),
        (20, 30),
        label_style(),
    ))?;
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

//! The `--plot` picture: populations per species and sweep time per frame,
//! as SVG. The title names the run (frames, founding agents, seed,
//! threads); each extinction is a vertical line in the species' colour at
//! the frame its last member was reclaimed, labelled "<species> extinct at
//! frame <n>".

use plotters::prelude::*;

use crate::error::SimError;
use crate::report::RunReport;

/// Picture size in pixels.
const SIZE: (u32, u32) = (1000, 720);

/// A line colour per species, in table order.
pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(0x4c, 0x72, 0xb0),
    RGBColor(0x55, 0xa8, 0x68),
    RGBColor(0xc4, 0x4e, 0x52),
    RGBColor(0x81, 0x72, 0xb2),
    RGBColor(0xcc, 0xb9, 0x74),
    RGBColor(0x64, 0xb5, 0xcd),
];

pub(crate) fn plot_error(error: impl std::fmt::Display) -> SimError {
    SimError::Plot(error.to_string())
}

/// The plot of `report`, as an SVG document.
pub(crate) fn render_svg(report: &RunReport) -> Result<String, SimError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let root = root.titled(&report.run_label(), ("sans-serif", 18)).map_err(plot_error)?;
        let (top, bottom) = root.split_vertically(SIZE.1 * 3 / 5);
        populations(&top, report)?;
        sweep_times(&bottom, report)?;
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// The frames this run drew: `first..first + frames`, as the x axis.
fn frame_range(report: &RunReport) -> std::ops::Range<usize> {
    let first = report.deterministic.first_frame as usize;
    first..first + report.deterministic.frames.max(1) as usize
}

fn populations(area: &Area<'_>, report: &RunReport) -> Result<(), SimError> {
    let species = &report.deterministic.species;
    let frames = frame_range(report);
    let peak = species.iter().flat_map(|s| s.population.iter().copied()).max().unwrap_or(1).max(1);
    let mut chart = ChartBuilder::on(area)
        .caption("population per species", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(64)
        .build_cartesian_2d(frames.clone(), 0..peak + peak / 5)
        .map_err(plot_error)?;
    chart.configure_mesh().x_desc("frame").y_desc("agents").draw().map_err(plot_error)?;
    for (i, s) in species.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let points = s.population.iter().enumerate().map(|(f, &n)| (frames.start + f, n));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(plot_error)?
            .label(s.name.clone())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
        if let Some(frame) = s.extinct_at.map(|f| f as usize).filter(|f| frames.contains(f)) {
            let top = peak + peak / 10;
            let mark = LineSeries::new([(frame, 0), (frame, top)], color.stroke_width(1));
            chart.draw_series(mark).map_err(plot_error)?;
            let label = format!("{} extinct at frame {frame}", s.name);
            let text = Text::new(label, (frame, top), ("sans-serif", 13).into_font().color(&color));
            chart.draw_series(std::iter::once(text)).map_err(plot_error)?;
        }
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(plot_error)
}

fn sweep_times(area: &Area<'_>, report: &RunReport) -> Result<(), SimError> {
    let times = &report.timings.sweep_us;
    let top = times.iter().copied().fold(1.0_f64, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption("sweep time per frame (µs)", ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(64)
        .build_cartesian_2d(frame_range(report), 0.0..top * 1.1)
        .map_err(plot_error)?;
    chart.configure_mesh().x_desc("frame").y_desc("µs").draw().map_err(plot_error)?;
    let first = frame_range(report).start;
    let line = LineSeries::new(times.iter().enumerate().map(|(f, &t)| (first + f, t)), BLACK.stroke_width(1));
    chart.draw_series(line).map_err(plot_error)?;
    Ok(())
}

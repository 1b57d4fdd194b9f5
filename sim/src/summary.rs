//! The closing summary table.

use crate::report::{RunReport, SpeciesReport};

impl RunReport {
    /// The summary table printed at the end of a run.
    pub fn summary(&self) -> String {
        table(&self.rows())
    }

    fn rows(&self) -> Vec<(String, String)> {
        let mut rows = self.population_rows();
        rows.extend(self.sweep_and_timing_rows());
        rows
    }

    fn population_rows(&self) -> Vec<(String, String)> {
        let d = &self.deterministic;
        let mut rows = vec![
            row("frames", format!("{} ({})", d.frames, self.founders_seed_threads())),
            row("births", d.births.to_string()),
            row("deaths", deaths(self)),
            row("final population", d.final_population.to_string()),
        ];
        rows.extend(d.species.iter().map(|s| row(&format!("  {}", s.name), species(s))));
        rows
    }

    fn sweep_and_timing_rows(&self) -> Vec<(String, String)> {
        let (d, t) = (&self.deterministic, &self.timings);
        vec![
            row("extinctions", extinctions(self)),
            row("entries swept", swept(self)),
            row("sweep throughput", throughput(self)),
            row("sweep time", sweep_time(self)),
            row("frame time", format!("median {:.2} ms, p99 {:.2} ms", t.frame_median_ms, t.frame_p99_ms)),
            row("wall time", format!("{:.2} s", t.wall_s)),
            row(
                "peak memory",
                t.peak_memory_bytes.map_or("n/a".to_owned(), |b| format!("{:.1} MiB", b as f64 / 1048576.0)),
            ),
            row("camera switches", d.camera_switches.to_string()),
            row("obituaries", d.obituaries.to_string()),
            row("checksum", d.checksum.clone()),
        ]
    }
}

fn row(label: &str, value: String) -> (String, String) {
    (label.to_owned(), value)
}

fn deaths(report: &RunReport) -> String {
    let deaths = report.deterministic.deaths;
    format!(
        "{} (eaten {}, starved {}, old age {})",
        deaths.total, deaths.eaten, deaths.starved, deaths.old_age
    )
}

fn species(s: &SpeciesReport) -> String {
    match s.extinct_at {
        Some(frame) => format!("extinct at frame {frame} (peak {})", s.peak_population),
        None => format!("{} (peak {}, {})", s.final_population, s.peak_population, s.role),
    }
}

fn extinctions(report: &RunReport) -> String {
    let list: Vec<String> = report
        .deterministic
        .extinctions
        .iter()
        .map(|e| format!("{} at frame {}", e.species, e.frame))
        .collect();
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.join(", ")
    }
}

fn swept(report: &RunReport) -> String {
    let s = report.deterministic.entries_swept;
    format!("{} (registry {}, stats {}, selection {})", s.total, s.registry, s.stats, s.selection)
}

/// Dead entries reclaimed per second of the sweep phase, and the time per
/// entry (comparable with the README's "ns per death").
fn throughput(report: &RunReport) -> String {
    let rate = report.timings.sweep_entries_per_s;
    let per_entry = if rate > 0.0 { format!(", {:.0} ns each", 1e9 / rate) } else { String::new() };
    format!("{} dead entries reclaimed per second of sweeping{per_entry}", si(rate))
}

/// The sweep phase's total and its mean per frame.
fn sweep_time(report: &RunReport) -> String {
    let (t, frames) = (&report.timings, report.deterministic.frames.max(1));
    let mean_us = t.sweep_s * 1e6 / frames as f64;
    format!("{:.3} s in {frames} frames ({mean_us:.0} µs a frame, all three collections)", t.sweep_s)
}

/// `value` with an SI prefix: `12.3 M`.
fn si(value: f64) -> String {
    let (scaled, prefix) = match value {
        v if v >= 1e9 => (v / 1e9, " G"),
        v if v >= 1e6 => (v / 1e6, " M"),
        v if v >= 1e3 => (v / 1e3, " k"),
        v => (v, " "),
    };
    format!("{scaled:.1}{prefix}")
}

/// Two columns in a box.
fn table(rows: &[(String, String)]) -> String {
    let left = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0);
    let right = rows.iter().map(|(_, r)| r.chars().count()).max().unwrap_or(0);
    let rule = format!("+{}+{}+\n", "-".repeat(left + 2), "-".repeat(right + 2));
    let mut out = rule.clone();
    for (label, value) in rows {
        out.push_str(&format!("| {label:<left$} | {value:<right$} |\n"));
    }
    out.push_str(&rule);
    out
}

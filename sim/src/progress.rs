//! The progress bar: on a terminal only, never with `--quiet`.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::world::World;

/// A progress bar over the frames, or nothing.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `frames` frames on standard error, if `wanted` and standard
    /// error is a terminal.
    pub(crate) fn new(frames: u32, wanted: bool) -> Progress {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(frames as u64), ProgressDrawTarget::stderr());
            let template = "{spinner} [{elapsed_precise}] {bar:32} {pos}/{len} frames  {msg}";
            let style =
                ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress { bar }
    }

    /// Advances one frame; refreshes the population shown now and then.
    pub(crate) fn tick(&self, world: &World, frame: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if frame % 16 == 0 {
            bar.set_message(format!(
                "{} agents, {} extinct",
                world.agents().len(),
                world.book().extinctions().len()
            ));
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

//! `--snapshot FRAME:FILE.svg`: the torus at one frame, as SVG. Every live
//! agent is a dot in its species' colour, each hunter chasing a live prey is
//! joined to it by a line in the hunter's colour, and the camera's agent is
//! ringed.
//!
//! A chase takes the short way round the torus, as the hunter does: a line
//! that crosses an edge is cut there and goes on from the opposite edge (up
//! to three pieces when it crosses a corner), so no line ever leaves the
//! field or spans the whole picture.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use crate::error::SimError;
use crate::plot::{plot_error, PALETTE};
use crate::species::SpeciesId;
use crate::torus::{Torus, Vec2};
use crate::world::World;

/// Picture width in pixels; the height follows the torus.
const WIDTH: u32 = 720;
/// Room above the torus for the title and the legend.
const HEADER: u32 = 56;
/// An agent's dot radius, in pixels.
pub const DOT_RADIUS: u32 = 3;
/// The camera ring's radius, in pixels.
const RING: i32 = 9;
/// The field's background.
const FIELD: RGBColor = RGBColor(0xf4, 0xf1, 0xe8);

/// One `--snapshot`: after how many frames of this run, and where to draw it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Snapshot {
    /// Frames this run has run when the picture is taken (0: the world it
    /// starts from, founded or loaded).
    pub frame: u32,
    /// The `.svg` file.
    pub path: PathBuf,
}

impl std::str::FromStr for Snapshot {
    type Err = String;

    /// `FRAME:FILE.svg`, as `--snapshot` takes it.
    ///
    /// ```
    /// use weakarena_sim::Snapshot;
    /// let shot: Snapshot = "300:world.svg".parse().unwrap();
    /// assert_eq!((shot.frame, shot.path.to_str()), (300, Some("world.svg")));
    /// assert!("300".parse::<Snapshot>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Snapshot, String> {
        let Some((frame, path)) = text.split_once(':') else {
            return Err(format!("'{text}' is not FRAME:FILE.svg"));
        };
        let frame: u32 = frame.parse().map_err(|_| format!("'{frame}' is not a frame number"))?;
        if !is_svg(Path::new(path)) {
            return Err(format!("'{path}': a snapshot is drawn as SVG; give a path ending in .svg"));
        }
        Ok(Snapshot { frame, path: PathBuf::from(path) })
    }
}

/// Whether `path` ends in `.svg` (any case).
pub(crate) fn is_svg(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("svg"))
}

/// What one picture shows, gathered from the world first.
struct Scene {
    /// Each live agent: where, and its species' index.
    dots: Vec<(Vec2, usize)>,
    /// Each hunter chasing a live target: from the hunter to the prey the
    /// short way (the end may lie outside the torus), and its species.
    chases: Vec<(Vec2, Vec2, usize)>,
    /// Where the camera's agent is, if it lives.
    camera: Option<Vec2>,
}

fn scene(world: &World) -> Scene {
    let (agents, torus) = (world.agents(), world.torus());
    let mut scene = Scene { dots: Vec::new(), chases: Vec::new(), camera: None };
    for (_, agent) in agents.iter() {
        let species = agent.species.index();
        scene.dots.push((agent.pos, species));
        let prey = agent.target.and_then(|target| agents.get(target)).filter(|_| agent.hunter);
        if let Some(prey) = prey {
            scene.chases.push((agent.pos, agent.pos + torus.delta(agent.pos, prey.pos), species));
        }
    }
    scene.camera = world.camera().subject().and_then(|subject| agents.get(subject)).map(|agent| agent.pos);
    scene
}

/// The pieces of the segment `from → to` inside the torus, `to` possibly
/// past an edge: the segment and its copies shifted by one torus size on
/// either axis, each clipped to the field.
pub fn wrapped_segments(torus: Torus, from: Vec2, to: Vec2) -> Vec<(Vec2, Vec2)> {
    let mut pieces = Vec::new();
    for dx in [-torus.width, 0.0, torus.width] {
        for dy in [-torus.height, 0.0, torus.height] {
            let shift = Vec2::new(dx, dy);
            pieces.extend(clip(torus, from + shift, to + shift));
        }
    }
    pieces
}

/// The part of `a → b` inside `[0, width] × [0, height]` (Liang–Barsky), if
/// it has a length.
fn clip(torus: Torus, a: Vec2, b: Vec2) -> Option<(Vec2, Vec2)> {
    let d = b - a;
    let (mut enter, mut leave) = (0.0_f32, 1.0_f32);
    for (p, q) in [(-d.x, a.x), (d.x, torus.width - a.x), (-d.y, a.y), (d.y, torus.height - a.y)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else if p < 0.0 {
            enter = enter.max(q / p);
        } else {
            leave = leave.min(q / p);
        }
    }
    (enter < leave).then(|| (a + d * enter, a + d * leave))
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// The world as it is now, as an SVG document; `frame` and `seed` name the
/// picture.
///
/// ```
/// use weakarena_sim::{render_snapshot, FrameLoop, World, WorldConfig};
/// let mut sim = FrameLoop::new(World::new(&WorldConfig::new(100, 7)));
/// sim.step();
/// let svg = render_snapshot(sim.world(), 1).unwrap();
/// let dots = svg.matches("<circle").count();
/// assert!(dots >= sim.world().agents().len()); // one per agent, and the camera's ring
/// ```
pub fn render_snapshot(world: &World, frame: u32) -> Result<String, SimError> {
    let torus = world.torus();
    let scale = WIDTH as f32 / torus.width;
    let height = (torus.height * scale).ceil() as u32;
    let at =
        |point: Vec2| ((point.x * scale).round() as i32, (point.y * scale).round() as i32 + HEADER as i32);
    let scene = scene(world);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height + HEADER)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let field = [(0, HEADER as i32), (WIDTH as i32, (height + HEADER) as i32)];
        root.draw(&Rectangle::new(field, FIELD.filled())).map_err(plot_error)?;
        header(&root, world, frame, scene.dots.len())?;
        for &(from, to, species) in &scene.chases {
            let style = PALETTE[species % PALETTE.len()].mix(0.6).stroke_width(1);
            for (a, b) in wrapped_segments(torus, from, to) {
                root.draw(&PathElement::new([at(a), at(b)], style)).map_err(plot_error)?;
            }
        }
        for &(pos, species) in &scene.dots {
            let dot = Circle::new(at(pos), DOT_RADIUS, PALETTE[species % PALETTE.len()].filled());
            root.draw(&dot).map_err(plot_error)?;
        }
        if let Some(pos) = scene.camera {
            camera_mark(&root, at(pos))?;
        }
        root.present().map_err(plot_error)?;
    }
    Ok(svg)
}

/// The title (frame, seed, agents, the world's size) and one swatch per
/// species with its population.
fn header(root: &Area<'_>, world: &World, frame: u32, agents: usize) -> Result<(), SimError> {
    let torus = world.torus();
    let title = format!(
        "frame {frame}, seed {}: {agents} agents on a {:.0} × {:.0} torus; \
         lines join hunters to their prey, the ring is the camera's agent",
        world.config.seed, torus.width, torus.height
    );
    root.draw(&Text::new(title, (8, 6), ("sans-serif", 14).into_font())).map_err(plot_error)?;
    let mut x = 8;
    for (i, spec) in world.book().specs().iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        root.draw(&Rectangle::new([(x, 30), (x + 12, 42)], color.filled())).map_err(plot_error)?;
        let label = format!("{} {}", spec.name, world.book().population(SpeciesId(i as u8)));
        let width = 24 + 8 * label.chars().count() as i32;
        root.draw(&Text::new(label, (x + 16, 29), ("sans-serif", 13).into_font())).map_err(plot_error)?;
        x += width;
    }
    Ok(())
}

/// A black ring with a cross through it.
fn camera_mark(root: &Area<'_>, (x, y): (i32, i32)) -> Result<(), SimError> {
    let style = BLACK.stroke_width(2);
    root.draw(&Circle::new((x, y), RING, style)).map_err(plot_error)?;
    root.draw(&PathElement::new([(x - RING - 4, y), (x + RING + 4, y)], style)).map_err(plot_error)?;
    root.draw(&PathElement::new([(x, y - RING - 4), (x, y + RING + 4)], style)).map_err(plot_error)
}

/// The pictures a run takes, in `--snapshot` order, each after its frame.
pub(crate) struct Snapshots<'a> {
    wanted: &'a [Snapshot],
    pictures: Vec<Option<String>>,
}

impl<'a> Snapshots<'a> {
    pub(crate) fn new(wanted: &'a [Snapshot]) -> Snapshots<'a> {
        Snapshots { wanted, pictures: vec![None; wanted.len()] }
    }

    /// Draws the pictures wanted after `frame` frames of this run.
    pub(crate) fn take(&mut self, frame: u32, world: &World) -> Result<(), SimError> {
        for (wanted, picture) in self.wanted.iter().zip(&mut self.pictures) {
            if wanted.frame == frame {
                *picture = Some(render_snapshot(world, frame)?);
            }
        }
        Ok(())
    }

    /// Every picture, in `--snapshot` order. The frames were checked
    /// against `--frames` before the run, so each was taken.
    pub(crate) fn pictures(self) -> Vec<String> {
        self.pictures.into_iter().map(Option::unwrap_or_default).collect()
    }
}

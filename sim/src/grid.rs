//! A uniform spatial grid of weak handles, rebuilt once a frame.
//!
//! The grid stores plain [`Weak`] handles (with the position and species
//! they had at the rebuild, so distance checks need not touch the agents):
//! 8 bytes of handle each, keeping nothing alive. Agents eaten or starved
//! after the rebuild stay in their cells until the next one, and queries
//! skip them by asking the arena — so no system ever has to remove a dead
//! agent from the grid.

use rayon::prelude::*;
use weakarena_core::{Arena, Weak};

use crate::agent::Agent;
use crate::species::SpeciesId;
use crate::torus::{Torus, Vec2};

/// One agent in the grid: its weak handle, and where it was and what it was
/// at the rebuild.
#[derive(Copy, Clone, PartialEq, Debug, serde::Serialize, serde::Deserialize)]
pub struct GridEntry {
    /// The agent, weakly.
    pub handle: Weak<Agent>,
    /// Its position at the rebuild.
    pub pos: Vec2,
    /// Its species.
    pub species: SpeciesId,
}

/// Cells of `cell` × `cell` world units covering a torus; each lists the
/// agents that were in it at the last rebuild.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct SpatialGrid {
    cell_width: f32,
    cell_height: f32,
    cols: usize,
    rows: usize,
    /// `entries[starts[c]..starts[c + 1]]` are cell `c`'s agents.
    starts: Vec<u32>,
    entries: Vec<GridEntry>,
}

impl SpatialGrid {
    /// An empty grid over `torus` with cells about `cell` units wide.
    pub fn new(torus: Torus, cell: f32) -> SpatialGrid {
        let cols = ((torus.width / cell).floor() as usize).max(1);
        let rows = ((torus.height / cell).floor() as usize).max(1);
        let (cell_width, cell_height) = (torus.width / cols as f32, torus.height / rows as f32);
        SpatialGrid {
            cell_width,
            cell_height,
            cols,
            rows,
            starts: vec![0; cols * rows + 1],
            entries: Vec::new(),
        }
    }

    /// The cell containing `pos`.
    pub fn cell_of(&self, pos: Vec2) -> usize {
        let col = ((pos.x / self.cell_width) as usize).min(self.cols - 1);
        let row = ((pos.y / self.cell_height) as usize).min(self.rows - 1);
        row * self.cols + col
    }

    /// Refills the grid with `items`: cells are found in parallel, then a
    /// counting sort keeps each cell in `items` order.
    pub fn rebuild(&mut self, items: &[GridEntry]) {
        let cells: Vec<u32> = items.par_iter().map(|item| self.cell_of(item.pos) as u32).collect();
        self.starts.iter_mut().for_each(|start| *start = 0);
        for &cell in &cells {
            self.starts[cell as usize + 1] += 1;
        }
        for c in 1..self.starts.len() {
            self.starts[c] += self.starts[c - 1];
        }
        let mut cursor = self.starts.clone();
        let mut placed: Vec<Option<GridEntry>> = vec![None; items.len()];
        for (&item, &cell) in items.iter().zip(&cells) {
            placed[cursor[cell as usize] as usize] = Some(item);
            cursor[cell as usize] += 1;
        }
        self.entries = placed.into_iter().flatten().collect();
    }

    /// Handles stored (live or not).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the grid is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Stored handles whose agent has died since the rebuild.
    pub fn stale(&self, agents: &Arena<Agent>) -> usize {
        self.entries.iter().filter(|entry| !agents.contains(entry.handle)).count()
    }

    /// The entries in the cells within `radius` of `pos` (a square of cells,
    /// so some may be a little farther than `radius`), dead agents included:
    /// check liveness with the arena before use.
    pub fn near(&self, pos: Vec2, radius: f32) -> impl Iterator<Item = &GridEntry> + '_ {
        let (col, row) = self.col_row(self.cell_of(pos));
        let cols = axis(col, radius / self.cell_width, self.cols);
        axis(row, radius / self.cell_height, self.rows)
            .flat_map(move |r| cols.clone().map(move |c| r * self.cols + c))
            .flat_map(move |cell| self.cell_entries(cell))
    }

    fn col_row(&self, cell: usize) -> (usize, usize) {
        (cell % self.cols, cell / self.cols)
    }

    fn cell_entries(&self, cell: usize) -> &[GridEntry] {
        &self.entries[self.starts[cell] as usize..self.starts[cell + 1] as usize]
    }
}

/// The indices along one axis of `count` cells within `reach` cells of
/// `center`, wrapping; each index once, even when the reach covers the axis.
fn axis(center: usize, reach: f32, count: usize) -> impl Iterator<Item = usize> + Clone {
    let reach = (reach.ceil() as usize).max(1);
    let (start, len) =
        if 2 * reach + 1 >= count { (0, count) } else { (center + count - reach, 2 * reach + 1) };
    (0..len).map(move |i| (start + i) % count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_wrap_and_never_repeat_a_cell() {
        assert_eq!(axis(0, 1.0, 10).collect::<Vec<_>>(), [9, 0, 1]);
        assert_eq!(axis(9, 1.5, 10).collect::<Vec<_>>(), [7, 8, 9, 0, 1]);
        assert_eq!(axis(1, 1.0, 2).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(axis(0, 0.2, 1).collect::<Vec<_>>(), [0]);
    }
}

//! The grass the prey graze: a field of cells that regrow every frame.

use rayon::prelude::*;

use crate::torus::{Torus, Vec2};

/// Grass per cell, regrowing towards a maximum.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Grass {
    cols: usize,
    rows: usize,
    cell_width: f32,
    cell_height: f32,
    amount: Vec<f32>,
    regrow: f32,
    max: f32,
}

impl Grass {
    /// A full field over `torus` in cells about `cell` units wide.
    pub fn new(torus: Torus, cell: f32, regrow: f32, max: f32) -> Grass {
        let cols = ((torus.width / cell) as usize).max(1);
        let rows = ((torus.height / cell) as usize).max(1);
        let (cell_width, cell_height) = (torus.width / cols as f32, torus.height / rows as f32);
        Grass { cols, rows, cell_width, cell_height, amount: vec![max; cols * rows], regrow, max }
    }

    fn cell_of(&self, pos: Vec2) -> usize {
        let col = ((pos.x / self.cell_width) as usize).min(self.cols - 1);
        let row = ((pos.y / self.cell_height) as usize).min(self.rows - 1);
        row * self.cols + col
    }

    /// Eats up to `bite` from the cell at `pos`; returns what was eaten.
    pub fn graze(&mut self, pos: Vec2, bite: f32) -> f32 {
        let cell = self.cell_of(pos);
        let eaten = self.amount[cell].min(bite);
        self.amount[cell] -= eaten;
        eaten
    }

    /// One frame of regrowth, cells in parallel.
    pub fn regrow(&mut self) {
        let (regrow, max) = (self.regrow, self.max);
        self.amount.par_iter_mut().for_each(|grass| *grass = (*grass + regrow).min(max));
    }

    /// Every cell's amount, in row order.
    pub fn cells(&self) -> &[f32] {
        &self.amount
    }
}

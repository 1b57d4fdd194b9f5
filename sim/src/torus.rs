//! Geometry on a 2-D torus: positions wrap at the edges, distances take the
//! short way round.

use std::ops::{Add, Mul, Sub};

/// A 2-D vector.
#[derive(Copy, Clone, PartialEq, Default, Debug, serde::Serialize, serde::Deserialize)]
pub struct Vec2 {
    /// Horizontal component.
    pub x: f32,
    /// Vertical component.
    pub y: f32,
}

impl Vec2 {
    /// The vector `(x, y)`.
    pub const fn new(x: f32, y: f32) -> Vec2 {
        Vec2 { x, y }
    }

    /// The unit vector at `angle` radians.
    pub fn from_angle(angle: f32) -> Vec2 {
        Vec2::new(angle.cos(), angle.sin())
    }

    /// Squared length.
    pub fn length_sq(self) -> f32 {
        self.x * self.x + self.y * self.y
    }

    /// This vector scaled to length 1, or `fallback` if it is (nearly) zero.
    pub fn normalized_or(self, fallback: Vec2) -> Vec2 {
        let length = self.length_sq().sqrt();
        if length > 1e-6 {
            self * (1.0 / length)
        } else {
            fallback
        }
    }

    /// This vector turned by `angle` radians.
    pub fn rotated(self, angle: f32) -> Vec2 {
        let (sin, cos) = angle.sin_cos();
        Vec2::new(self.x * cos - self.y * sin, self.x * sin + self.y * cos)
    }
}

impl Add for Vec2 {
    type Output = Vec2;
    fn add(self, other: Vec2) -> Vec2 {
        Vec2::new(self.x + other.x, self.y + other.y)
    }
}

impl Sub for Vec2 {
    type Output = Vec2;
    fn sub(self, other: Vec2) -> Vec2 {
        Vec2::new(self.x - other.x, self.y - other.y)
    }
}

impl Mul<f32> for Vec2 {
    type Output = Vec2;
    fn mul(self, factor: f32) -> Vec2 {
        Vec2::new(self.x * factor, self.y * factor)
    }
}

/// A `width` × `height` world whose edges wrap.
#[derive(Copy, Clone, PartialEq, Debug)]
pub struct Torus {
    /// Width in world units.
    pub width: f32,
    /// Height in world units.
    pub height: f32,
}

impl Torus {
    /// A square torus of side `side`.
    pub fn square(side: f32) -> Torus {
        Torus { width: side, height: side }
    }

    /// `point` brought back inside `[0, width) × [0, height)`.
    pub fn wrap(self, point: Vec2) -> Vec2 {
        Vec2::new(wrap_axis(point.x, self.width), wrap_axis(point.y, self.height))
    }

    /// The shortest vector from `from` to `to`, crossing edges if shorter.
    pub fn delta(self, from: Vec2, to: Vec2) -> Vec2 {
        Vec2::new(short_way(to.x - from.x, self.width), short_way(to.y - from.y, self.height))
    }

    /// Squared shortest distance between two points.
    pub fn distance_sq(self, a: Vec2, b: Vec2) -> f32 {
        self.delta(a, b).length_sq()
    }
}

fn wrap_axis(value: f32, size: f32) -> f32 {
    let wrapped = value.rem_euclid(size);
    // rem_euclid can round up to exactly `size` for tiny negative inputs.
    if wrapped >= size {
        0.0
    } else {
        wrapped
    }
}

fn short_way(d: f32, size: f32) -> f32 {
    if d > size * 0.5 {
        d - size
    } else if d < -size * 0.5 {
        d + size
    } else {
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_takes_the_short_way() {
        let torus = Torus::square(100.0);
        assert_eq!(torus.wrap(Vec2::new(-1.0, 101.0)), Vec2::new(99.0, 1.0));
        assert_eq!(torus.delta(Vec2::new(99.0, 0.0), Vec2::new(1.0, 0.0)), Vec2::new(2.0, 0.0));
        assert_eq!(torus.distance_sq(Vec2::new(0.0, 1.0), Vec2::new(0.0, 98.0)), 9.0);
        assert!(torus.wrap(Vec2::new(-1e-9, 0.0)).x < 100.0);
    }
}

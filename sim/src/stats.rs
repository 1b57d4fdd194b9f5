//! Per-agent statistics, kept in a `WeakKeyMap` beside the agents rather
//! than inside them: the way a later system (or another team) attaches data
//! to objects it does not own. Entries clean themselves up when their agent
//! dies.

/// What one agent has done.
#[derive(Copy, Clone, PartialEq, Default, Debug, serde::Serialize, serde::Deserialize)]
pub struct AgentStats {
    /// The frame it was born (0 for the first generation).
    pub born: u64,
    /// Distance travelled.
    pub distance: f32,
    /// Prey caught (hunters).
    pub kills: u32,
    /// Children born.
    pub children: u32,
}

impl AgentStats {
    /// The statistics of an agent born in `frame`.
    pub fn born_in(frame: u64) -> AgentStats {
        AgentStats { born: frame, ..AgentStats::default() }
    }
}

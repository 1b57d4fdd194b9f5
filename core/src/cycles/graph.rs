//! The object graph of one collection and CPython's trial deletion over it:
//! subtract the references objects hold to each other from their strong
//! counts; whatever keeps a count above zero is held from outside (a root);
//! whatever no root reaches is garbage.

/// Nodes are numbered densely across the participating arenas.
pub(crate) type Node = u32;

/// Strong counts, internal edges and ephemeron edges of the participating
/// objects.
#[derive(Default)]
pub(crate) struct Graph {
    /// Strong count minus internal references, per node (live nodes only).
    outside_refs: Vec<i64>,
    live: Vec<bool>,
    /// Edges of node `n` are `targets[starts[n]..starts[n + 1]]`.
    starts: Vec<usize>,
    targets: Vec<Node>,
    /// `(key, target)`: the target is held by a weak-key map's value, and
    /// reachable through it only while the key is.
    ephemerons: Vec<(Node, Node)>,
}

impl Graph {
    /// Adds the next node (nodes are added in number order); `targets` are
    /// the live participating objects its value holds strong handles to.
    pub(crate) fn push_node(&mut self, strong_count: Option<u32>, targets: impl IntoIterator<Item = Node>) {
        self.starts.push(self.targets.len());
        self.live.push(strong_count.is_some());
        self.outside_refs.push(strong_count.map_or(0, i64::from));
        self.targets.extend(targets);
    }

    /// Pushes dead nodes until there are `len` nodes.
    pub(crate) fn pad_to(&mut self, len: usize) {
        while self.node_count() < len {
            self.push_node(None, []);
        }
    }

    /// Closes the node list; call once every node is pushed, before any
    /// [`push_ephemeron`](Graph::push_ephemeron).
    pub(crate) fn seal(&mut self) {
        self.starts.push(self.targets.len());
        for index in 0..self.targets.len() {
            let target = self.targets[index] as usize;
            self.outside_refs[target] -= 1;
        }
    }

    /// A weak-key map entry keyed by `key` whose value holds `target`.
    pub(crate) fn push_ephemeron(&mut self, key: Node, target: Node) {
        self.outside_refs[target as usize] -= 1;
        self.ephemerons.push((key, target));
    }

    pub(crate) fn node_count(&self) -> usize {
        self.live.len()
    }

    /// The live nodes no root reaches.
    pub(crate) fn garbage(mut self) -> Vec<Node> {
        self.ephemerons.sort_unstable();
        let reached = self.mark_from_roots();
        (0..self.node_count()).filter(|&n| self.live[n] && !reached[n]).map(|n| n as Node).collect()
    }

    /// One shortest path of edges from a root (an object held from outside)
    /// to `target`, root first; `None` if no root reaches it.
    pub(crate) fn path_to(&self, target: Node) -> Option<Vec<Node>> {
        let mut parent: Vec<Option<Node>> = vec![None; self.node_count()];
        let mut queue: std::collections::VecDeque<Node> = (0..self.node_count())
            .filter(|&n| self.live[n] && self.outside_refs[n] > 0)
            .map(|n| n as Node)
            .collect();
        for &root in &queue {
            parent[root as usize] = Some(root);
        }
        while let Some(node) = queue.pop_front() {
            if node == target {
                return Some(self.walk_back(&parent, target));
            }
            for &next in self.successors(node) {
                if parent[next as usize].is_none() {
                    parent[next as usize] = Some(node);
                    queue.push_back(next);
                }
            }
        }
        None
    }

    /// The path the breadth-first search took to `node`, root first.
    fn walk_back(&self, parent: &[Option<Node>], mut node: Node) -> Vec<Node> {
        let mut path = vec![node];
        while let Some(up) = parent[node as usize].filter(|&up| up != node) {
            path.push(up);
            node = up;
        }
        path.reverse();
        path
    }

    fn mark_from_roots(&self) -> Vec<bool> {
        let mut reached = vec![false; self.node_count()];
        let mut stack: Vec<Node> = (0..self.node_count())
            .filter(|&n| self.live[n] && self.outside_refs[n] > 0)
            .map(|n| n as Node)
            .collect();
        for &root in &stack {
            reached[root as usize] = true;
        }
        while let Some(node) = stack.pop() {
            for &next in self.successors(node) {
                if !reached[next as usize] {
                    reached[next as usize] = true;
                    stack.push(next);
                }
            }
        }
        reached
    }

    /// Targets of `node`'s value, then of the map values keyed by `node`.
    fn successors(&self, node: Node) -> impl Iterator<Item = &Node> + '_ {
        let n = node as usize;
        let own = &self.targets[self.starts[n]..self.starts[n + 1]];
        let first = self.ephemerons.partition_point(|&(key, _)| key < node);
        let keyed = self.ephemerons[first..]
            .iter()
            .take_while(move |&&(key, _)| key == node)
            .map(|(_, target)| target);
        own.iter().chain(keyed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(nodes: &[(u32, &[Node])]) -> Graph {
        let mut graph = Graph::default();
        for &(count, targets) in nodes {
            graph.push_node(Some(count), targets.iter().copied());
        }
        graph.seal();
        graph
    }

    #[test]
    fn a_cycle_held_only_by_itself_is_garbage() {
        // 0 <-> 1, and 2 held from outside pointing at 0? no: 2 alone.
        let g = graph(&[(1, &[1]), (1, &[0]), (1, &[])]);
        assert_eq!(g.garbage(), vec![0, 1]);
    }

    #[test]
    fn a_cycle_with_an_outside_reference_survives_with_what_it_reaches() {
        // 0 <-> 1, 0 also held from outside; 1 -> 2.
        let g = graph(&[(2, &[1]), (1, &[0, 2]), (1, &[])]);
        assert!(g.garbage().is_empty());
    }

    #[test]
    fn self_references_and_tails_of_garbage_are_garbage() {
        // 0 -> 0 (self), 0 -> 1 (tail held only by 0).
        let g = graph(&[(1, &[0, 1]), (1, &[])]);
        assert_eq!(g.garbage(), vec![0, 1]);
    }

    #[test]
    fn ephemeron_values_live_only_while_their_key_does() {
        // node 0: key held only by the map value (entry 0 -> 0); node 1: live key
        // held from outside whose map value holds node 2.
        let mut g = Graph::default();
        g.push_node(Some(1), []);
        g.push_node(Some(1), []);
        g.push_node(Some(1), []);
        g.seal();
        g.push_ephemeron(0, 0);
        g.push_ephemeron(1, 2);
        assert_eq!(g.garbage(), vec![0]);
    }

    #[test]
    fn the_path_to_a_node_starts_at_a_root() {
        // 0 (root) -> 1 -> 2; 3 <-> 4 a garbage cycle pointing at 2.
        let g = graph(&[(1, &[1]), (1, &[2]), (2, &[]), (1, &[4]), (1, &[3, 2])]);
        assert_eq!(g.path_to(2), Some(vec![0, 1, 2]));
        assert_eq!(g.path_to(0), Some(vec![0]));
        assert_eq!(g.path_to(3), None);
    }

    #[test]
    fn dead_nodes_are_never_garbage() {
        let mut g = Graph::default();
        g.push_node(None, []);
        g.push_node(Some(1), [1]);
        g.seal();
        assert_eq!(g.garbage(), vec![1]);
    }
}

//! The process's resident memory, for tests that assert it stays flat.

/// Resident bytes of this process (Linux `/proc/self/statm`).
pub(crate) fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: usize = statm.split_whitespace().nth(1).and_then(|field| field.parse().ok()).expect("statm");
    pages * 4096
}

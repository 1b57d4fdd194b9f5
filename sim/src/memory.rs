//! Peak memory of this process, where the system tells it.

/// The process's peak resident memory in bytes (Linux `VmHWM`), or `None`
/// where it cannot be read.
pub(crate) fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

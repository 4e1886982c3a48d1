//! Number formatting shared by the views.

/// Formats a count with the singular or plural noun (`1 group`, `3 groups`).
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Formats a byte count with SI units as dive does (`1.2 MB`, `950 B`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// Formats an exact byte count with thousands separators (`15 000 B`).
pub fn exact_bytes(n: u64) -> String {
    format!("{} B", grouped(n))
}

/// Formats an integer with thin-space thousands separators.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// Formats a fraction in 0..=1 as a percentage with one decimal (`97.3 %`).
pub fn percent(fraction: f64) -> String {
    format!("{:.1} %", fraction * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes_read_like_dive() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_000), "1.0 kB");
        assert_eq!(bytes(15_000), "15 kB");
        assert_eq!(bytes(123_456_789), "123 MB");
        assert_eq!(exact_bytes(1_234_567), "1\u{202f}234\u{202f}567 B");
        assert_eq!(percent(0.9734), "97.3 %");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "group", "groups"), "1 group");
        assert_eq!(count(0, "group", "groups"), "0 groups");
        assert_eq!(count(5, "build step", "build steps"), "5 build steps");
    }
}

//! Number formatting for people: tables and chart labels.

/// A whole number with thousands separators: 1234567 → "1,234,567".
pub fn thousands(v: f64) -> String {
    let rounded = v.round();
    let negative = rounded < 0.0;
    let digits = format!("{:.0}", rounded.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if negative && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// Money, compact: 950 → "950", 12_345 → "12.3k", 4_560_000 → "4.56M".
pub fn money(v: f64) -> String {
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    if a >= 1e9 {
        format!("{sign}{:.2}G", a / 1e9)
    } else if a >= 1e6 {
        format!("{sign}{:.2}M", a / 1e6)
    } else if a >= 1e4 {
        format!("{sign}{:.1}k", a / 1e3)
    } else {
        format!("{sign}{a:.0}")
    }
}

/// A share as a percentage: 0.912 → "91 %".
pub fn percent(v: f64) -> String {
    format!("{:.0} %", v * 100.0)
}

/// A probability with two decimals: 0.083 → "0.08".
pub fn probability(v: f64) -> String {
    format!("{v:.2}")
}

/// An optional value, or a dash.
pub fn or_dash(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map(f).unwrap_or_else(|| "–".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(thousands(-0.2), "0");
        assert_eq!(money(12_345.0), "12.3k");
        assert_eq!(money(-4_560_000.0), "-4.56M");
        assert_eq!(percent(0.912), "91 %");
    }
}

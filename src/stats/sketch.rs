//! A mergeable distribution summary whose size does not grow with the
//! number of replications.
//!
//! Whole numbers from 0 to 1,023 (small contact counts) are counted in a
//! dense array. Every other finite value goes to a bucket keyed
//! by the value's sign, exponent and top `bits` mantissa bits: a relative
//! width of 2^−bits. A bucket remembers the smallest value it saw, and a
//! quantile reports that value, so it is exact for whole numbers below
//! 2^(bits+1) and within 2^−bits relative error otherwise.
//!
//! The buckets live in a vector sorted by key. New buckets are appended to
//! a short unsorted list first, which is sorted and merged into the vector
//! once it holds an eighth as many entries: appending is cheap and the
//! memory is read in order, which matters when thousands of daily sketches
//! do not fit in the cache together.
//!
//! Counts add and minima take the minimum, so merging is exact and does
//! not depend on order: the result is the same for any number of threads.
//! The mean comes from a sum in fixed point (2⁻²⁰ units) held in an i128,
//! which is also exact under any order of merging.

use std::borrow::Cow;

/// Whole numbers below this are counted in a dense array.
pub const DENSE_WIDTH: u64 = 1024;
/// Fixed-point scale of the running sum: 2^SUM_SHIFT units per 1.
const SUM_SHIFT: u32 = 20;
const SUM_SCALE: f64 = (1u64 << SUM_SHIFT) as f64;
/// The unsorted list of recent buckets holds at least this many before it
/// is merged into the sorted ones.
const RECENT_MIN: usize = 32;
/// Most mantissa bits a sketch keeps, so that a key fits in 32 bits.
const MAX_BITS: u32 = 20;
/// Precision of summaries of money and other real values: 2⁻¹⁶ ≈ 0.0015 %.
pub const FINE_BITS: u32 = 16;
/// Precision of the daily money series: 2⁻⁸ ≈ 0.4 %, far below the
/// Monte Carlo error of a daily quantile, and 256 times fewer buckets.
pub const COARSE_BITS: u32 = 8;

/// Quantile definition used everywhere: P_q = min{x : F(x) ≥ q}, the
/// ⌈n·q⌉-th smallest of n values (the inverse of the empirical CDF).
pub fn rank_for(q: f64, n: u64) -> u64 {
    ((q * n as f64).ceil() as u64).clamp(1, n.max(1))
}

/// Distribution of one quantity over replications.
///
/// ```
/// use aspa::stats::Sketch;
/// let mut a = Sketch::new();
/// let mut b = Sketch::new();
/// (1..=60).for_each(|x| a.add_count(x));
/// (61..=100).for_each(|x| b.add_count(x));
/// a.merge(&b);
/// assert_eq!(a.quantile(0.05), Some(5.0));
/// assert_eq!(a.quantile(0.5), Some(50.0));
/// assert_eq!(a.mean(), Some(50.5));
/// ```
#[derive(Debug, Clone)]
pub struct Sketch {
    bits: u32,
    dense: Vec<u32>,
    /// Buckets outside the dense window, sorted by key, one per key.
    sorted: Vec<Bucket>,
    /// Buckets added since the last merge into `sorted`: any order, keys
    /// may repeat.
    recent: Vec<Bucket>,
    count: u64,
    sum: i128,
}

/// Values outside the dense window that share a key.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Bucket {
    key: u32,
    count: u32,
    /// The smallest value seen.
    min: f64,
}

/// Two sketches are equal when they summarise the same values, however
/// their buckets happen to be laid out.
impl PartialEq for Sketch {
    fn eq(&self, other: &Sketch) -> bool {
        self.bits == other.bits
            && self.count == other.count
            && self.sum == other.sum
            && self.dense_trimmed() == other.dense_trimmed()
            && self.buckets() == other.buckets()
    }
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch::new()
    }
}

/// Sort key of a finite f64: monotone in the value.
fn order_key(v: f64) -> u64 {
    // −0.0 and 0.0 are one value.
    let v = if v == 0.0 { 0.0 } else { v };
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

impl Sketch {
    /// An empty sketch with fine precision.
    pub fn new() -> Self {
        Sketch::with_bits(FINE_BITS)
    }

    /// An empty sketch keeping `bits` mantissa bits (1 to 20) outside the
    /// dense window.
    pub fn with_bits(bits: u32) -> Self {
        Sketch {
            bits: bits.clamp(1, MAX_BITS),
            dense: Vec::new(),
            sorted: Vec::new(),
            recent: Vec::new(),
            count: 0,
            sum: 0,
        }
    }

    fn bucket_key(&self, v: f64) -> u32 {
        // At most 12 + MAX_BITS = 32 bits remain.
        (order_key(v) >> (52 - self.bits)) as u32
    }

    /// Adds one value. Non-finite values are a bug upstream and are
    /// rejected in debug builds; in release they are skipped.
    #[inline]
    pub fn add(&mut self, v: f64) {
        debug_assert!(v.is_finite(), "non-finite value {v} reached a sketch");
        if !v.is_finite() {
            return;
        }
        self.count += 1;
        let units = (v * SUM_SCALE).round();
        // Through i64 where it fits: the same value, without the slow
        // conversion to i128.
        self.sum += if units.abs() < 9.0e18 {
            i128::from(units as i64)
        } else {
            units as i128
        };
        self.insert(v, 1);
    }

    /// Adds a whole number (a count of contacts). Small counts take a
    /// short path with no floating point; the result is the same as
    /// `add(v as f64)`.
    #[inline]
    pub fn add_count(&mut self, v: u64) {
        if v >= DENSE_WIDTH {
            self.add(v as f64);
            return;
        }
        self.count += 1;
        self.sum += i128::from(v) << SUM_SHIFT;
        self.count_dense(v as usize, 1);
    }

    /// Adds `counts[i]` copies of each whole number `i` (`counts` at most
    /// [`DENSE_WIDTH`] long): the same as that many calls of
    /// [`Sketch::add_count`].
    pub fn add_counts(&mut self, counts: &[u32]) {
        debug_assert!(counts.len() as u64 <= DENSE_WIDTH);
        let used = counts.iter().rposition(|&n| n > 0).map_or(0, |i| i + 1);
        if self.dense.len() < used {
            self.dense.resize(used, 0);
        }
        for (i, &n) in counts[..used].iter().enumerate() {
            if n > 0 {
                self.dense[i] = self.dense[i].saturating_add(n);
                self.count += u64::from(n);
                self.sum += i128::from(i as u64 * u64::from(n)) << SUM_SHIFT;
            }
        }
    }

    /// Counts `n` copies of the whole number `i` (below 1,024) densely.
    fn count_dense(&mut self, i: usize, n: u32) {
        if i >= self.dense.len() {
            self.dense.resize(i + 1, 0);
        }
        self.dense[i] = self.dense[i].saturating_add(n);
    }

    /// Counts `n` copies of `v` without touching count and sum. Whether a
    /// value is counted densely depends on the value alone, so the result
    /// does not depend on the order of insertion or merging.
    fn insert(&mut self, v: f64, n: u64) {
        if v >= 0.0 && v < DENSE_WIDTH as f64 && v.fract() == 0.0 {
            self.count_dense(v as usize, u32::try_from(n).unwrap_or(u32::MAX));
            return;
        }
        self.recent.push(Bucket {
            key: self.bucket_key(v),
            count: u32::try_from(n).unwrap_or(u32::MAX),
            min: v,
        });
        if self.recent.len() >= RECENT_MIN.max(self.sorted.len() / 8) {
            self.settle();
        }
    }

    /// Merges the recent buckets into the sorted ones. Reading a sketch
    /// works either way; a settled one is read without merging first.
    pub fn settle(&mut self) {
        if self.recent.is_empty() {
            return;
        }
        merge_buckets(&mut self.sorted, &mut self.recent);
    }

    /// The buckets in key order, one per key.
    fn buckets(&self) -> Cow<'_, [Bucket]> {
        if self.recent.is_empty() {
            Cow::Borrowed(&self.sorted)
        } else {
            let mut sorted = self.sorted.clone();
            merge_buckets(&mut sorted, &mut self.recent.clone());
            Cow::Owned(sorted)
        }
    }

    /// The dense counts without trailing zeros.
    fn dense_trimmed(&self) -> &[u32] {
        let end = self.dense.iter().rposition(|&n| n > 0).map_or(0, |i| i + 1);
        &self.dense[..end]
    }

    /// Adds everything `other` holds.
    pub fn merge(&mut self, other: &Sketch) {
        if other.dense.len() > self.dense.len() {
            self.dense.resize(other.dense.len(), 0);
        }
        for (a, &b) in self.dense.iter_mut().zip(&other.dense) {
            *a = a.saturating_add(b);
        }
        self.recent.extend_from_slice(&other.sorted);
        self.recent.extend_from_slice(&other.recent);
        self.settle();
        self.count += other.count;
        self.sum += other.sum;
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Mean, or `None` when empty.
    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum as f64 / SUM_SCALE / self.count as f64)
    }

    /// The q-quantile (see [`rank_for`]), or `None` when empty.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        self.quantile_of_total(q, self.count)
    }

    /// The q-quantile when `total` values exist, of which this sketch holds
    /// the smallest `count()`; the rest are larger than any value here (for
    /// example a payback that never comes). `None` if the rank falls among
    /// the missing ones.
    pub fn quantile_of_total(&self, q: f64, total: u64) -> Option<f64> {
        if total == 0 {
            return None;
        }
        let rank = rank_for(q, total);
        if rank > self.count {
            return None;
        }
        let mut seen = 0;
        let mut found = None;
        self.walk(|value, n| {
            seen += n;
            if seen >= rank {
                found = Some(value);
                false
            } else {
                true
            }
        });
        found
    }

    /// Share of the values that are ≤ `x`, or `None` when empty.
    pub fn share_at_most(&self, x: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let mut n = 0;
        self.walk(|value, k| {
            if value <= x {
                n += k;
                true
            } else {
                false
            }
        });
        Some(n as f64 / self.count as f64)
    }

    /// Visits (value, count) in increasing order until `f` returns false.
    fn walk(&self, mut f: impl FnMut(f64, u64) -> bool) {
        let buckets = self.buckets();
        let mut sparse = buckets.iter().peekable();
        for (i, &n) in self.dense.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let value = i as f64;
            while let Some(b) = sparse.peek() {
                if b.min > value {
                    break;
                }
                if !f(b.min, u64::from(b.count)) {
                    return;
                }
                sparse.next();
            }
            if !f(value, u64::from(n)) {
                return;
            }
        }
        for b in sparse {
            if !f(b.min, u64::from(b.count)) {
                return;
            }
        }
    }
}

/// Merges `recent` (any order, keys may repeat) into `sorted` (sorted by
/// key, one bucket per key), in place, and empties `recent`.
fn merge_buckets(sorted: &mut Vec<Bucket>, recent: &mut Vec<Bucket>) {
    recent.sort_unstable_by_key(|b| b.key);
    // `dedup_by` hands over (later, kept): fold the later into the kept.
    recent.dedup_by(|later, kept| {
        let same = later.key == kept.key;
        if same {
            *kept = kept.combined(later);
        }
        same
    });
    // Merge from the back into the grown vector: each bucket moves at most
    // once, and a key found in both leaves one slot free, closed at the end.
    let (n, m) = (sorted.len(), recent.len());
    // With an eighth to spare, so that the next merges rarely move the
    // vector: thousands of sketches hold buckets, and doubling would leave
    // up to half of each unused.
    if sorted.capacity() < n + m {
        sorted.reserve_exact(m + n / 8);
    }
    sorted.resize(
        n + m,
        Bucket {
            key: 0,
            count: 0,
            min: 0.0,
        },
    );
    let (mut i, mut k) = (n, n + m);
    for r in recent.drain(..).rev() {
        while i > 0 && sorted[i - 1].key > r.key {
            k -= 1;
            i -= 1;
            sorted[k] = sorted[i];
        }
        k -= 1;
        if i > 0 && sorted[i - 1].key == r.key {
            i -= 1;
            sorted[k] = sorted[i].combined(&r);
        } else {
            sorted[k] = r;
        }
    }
    // sorted[..i] stayed in place; sorted[k..] is the merged rest.
    if k > i {
        sorted.copy_within(k.., i);
        sorted.truncate(n + m - (k - i));
    }
}

impl Bucket {
    /// One bucket for the values of two with the same key.
    fn combined(&self, other: &Bucket) -> Bucket {
        Bucket {
            key: self.key,
            count: self.count.saturating_add(other.count),
            min: self.min.min(other.min),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_quantile(xs: &mut [f64], q: f64) -> f64 {
        xs.sort_by(f64::total_cmp);
        xs[rank_for(q, xs.len() as u64) as usize - 1]
    }

    #[test]
    fn whole_numbers_are_exact() {
        let mut s = Sketch::new();
        let mut xs: Vec<f64> = (0..1000).map(|i| ((i * 7919) % 613) as f64).collect();
        for &x in &xs {
            s.add(x);
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95, 1.0] {
            assert_eq!(s.quantile(q), Some(exact_quantile(&mut xs, q)));
        }
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((s.mean().unwrap() - mean).abs() < 1e-9);
    }

    #[test]
    fn counts_take_the_same_place_as_reals() {
        let mut counts = Sketch::new();
        let mut reals = Sketch::new();
        for v in [0, 1, 7, 1023, 1024, 5000, 1023, 0, 123_456_789] {
            counts.add_count(v);
            reals.add(v as f64);
        }
        assert_eq!(counts, reals);
    }

    #[test]
    fn reals_are_within_relative_precision() {
        let mut s = Sketch::new();
        let mut xs: Vec<f64> = (0..5000)
            .map(|i| ((i as f64) * 0.37).sin() * 1e6 + 0.25)
            .collect();
        for &x in &xs {
            s.add(x);
        }
        for q in [0.05, 0.5, 0.95] {
            let exact = exact_quantile(&mut xs, q);
            let got = s.quantile(q).unwrap();
            assert!(
                (got - exact).abs() <= exact.abs() * 2f64.powi(-15),
                "{q}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn mixed_dense_and_sparse_values_stay_ordered() {
        let mut s = Sketch::new();
        for x in [3.0, 3.5, 2.5, -1.0, 70000.0, 4.0, 5000.0] {
            s.add(x);
        }
        let got: Vec<f64> = (1..=7)
            .map(|k| s.quantile(k as f64 / 7.0).unwrap())
            .collect();
        assert_eq!(got, vec![-1.0, 2.5, 3.0, 3.5, 4.0, 5000.0, 70000.0]);
    }

    #[test]
    fn merge_equals_one_pass_in_any_order() {
        let xs: Vec<f64> = (0..3000)
            .map(|i| ((i * 31) % 977) as f64 * 1.5 - 200.0)
            .collect();
        let mut one = Sketch::new();
        xs.iter().for_each(|&x| one.add(x));
        let mut parts: Vec<Sketch> = xs
            .chunks(701)
            .map(|c| {
                let mut s = Sketch::new();
                c.iter().for_each(|&x| s.add(x));
                s
            })
            .collect();
        let mut forward = Sketch::new();
        parts.iter().for_each(|p| forward.merge(p));
        parts.reverse();
        let mut backward = Sketch::new();
        parts.iter().for_each(|p| backward.merge(p));
        assert_eq!(forward, backward);
        for q in [0.05, 0.5, 0.95] {
            assert_eq!(forward.quantile(q), one.quantile(q));
        }
        assert_eq!(forward.mean(), one.mean());
    }

    #[test]
    fn layout_of_the_buckets_does_not_matter() {
        let mut a = Sketch::with_bits(COARSE_BITS);
        for i in 0..1000 {
            a.add(f64::from(i) * 3.7 - 900.0);
        }
        assert!(!a.recent.is_empty(), "some buckets are still recent");
        let mut b = a.clone();
        b.settle();
        assert!(b.recent.is_empty());
        assert_eq!(a, b);
        assert_eq!(a.quantile(0.3), b.quantile(0.3));
        b.add(0.5);
        assert_ne!(a, b);
    }

    #[test]
    fn merging_buckets_in_place_adds_up_by_key() {
        // Keys from a small range so that many repeat, within `recent`
        // and between it and `sorted`.
        let bucket = |i: u32| Bucket {
            key: (i * 7919) % 61,
            count: i % 5 + 1,
            min: f64::from((i * 31) % 101) - 50.0,
        };
        let mut expected = std::collections::BTreeMap::new();
        let mut sorted = Vec::new();
        for round in 0..20u32 {
            let mut recent: Vec<Bucket> =
                (0..round * 3).map(|i| bucket(i + 1000 * round)).collect();
            for b in &recent {
                let e = expected.entry(b.key).or_insert((0, f64::INFINITY));
                e.0 += b.count;
                e.1 = e.1.min(b.min);
            }
            merge_buckets(&mut sorted, &mut recent);
            assert!(recent.is_empty());
            let got: Vec<(u32, (u32, f64))> =
                sorted.iter().map(|b| (b.key, (b.count, b.min))).collect();
            let want: Vec<(u32, (u32, f64))> = expected.iter().map(|(&k, &v)| (k, v)).collect();
            assert_eq!(got, want, "round {round}");
        }
    }

    #[test]
    fn missing_values_rank_last() {
        let mut s = Sketch::new();
        for x in [1.0, 2.0, 3.0] {
            s.add(x);
        }
        assert_eq!(s.quantile_of_total(0.5, 5), Some(3.0));
        assert_eq!(s.quantile_of_total(0.7, 5), None);
        assert_eq!(Sketch::new().quantile(0.5), None);
    }
}

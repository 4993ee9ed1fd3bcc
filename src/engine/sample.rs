//! Sampling helpers that keep the day loop cheap.

use rand::{Rng, RngExt};
use rand_distr::{Binomial, Distribution, Gamma, Poisson};

/// A probability of selection, prepared for [`Skipper`]: which way of
/// selecting is cheapest, and the logarithm the geometric way needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    p: f64,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Never,
    Always,
    /// Gaps between selected items: ln(1 − p).
    Geometric {
        log_q: f64,
    },
    /// One uniform 64-bit draw per item, selected below the threshold
    /// ⌊p · 2⁶⁴⌋.
    PerItem {
        threshold: u64,
    },
}

/// From this probability on, a draw per item is cheaper than a logarithm
/// per selected item.
const PER_ITEM_FROM: f64 = 0.1;
/// Runs whose expected selections reach this are drawn as one binomial.
const BINOMIAL_FROM: f64 = 48.0;

/// ⌊p · 2⁶⁴⌋ for p in [0, 1): a uniform 64-bit draw falls below it with
/// probability p (to within 2⁻⁶⁴).
fn threshold(p: f64) -> u64 {
    (p * 18_446_744_073_709_551_616.0) as u64
}

/// Successes in `n` trials, each a uniform 64-bit draw below `threshold`.
fn trials<R: Rng + ?Sized>(n: u64, threshold: u64, rng: &mut R) -> u64 {
    (0..n).filter(|_| rng.next_u64() < threshold).count() as u64
}

impl Rate {
    /// The rate for probability `p`, clamped to [0, 1].
    pub fn new(p: f64) -> Self {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        let kind = if p == 0.0 {
            Kind::Never
        } else if p == 1.0 {
            Kind::Always
        } else if p >= PER_ITEM_FROM {
            Kind::PerItem {
                threshold: threshold(p),
            }
        } else {
            Kind::Geometric {
                log_q: (-p).ln_1p(),
            }
        };
        Rate { p, kind }
    }

    /// The probability.
    pub fn p(&self) -> f64 {
        self.p
    }
}

/// Selects each item of a long sequence independently with probability
/// `p`, fed in pieces (one per cohort) with [`Skipper::take`]. Small `p`
/// skips from one selected item to the next: the gap is geometric,
/// ⌊ln U / ln(1 − p)⌋ with U uniform on (0, 1], drawn when first needed.
/// Larger `p` draws once per item, and a piece expected to hold many
/// selections takes one binomial draw. The items are independent, so
/// every way gives the same distribution.
pub struct Skipper {
    rate: Rate,
    /// Items still to pass before the next selected one, once drawn.
    gap: Option<u64>,
}

impl Skipper {
    /// A skipper selecting with `rate`. Takes no draw.
    pub fn new(rate: Rate) -> Self {
        let gap = match rate.kind {
            Kind::Never => Some(u64::MAX),
            _ => None,
        };
        Skipper { rate, gap }
    }

    fn draw_gap<R: Rng + ?Sized>(log_q: f64, rng: &mut R) -> u64 {
        // 1 − U with U in [0, 1) is in (0, 1], so the logarithm is finite.
        let u = 1.0 - rng.random::<f64>();
        let gap = u.ln() / log_q;
        if gap >= u64::MAX as f64 {
            u64::MAX
        } else {
            gap as u64
        }
    }

    /// How many of the next items are known, without a draw, not to be
    /// selected: [`Skipper::take`] of that many returns 0 and draws
    /// nothing. 0 until a gap has been drawn.
    pub fn clear(&self) -> u64 {
        self.gap.unwrap_or(0)
    }

    /// How many of the next `n` items are selected.
    #[inline]
    pub fn take<R: Rng + ?Sized>(&mut self, n: u64, rng: &mut R) -> u64 {
        // Most pieces are empty or end before the next selected item.
        match self.gap {
            _ if n == 0 => 0,
            Some(gap) if gap >= n => {
                self.gap = Some(gap - n);
                0
            }
            _ => self.take_some(n, rng),
        }
    }

    fn take_some<R: Rng + ?Sized>(&mut self, mut n: u64, rng: &mut R) -> u64 {
        let log_q = match self.rate.kind {
            Kind::Never => return 0,
            Kind::Always => return n,
            _ if n as f64 * self.rate.p >= BINOMIAL_FROM => {
                // A gap already drawn concerns items that are independent
                // of what was drawn before; forgetting it is exact.
                self.gap = None;
                return binomial(n, self.rate.p, rng);
            }
            Kind::PerItem { threshold } => return trials(n, threshold, rng),
            Kind::Geometric { log_q } => log_q,
        };
        let mut gap = match self.gap {
            Some(gap) => gap,
            None => Self::draw_gap(log_q, rng),
        };
        let mut selected = 0;
        while gap < n {
            selected += 1;
            n -= gap + 1;
            gap = Self::draw_gap(log_q, rng);
        }
        self.gap = Some(gap - n);
        selected
    }
}

/// Draws a day's count with the given mean and variance-to-mean ratio:
/// Poisson when the ratio is 1, otherwise a gamma–Poisson mixture with
/// shape r = mean / (ratio − 1) and scale (ratio − 1), whose variance is
/// mean · ratio. A mean of 0 gives 0 without drawing.
pub fn count<R: Rng + ?Sized>(
    mean: f64,
    variance_to_mean: f64,
    poissons: &mut Poissons,
    rng: &mut R,
) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    let rate = if variance_to_mean > 1.0 {
        let scale = variance_to_mean - 1.0;
        match Gamma::new(mean / scale, scale) {
            Ok(g) => g.sample(rng),
            Err(_) => mean,
        }
    } else {
        mean
    };
    poissons.sample(rate, rng)
}

/// A Poisson sampler kept set up for the last rate asked for: days with
/// the same expected demand set it up once. The draws are those of a
/// sampler made afresh.
#[derive(Debug, Clone, Default)]
pub struct Poissons {
    last: Option<(f64, Poisson<f64>)>,
}

impl Poissons {
    /// A Poisson draw that accepts a rate of 0.
    pub fn sample<R: Rng + ?Sized>(&mut self, rate: f64, rng: &mut R) -> u64 {
        if rate <= 0.0 {
            return 0;
        }
        if let Some((r, p)) = &self.last
            && *r == rate
        {
            let x: f64 = p.sample(rng);
            return x as u64;
        }
        match Poisson::new(rate) {
            Ok(p) => {
                let x: f64 = p.sample(rng);
                self.last = Some((rate, p));
                x as u64
            }
            // Above Poisson::MAX_LAMBDA the normal approximation is exact
            // to far below one count in a million.
            Err(_) => {
                let z: f64 = rng.sample(rand_distr::StandardNormal);
                (rate + z * rate.sqrt()).round().max(0.0) as u64
            }
        }
    }
}

/// Up to this many trials, a binomial is drawn trial by trial: cheaper
/// than setting up the general sampler.
const TRIAL_BY_TRIAL_UP_TO: u64 = 24;

/// Binomial draw that accepts p of 0 or 1 and n of 0.
pub fn binomial<R: Rng + ?Sized>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if n <= TRIAL_BY_TRIAL_UP_TO {
        return trials(n, threshold(p), rng);
    }
    Binomial::new(n, p).map(|b| b.sample(rng)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    #[test]
    fn skipper_selects_the_right_share() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let p = 0.03;
        let mut s = Skipper::new(Rate::new(p));
        let n = 2_000_000u64;
        // Fed in uneven pieces, as cohorts are.
        let mut selected = 0;
        let mut fed = 0;
        let mut piece = 1;
        while fed < n {
            let k = piece.min(n - fed);
            selected += s.take(k, &mut rng);
            fed += k;
            piece = piece % 97 + 1;
        }
        let se = (n as f64 * p * (1.0 - p)).sqrt();
        assert!(
            (selected as f64 - n as f64 * p).abs() < 4.0 * se,
            "{selected}"
        );
    }

    /// Each way of selecting (gaps, a draw per item, one binomial) gives
    /// counts per piece with the binomial mean and variance.
    #[test]
    fn every_way_of_selecting_is_binomial() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        // (p, piece): gaps; gaps then binomial; per item; binomial.
        for (p, k) in [(0.02, 40u64), (0.02, 3000), (0.4, 30), (0.4, 500)] {
            let m = 20_000;
            let mut s = Skipper::new(Rate::new(p));
            let xs: Vec<f64> = (0..m).map(|_| s.take(k, &mut rng) as f64).collect();
            let mean = xs.iter().sum::<f64>() / m as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m as f64 - 1.0);
            let (mu, sigma2) = (k as f64 * p, k as f64 * p * (1.0 - p));
            assert!(
                (mean - mu).abs() < 4.0 * (sigma2 / m as f64).sqrt(),
                "p {p} piece {k}: mean {mean} against {mu}"
            );
            // SE of a sample variance ≈ σ² √((2 + κ) / m), κ the excess
            // kurtosis of the binomial, (1 − 6pq) / (kpq).
            let kurtosis = (1.0 - 6.0 * p * (1.0 - p)) / sigma2;
            assert!(
                (var - sigma2).abs() < 4.0 * sigma2 * ((2.0 + kurtosis) / m as f64).sqrt(),
                "p {p} piece {k}: variance {var} against {sigma2}"
            );
        }
    }

    #[test]
    fn small_binomials_have_the_binomial_mean_and_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for (n, p) in [(4u64, 0.05), (24, 0.5), (25, 0.3)] {
            let m = 50_000;
            let xs: Vec<f64> = (0..m).map(|_| binomial(n, p, &mut rng) as f64).collect();
            let mean = xs.iter().sum::<f64>() / m as f64;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m as f64 - 1.0);
            let (mu, sigma2) = (n as f64 * p, n as f64 * p * (1.0 - p));
            let kurtosis = (1.0 - 6.0 * p * (1.0 - p)) / sigma2;
            assert!(
                (mean - mu).abs() < 4.0 * (sigma2 / m as f64).sqrt(),
                "{n} {p}: {mean}"
            );
            assert!(
                (var - sigma2).abs() < 4.0 * sigma2 * ((2.0 + kurtosis) / m as f64).sqrt(),
                "{n} {p}: variance {var}"
            );
        }
        assert_eq!(binomial(10, 1.0, &mut rng), 10);
        assert_eq!(binomial(10, 0.0, &mut rng), 0);
    }

    #[test]
    fn skipper_edges() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(Skipper::new(Rate::new(0.0)).take(1000, &mut rng), 0);
        assert_eq!(Skipper::new(Rate::new(1.0)).take(1000, &mut rng), 1000);
        assert_eq!(Skipper::new(Rate::new(0.5)).take(0, &mut rng), 0);
    }

    #[test]
    fn count_has_the_asked_mean_and_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let (mean, ratio, n) = (40.0, 3.0, 200_000);
        let xs: Vec<f64> = (0..n)
            .map(|_| count(mean, ratio, &mut Poissons::default(), &mut rng) as f64)
            .collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        let var = mean * ratio;
        // SE of the mean is sqrt(var / n); of the variance about
        // var · sqrt(2 / n) (plus excess kurtosis, covered by the factor 6).
        assert!((m - mean).abs() < 4.0 * (var / n as f64).sqrt(), "mean {m}");
        assert!(
            (v - var).abs() < 6.0 * var * (2.0 / n as f64).sqrt(),
            "var {v}"
        );
        assert_eq!(count(0.0, 3.0, &mut Poissons::default(), &mut rng), 0);
    }
}

//! Sampling helpers that keep the day loop cheap.

use rand::{Rng, RngExt};
use rand_distr::{Binomial, Distribution, Gamma, Poisson};

/// Selects each item of a long sequence independently with probability
/// `p`, visiting only the selected ones: the gap to the next selected item
/// is geometric, ⌊ln U / ln(1 − p)⌋ with U uniform on (0, 1]. The sequence
/// is fed in pieces (one per cohort) with [`Skipper::take`].
pub struct Skipper {
    /// ln(1 − p); 0 when p = 0, −∞ when p = 1.
    log_q: f64,
    /// Items still to pass before the next selected one.
    gap: u64,
}

impl Skipper {
    /// A skipper for probability `p` in [0, 1].
    pub fn new<R: Rng + ?Sized>(p: f64, rng: &mut R) -> Self {
        let mut s = Skipper {
            log_q: (1.0 - p).ln(),
            gap: 0,
        };
        s.gap = s.draw_gap(rng);
        s
    }

    fn draw_gap<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        if self.log_q == 0.0 {
            return u64::MAX;
        }
        if self.log_q == f64::NEG_INFINITY {
            return 0;
        }
        // 1 − U with U in [0, 1) is in (0, 1], so the logarithm is finite.
        let u = 1.0 - rng.random::<f64>();
        let gap = u.ln() / self.log_q;
        if gap >= u64::MAX as f64 {
            u64::MAX
        } else {
            gap as u64
        }
    }

    /// How many of the next `n` items are selected.
    pub fn take<R: Rng + ?Sized>(&mut self, mut n: u64, rng: &mut R) -> u64 {
        let mut selected = 0;
        while self.gap < n {
            selected += 1;
            n -= self.gap + 1;
            self.gap = self.draw_gap(rng);
        }
        self.gap -= n;
        selected
    }
}

/// Draws a day's count with the given mean and variance-to-mean ratio:
/// Poisson when the ratio is 1, otherwise a gamma–Poisson mixture with
/// shape r = mean / (ratio − 1) and scale (ratio − 1), whose variance is
/// mean · ratio. A mean of 0 gives 0 without drawing.
pub fn count<R: Rng + ?Sized>(mean: f64, variance_to_mean: f64, rng: &mut R) -> u64 {
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
    poisson(rate, rng)
}

/// Poisson draw that accepts a rate of 0.
pub fn poisson<R: Rng + ?Sized>(rate: f64, rng: &mut R) -> u64 {
    if rate <= 0.0 {
        return 0;
    }
    match Poisson::new(rate) {
        Ok(p) => {
            let x: f64 = p.sample(rng);
            x as u64
        }
        // Above Poisson::MAX_LAMBDA the normal approximation is exact to
        // far below one count in a million.
        Err(_) => {
            let z: f64 = rng.sample(rand_distr::StandardNormal);
            (rate + z * rate.sqrt()).round().max(0.0) as u64
        }
    }
}

/// Binomial draw that accepts p of 0 or 1 and n of 0.
pub fn binomial<R: Rng + ?Sized>(n: u64, p: f64, rng: &mut R) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
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
        let mut s = Skipper::new(p, &mut rng);
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

    #[test]
    fn skipper_edges() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(Skipper::new(0.0, &mut rng).take(1000, &mut rng), 0);
        assert_eq!(Skipper::new(1.0, &mut rng).take(1000, &mut rng), 1000);
    }

    #[test]
    fn count_has_the_asked_mean_and_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let (mean, ratio, n) = (40.0, 3.0, 200_000);
        let xs: Vec<f64> = (0..n)
            .map(|_| count(mean, ratio, &mut rng) as f64)
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
        assert_eq!(count(0.0, 3.0, &mut rng), 0);
    }
}

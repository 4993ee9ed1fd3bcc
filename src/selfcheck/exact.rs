//! The exact law of the daily backlog recursion, for checking the engine
//! against it: B(t) = max(0, B(t − 1) + A(t) − S(t)) with A(t) Poisson of
//! rate λ(t) and S(t) a fixed capacity in contacts.
//!
//! The law of B(t) is propagated day by day: convolve with the Poisson
//! probabilities, then shift by the capacity and fold everything below 0
//! into 0. Poisson tails below 10⁻¹⁸ are dropped, so each day's law sums to
//! 1 within about 10⁻¹⁵.

/// Poisson probabilities of `lambda` as (first k, probabilities from it).
pub fn poisson_pmf(lambda: f64) -> (usize, Vec<f64>) {
    if lambda <= 0.0 {
        return (0, vec![1.0]);
    }
    // Start at the mode, where the probability is largest, and walk out
    // with p(k) = p(k − 1) · λ / k, which neither underflows nor overflows.
    let mode = lambda.floor() as usize;
    let ln_mode_factorial: f64 = (1..=mode).map(|i| (i as f64).ln()).sum();
    let at_mode = (mode as f64 * lambda.ln() - lambda - ln_mode_factorial).exp();
    let mut below = Vec::new();
    let mut p = at_mode;
    let mut k = mode;
    while k > 0 {
        p *= k as f64 / lambda;
        k -= 1;
        if p < 1e-18 {
            break;
        }
        below.push(p);
    }
    let first = mode - below.len();
    let mut pmf: Vec<f64> = below.into_iter().rev().collect();
    pmf.push(at_mode);
    let mut p = at_mode;
    let mut k = mode;
    loop {
        k += 1;
        p *= lambda / k as f64;
        if p < 1e-18 {
            break;
        }
        pmf.push(p);
    }
    // ln(mode!) as a sum of logarithms loses a few digits for large
    // modes; normalising restores a total of 1 to rounding.
    let total: f64 = pmf.iter().sum();
    pmf.iter_mut().for_each(|p| *p /= total);
    (first, pmf)
}

/// The law of the backlog at the end of each day (index day − 1), each a
/// vector of probabilities indexed by the backlog.
pub fn backlog_laws(b0: usize, lambdas: &[f64], capacities: &[u64]) -> Vec<Vec<f64>> {
    let mut law = vec![0.0; b0 + 1];
    law[b0] = 1.0;
    let mut out = Vec::with_capacity(lambdas.len());
    for (&lambda, &capacity) in lambdas.iter().zip(capacities) {
        let (first, pmf) = poisson_pmf(lambda);
        let mut sum = vec![0.0; law.len() + first + pmf.len()];
        for (b, &p) in law.iter().enumerate() {
            if p == 0.0 {
                continue;
            }
            for (k, &q) in pmf.iter().enumerate() {
                sum[b + first + k] += p * q;
            }
        }
        let capacity = capacity as usize;
        let mut next = vec![0.0; sum.len().saturating_sub(capacity).max(1)];
        for (x, &p) in sum.iter().enumerate() {
            next[x.saturating_sub(capacity)] += p;
        }
        while next.len() > 1 && *next.last().unwrap_or(&1.0) < 1e-300 {
            next.pop();
        }
        out.push(next.clone());
        law = next;
    }
    out
}

/// Mean of a law.
pub fn mean(law: &[f64]) -> f64 {
    law.iter().enumerate().map(|(x, p)| x as f64 * p).sum()
}

/// Standard deviation of a law.
pub fn sd(law: &[f64]) -> f64 {
    let m = mean(law);
    law.iter()
        .enumerate()
        .map(|(x, p)| (x as f64 - m).powi(2) * p)
        .sum::<f64>()
        .sqrt()
}

/// The inverse CDF: the smallest x with P(B ≤ x) ≥ q.
pub fn quantile(law: &[f64], q: f64) -> f64 {
    let mut cumulative = 0.0;
    for (x, p) in law.iter().enumerate() {
        cumulative += p;
        if cumulative >= q - 1e-12 {
            return x as f64;
        }
    }
    (law.len() - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_probabilities_sum_to_one_with_the_right_mean() {
        for lambda in [0.5, 4.0, 100.0, 1500.0] {
            let (first, pmf) = poisson_pmf(lambda);
            let total: f64 = pmf.iter().sum();
            let m: f64 = pmf
                .iter()
                .enumerate()
                .map(|(k, p)| (first + k) as f64 * p)
                .sum();
            assert!((total - 1.0).abs() < 1e-12, "{lambda}: {total}");
            assert!((m - lambda).abs() < 1e-9 * lambda.max(1.0), "{lambda}: {m}");
        }
    }

    #[test]
    fn a_backlog_without_capacity_is_the_sum_of_arrivals() {
        let laws = backlog_laws(3, &[2.0, 2.0], &[0, 0]);
        assert!((mean(&laws[1]) - 7.0).abs() < 1e-9);
        assert!((sd(&laws[1]) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_stationary_mean_of_bl_a_is_reached() {
        // λ = 100 against 105 a day settles at a mean of 5.4338 (the
        // reference's stationary value, reached within 60 days).
        let laws = backlog_laws(0, &[100.0; 90], &[105; 90]);
        assert!(
            (mean(&laws[89]) - 5.4338).abs() < 1e-3,
            "{}",
            mean(&laws[89])
        );
        assert_eq!(quantile(&laws[89], 0.5), 0.0);
    }
}

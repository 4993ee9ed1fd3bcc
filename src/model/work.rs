//! How contacts are handled: handle times, reopens, dropped tasks and
//! chasers.

use rand::Rng;
use rand_distr::{Distribution, Gamma, LogNormal};

/// Everything about working contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// Handle time of a contact, in minutes.
    pub handle_minutes: HandleTime,
    /// Handle time of a chaser contact, in minutes.
    pub chaser_handle_minutes: HandleTime,
    /// Resolved contacts that come back.
    pub reopen: Reopen,
    /// Contacts that stall and are forgotten.
    pub drop: Drop,
    /// Waiting customers who chase.
    pub chase: Chase,
}

/// A handle-time distribution in minutes, built once from its mean and
/// coefficient of variation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HandleTime {
    mean: f64,
    cv: f64,
    shape: Shape,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Fixed,
    /// σ² = ln(1 + cv²), μ = ln(mean) − σ²/2, so that E = mean and
    /// sd / E = cv.
    Lognormal(LogNormal<f64>),
    /// Shape 1/cv² and scale mean·cv².
    Gamma(Gamma<f64>),
}

impl HandleTime {
    /// Always `mean` minutes.
    pub fn fixed(mean: f64) -> Self {
        HandleTime {
            mean,
            cv: 0.0,
            shape: Shape::Fixed,
        }
    }

    /// Lognormal with the given mean (minutes, > 0) and cv (> 0).
    pub fn lognormal(mean: f64, cv: f64) -> Option<Self> {
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let dist = LogNormal::new(mu, sigma2.sqrt()).ok()?;
        Some(HandleTime {
            mean,
            cv,
            shape: Shape::Lognormal(dist),
        })
    }

    /// Gamma with the given mean (minutes, > 0) and cv (> 0).
    pub fn gamma(mean: f64, cv: f64) -> Option<Self> {
        let dist = Gamma::new(1.0 / (cv * cv), mean * cv * cv).ok()?;
        Some(HandleTime {
            mean,
            cv,
            shape: Shape::Gamma(dist),
        })
    }

    /// Mean handle time in minutes.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Coefficient of variation (0 for a fixed time).
    pub fn cv(&self) -> f64 {
        self.cv
    }

    /// Draws one handle time in minutes.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.shape {
            Shape::Fixed => self.mean,
            Shape::Lognormal(dist) => dist.sample(rng),
            Shape::Gamma(dist) => dist.sample(rng),
        }
    }
}

/// Resolved contacts that come back as new contacts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reopen {
    /// Share of resolved contacts that reopen.
    pub share: f64,
    /// Days from resolution to the reopened contact's arrival.
    pub after_days: u32,
}

/// Dropped tasks: contacts that stall between people and are forgotten.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drop {
    /// Probability per day that an open contact nobody worked today drops.
    pub daily_hazard: f64,
    /// Mean days until the customer acts on a dropped contact (chases or
    /// gives up); the delay is geometric.
    pub chase_after_days: f64,
    /// Share of customers acting on a dropped contact who give up (lost)
    /// rather than chase.
    pub give_up_share: f64,
    /// Mean days until the team itself finds a dropped contact again, or
    /// `None` if it never does.
    pub resurface_after_days: Option<f64>,
}

/// Waiting customers who chase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chase {
    /// Age in days from which a visible open contact's customer may chase.
    pub patience_days: u32,
    /// Probability per day that such a customer sends a chaser.
    pub daily_probability: f64,
}

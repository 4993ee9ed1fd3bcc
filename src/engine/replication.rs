//! One replication of one scenario: the day loop.
//!
//! The order of events in a day (MODEL.md explains each step):
//! 1. team: leavers go, hires and replacements join, training starts,
//!    absence is drawn and the day's capacity in minutes is set;
//! 2. dropped contacts: customers act (give up, or chase) and the team
//!    finds some again;
//! 3. waiting customers past their patience send chasers;
//! 4. new contacts arrive: demand (noise, spikes) less deflection, plus
//!    reopens due today, plus today's chasers;
//! 5. capacity is applied to visible contacts, oldest first; the contact
//!    in hand when capacity runs out carries its remaining minutes over;
//! 6. some resolved contacts are scheduled to reopen;
//! 7. visible contacts nobody worked today may drop;
//! 8. the end-of-day counts and costs are recorded.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};

use rand::RngExt;

use super::plan::Plan;
use super::rng::{Source, agent_uniform, splitmix64, stream};
use super::sample::{Skipper, binomial, count};
use crate::model::{RampUp, Scenario};

/// What one replication of one scenario produced, day by day (index
/// day − 1) and in total.
#[derive(Debug, Clone, Default)]
pub struct Trajectory {
    /// Open contacts at the end of the day (visible + dropped).
    pub debt: Vec<u64>,
    /// Open contacts somebody will work (including chasers).
    pub visible: Vec<u64>,
    /// Open contacts that dropped: still debt, but hidden.
    pub dropped: Vec<u64>,
    /// New contacts: fresh demand after deflection, reopens and chasers.
    pub new: Vec<u64>,
    /// Contacts resolved.
    pub resolved: Vec<u64>,
    /// Contacts lost (the customer gave up).
    pub lost: Vec<u64>,
    /// Open contacts past the SLA.
    pub past_sla: Vec<u64>,
    /// Age in days that 90 % of open contacts do not exceed (0 when none
    /// is open).
    pub age_p90: Vec<u64>,
    /// Chaser contacts among the new ones.
    pub chasers: Vec<u64>,
    /// Labour + delay + lost-customer cost.
    pub operating_cost: Vec<f64>,
    /// Intervention costs paid once (setup, recruiting, training fees).
    pub one_time_cost: Vec<f64>,
    /// Intervention running costs (monthly fees, licences, hire salaries).
    pub running_cost: Vec<f64>,
    /// Totals over the horizon.
    pub totals: Totals,
}

/// Totals of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// Labour cost of the team (hires excluded: they are an intervention).
    pub labour_cost: f64,
    /// Cost of open contact-days past the SLA.
    pub delay_cost: f64,
    /// Cost of lost contacts.
    pub lost_cost: f64,
    /// Everything interventions cost.
    pub intervention_cost: f64,
    /// What dropped tasks cost: their delay past the SLA, the customers
    /// they lost and the handling of the chasers they caused.
    pub dropped_cost: f64,
    /// Non-chaser contacts resolved.
    pub resolved_primary: u64,
    /// Of those, resolved within the SLA.
    pub resolved_within_sla: u64,
}

impl Trajectory {
    fn reset(&mut self, horizon: usize) {
        for v in [
            &mut self.debt,
            &mut self.visible,
            &mut self.dropped,
            &mut self.new,
            &mut self.resolved,
            &mut self.lost,
            &mut self.past_sla,
            &mut self.age_p90,
            &mut self.chasers,
        ] {
            v.clear();
            v.reserve(horizon);
        }
        for v in [
            &mut self.operating_cost,
            &mut self.one_time_cost,
            &mut self.running_cost,
        ] {
            v.clear();
            v.reserve(horizon);
        }
        self.totals = Totals::default();
    }

    /// Total cost: operating plus interventions.
    pub fn total_cost(&self) -> f64 {
        let t = &self.totals;
        t.labour_cost + t.delay_cost + t.lost_cost + t.intervention_cost
    }
}

/// Contacts that arrived on the same day.
#[derive(Debug, Clone, Copy)]
struct Cohort {
    day: u32,
    /// Visible non-chaser contacts.
    visible: u64,
    /// Dropped contacts.
    dropped: u64,
    /// Visible chaser contacts.
    chasers: u64,
}

/// The contact being worked when the day's capacity ran out.
#[derive(Debug, Clone, Copy)]
struct InHand {
    day: u32,
    chaser: bool,
    minutes_left: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    Team,
    Hire(usize),
}

#[derive(Debug, Clone)]
struct Agent {
    /// Identity for the agent's own random draws (see `agent_uniform`).
    id: u64,
    /// Day the agent joined; 0 for the team on day 1 (fully productive).
    joined: u32,
    ramp: RampUp,
    origin: Origin,
    /// Bit i set: trained by training i.
    trained: u64,
}

/// Output the team lost when someone left, fading out linearly.
#[derive(Debug, Clone, Copy)]
struct Hit {
    day: u32,
    minutes: f64,
}

/// Reusable state of one replication, kept between replications to avoid
/// allocating.
#[derive(Debug, Default)]
pub struct State {
    cohorts: VecDeque<Cohort>,
    agents: Vec<Agent>,
    /// (day due, origin, identity) of agents still to join.
    joiners: Vec<(u32, Origin, u64)>,
    hits: Vec<Hit>,
    spikes: Vec<(u32, f64)>,
    pending_reopens: Vec<u64>,
    present: Vec<bool>,
}

/// Simulates replication `replication` of `scenario` into `out`.
pub fn simulate(
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    replication: u64,
    state: &mut State,
    out: &mut Trajectory,
) {
    simulate_until(
        scenario,
        plan,
        seed,
        replication,
        state,
        out,
        &AtomicBool::new(false),
    );
}

/// [`simulate`], stopping at the start of a day once `stop` is set (the
/// trajectory is then incomplete and must be discarded). A day of even the
/// largest accepted scenario takes well under a second, so a run stops
/// promptly when interrupted.
pub fn simulate_until(
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    replication: u64,
    state: &mut State,
    out: &mut Trajectory,
    stop: &AtomicBool,
) {
    let horizon = scenario.horizon_days;
    let team = &scenario.team;
    let work = &scenario.work;
    let econ = &scenario.economics;
    out.reset(horizon as usize);

    state.cohorts.clear();
    state.cohorts.push_back(Cohort {
        day: 0,
        visible: scenario.demand.opening_debt
            - scenario
                .demand
                .opening_dropped
                .min(scenario.demand.opening_debt),
        dropped: scenario
            .demand
            .opening_dropped
            .min(scenario.demand.opening_debt),
        chasers: 0,
    });
    let no_ramp = RampUp {
        start_productivity: 1.0,
        weeks: 0.0,
    };
    state.agents.clear();
    state.agents.extend((0..team.agents).map(|i| Agent {
        id: u64::from(i),
        joined: 0,
        ramp: no_ramp,
        origin: Origin::Team,
        trained: 0,
    }));
    state.joiners.clear();
    state.hits.clear();
    state.spikes.clear();
    state.pending_reopens.clear();
    state.pending_reopens.resize(horizon as usize + 2, 0);
    let mut in_hand: Option<InHand> = None;

    let minutes_per_agent = team.hours_per_day * 60.0 * team.focus;
    let cost_per_minute = econ.cost_per_agent_hour / 60.0;
    let daily_attrition = team.daily_attrition();
    let recovery_days = team.knowledge.recovery_weeks * 7.0;
    let unspread = 1.0 - team.knowledge.spread;
    let sla = scenario.sla_days;
    let salary_per_day: Vec<f64> = plan
        .hires
        .iter()
        .map(|h| h.hires.salary_per_month * 12.0 / 365.0)
        .collect();
    let mut shares = vec![0.0; plan.trainings.len()];

    for day in 1..=horizon {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let d = &plan.days[day as usize - 1];
        let mut one_time = d.one_time_cost;
        let mut running = d.running_cost;

        // 1. Team. Leavers first, drawn in agent order.
        training_shares(&state.agents, plan, &mut shares);
        let knowledge_factor = effect_factor(plan, &shares, day, |t| t.knowledge_loss);
        if daily_attrition > 0.0 {
            let mut i = 0;
            while i < state.agents.len() {
                let id = state.agents[i].id;
                if agent_uniform(seed, replication, Source::Attrition, day, id) < daily_attrition {
                    let agent = state.agents.swap_remove(i);
                    let output = minutes_per_agent * agent.ramp.productivity(day - agent.joined);
                    let minutes = team.knowledge.leaver_hit * unspread * output * knowledge_factor;
                    if minutes > 0.0 && recovery_days > 0.0 {
                        state.hits.push(Hit { day, minutes });
                    }
                    if team.replace_leavers {
                        // The replacement's identity follows from the leaver's.
                        let successor = splitmix64(agent.id ^ (u64::from(day) << 40) ^ 0x5245_504c);
                        state.joiners.push((
                            day + team.hiring_lead_days.max(1),
                            agent.origin,
                            successor,
                        ));
                    }
                } else {
                    i += 1;
                }
            }
        }
        for hire in plan.hires.iter().filter(|h| h.start_day == day) {
            for k in 0..hire.hires.count {
                let id = splitmix64(0x4849_5245 << 32 ^ (hire.index as u64) << 20 ^ u64::from(k));
                state.joiners.push((day, Origin::Hire(hire.index), id));
            }
            one_time += hire.hires.recruiting_cost_per_hire * f64::from(hire.hires.count);
        }
        let mut j = 0;
        while j < state.joiners.len() {
            let (due, origin, id) = state.joiners[j];
            if due != day {
                j += 1;
                continue;
            }
            state.joiners.swap_remove(j);
            let ramp = match origin {
                Origin::Team => team.ramp_up,
                Origin::Hire(k) => plan.hires[k].hires.ramp_up,
            };
            let mut trained = 0;
            for t in plan
                .trainings
                .iter()
                .filter(|t| t.training.onboarding && t.start_day <= day)
            {
                trained |= 1 << t.bit;
                one_time += t.training.cost_per_agent;
            }
            state.agents.push(Agent {
                id,
                joined: day,
                ramp,
                origin,
                trained,
            });
        }
        for t in plan.trainings.iter().filter(|t| t.start_day == day) {
            for agent in &mut state.agents {
                agent.trained |= 1 << t.bit;
            }
            one_time += t.training.cost_per_agent * state.agents.len() as f64;
        }
        training_shares(&state.agents, plan, &mut shares);

        let mut capacity = 0.0;
        let mut labour = 0.0;
        for agent in &state.agents {
            match agent.origin {
                Origin::Team if d.open => labour += team.hours_per_day * econ.cost_per_agent_hour,
                Origin::Team => {}
                Origin::Hire(k) => running += salary_per_day[k],
            }
        }
        running += d.licence_per_agent * state.agents.len() as f64;
        if d.open {
            capacity = day_capacity(
                state,
                plan,
                team,
                day,
                minutes_per_agent,
                d.dip_factor,
                unspread,
                &shares,
                seed,
                replication,
            );
        }
        state
            .hits
            .retain(|h| f64::from(day - h.day) < recovery_days);

        // 2. Dropped contacts: customers act, or the team finds them.
        let mut lost_today = 0;
        let mut chasers_today = 0;
        let mut dropped_cost = 0.0;
        {
            let mut rng = stream(seed, replication, Source::Chase, day);
            let p_act = 1.0 / work.drop.chase_after_days;
            let mut act = Skipper::new(p_act, &mut rng);
            let mut find = d
                .resurface_after_days
                .map(|days| Skipper::new((1.0 / days).min(1.0), &mut rng));
            for c in state.cohorts.iter_mut().filter(|c| c.dropped > 0) {
                let acting = act.take(c.dropped, &mut rng);
                for _ in 0..acting {
                    if rng.random::<f64>() < work.drop.give_up_share {
                        lost_today += 1;
                    } else {
                        c.visible += 1;
                        chasers_today += 1;
                    }
                }
                c.dropped -= acting;
                if let Some(find) = &mut find {
                    let found = find.take(c.dropped, &mut rng);
                    c.dropped -= found;
                    c.visible += found;
                }
            }
            // Chasers caused by dropped contacts are handled at their mean.
            dropped_cost +=
                chasers_today as f64 * work.chaser_handle_minutes.mean() * cost_per_minute;

            // 3. Waiting customers chase.
            if work.chase.daily_probability > 0.0 {
                let mut chase = Skipper::new(work.chase.daily_probability, &mut rng);
                for c in state.cohorts.iter() {
                    if day - c.day >= work.chase.patience_days {
                        chasers_today += chase.take(c.visible, &mut rng);
                    }
                }
            }
        }

        // 4. New contacts.
        let mut spike = 1.0;
        {
            let mut rng = stream(seed, replication, Source::Demand, day);
            if let Some(r) = &scenario.demand.random_spikes {
                let starts = rng.random::<f64>() < r.per_year / 365.0;
                let u = rng.random::<f64>();
                if starts && r.days > 0 {
                    let multiplier = r.multiplier[0] + (r.multiplier[1] - r.multiplier[0]) * u;
                    state.spikes.push((day + r.days - 1, multiplier));
                }
                state.spikes.retain(|&(end, _)| end >= day);
                spike = state.spikes.iter().map(|&(_, m)| m).product();
            }
            let fresh = count(
                d.expected_new * spike,
                scenario.demand.variance_to_mean,
                &mut rng,
            );
            let deflected = if d.deflection > 0.0 {
                let mut rng = stream(seed, replication, Source::Deflection, day);
                binomial(fresh, d.deflection, &mut rng)
            } else {
                0
            };
            let reopens = state.pending_reopens[day as usize];
            let primaries = fresh - deflected + reopens;
            state.cohorts.push_back(Cohort {
                day,
                visible: primaries,
                dropped: 0,
                chasers: chasers_today,
            });
            out.new.push(primaries + chasers_today);
            out.chasers.push(chasers_today);
        }

        // 5. Work, oldest first.
        let handle_factor = d.handle_factor * effect_factor(plan, &shares, day, |t| t.handle_time);
        let mut resolved = 0;
        let mut resolved_primary = 0;
        {
            let mut rng = stream(seed, replication, Source::Handle, day);
            let mut note = |cohort_day: u32, chaser: bool, n: u64| {
                resolved += n;
                if !chaser {
                    resolved_primary += n;
                    if day - cohort_day <= sla {
                        out.totals.resolved_within_sla += n;
                    }
                }
            };
            if let Some(hand) = &mut in_hand {
                if capacity >= hand.minutes_left {
                    capacity -= hand.minutes_left;
                    note(hand.day, hand.chaser, 1);
                    in_hand = None;
                } else {
                    hand.minutes_left -= capacity;
                    capacity = 0.0;
                }
            }
            for c in state.cohorts.iter_mut() {
                if capacity <= 0.0 {
                    break;
                }
                for chaser in [false, true] {
                    let (waiting, handle) = if chaser {
                        (&mut c.chasers, &work.chaser_handle_minutes)
                    } else {
                        (&mut c.visible, &work.handle_minutes)
                    };
                    let (done, left) =
                        work_through(*waiting, capacity, handle, handle_factor, &mut rng);
                    note(c.day, chaser, done);
                    *waiting -= done;
                    capacity = 0.0_f64.max(capacity - left.spent);
                    if let Some(minutes_left) = left.in_hand {
                        *waiting -= 1;
                        in_hand = Some(InHand {
                            day: c.day,
                            chaser,
                            minutes_left,
                        });
                        capacity = 0.0;
                        break;
                    }
                }
            }
        }

        // 6. Reopens.
        let reopen_share = work.reopen.share
            * d.reopen_factor
            * effect_factor(plan, &shares, day, |t| t.reopen_share);
        if reopen_share > 0.0 && resolved_primary > 0 {
            let mut rng = stream(seed, replication, Source::Reopen, day);
            let reopened = binomial(resolved_primary, reopen_share, &mut rng);
            let due = day + work.reopen.after_days.max(1);
            if due <= horizon {
                state.pending_reopens[due as usize] += reopened;
            }
        }

        // 7. Drops among the visible contacts nobody worked today.
        let hazard = work.drop.daily_hazard
            * d.drop_factor
            * effect_factor(plan, &shares, day, |t| t.drop_hazard);
        if hazard > 0.0 {
            let mut rng = stream(seed, replication, Source::Drop, day);
            let mut drop = Skipper::new(hazard, &mut rng);
            for c in state.cohorts.iter_mut() {
                let n = drop.take(c.visible, &mut rng);
                c.visible -= n;
                c.dropped += n;
            }
        }

        // 8. Record.
        while state
            .cohorts
            .front()
            .is_some_and(|c| c.visible + c.dropped + c.chasers == 0)
        {
            state.cohorts.pop_front();
        }
        let mut visible = u64::from(in_hand.is_some());
        let mut dropped = 0;
        let mut past_sla = u64::from(in_hand.is_some_and(|h| day - h.day >= sla));
        let mut dropped_past_sla = 0;
        for c in &state.cohorts {
            visible += c.visible + c.chasers;
            dropped += c.dropped;
            if day - c.day >= sla {
                past_sla += c.visible + c.chasers + c.dropped;
                dropped_past_sla += c.dropped;
            }
        }
        let delay = past_sla as f64 * econ.delay_cost_per_contact_day;
        let lost_cost = lost_today as f64 * econ.lost_contact_cost;
        dropped_cost += dropped_past_sla as f64 * econ.delay_cost_per_contact_day + lost_cost;

        out.debt.push(visible + dropped);
        out.visible.push(visible);
        out.dropped.push(dropped);
        out.resolved.push(resolved);
        out.lost.push(lost_today);
        out.past_sla.push(past_sla);
        out.age_p90.push(age_p90(
            &state.cohorts,
            in_hand.map(|h| h.day),
            visible + dropped,
            day,
        ));
        out.operating_cost.push(labour + delay + lost_cost);
        out.one_time_cost.push(one_time);
        out.running_cost.push(running);
        let t = &mut out.totals;
        t.labour_cost += labour;
        t.delay_cost += delay;
        t.lost_cost += lost_cost;
        t.intervention_cost += one_time + running;
        t.dropped_cost += dropped_cost;
        t.resolved_primary += resolved_primary;
    }
}

/// The smallest age a (in days) such that at least 90 % of the `open`
/// contacts are at most a days old: walks the cohorts from the newest.
fn age_p90(cohorts: &VecDeque<Cohort>, in_hand: Option<u32>, open: u64, day: u32) -> u64 {
    if open == 0 {
        return 0;
    }
    // ⌈0.9 · open⌉ contacts must be covered.
    let target = (open * 9).div_ceil(10);
    let mut covered = 0;
    let mut hand = in_hand;
    for c in cohorts.iter().rev() {
        if let Some(h) = hand
            && h > c.day
        {
            covered += 1;
            hand = None;
            if covered >= target {
                return u64::from(day - h);
            }
        }
        covered += c.visible + c.dropped + c.chasers;
        if covered >= target {
            return u64::from(day - c.day);
        }
    }
    hand.map_or(0, |h| u64::from(day - h))
}

/// Minutes used of the capacity, and the remaining minutes of a contact
/// left in hand when it ran out.
struct Spent {
    spent: f64,
    in_hand: Option<f64>,
}

/// Works through up to `waiting` contacts with `capacity` minutes.
/// Returns how many were resolved, and what was spent.
fn work_through<R: rand::Rng>(
    waiting: u64,
    capacity: f64,
    handle: &crate::model::HandleTime,
    factor: f64,
    rng: &mut R,
) -> (u64, Spent) {
    if waiting == 0 || capacity <= 0.0 {
        return (
            0,
            Spent {
                spent: 0.0,
                in_hand: None,
            },
        );
    }
    if handle.cv() == 0.0 {
        // Fixed handle times: no draws needed.
        let each = handle.mean() * factor;
        if each <= 0.0 {
            return (
                waiting,
                Spent {
                    spent: 0.0,
                    in_hand: None,
                },
            );
        }
        let fit = (capacity / each).floor();
        if fit >= waiting as f64 {
            return (
                waiting,
                Spent {
                    spent: waiting as f64 * each,
                    in_hand: None,
                },
            );
        }
        let done = fit as u64;
        let left = capacity - fit * each;
        let in_hand = (left > 0.0).then_some(each - left);
        return (
            done,
            Spent {
                spent: capacity,
                in_hand,
            },
        );
    }
    let mut done = 0;
    let mut spent = 0.0;
    while done < waiting {
        let minutes = handle.sample(rng) * factor;
        if spent + minutes <= capacity {
            spent += minutes;
            done += 1;
        } else {
            let in_hand = Some(minutes - (capacity - spent));
            return (
                done,
                Spent {
                    spent: capacity,
                    in_hand,
                },
            );
        }
    }
    (
        done,
        Spent {
            spent,
            in_hand: None,
        },
    )
}

/// Share of employed agents trained by each training.
fn training_shares(agents: &[Agent], plan: &Plan, shares: &mut [f64]) {
    let n = agents.len().max(1) as f64;
    for (t, share) in plan.trainings.iter().zip(shares.iter_mut()) {
        let trained = agents
            .iter()
            .filter(|a| a.trained & (1 << t.bit) != 0)
            .count();
        *share = trained as f64 / n;
    }
}

/// Π over trainings of (1 − effect × level × trained share).
fn effect_factor(
    plan: &Plan,
    shares: &[f64],
    day: u32,
    effect: impl Fn(&crate::model::intervention::Training) -> f64,
) -> f64 {
    let mut factor = 1.0;
    for (t, share) in plan.trainings.iter().zip(shares) {
        factor *= 1.0 - effect(&t.training) * t.level[day as usize - 1] * share;
    }
    factor
}

/// Minutes of contact work the team has today.
#[allow(clippy::too_many_arguments)]
fn day_capacity(
    state: &mut State,
    plan: &Plan,
    team: &crate::model::Team,
    day: u32,
    minutes_per_agent: f64,
    dip_factor: f64,
    unspread: f64,
    shares: &[f64],
    seed: u64,
    replication: u64,
) -> f64 {
    state.present.clear();
    if team.absence > 0.0 {
        state.present.extend(
            state.agents.iter().map(|a| {
                agent_uniform(seed, replication, Source::Absence, day, a.id) >= team.absence
            }),
        );
    } else {
        state.present.resize(state.agents.len(), true);
    }

    let mut present = 0.0;
    let mut absent = 0.0;
    let mut training = 0.0;
    let mut mentoring = 0.0;
    for (agent, &here) in state.agents.iter().zip(&state.present) {
        let output = minutes_per_agent * agent.ramp.productivity(day - agent.joined) * dip_factor;
        if !here {
            absent += output;
            continue;
        }
        present += output;
        for t in &plan.trainings {
            if agent.trained & (1 << t.bit) != 0 && agent.joined < t.start_day {
                training += t.minutes_per_agent[day as usize - 1];
            }
        }
        if let Origin::Hire(k) = agent.origin
            && agent.ramp.is_ramping(day - agent.joined)
            && plan.open_days_per_week > 0.0
        {
            mentoring +=
                plan.hires[k].hires.mentoring_hours_per_week * 60.0 / plan.open_days_per_week;
        }
    }
    let recovery_days = team.knowledge.recovery_weeks * 7.0;
    let knowledge: f64 = state
        .hits
        .iter()
        .map(|h| h.minutes * (1.0 - f64::from(day - h.day) / recovery_days).max(0.0))
        .sum();
    let absence_factor = effect_factor(plan, shares, day, |t| t.absence_impact);
    let absence_loss = absent * team.knowledge.absence_hit * unspread * absence_factor;
    (present - training - mentoring - knowledge - absence_loss).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cohorts(list: &[(u32, u64)]) -> VecDeque<Cohort> {
        list.iter()
            .map(|&(day, visible)| Cohort {
                day,
                visible,
                dropped: 0,
                chasers: 0,
            })
            .collect()
    }

    #[test]
    fn age_p90_covers_nine_tenths_from_the_newest() {
        let c = cohorts(&[(1, 5), (8, 5)]);
        assert_eq!(age_p90(&c, None, 10, 10), 9);
        let c = cohorts(&[(1, 1), (8, 9)]);
        assert_eq!(age_p90(&c, None, 10, 10), 2);
        // The contact in hand counts at its own arrival day.
        let c = cohorts(&[(1, 1), (8, 8)]);
        assert_eq!(age_p90(&c, Some(5), 10, 10), 5);
        assert_eq!(age_p90(&VecDeque::new(), None, 0, 3), 0);
        assert_eq!(age_p90(&VecDeque::new(), Some(2), 1, 3), 1);
    }
}

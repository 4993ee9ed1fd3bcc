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
use rand::rngs::Xoshiro256PlusPlus;

use super::plan::Plan;
use super::rng::{Source, Streams, splitmix64};
use super::sample::{Poissons, Rate, Skipper, binomial, count};
use crate::model::{RampUp, Scenario};

/// What one replication of one scenario produced, day by day (index
/// day − 1) and in total.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// Days the contacts resolved today waited: Σ (today − arrival day),
    /// 0 for one resolved on its arrival day.
    pub waited_days: Vec<u64>,
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

/// Makes `mine` the first `days` values of `theirs`.
fn take_days<T: Copy>(mine: &mut Vec<T>, theirs: &[T], days: usize) {
    mine.clear();
    mine.extend_from_slice(&theirs[..days]);
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
            &mut self.waited_days,
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

    /// Makes this the first `days` days of `base`, with `totals` the totals
    /// at the end of the last of them. Every field is named, so that a new
    /// one cannot be left out.
    fn copy_prefix(&mut self, base: &Trajectory, days: usize, totals: &Totals) {
        let Trajectory {
            debt,
            visible,
            dropped,
            new,
            resolved,
            lost,
            past_sla,
            age_p90,
            chasers,
            waited_days,
            operating_cost,
            one_time_cost,
            running_cost,
            totals: _,
        } = base;
        let counts = [
            (&mut self.debt, debt),
            (&mut self.visible, visible),
            (&mut self.dropped, dropped),
            (&mut self.new, new),
            (&mut self.resolved, resolved),
            (&mut self.lost, lost),
            (&mut self.past_sla, past_sla),
            (&mut self.age_p90, age_p90),
            (&mut self.chasers, chasers),
            (&mut self.waited_days, waited_days),
        ];
        for (mine, theirs) in counts {
            take_days(mine, theirs, days);
        }
        let costs = [
            (&mut self.operating_cost, operating_cost),
            (&mut self.one_time_cost, one_time_cost),
            (&mut self.running_cost, running_cost),
        ];
        for (mine, theirs) in costs {
            take_days(mine, theirs, days);
        }
        self.totals = totals.clone();
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

impl Cohort {
    /// Its open contacts: visible, dropped and chasers.
    fn open(&self) -> u64 {
        self.visible + self.dropped + self.chasers
    }

    fn is_empty(&self) -> bool {
        self.open() == 0
    }
}

/// Contacts in all cohorts by kind (the contact in hand is in none), kept
/// up to date by every step that moves contacts, so that walks over the
/// cohorts can stop once nothing is left for them to see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    visible: u64,
    dropped: u64,
    chasers: u64,
}

impl Sums {
    /// The sums over `cohorts`, by walking them.
    fn of<'c>(cohorts: impl IntoIterator<Item = &'c Cohort>) -> Sums {
        cohorts.into_iter().fold(Sums::default(), |s, c| Sums {
            visible: s.visible + c.visible,
            dropped: s.dropped + c.dropped,
            chasers: s.chasers + c.chasers,
        })
    }

    fn open(&self) -> u64 {
        self.visible + self.dropped + self.chasers
    }
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
    /// Identity for the agent's own random draws (see
    /// [`Streams::agents`]).
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
    /// Open contacts by arrival day, oldest first, one cohort per day.
    cohorts: VecDeque<Cohort>,
    /// What the cohorts hold.
    sums: Sums,
    agents: Vec<Agent>,
    /// (day due, origin, identity) of agents still to join.
    joiners: Vec<(u32, Origin, u64)>,
    hits: Vec<Hit>,
    spikes: Vec<(u32, f64)>,
    pending_reopens: Vec<u64>,
    present: Vec<bool>,
    poissons: Poissons,
}

impl State {
    /// Makes this a copy of `other`, reusing the allocations. Every field
    /// is named, so that a new one cannot be left out.
    fn copy_from(&mut self, other: &State) {
        let State {
            cohorts,
            sums,
            agents,
            joiners,
            hits,
            spikes,
            pending_reopens,
            present,
            poissons,
        } = other;
        self.cohorts.clone_from(cohorts);
        self.sums = *sums;
        self.agents.clone_from(agents);
        self.joiners.clone_from(joiners);
        self.hits.clone_from(hits);
        self.spikes.clone_from(spikes);
        self.pending_reopens.clone_from(pending_reopens);
        self.present.clone_from(present);
        self.poissons.clone_from(poissons);
    }
}

/// A replication as it stood at the end of a day: what a scenario that
/// agrees with it up to that day (see [`first_difference`]) needs to
/// carry on from there instead of simulating those days again.
#[derive(Debug, Default)]
pub struct Checkpoint {
    day: u32,
    state: State,
    in_hand: Option<InHand>,
    totals: Totals,
}

impl Checkpoint {
    /// A checkpoint to be taken at the end of `day`.
    pub fn at(day: u32) -> Self {
        Checkpoint {
            day,
            ..Checkpoint::default()
        }
    }

    /// The day it is taken at.
    pub fn day(&self) -> u32 {
        self.day
    }
}

/// The first day on which scenario `b` may run differently from scenario
/// `a` in the same replication. Up to the day before, both hold the same
/// state and take the same draws, so `b` can carry on from a
/// [`Checkpoint`] of `a`. The engine sees interventions only through the
/// plan, so two scenarios that agree in everything else agree until a
/// day of their plans differs or a hire or training starts. 1 when they
/// differ in anything else; `horizon + 1` when they never differ.
pub fn first_difference(a: &Scenario, plan_a: &Plan, b: &Scenario, plan_b: &Plan) -> u32 {
    // Every field is named, so that a new one must be placed here: either
    // what the day loop reads, or (like the interventions, which reach it
    // through the plan) what it does not.
    let Scenario {
        name: _,
        description: _,
        is_baseline: _,
        source: _,
        chain: _,
        start_date,
        horizon_days,
        sla_days,
        demand,
        team,
        work,
        economics,
        interventions: _,
        warnings: _,
    } = a;
    let alike = *start_date == b.start_date
        && *horizon_days == b.horizon_days
        && *sla_days == b.sla_days
        && *demand == b.demand
        && *team == b.team
        && *work == b.work
        && *economics == b.economics;
    if !alike {
        return 1;
    }
    let same_days = plan_a
        .days
        .iter()
        .zip(&plan_b.days)
        .take_while(|(x, y)| x == y)
        .count() as u32;
    let starts = [plan_a, plan_b]
        .into_iter()
        .flat_map(|p| {
            let hires = p.hires.iter().map(|h| h.start_day);
            hires.chain(p.trainings.iter().map(|t| t.start_day))
        })
        .min()
        .unwrap_or(u32::MAX);
    (same_days + 1).min(starts).max(1)
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
    simulate_keeping(scenario, plan, seed, replication, state, out, &mut [], stop);
}

/// [`simulate_until`], filling in each of `checkpoints` (in order of day)
/// at the end of its day.
#[allow(clippy::too_many_arguments)]
pub fn simulate_keeping(
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    replication: u64,
    state: &mut State,
    out: &mut Trajectory,
    checkpoints: &mut [Checkpoint],
    stop: &AtomicBool,
) {
    let mut run = Replication::start(scenario, plan, seed, replication, state, out);
    run.days_from(1, checkpoints, stop);
}

/// Simulates replication `replication` of `scenario` from `from`, a
/// checkpoint of the same replication of a scenario that agrees with it up
/// to the checkpoint's day (see [`first_difference`]) and whose trajectory
/// is `base`, complete at least to that day. The result is that of
/// [`simulate_until`].
#[allow(clippy::too_many_arguments)]
pub fn resume_until(
    scenario: &Scenario,
    plan: &Plan,
    seed: u64,
    replication: u64,
    from: &Checkpoint,
    base: &Trajectory,
    state: &mut State,
    out: &mut Trajectory,
    stop: &AtomicBool,
) {
    let mut run = Replication::start(scenario, plan, seed, replication, state, out);
    run.state.copy_from(&from.state);
    run.in_hand = from.in_hand;
    run.out.copy_prefix(base, from.day as usize, &from.totals);
    run.days_from(from.day + 1, &mut [], stop);
}

/// One replication in progress: the scenario, its random streams, the
/// state carried from day to day and the trajectory being written.
struct Replication<'a> {
    scenario: &'a Scenario,
    plan: &'a Plan,
    streams: Streams,
    state: &'a mut State,
    out: &'a mut Trajectory,
    /// The contact being worked when yesterday's capacity ran out.
    in_hand: Option<InHand>,
    /// Share of agents trained by each training.
    shares: Vec<f64>,
    /// Contact minutes of one fully productive agent on an open day.
    minutes_per_agent: f64,
    cost_per_minute: f64,
    daily_attrition: f64,
    recovery_days: f64,
    /// 1 − knowledge spread: how much of a person's know-how is theirs alone.
    unspread: f64,
    /// Salary per calendar day of each hire intervention's agents.
    salary_per_day: Vec<f64>,
    rates: Rates,
    /// Set when the team never changes (see [`FixedTeam`]).
    fixed_team: Option<FixedTeam>,
}

/// A team without attrition, absence, hires or training: every agent is on
/// the team from day 1, fully productive, every day. Its days need no walk
/// over the agents.
#[derive(Debug, Clone, Copy)]
struct FixedTeam {
    agents: f64,
    labour_per_open_day: f64,
}

impl FixedTeam {
    /// The fixed team of `scenario`, if its team is fixed. Its figures are
    /// computed as the general steps compute them, to the last bit.
    fn of(scenario: &Scenario, plan: &Plan) -> Option<FixedTeam> {
        let team = &scenario.team;
        let fixed = team.daily_attrition() <= 0.0
            && team.absence <= 0.0
            && plan.hires.is_empty()
            && plan.trainings.is_empty();
        fixed.then(|| FixedTeam {
            agents: f64::from(team.agents),
            labour_per_open_day: f64::from(team.agents)
                * (team.hours_per_day * scenario.economics.cost_per_agent_hour),
        })
    }
}

/// Probabilities of the day's selections, prepared once (see [`Rate`]).
struct Rates {
    /// Probability that a dropped contact's customer acts today.
    act: f64,
    /// A waiting customer past their patience chases today.
    chase: Rate,
    /// Something happens to a dropped contact today: its customer acts or
    /// the team finds it.
    touch: Remembered,
    /// An unworked visible contact drops today.
    drop: Remembered,
}

/// A rate that may change from day to day, prepared again only when it
/// does.
struct Remembered(Rate);

impl Remembered {
    fn at(&mut self, p: f64) -> Rate {
        if self.0.p() != p {
            self.0 = Rate::new(p);
        }
        self.0
    }
}

/// Open contacts at the end of a day.
#[derive(Debug, Default)]
struct Open {
    /// Visible contacts, chasers and the one in hand.
    visible: u64,
    dropped: u64,
    /// Open contacts past the SLA.
    past_sla: u64,
    /// Dropped contacts past the SLA.
    dropped_past_sla: u64,
}

/// What one day adds up to, filled in by the steps of the day.
#[derive(Debug, Default)]
struct Today {
    one_time: f64,
    running: f64,
    labour: f64,
    /// Contact minutes still available.
    capacity: f64,
    lost: u64,
    chasers: u64,
    dropped_cost: f64,
    resolved: u64,
    resolved_primary: u64,
    waited_days: u64,
}

impl<'a> Replication<'a> {
    /// Resets `state` and `out` to the scenario's day 0.
    fn start(
        scenario: &'a Scenario,
        plan: &'a Plan,
        seed: u64,
        index: u64,
        state: &'a mut State,
        out: &'a mut Trajectory,
    ) -> Self {
        let team = &scenario.team;
        let horizon = scenario.horizon_days as usize;
        out.reset(horizon);

        let demand = &scenario.demand;
        let dropped = demand.opening_dropped.min(demand.opening_debt);
        state.cohorts.clear();
        state.cohorts.push_back(Cohort {
            day: 0,
            visible: demand.opening_debt - dropped,
            dropped,
            chasers: 0,
        });
        state.sums = Sums::of(&state.cohorts);
        let settled = RampUp {
            start_productivity: 1.0,
            weeks: 0.0,
        };
        state.agents.clear();
        state.agents.extend((0..team.agents).map(|i| Agent {
            id: u64::from(i),
            joined: 0,
            ramp: settled,
            origin: Origin::Team,
            trained: 0,
        }));
        state.joiners.clear();
        state.hits.clear();
        state.spikes.clear();
        state.pending_reopens.clear();
        state.pending_reopens.resize(horizon + 2, 0);

        Replication {
            scenario,
            plan,
            streams: Streams::new(seed, index),
            state,
            out,
            in_hand: None,
            shares: vec![0.0; plan.trainings.len()],
            minutes_per_agent: team.hours_per_day * 60.0 * team.focus,
            cost_per_minute: scenario.economics.cost_per_agent_hour / 60.0,
            daily_attrition: team.daily_attrition(),
            recovery_days: team.knowledge.recovery_weeks * 7.0,
            unspread: 1.0 - team.knowledge.spread,
            salary_per_day: plan
                .hires
                .iter()
                .map(|h| h.hires.salary_per_month * 12.0 / 365.0)
                .collect(),
            fixed_team: FixedTeam::of(scenario, plan),
            rates: Rates {
                act: (1.0 / scenario.work.drop.chase_after_days).min(1.0),
                chase: Rate::new(scenario.work.chase.daily_probability),
                touch: Remembered(Rate::new(0.0)),
                drop: Remembered(Rate::new(0.0)),
            },
        }
    }

    fn rng(&self, source: Source, day: u32) -> Xoshiro256PlusPlus {
        self.streams.get(source, day)
    }

    /// Π over trainings of (1 − effect × level × trained share) today.
    fn training_factor(
        &self,
        day: u32,
        effect: impl Fn(&crate::model::intervention::Training) -> f64,
    ) -> f64 {
        effect_factor(self.plan, &self.shares, day, effect)
    }

    /// Days `first` to the horizon, filling in each of `checkpoints` (in
    /// order of day) at the end of its day, and stopping at the start of a
    /// day once `stop` is set.
    // Inlined into both callers: as a call of its own it cost the BL-a
    // replication 3 % and the help desk's 7 % (criterion).
    #[inline(always)]
    fn days_from(&mut self, first: u32, checkpoints: &mut [Checkpoint], stop: &AtomicBool) {
        let mut checkpoints = checkpoints.iter_mut().peekable();
        for day in first..=self.scenario.horizon_days {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            self.day(day);
            while let Some(c) = checkpoints.next_if(|c| c.day == day) {
                c.state.copy_from(self.state);
                c.in_hand = self.in_hand;
                c.totals = self.out.totals.clone();
            }
        }
    }

    /// The steps of one day, in the order MODEL.md gives.
    fn day(&mut self, day: u32) {
        let d = &self.plan.days[day as usize - 1];
        let mut today = Today {
            one_time: d.one_time_cost,
            running: d.running_cost,
            ..Today::default()
        };
        if let Some(team) = self.fixed_team {
            // Nobody comes, goes, trains or is away: the same team every day.
            today.running += d.licence_per_agent * team.agents;
            if d.open {
                today.labour += team.labour_per_open_day;
                today.capacity = team.agents * (self.minutes_per_agent * d.dip_factor);
            }
        } else {
            self.leavers(day);
            self.joiners(day, &mut today);
            self.pay(day, &mut today);
            if d.open {
                today.capacity = self.capacity(day);
            }
        }
        let recovery_days = self.recovery_days;
        self.state
            .hits
            .retain(|h| f64::from(day - h.day) < recovery_days);
        // Steps 2 and 3 draw from one stream, in turn.
        let chasing = self.scenario.work.chase.daily_probability > 0.0;
        if chasing || self.state.sums.dropped > 0 {
            let mut rng = self.rng(Source::Chase, day);
            self.dropped_contacts_act(day, &mut today, &mut rng);
            if chasing {
                self.waiting_customers_chase(day, &mut today, &mut rng);
            }
        }
        self.arrivals(day, &today);
        let worked_to = self.work(day, &mut today);
        self.reopens(day, &today);
        self.unworked_drop(day, worked_to);
        let open = self.count_open(day);
        self.record(day, today, open);
    }

    /// Step 1a: each agent leaves with the daily attrition probability; the
    /// leaver's know-how loss starts and a replacement is scheduled.
    fn leavers(&mut self, day: u32) {
        training_shares(&self.state.agents, self.plan, &mut self.shares);
        if self.daily_attrition <= 0.0 {
            return;
        }
        let team = &self.scenario.team;
        let knowledge_factor = self.training_factor(day, |t| t.knowledge_loss);
        let draws = self.streams.agents(Source::Attrition, day);
        let mut i = 0;
        while i < self.state.agents.len() {
            let id = self.state.agents[i].id;
            if draws.uniform(id) >= self.daily_attrition {
                i += 1;
                continue;
            }
            let agent = self.state.agents.swap_remove(i);
            let output = self.minutes_per_agent * agent.ramp.productivity(day - agent.joined);
            let minutes = team.knowledge.leaver_hit * self.unspread * output * knowledge_factor;
            if minutes > 0.0 && self.recovery_days > 0.0 {
                self.state.hits.push(Hit { day, minutes });
            }
            if team.replace_leavers {
                // The replacement's identity follows from the leaver's.
                let successor = splitmix64(agent.id ^ (u64::from(day) << 40) ^ 0x5245_504c);
                let due = day + team.hiring_lead_days.max(1);
                self.state.joiners.push((due, agent.origin, successor));
            }
        }
    }

    /// Step 1b: hires and replacements due today join (trained if a
    /// training onboards them); a training starting today trains everyone.
    fn joiners(&mut self, day: u32, today: &mut Today) {
        let plan = self.plan;
        for hire in plan.hires.iter().filter(|h| h.start_day == day) {
            for k in 0..hire.hires.count {
                let id = splitmix64(0x4849_5245 << 32 ^ (hire.index as u64) << 20 ^ u64::from(k));
                self.state.joiners.push((day, Origin::Hire(hire.index), id));
            }
            today.one_time += hire.hires.recruiting_cost_per_hire * f64::from(hire.hires.count);
        }
        let mut j = 0;
        while j < self.state.joiners.len() {
            let (due, origin, id) = self.state.joiners[j];
            if due != day {
                j += 1;
                continue;
            }
            self.state.joiners.swap_remove(j);
            let ramp = match origin {
                Origin::Team => self.scenario.team.ramp_up,
                Origin::Hire(k) => plan.hires[k].hires.ramp_up,
            };
            let mut trained = 0;
            for t in plan
                .trainings
                .iter()
                .filter(|t| t.training.onboarding && t.start_day <= day)
            {
                trained |= 1 << t.bit;
                today.one_time += t.training.cost_per_agent;
            }
            self.state.agents.push(Agent {
                id,
                joined: day,
                ramp,
                origin,
                trained,
            });
        }
        for t in plan.trainings.iter().filter(|t| t.start_day == day) {
            for agent in &mut self.state.agents {
                agent.trained |= 1 << t.bit;
            }
            today.one_time += t.training.cost_per_agent * self.state.agents.len() as f64;
        }
        training_shares(&self.state.agents, plan, &mut self.shares);
    }

    /// Labour of the team on open days; salaries of hires and licences on
    /// every calendar day.
    fn pay(&self, day: u32, today: &mut Today) {
        let d = &self.plan.days[day as usize - 1];
        let team = &self.scenario.team;
        let per_open_day = team.hours_per_day * self.scenario.economics.cost_per_agent_hour;
        let mut team_agents = 0u32;
        for agent in &self.state.agents {
            match agent.origin {
                Origin::Team => team_agents += 1,
                Origin::Hire(k) => today.running += self.salary_per_day[k],
            }
        }
        if d.open {
            today.labour += f64::from(team_agents) * per_open_day;
        }
        today.running += d.licence_per_agent * self.state.agents.len() as f64;
    }

    /// Step 1c: minutes of contact work the team has today: the output of
    /// the agents present, less training, mentoring, know-how lost to
    /// leavers and work waiting on absent colleagues.
    fn capacity(&mut self, day: u32) -> f64 {
        let team = &self.scenario.team;
        let plan = self.plan;
        let d = &plan.days[day as usize - 1];
        let state = &mut *self.state;
        state.present.clear();
        if team.absence > 0.0 {
            let draws = self.streams.agents(Source::Absence, day);
            state.present.extend(
                state
                    .agents
                    .iter()
                    .map(|a| draws.uniform(a.id) >= team.absence),
            );
        } else {
            state.present.resize(state.agents.len(), true);
        }

        let full_output = self.minutes_per_agent * d.dip_factor;
        // Agents past their ramp-up are counted, the rest summed.
        let (mut settled_present, mut settled_absent) = (0u32, 0u32);
        let mut present = 0.0;
        let mut absent = 0.0;
        let mut training = 0.0;
        let mut mentoring = 0.0;
        for (agent, &here) in state.agents.iter().zip(&state.present) {
            let days = day - agent.joined;
            let ramping = agent.ramp.is_ramping(days);
            if !ramping {
                if here {
                    settled_present += 1;
                } else {
                    settled_absent += 1;
                }
            } else if here {
                present += full_output * agent.ramp.productivity(days);
            } else {
                absent += full_output * agent.ramp.productivity(days);
            }
            if !here {
                continue;
            }
            for t in &plan.trainings {
                if agent.trained & (1 << t.bit) != 0 && agent.joined < t.start_day {
                    training += t.minutes_per_agent[day as usize - 1];
                }
            }
            if let Origin::Hire(k) = agent.origin
                && ramping
                && plan.open_days_per_week > 0.0
            {
                mentoring +=
                    plan.hires[k].hires.mentoring_hours_per_week * 60.0 / plan.open_days_per_week;
            }
        }
        present += f64::from(settled_present) * full_output;
        absent += f64::from(settled_absent) * full_output;
        let knowledge: f64 = state
            .hits
            .iter()
            .map(|h| h.minutes * (1.0 - f64::from(day - h.day) / self.recovery_days).max(0.0))
            .sum();
        let absence_factor = effect_factor(plan, &self.shares, day, |t| t.absence_impact);
        let absence_loss = absent * team.knowledge.absence_hit * self.unspread * absence_factor;
        (present - training - mentoring - knowledge - absence_loss).max(0.0)
    }

    /// Step 2: customers act on dropped contacts (give up or chase) and the
    /// team finds some.
    fn dropped_contacts_act(&mut self, day: u32, today: &mut Today, rng: &mut Xoshiro256PlusPlus) {
        let work = &self.scenario.work;
        let state = &mut *self.state;
        let d = &self.plan.days[day as usize - 1];
        // Each dropped contact, independently: its customer acts with
        // probability a, or else the team finds it with probability f. So
        // something happens to it with probability s = a + (1 − a) f, and
        // then it is the customer with probability a / s: one selection
        // with the same law as the two in turn, and one gap to draw.
        let act = self.rates.act;
        let find = d
            .resurface_after_days
            .map_or(0.0, |days| (1.0 / days).min(1.0));
        let touched = act + (1.0 - act) * find;
        let mut skipper = Skipper::new(self.rates.touch.at(touched));
        let customer_share = if touched > 0.0 { act / touched } else { 0.0 };
        // Dropped contacts in the cohorts not walked yet. Once the skipper
        // is known to pass all of them, the rest of the walk would take no
        // draw and change nothing.
        let mut unseen = state.sums.dropped;
        let (mut acted, mut resurfaced) = (0, 0);
        for c in state.cohorts.make_contiguous().iter_mut() {
            if skipper.clear() >= unseen {
                break;
            }
            unseen -= c.dropped;
            let selected = skipper.take(c.dropped, rng);
            for _ in 0..selected {
                let customer = customer_share >= 1.0 || rng.random::<f64>() < customer_share;
                if !customer {
                    c.visible += 1;
                    resurfaced += 1;
                    continue;
                }
                acted += 1;
                if rng.random::<f64>() < work.drop.give_up_share {
                    today.lost += 1;
                } else {
                    c.visible += 1;
                    today.chasers += 1;
                }
            }
            c.dropped -= selected;
        }
        // Acting customers who did not give up chase: their contacts are
        // visible again.
        state.sums.dropped -= acted + resurfaced;
        state.sums.visible += today.chasers + resurfaced;
        // Chasers caused by dropped contacts are handled at their mean.
        today.dropped_cost +=
            today.chasers as f64 * work.chaser_handle_minutes.mean() * self.cost_per_minute;
    }

    /// Step 3: waiting customers past their patience chase.
    fn waiting_customers_chase(
        &mut self,
        day: u32,
        today: &mut Today,
        rng: &mut Xoshiro256PlusPlus,
    ) {
        let state = &mut *self.state;
        // Waiting contacts in cohorts at least `patience` days old: the
        // oldest cohorts, so the total is found from the young ones.
        let patience = self.scenario.work.chase.patience_days;
        let cohorts = &*state.cohorts.make_contiguous();
        let young: u64 = cohorts
            .iter()
            .rev()
            .take_while(|c| day - c.day < patience)
            .map(|c| c.visible)
            .sum();
        let mut unseen = state.sums.visible - young;
        let mut chase = Skipper::new(self.rates.chase);
        for c in cohorts {
            if chase.clear() >= unseen {
                break;
            }
            debug_assert!(day - c.day >= patience, "only old cohorts are left unseen");
            unseen -= c.visible;
            today.chasers += chase.take(c.visible, rng);
        }
    }

    /// Step 4: the day's demand (noise, spikes) less deflection, plus
    /// reopens due and chasers, form today's cohort.
    fn arrivals(&mut self, day: u32, today: &Today) {
        let demand = &self.scenario.demand;
        let d = &self.plan.days[day as usize - 1];
        let mut rng = self.rng(Source::Demand, day);
        let mut spike = 1.0;
        if let Some(r) = &demand.random_spikes {
            let starts = rng.random::<f64>() < r.per_year / 365.0;
            let u = rng.random::<f64>();
            if starts && r.days > 0 {
                let multiplier = r.multiplier[0] + (r.multiplier[1] - r.multiplier[0]) * u;
                self.state.spikes.push((day + r.days - 1, multiplier));
            }
            self.state.spikes.retain(|&(end, _)| end >= day);
            spike = self.state.spikes.iter().map(|&(_, m)| m).product();
        }
        let fresh = count(
            d.expected_new * spike,
            demand.variance_to_mean,
            &mut self.state.poissons,
            &mut rng,
        );
        let deflected = if d.deflection > 0.0 {
            binomial(fresh, d.deflection, &mut self.rng(Source::Deflection, day))
        } else {
            0
        };
        let primaries = fresh - deflected + self.state.pending_reopens[day as usize];
        self.state.cohorts.push_back(Cohort {
            day,
            visible: primaries,
            dropped: 0,
            chasers: today.chasers,
        });
        self.state.sums.visible += primaries;
        self.state.sums.chasers += today.chasers;
        self.out.new.push(primaries + today.chasers);
        self.out.chasers.push(today.chasers);
    }

    /// Step 5: capacity on visible contacts, oldest first; the contact in
    /// hand when it runs out keeps its remaining minutes. Returns the index
    /// of the last cohort reached: the cohorts before it are worked empty.
    fn work(&mut self, day: u32, today: &mut Today) -> usize {
        let work = &self.scenario.work;
        let d = &self.plan.days[day as usize - 1];
        let handle_factor = d.handle_factor * self.training_factor(day, |t| t.handle_time);
        let sla = self.scenario.sla_days;
        let mut rng = self.rng(Source::Handle, day);
        let within_sla = &mut self.out.totals.resolved_within_sla;
        let mut note = |cohort_day: u32, chaser: bool, n: u64| {
            today.resolved += n;
            today.waited_days += n * u64::from(day - cohort_day);
            if !chaser {
                today.resolved_primary += n;
                if day - cohort_day <= sla {
                    *within_sla += n;
                }
            }
        };
        let mut capacity = today.capacity;
        if let Some(hand) = &mut self.in_hand {
            if capacity >= hand.minutes_left {
                capacity -= hand.minutes_left;
                note(hand.day, hand.chaser, 1);
                self.in_hand = None;
            } else {
                hand.minutes_left -= capacity;
                capacity = 0.0;
            }
        }
        let state = &mut *self.state;
        // Visible contacts and chasers in the cohorts not reached yet.
        let mut unseen = state.sums.visible + state.sums.chasers;
        let mut reached = 0;
        for (i, c) in state.cohorts.make_contiguous().iter_mut().enumerate() {
            if capacity <= 0.0 || unseen == 0 {
                break;
            }
            reached = i;
            if c.visible == 0 && c.chasers == 0 {
                continue;
            }
            unseen -= c.visible + c.chasers;
            for chaser in [false, true] {
                let (waiting, sum, handle) = if chaser {
                    (
                        &mut c.chasers,
                        &mut state.sums.chasers,
                        &work.chaser_handle_minutes,
                    )
                } else {
                    (
                        &mut c.visible,
                        &mut state.sums.visible,
                        &work.handle_minutes,
                    )
                };
                let (done, left) =
                    work_through(*waiting, capacity, handle, handle_factor, &mut rng);
                note(c.day, chaser, done);
                *waiting -= done;
                *sum -= done;
                capacity = 0.0_f64.max(capacity - left.spent);
                if let Some(minutes_left) = left.in_hand {
                    *waiting -= 1;
                    *sum -= 1;
                    self.in_hand = Some(InHand {
                        day: c.day,
                        chaser,
                        minutes_left,
                    });
                    capacity = 0.0;
                    break;
                }
            }
        }
        today.capacity = capacity;
        reached
    }

    /// Step 6: some of today's resolved contacts will come back.
    fn reopens(&mut self, day: u32, today: &Today) {
        let work = &self.scenario.work;
        let d = &self.plan.days[day as usize - 1];
        let share =
            work.reopen.share * d.reopen_factor * self.training_factor(day, |t| t.reopen_share);
        if share <= 0.0 || today.resolved_primary == 0 {
            return;
        }
        let reopened = binomial(
            today.resolved_primary,
            share,
            &mut self.rng(Source::Reopen, day),
        );
        let due = day + work.reopen.after_days.max(1);
        if due <= self.scenario.horizon_days {
            self.state.pending_reopens[due as usize] += reopened;
        }
    }

    /// Step 7: visible contacts nobody worked today may drop. `worked_to`
    /// is what [`Replication::work`] returned: visible contacts are left
    /// only from there on.
    fn unworked_drop(&mut self, day: u32, worked_to: usize) {
        let d = &self.plan.days[day as usize - 1];
        let hazard = self.scenario.work.drop.daily_hazard
            * d.drop_factor
            * self.training_factor(day, |t| t.drop_hazard);
        let state = &mut *self.state;
        if hazard <= 0.0 || state.sums.visible == 0 {
            return;
        }
        let mut rng = self.streams.get(Source::Drop, day);
        let mut drop = Skipper::new(self.rates.drop.at(hazard));
        let mut unseen = state.sums.visible;
        let mut dropped = 0;
        for c in &mut state.cohorts.make_contiguous()[worked_to..] {
            if unseen == 0 {
                break;
            }
            unseen -= c.visible;
            let n = drop.take(c.visible, &mut rng);
            c.visible -= n;
            c.dropped += n;
            dropped += n;
        }
        debug_assert_eq!(unseen, 0, "no visible contact before the cohorts worked");
        state.sums.visible -= dropped;
        state.sums.dropped += dropped;
    }

    /// The counting of step 8: the open contacts at the end of the day.
    fn count_open(&mut self, day: u32) -> Open {
        let sla = self.scenario.sla_days;
        let state = &mut *self.state;
        let cohorts = &mut state.cohorts;
        // Empty cohorts change nothing in any step (a skipper takes no draw
        // for an empty run), so removing them only shortens the walks over
        // the cohorts: work empties the oldest every day, and a sweep once a
        // week removes the rest.
        while cohorts.front().is_some_and(Cohort::is_empty) {
            cohorts.pop_front();
        }
        if day.is_multiple_of(7) {
            cohorts.retain(|c| !c.is_empty());
        }
        let cohorts = &*cohorts.make_contiguous();
        let sums = state.sums;
        debug_assert_eq!(sums, Sums::of(cohorts), "the sums follow the cohorts");
        // Past the SLA: everything but the cohorts younger than it, which
        // are the newest.
        let young = Sums::of(cohorts.iter().rev().take_while(|c| day - c.day < sla));
        let in_hand = self.in_hand;
        Open {
            visible: sums.visible + sums.chasers + u64::from(in_hand.is_some()),
            dropped: sums.dropped,
            past_sla: sums.open() - young.open()
                + u64::from(in_hand.is_some_and(|h| day - h.day >= sla)),
            dropped_past_sla: sums.dropped - young.dropped,
        }
    }

    /// Step 8: end-of-day counts and costs.
    fn record(&mut self, day: u32, mut today: Today, open: Open) {
        let econ = &self.scenario.economics;
        let cohorts = &self.state.cohorts;
        let in_hand = self.in_hand;
        let Open {
            visible,
            dropped,
            past_sla,
            dropped_past_sla,
        } = open;
        let delay = past_sla as f64 * econ.delay_cost_per_contact_day;
        let lost_cost = today.lost as f64 * econ.lost_contact_cost;
        today.dropped_cost += dropped_past_sla as f64 * econ.delay_cost_per_contact_day + lost_cost;

        let out = &mut *self.out;
        out.debt.push(visible + dropped);
        out.visible.push(visible);
        out.dropped.push(dropped);
        out.resolved.push(today.resolved);
        out.waited_days.push(today.waited_days);
        out.lost.push(today.lost);
        out.past_sla.push(past_sla);
        out.age_p90.push(age_p90(
            cohorts,
            in_hand.map(|h| h.day),
            visible + dropped,
            day,
        ));
        out.operating_cost.push(today.labour + delay + lost_cost);
        out.one_time_cost.push(today.one_time);
        out.running_cost.push(today.running);
        let t = &mut out.totals;
        t.labour_cost += today.labour;
        t.delay_cost += delay;
        t.lost_cost += lost_cost;
        t.intervention_cost += today.one_time + today.running;
        t.dropped_cost += today.dropped_cost;
        t.resolved_primary += today.resolved_primary;
    }
}

/// The smallest age a (in days) such that at least 90 % of the `open`
/// contacts are at most a days old. Walks the cohorts from the oldest: a
/// is the age of the first contact, counting from the oldest, beyond the
/// at most 10 % that may be older.
fn age_p90(cohorts: &VecDeque<Cohort>, in_hand: Option<u32>, open: u64, day: u32) -> u64 {
    if open == 0 {
        return 0;
    }
    // At most open − ⌈0.9 · open⌉ contacts may be older than a.
    let allowed = open - (open * 9).div_ceil(10);
    let mut older = 0;
    let mut hand = in_hand;
    for c in cohorts {
        // The contact in hand counts before the cohorts it is older than
        // or as old as.
        if let Some(h) = hand
            && h <= c.day
        {
            older += 1;
            hand = None;
            if older > allowed {
                return u64::from(day - h);
            }
        }
        older += c.open();
        if older > allowed {
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

    /// The definition, walking from the newest until 90 % are covered.
    fn age_p90_from_the_newest(
        cohorts: &VecDeque<Cohort>,
        in_hand: Option<u32>,
        open: u64,
        day: u32,
    ) -> u64 {
        if open == 0 {
            return 0;
        }
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
            covered += c.open();
            if covered >= target {
                return u64::from(day - c.day);
            }
        }
        hand.map_or(0, |h| u64::from(day - h))
    }

    /// A fixed team's short cut gives the general steps' trajectory.
    #[test]
    fn a_fixed_team_takes_a_short_cut_to_the_same_days() {
        let text = "name: fixed\nstart_date: 2025-01-06\nhorizon_days: 120\n\
                    demand: {new_per_day: 95, variance_to_mean: 1.5}\n\
                    team: {agents: 14, hours_per_day: 7.5, focus: 0.9}\n\
                    work:\n  handle_minutes: {distribution: lognormal, mean: 55, cv: 0.7}\n  \
                    drop: {daily_hazard: 0.05, chase_after_days: 9}\n\
                    economics: {cost_per_agent_hour: 31, delay_cost_per_contact_day: 3}\n";
        let scenario = crate::scenario::load_text(std::path::Path::new("fixed.yaml"), text)
            .expect("valid scenario");
        let plan = Plan::new(&scenario);
        assert!(FixedTeam::of(&scenario, &plan).is_some());
        for replication in 0..5 {
            let (mut state, mut short_cut) = (State::default(), Trajectory::default());
            simulate(&scenario, &plan, 9, replication, &mut state, &mut short_cut);
            let mut general = Trajectory::default();
            let mut run =
                Replication::start(&scenario, &plan, 9, replication, &mut state, &mut general);
            run.fixed_team = None;
            for day in 1..=scenario.horizon_days {
                run.day(day);
            }
            assert_eq!(short_cut.debt, general.debt);
            assert_eq!(short_cut.resolved, general.resolved);
            assert_eq!(short_cut.operating_cost, general.operating_cost);
            assert_eq!(short_cut.totals, general.totals);
        }
    }

    #[test]
    fn age_p90_agrees_with_its_definition() {
        // Fixed pseudo-random cohort sets, with and without a contact in
        // hand, including empty cohorts and a hand on a cohort's day.
        let mut x = 12_345u64;
        let mut next = |m: u64| {
            x = crate::engine::rng::splitmix64(x);
            x % m
        };
        for _ in 0..20_000 {
            let n = next(8) as u32;
            let mut days: Vec<u32> = (0..n).map(|_| 1 + next(30) as u32).collect();
            days.sort_unstable();
            days.dedup();
            let c: VecDeque<Cohort> = days
                .iter()
                .map(|&day| Cohort {
                    day,
                    visible: next(4),
                    dropped: next(3),
                    chasers: next(2),
                })
                .collect();
            let hand = (next(2) == 0).then(|| 1 + next(30) as u32);
            let open = c.iter().map(Cohort::open).sum::<u64>() + u64::from(hand.is_some());
            assert_eq!(
                age_p90(&c, hand, open, 31),
                age_p90_from_the_newest(&c, hand, open, 31),
                "{c:?} hand {hand:?}"
            );
        }
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

//! Properties of the day loop that must hold exactly, in every
//! replication and on every day, and edge cases of the model.

mod common;

use std::sync::atomic::AtomicBool;

use aspa::engine::{
    Checkpoint, Plan, State, Trajectory, first_difference, resume_until, simulate, simulate_keeping,
};
use aspa::model::Scenario;
use aspa::stats::Measure;

/// Every mechanism switched on: absence, attrition with knowledge loss,
/// spikes, reopens, drops, chasers, and one intervention of each kind.
const BUSY: &str = r#"
name: busy
start_date: 2025-01-06
horizon_days: 200
sla_days: 3
demand:
  new_per_day: 80
  weekday_profile: {mon: 1.4, tue: 1.2, wed: 1.1, thu: 1, fri: 1, sat: 0.8, sun: 0.5}
  variance_to_mean: 2.5
  growth_per_year: 0.2
  spikes: [{start: 2025-02-10, days: 4, multiplier: 2.5}]
  random_spikes: {per_year: 6, days: 2, multiplier: [1.5, 3]}
  opening_debt: 150
  opening_dropped: 20
team:
  agents: 12
  hours_per_day: 7
  open_weekdays: [mon, tue, wed, thu, fri]
  closed_dates: [2025-04-21]
  focus: 0.8
  absence: 0.08
  attrition_per_year: 0.4
  hiring_lead_days: 20
  ramp_up: {start_productivity: 0.3, weeks: 6}
  knowledge: {spread: 0.2, leaver_hit: 1, recovery_weeks: 6, absence_hit: 0.6}
work:
  handle_minutes: {distribution: gamma, mean: 35, cv: 1.2}
  chaser_handle_minutes: {distribution: lognormal, mean: 5, cv: 0.5}
  reopen: {share: 0.1, after_days: 2}
  drop: {daily_hazard: 0.08, chase_after_days: 5, give_up_share: 0.3, resurface_after_days: 9}
  chase: {patience_days: 2, daily_probability: 0.2}
economics:
  cost_per_agent_hour: 30
  delay_cost_per_contact_day: 2
  lost_contact_cost: 100
interventions:
  - training: {start: 2025-02-03, hours_per_agent: 10, duration_days: 14, onboarding: true,
               effects: {handle_time: 0.1, reopen_share: 0.2, drop_hazard: 0.2, knowledge_loss: 0.5, absence_impact: 0.5}}
  - task_management: {start: 2025-03-03, ramp_in_days: 20, effects: {drop_hazard: 0.4, resurface_after_days: 3}}
  - tools: {start: 2025-03-10, licence_per_agent_month: 50, learning_dip: {productivity_loss: 0.2, weeks: 3},
            effects: {handle_time: 0.1, deflection: 0.1, drop_hazard: 0.1, reopen_share: 0.1}}
  - hires: {start: 2025-04-07, count: 3, salary_per_month: 3000, mentoring_hours_per_week: 2}
"#;

fn run_one(scenario: &Scenario, replication: u64) -> Trajectory {
    let plan = Plan::new(scenario);
    let mut out = Trajectory::default();
    simulate(
        scenario,
        &plan,
        7,
        replication,
        &mut State::default(),
        &mut out,
    );
    out
}

#[test]
fn contacts_are_conserved_every_day_of_every_replication() {
    let scenario = common::from_yaml(BUSY);
    let mut saw = [0u64; 4];
    for replication in 0..200 {
        let t = run_one(&scenario, replication);
        let mut open = scenario.demand.opening_debt;
        for day in 0..t.debt.len() {
            let expected = open + t.new[day] - t.resolved[day] - t.lost[day];
            assert_eq!(
                t.debt[day],
                expected,
                "replication {replication}, day {}",
                day + 1
            );
            assert_eq!(t.debt[day], t.visible[day] + t.dropped[day]);
            assert!(t.past_sla[day] <= t.debt[day]);
            open = t.debt[day];
        }
        saw[0] += t.lost.iter().sum::<u64>();
        saw[1] += t.dropped.iter().sum::<u64>();
        saw[2] += t.chasers.iter().sum::<u64>();
        saw[3] += t.resolved.iter().sum::<u64>();
    }
    // The test means something only if every flow actually occurred.
    assert!(saw.iter().all(|&n| n > 0), "{saw:?}");
}

#[test]
fn zero_demand_days_and_a_team_that_is_never_there() {
    let scenario = common::from_yaml(
        r#"
start_date: 2025-01-06
horizon_days: 30
demand:
  new_per_day: 10
  weekday_profile: {mon: 1, tue: 1, wed: 1, thu: 1, fri: 1, sat: 0, sun: 0}
team: {agents: 3, absence: 1}
work: {handle_minutes: {mean: 10}}
economics: {cost_per_agent_hour: 20}
"#,
    );
    let t = run_one(&scenario, 0);
    assert_eq!(
        t.resolved.iter().sum::<u64>(),
        0,
        "nobody works, nothing is resolved"
    );
    for (day, &new) in t.new.iter().enumerate() {
        let weekday = (day % 7) as u32; // day 1 is a Monday
        if weekday >= 5 {
            assert_eq!(new, 0, "weekend day {} has no demand", day + 1);
        }
    }
    assert_eq!(*t.debt.last().unwrap(), t.new.iter().sum::<u64>());
}

#[test]
fn a_horizon_of_zero_agents_and_zero_demand_runs() {
    let scenario = common::from_yaml(
        "start_date: 2025-01-06\nhorizon_days: 1\ndemand: {new_per_day: 0}\nteam: {agents: 0}\n\
         work: {handle_minutes: {mean: 10}}\neconomics: {cost_per_agent_hour: 20}\n",
    );
    let stats = common::simulate(&[scenario], 50, 1);
    assert_eq!(stats[0].daily[0][0].quantile(0.5), Some(0.0));
}

#[test]
fn demand_above_capacity_grows_by_the_difference() {
    // 192 contacts a day against 20 agents × 8 h at a fixed 60 minutes =
    // 160 a day: the debt grows by 32 a day. Over 100 days the mean debt
    // on day 100 is 3,200; its standard deviation is √(192 · 100) ≈ 139,
    // so the mean of 400 replications is within 4 · 139 / 20 ≈ 28.
    let scenario = common::from_yaml(
        "start_date: 2025-01-06\nhorizon_days: 100\ndemand: {new_per_day: 192}\n\
         team: {agents: 20, open_weekdays: [mon, tue, wed, thu, fri, sat, sun]}\n\
         work: {handle_minutes: {distribution: fixed, mean: 60}}\neconomics: {cost_per_agent_hour: 20}\n",
    );
    let stats = common::simulate(&[scenario], 400, 3);
    let mean = stats[0].daily[0][99].mean().unwrap();
    assert!((mean - 3200.0).abs() < 28.0, "mean debt on day 100: {mean}");
    let slope = stats[0]
        .measure(Measure::TrendPerWeek)
        .quantile(0.5)
        .unwrap();
    assert!((slope - 32.0 * 7.0).abs() < 7.0, "trend {slope} per week");
}

#[test]
fn handle_time_of_mean_12_and_cv_half_averages_12_minutes() {
    use aspa::model::HandleTime;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    let n = 400_000;
    for (name, h) in [
        ("lognormal", HandleTime::lognormal(12.0, 0.5).unwrap()),
        ("gamma", HandleTime::gamma(12.0, 0.5).unwrap()),
    ] {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let xs: Vec<f64> = (0..n).map(|_| h.sample(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0)).sqrt();
        // The mean within 4 standard errors; the sd should be 6 = 0.5 × 12,
        // and 0.1 is about 7 of its standard errors, σ·√(κ − 1) / (2√n)
        // with the lognormal's kurtosis κ ≈ 9.4 at this cv.
        let se = 6.0 / (n as f64).sqrt();
        assert!((mean - 12.0).abs() < 4.0 * se, "{name}: mean {mean}");
        assert!((sd - 6.0).abs() < 0.1, "{name}: sd {sd}");
    }
}

#[test]
fn an_intervention_with_no_effect_and_no_cost_changes_nothing() {
    let base = common::from_yaml(BUSY.split("interventions:").next().unwrap());
    let mut noop_text = BUSY.split("interventions:").next().unwrap().to_string();
    noop_text.push_str(
        "interventions:\n  - training: {start: 2025-02-03}\n  - tools: {start: 2025-02-03}\n  \
         - task_management: {start: 2025-02-03}\n  - hires: {start: 2025-02-03, count: 0}\n",
    );
    let mut noop = common::from_yaml(&noop_text);
    noop.name = "no-op".into();
    noop.is_baseline = false;
    let mut base = base;
    base.is_baseline = true;
    let stats = common::simulate(&[base, noop], 300, 5);
    let s = &stats[1];
    for m in [
        Measure::Savings,
        Measure::Investment,
        Measure::Roi,
        Measure::Npv,
    ] {
        let sketch = s.measure(m);
        assert_eq!(sketch.count(), 300, "{m:?} defined in every replication");
        assert_eq!(sketch.quantile(0.0), Some(0.0), "{m:?} minimum");
        assert_eq!(sketch.quantile(1.0), Some(0.0), "{m:?} maximum");
    }
}

#[test]
fn more_agents_never_raise_the_mean_debt() {
    let with = |agents: u32| {
        let text = BUSY.replace("agents: 12", &format!("agents: {agents}"));
        common::from_yaml(text.split("interventions:").next().unwrap())
    };
    let mut previous = f64::INFINITY;
    for agents in [10, 12, 14] {
        let stats = common::simulate(&[with(agents)], 300, 9);
        let mean = stats[0].measure(Measure::MeanDebt).mean().unwrap();
        assert!(
            mean < previous,
            "{agents} agents: mean debt {mean} ≥ {previous}"
        );
        previous = mean;
    }
}

/// Carrying a scenario on from the baseline's checkpoint gives exactly the
/// trajectory that simulating it from day 1 gives, for every intervention
/// kind, alone and mixed, in the shipped comparisons and in BUSY.
#[test]
fn resuming_from_the_baseline_equals_simulating_afresh() {
    let head = BUSY.split("interventions:").next().unwrap();
    let lines: Vec<&str> = BUSY
        .split("interventions:\n")
        .nth(1)
        .unwrap()
        .lines()
        .collect();
    // BUSY's interventions one by one (an entry and its continuation lines).
    let mut singles: Vec<String> = Vec::new();
    for line in &lines {
        if line.starts_with("  - ") {
            singles.push(String::new());
        }
        let last = singles.last_mut().unwrap();
        last.push_str(line);
        last.push('\n');
    }
    let mut busy = vec![common::from_yaml(head)];
    for (i, text) in singles.iter().chain([&lines.join("\n")]).enumerate() {
        let mut s = common::from_yaml(&format!("{head}interventions:\n{text}\n"));
        s.name = format!("busy {i}");
        busy.push(s);
    }
    let sets = [
        common::load(&["scenarios/helpdesk"]),
        common::load(&["scenarios/contact-centre"]),
        busy,
    ];
    let stop = AtomicBool::new(false);
    let mut resumed = 0;
    for scenarios in &sets {
        let plans: Vec<Plan> = scenarios.iter().map(Plan::new).collect();
        let days: Vec<u32> = scenarios
            .iter()
            .zip(&plans)
            .map(|(s, p)| first_difference(&scenarios[0], &plans[0], s, p) - 1)
            .collect();
        // The baseline agrees with itself to the end.
        assert_eq!(days[0], scenarios[0].horizon_days);
        let mut checkpoints: Vec<Checkpoint> = days[1..]
            .iter()
            .filter(|&&d| d > 0)
            .map(|&d| Checkpoint::at(d))
            .collect();
        checkpoints.sort_by_key(Checkpoint::day);
        checkpoints.dedup_by_key(|c| c.day());
        let mut state = State::default();
        for replication in 0..4 {
            let mut base = Trajectory::default();
            simulate_keeping(
                &scenarios[0],
                &plans[0],
                7,
                replication,
                &mut state,
                &mut base,
                &mut checkpoints,
                &stop,
            );
            for ((scenario, plan), &day) in scenarios.iter().zip(&plans).zip(&days).skip(1) {
                let Some(from) = checkpoints.iter().find(|c| day > 0 && c.day() == day) else {
                    continue;
                };
                let mut afresh = Trajectory::default();
                simulate(scenario, plan, 7, replication, &mut state, &mut afresh);
                let mut carried = Trajectory::default();
                resume_until(
                    scenario,
                    plan,
                    7,
                    replication,
                    from,
                    &base,
                    &mut state,
                    &mut carried,
                    &stop,
                );
                assert_eq!(carried, afresh, "{} from day {day}", scenario.name);
                // Only the shared days are shared.
                assert_ne!(carried, base, "{}", scenario.name);
                resumed += 1;
            }
        }
    }
    // Every intervention in these sets starts after day 1.
    assert_eq!(resumed, 4 * (5 + 5 + 5), "scenarios carried on");
}

#[test]
fn scenarios_differ_from_the_first_day_their_plans_or_teams_do() {
    let scenarios = common::load(&["scenarios/helpdesk"]);
    let plans: Vec<Plan> = scenarios.iter().map(Plan::new).collect();
    let first = |i: usize| first_difference(&scenarios[0], &plans[0], &scenarios[i], &plans[i]);
    let by_name = |name: &str| {
        scenarios
            .iter()
            .position(|s| s.name.to_lowercase().contains(name))
            .unwrap_or_else(|| panic!("no scenario named {name}"))
    };
    // Training starts on 2012-09-03 and hires join on 2012-10-01: days 34
    // and 62 of a horizon starting 2012-08-01.
    assert_eq!(first(by_name("training")), 34);
    assert_eq!(first(by_name("hire")), 62);
    let mut other = scenarios[0].clone();
    other.team.agents += 1;
    let plan = Plan::new(&other);
    assert_eq!(first_difference(&scenarios[0], &plans[0], &other, &plan), 1);
}

/// On a day, each dropped contact's customer acts with probability
/// a = 1 / chase_after_days (giving up with give_up_share, else chasing),
/// or else the team finds it with f = 1 / resurface_after_days. Counted
/// over many dropped contacts and no team to work them.
#[test]
fn dropped_contacts_are_acted_on_and_found_at_their_rates() {
    let n = 200_000u64;
    let scenario = common::from_yaml(&format!(
        "start_date: 2025-01-06\nhorizon_days: 1\n\
         demand: {{new_per_day: 0, opening_debt: {n}, opening_dropped: {n}}}\n\
         team: {{agents: 0}}\n\
         work: {{handle_minutes: {{mean: 10}},\n\
         \x20 drop: {{daily_hazard: 0, chase_after_days: 20, give_up_share: 0.3, resurface_after_days: 50}}}}\n\
         economics: {{cost_per_agent_hour: 20}}\n"
    ));
    let (a, f, g) = (1.0 / 20.0, 1.0 / 50.0, 0.3);
    let replications = 20;
    let mut totals = [0u64; 3];
    for r in 0..replications {
        let t = run_one(&scenario, r);
        let selected = n - t.dropped[0];
        let (lost, chasers) = (t.lost[0], t.chasers[0]);
        totals[0] += lost;
        totals[1] += chasers;
        totals[2] += selected - lost - chasers;
    }
    let trials = (n * replications) as f64;
    let expected = [a * g, a * (1.0 - g), (1.0 - a) * f];
    for ((&got, p), what) in totals
        .iter()
        .zip(expected)
        .zip(["lost", "chasing", "found"])
    {
        // A binomial count over all the contact-days: SE √(N p (1 − p)).
        let se = (trials * p * (1.0 - p)).sqrt();
        assert!(
            (got as f64 - trials * p).abs() < 4.0 * se,
            "{what}: {got} against {} ± {:.0}",
            trials * p,
            4.0 * se
        );
    }
}

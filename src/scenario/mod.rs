//! Scenario files: YAML text → raw scenario → `extends` resolved →
//! checked [`Scenario`].
//!
//! A file may name a parent with `extends: other.yaml` (relative to its own
//! folder). The parent is loaded first and the child overrides it: maps
//! merge key by key, any other value (numbers, text, lists such as
//! `interventions`) is replaced whole. `name`, `description`, `baseline`
//! and `extends` are never inherited.

pub mod locate;
mod problem;
pub mod raw;
pub mod validate;

use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

pub use locate::{Locations, Position};
pub use problem::{Problem, Problems};
use raw::RawScenario;
use validate::Sources;

use crate::model::Scenario;

/// Keys that belong to one file and are not passed on to children.
const NOT_INHERITED: [&str; 4] = ["name", "description", "baseline", "extends"];

/// Deepest `extends` chain accepted.
const MAX_CHAIN: usize = 32;

/// Largest scenario file read, in bytes.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// Scenario files named by `paths`: files as given, folders expanded to
/// their `.yaml` and `.yml` files in name order.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Problems> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if path.is_dir() {
            match fs::read_dir(path) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| {
                            p.is_file()
                                && matches!(
                                    p.extension().and_then(|e| e.to_str()),
                                    Some("yaml" | "yml")
                                )
                        })
                        .collect();
                    found.sort();
                    if found.is_empty() {
                        problems.push(file_problem(
                            path,
                            "folder holds no .yaml or .yml files".into(),
                            Some("name scenario files or a folder that holds them".into()),
                        ));
                    }
                    files.extend(found);
                }
                Err(e) => {
                    problems.push(file_problem(path, format!("cannot read folder: {e}"), None))
                }
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else if path.exists() {
            problems.push(file_problem(
                path,
                "is not a regular file or a folder".into(),
                Some("name a scenario file (.yaml) or a folder of them".into()),
            ));
        } else {
            problems.push(file_problem(
                path,
                "no such file or folder".into(),
                Some("check the path; folders are read for .yaml and .yml files".into()),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    // The same file named twice (directly and through its folder) is one
    // scenario.
    let mut seen = Vec::new();
    files.retain(|f| {
        let key = fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    Ok(files)
}

/// Loads and checks every scenario in `paths`, then the run as a whole:
/// unique names and one baseline.
pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Scenario>, Problems> {
    let files = expand_paths(paths)?;
    let mut scenarios = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        match load(file) {
            Ok(s) => scenarios.push(s),
            Err(p) => problems.extend(p.0),
        }
    }
    if !problems.is_empty() {
        return Err(Problems(dedup(problems)));
    }
    check_run(&mut scenarios)?;
    Ok(scenarios)
}

/// Drops repeats: a parent's problem is found once per child that extends
/// it.
pub fn dedup(problems: Vec<Problem>) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::with_capacity(problems.len());
    for p in problems {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Checks what only makes sense for the scenarios of one run together
/// (unique names, exactly one baseline), and puts the baseline first.
pub fn check_run(scenarios: &mut Vec<Scenario>) -> Result<(), Problems> {
    let mut problems = Vec::new();
    for (i, s) in scenarios.iter().enumerate() {
        if let Some(other) = scenarios[..i].iter().find(|o| o.name == s.name) {
            problems.push(file_problem(
                &s.source,
                format!(
                    "scenario name \"{}\" is also used by {}",
                    s.name,
                    other.source.display()
                ),
                Some("give each scenario its own `name`".into()),
            ));
        }
    }
    if scenarios.len() == 1 {
        scenarios[0].is_baseline = true;
    }
    let baselines: Vec<&Scenario> = scenarios.iter().filter(|s| s.is_baseline).collect();
    match baselines.len() {
        1 => {}
        0 => problems.push(file_problem(
            &scenarios[0].source,
            format!(
                "none of the {} scenarios is marked as the baseline",
                scenarios.len()
            ),
            Some("add `baseline: true` to the scenario the others are compared against".into()),
        )),
        _ => {
            let names: Vec<String> = baselines
                .iter()
                .map(|s| format!("{} ({})", s.name, s.source.display()))
                .collect();
            problems.push(file_problem(
                &baselines[1].source,
                format!("more than one baseline in one run: {}", names.join(", ")),
                Some(
                    "run each group of scenarios on its own, or keep `baseline: true` in one file"
                        .into(),
                ),
            ));
        }
    }
    // Savings, ROI and payback compare the same days in the same money.
    if let [base] = baselines[..] {
        for s in scenarios.iter().filter(|s| !s.is_baseline) {
            let differs = [
                (s.start_date != base.start_date).then(|| {
                    format!(
                        "start_date {} (the baseline's is {})",
                        s.start_date, base.start_date
                    )
                }),
                (s.horizon_days != base.horizon_days).then(|| {
                    format!(
                        "horizon_days {} (the baseline's is {})",
                        s.horizon_days, base.horizon_days
                    )
                }),
                (s.economics.currency != base.economics.currency).then(|| {
                    format!(
                        "currency {} (the baseline's is {})",
                        s.economics.currency, base.economics.currency
                    )
                }),
            ];
            for what in differs.into_iter().flatten() {
                problems.push(file_problem(
                    &s.source,
                    format!(
                        "scenario \"{}\" cannot be compared with the baseline: {what}",
                        s.name
                    ),
                    Some(
                        "leave start_date, horizon_days and currency to the baseline: a file \
                         that `extends` it inherits them"
                            .into(),
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(Problems(problems));
    }
    let baseline = scenarios.iter().position(|s| s.is_baseline).unwrap_or(0);
    let first = scenarios.remove(baseline);
    scenarios.insert(0, first);
    Ok(())
}

/// One file of an `extends` chain, read and parsed.
struct Layer {
    path: PathBuf,
    value: Value,
    locations: Locations,
}

/// Loads one scenario file with its `extends` chain and checks it.
pub fn load(path: &Path) -> Result<Scenario, Problems> {
    let mut layers: Vec<Layer> = Vec::new();
    let mut next = Some(path.to_path_buf());
    while let Some(file) = next.take() {
        let canonical = fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
        if layers
            .iter()
            .any(|l| fs::canonicalize(&l.path).unwrap_or_else(|_| l.path.clone()) == canonical)
        {
            let chain: Vec<String> = layers
                .iter()
                .map(|l| l.path.display().to_string())
                .chain([file.display().to_string()])
                .collect();
            return Err(Problems(vec![file_problem(
                &layers[0].path,
                format!("`extends` goes round in a cycle: {}", chain.join(" → ")),
                Some("make one file in the chain stop extending the others".into()),
            )]));
        }
        if layers.len() >= MAX_CHAIN {
            return Err(Problems(vec![file_problem(
                path,
                format!("`extends` chain is longer than {MAX_CHAIN} files"),
                None,
            )]));
        }
        let layer = read_layer(&file)?;
        if let Some(parent) = layer.value.get("extends") {
            let Some(parent) = parent.as_str().filter(|p| !p.trim().is_empty()) else {
                return Err(Problems(vec![Problem {
                    file: file.clone(),
                    position: layer.locations.get("extends"),
                    field: "extends".into(),
                    message: "expected the path of a scenario file".into(),
                    hint: Some("write `extends: baseline.yaml`".into()),
                }]));
            };
            let parent_path = file.parent().unwrap_or(Path::new(".")).join(parent);
            let wrong = if !matches!(
                parent_path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                Some(format!(
                    "parent {} is not a .yaml or .yml file",
                    parent_path.display()
                ))
            } else if !parent_path.exists() {
                Some(format!(
                    "parent file {} does not exist",
                    parent_path.display()
                ))
            } else if !parent_path.is_file() {
                Some(format!(
                    "parent {} is not a regular file",
                    parent_path.display()
                ))
            } else {
                None
            };
            if let Some(message) = wrong {
                return Err(Problems(vec![Problem {
                    file: file.clone(),
                    position: layer.locations.get("extends"),
                    field: "extends".into(),
                    message,
                    hint: Some(
                        "name a scenario file; the path is relative to the folder of this file"
                            .into(),
                    ),
                }]));
            }
            next = Some(parent_path);
        }
        layers.push(layer);
    }

    // Root first, each child overriding what it sets.
    let mut merged = Value::Mapping(Default::default());
    for (i, layer) in layers.iter().enumerate().rev() {
        let mut value = layer.value.clone();
        if i > 0
            && let Value::Mapping(map) = &mut value
        {
            for key in NOT_INHERITED {
                map.remove(key);
            }
        }
        merge(&mut merged, value);
    }
    let sources = Sources {
        files: layers.into_iter().map(|l| (l.path, l.locations)).collect(),
    };
    let raw = raw_scenario(&merged, path, &sources)?;
    validate::validate(&raw, &sources).map_err(Problems)
}

/// The raw schema of a merged scenario. Through YAML text rather than
/// `from_value`, so that a value reads as it did when its own file was
/// parsed (`from_value` is stricter: it refuses `name: 42` that the file's
/// own parse took as a string); a type error names the field and is placed
/// in the file that set it.
fn raw_scenario(merged: &Value, path: &Path, sources: &Sources) -> Result<RawScenario, Problems> {
    let text = serde_yaml::to_string(merged).map_err(|e| {
        Problems(vec![file_problem(
            path,
            format!("cannot merge the scenario: {e}"),
            None,
        )])
    })?;
    serde_yaml::from_str(&text).map_err(|e| {
        let mut problem = serde_problem(path, &e);
        (problem.file, problem.position) = if problem.field.is_empty() {
            (path.to_path_buf(), None)
        } else {
            sources.locate(&problem.field)
        };
        Problems(vec![problem])
    })
}

/// Reads one file: UTF-8 text, parsed into the raw schema (for type errors
/// with positions) and into a YAML value (for merging).
fn read_layer(path: &Path) -> Result<Layer, Problems> {
    let fail =
        |message: String, hint: Option<String>| Problems(vec![file_problem(path, message, hint)]);
    let size = fs::metadata(path)
        .map_err(|e| fail(format!("cannot read file: {e}"), None))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(
            format!("file is {size} bytes; scenario files are at most {MAX_FILE_BYTES}"),
            None,
        ));
    }
    let bytes = fs::read(path).map_err(|e| fail(format!("cannot read file: {e}"), None))?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        fail(
            format!(
                "file is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            Some("save the file as UTF-8".into()),
        )
    })?;
    // Editors on Windows may start the file with a byte-order mark.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        text = rest.to_string();
    }
    parse_layer(path, &text)
}

/// Parses one file's text, which `path` names in messages.
fn parse_layer(path: &Path, text: &str) -> Result<Layer, Problems> {
    let fail =
        |message: String, hint: Option<String>| Problems(vec![file_problem(path, message, hint)]);
    if text.trim().is_empty() {
        return Err(fail(
            "file is empty".into(),
            Some("a scenario needs at least start_date, demand, team, work and economics".into()),
        ));
    }
    if let Some(at) = too_deep(text) {
        return Err(Problems(vec![Problem {
            file: path.to_path_buf(),
            position: Some(at),
            field: String::new(),
            message: format!("brackets nest more than {MAX_FLOW_DEPTH} levels deep here"),
            hint: Some("a scenario nests a few levels; check for a stray [ or {".into()),
        }]));
    }
    // Syntax first (a missing bracket is not a type error), then types.
    let value: Value =
        serde_yaml::from_str(text).map_err(|e| Problems(vec![serde_problem(path, &e)]))?;
    if value.is_null() {
        return Err(fail(
            "file is empty: it holds no scenario fields, only comments or blank lines".into(),
            Some("a scenario needs at least start_date, demand, team, work and economics".into()),
        ));
    }
    if let Err(e) = serde_yaml::from_str::<RawScenario>(text) {
        return Err(Problems(vec![serde_problem(path, &e)]));
    }
    if !value.is_mapping() {
        return Err(fail(
            "expected a mapping of scenario fields at the top of the file".into(),
            Some("start the file with `name: ...` and `start_date: ...`".into()),
        ));
    }
    Ok(Layer {
        path: path.to_path_buf(),
        value,
        locations: Locations::index(text),
    })
}

/// Deepest nesting of `[` and `{` a scenario file may have. The YAML
/// parser refuses 128 levels too, but only after a time that grows with
/// the square of the depth: 30 s for a 200 KB file of brackets.
const MAX_FLOW_DEPTH: usize = 64;

/// Where brackets first nest deeper than [`MAX_FLOW_DEPTH`], outside quotes
/// and comments, or `None`. A bracket inside a plain scalar counts too; no
/// real scenario comes near the limit that way.
fn too_deep(text: &str) -> Option<Position> {
    let (mut depth, mut line, mut column) = (0usize, 1, 0);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    for ch in text.chars() {
        column += 1;
        if ch == '\n' {
            (line, column, comment) = (line + 1, 0, false);
        } else if comment {
        } else if let Some(q) = quote {
            // A backslash escapes in double quotes; '' is a quote in single
            // ones, which closing and reopening handles.
            if ch == q && !(q == '"' && previous == '\\') {
                quote = None;
            }
        } else {
            match ch {
                // A quote opens a scalar only where one can start.
                '\'' | '"' if previous.is_whitespace() || "[{,:".contains(previous) => {
                    quote = Some(ch)
                }
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(Position { line, column });
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        previous = ch;
    }
    None
}

/// Loads a scenario from text rather than a file (built-in scenarios such
/// as those of `aspa selfcheck`); `label` names it in messages. Such a
/// scenario cannot `extends` another.
pub fn load_text(label: &Path, text: &str) -> Result<Scenario, Problems> {
    let layer = parse_layer(label, text)?;
    if layer.value.get("extends").is_some() {
        return Err(Problems(vec![file_problem(
            label,
            "a scenario given as text cannot extend a file".into(),
            None,
        )]));
    }
    let value = layer.value;
    let sources = Sources {
        files: vec![(layer.path, layer.locations)],
    };
    let raw = raw_scenario(&value, label, &sources)?;
    validate::validate(&raw, &sources).map_err(Problems)
}

/// Child overrides parent: maps merge key by key, other values replace.
fn merge(parent: &mut Value, child: Value) {
    match (parent, child) {
        (Value::Mapping(p), Value::Mapping(c)) => {
            for (key, value) in c {
                match p.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        p.insert(key, value);
                    }
                }
            }
        }
        (slot, child) => *slot = child,
    }
}

fn file_problem(path: &Path, message: String, hint: Option<String>) -> Problem {
    Problem {
        file: path.to_path_buf(),
        position: None,
        field: String::new(),
        message,
        hint,
    }
}

/// A serde_yaml error as a located problem, with the nearest valid key
/// suggested for an unknown one.
fn serde_problem(path: &Path, error: &serde_yaml::Error) -> Problem {
    let position = error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let mut message = plain_words(&strip_positions(&error.to_string()));
    // serde_yaml puts the field path first: "team.absence: invalid type ...".
    let mut field = String::new();
    if let Some((head, rest)) = message.split_once(": ")
        && !head.contains(' ')
        && head != "unknown field"
    {
        field = head.to_string();
        message = rest.to_string();
    }
    let hint = suggest_key(&message).or_else(|| type_hint(&message));
    let message = shorten_quotes(&message);
    Problem {
        file: path.to_path_buf(),
        position,
        field,
        message,
        hint,
    }
}

/// Removes every " at line N column M" (the position is shown in front).
fn strip_positions(message: &str) -> String {
    let mut out = message.to_string();
    while let Some(start) = out.find(" at line ") {
        let rest = &out[start + " at line ".len()..];
        let mut end = start + " at line ".len();
        let mut words = rest.splitn(4, ' ');
        let (Some(_), Some("column"), Some(col)) = (words.next(), words.next(), words.next())
        else {
            break;
        };
        let digits = col.chars().take_while(|c| c.is_ascii_digit()).count();
        end += rest.find("column").unwrap_or(0) + "column ".len() + digits;
        out.replace_range(start..end.min(out.len()), "");
    }
    out
}

/// serde's type names in words a scenario writer knows.
fn plain_words(message: &str) -> String {
    message
        .replace(
            "expected struct RawScenario",
            "expected a mapping of scenario fields (key: value)",
        )
        .replace(
            "expected struct RawIntervention",
            "expected a mapping with one of training, task_management, tools, hires",
        )
        .replace("expected u32", "expected a whole number, 0 or more")
        .replace("expected u64", "expected a whole number, 0 or more")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
        .replace("input is out of range", "that date does not exist")
        .replace(
            " as u128, expected any YAML value",
            ": a number too large for any field",
        )
        .replace(
            " as i128, expected any YAML value",
            ": a number too large for any field",
        )
        .split("expected struct Raw")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                return part.to_string();
            }
            // The rest of the type's name goes; a mapping of its fields is meant.
            let rest = part.trim_start_matches(|ch: char| ch.is_ascii_alphanumeric());
            format!("expected a mapping of fields (key: value){rest}")
        })
        .collect()
}

/// Cuts quoted values to 40 characters, so that an error never echoes a
/// whole file someone pointed at by mistake.
fn shorten_quotes(message: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    let mut run = 0;
    for c in message.chars() {
        if c == '"' {
            inside = !inside;
            run = 0;
            out.push(c);
            continue;
        }
        if inside {
            run += 1;
            if run > 40 {
                if run == 41 {
                    out.push('…');
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// For "unknown field `absense`, expected one of `a`, `b`": the nearest.
fn suggest_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let candidates: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(unknown, c), *c))
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    if best.0 > 0.7 {
        Some(format!("did you mean `{}`?", best.1))
    } else {
        Some(format!("valid keys here: {}", candidates.join(", ")))
    }
}

fn type_hint(message: &str) -> Option<String> {
    let hint = if message.contains("integer `-") && message.contains("expected a whole number") {
        "this count cannot be negative: write 0 or more"
    } else if message.contains("expected a whole number") {
        "write a whole number without quotes, units or a decimal point, such as 12"
    } else if message.contains("expected a number") {
        "write a plain number without quotes or units; shares are fractions, 0.05 for 5 %"
    } else if message.contains("date does not exist") {
        "check the day of the month; dates are YYYY-MM-DD"
    } else if message.contains("input contains invalid characters")
        || message.contains("premature end of input")
    {
        "dates are written as YYYY-MM-DD, for example 2025-03-01"
    } else if message.contains("cannot start any token") {
        "YAML indents with spaces, not tabs"
    } else if message.contains("did not find expected") || message.contains("while parsing") {
        "check the indentation and that every [ and { is closed"
    } else if message.contains("duplicate") {
        "remove one of the two entries"
    } else if message.contains("more than one document") {
        "a scenario file holds one YAML document: remove the extra `---` lines"
    } else {
        return None;
    };
    Some(hint.into())
}

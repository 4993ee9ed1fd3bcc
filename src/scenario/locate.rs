//! Where each field of a YAML file sits, so that a problem found after
//! parsing (a share above 1, a date outside the horizon) can still name
//! its line and column.
//!
//! serde forgets positions once a value is deserialised, so the file is
//! read a second time as a stream of marked events and every key and
//! sequence item is recorded under its field path, `team.absence` or
//! `interventions[1].tools.start`.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// A line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// Field path → position of its key (or of the item, in a sequence).
#[derive(Debug, Default, Clone)]
pub struct Locations {
    positions: HashMap<String, Position>,
}

impl Locations {
    /// Indexes `text`. A file that does not parse gives an empty index;
    /// its syntax error is reported by serde.
    pub fn index(text: &str) -> Self {
        let mut recorder = Recorder::default();
        let mut parser = Parser::new_from_str(text);
        // Errors are ignored on purpose: serde reports them with position.
        let _ = parser.load(&mut recorder, false);
        Locations {
            positions: recorder.positions,
        }
    }

    /// Position of `path`, or of its nearest ancestor that is present.
    pub fn find(&self, path: &str) -> Option<Position> {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return Some(*position);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }

    /// Position of exactly `path`, if the file has it.
    pub fn get(&self, path: &str) -> Option<Position> {
        self.positions.get(path).copied()
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    positions: HashMap<String, Position>,
}

impl Recorder {
    fn record(&mut self, path: String, mark: Marker) {
        let position = Position {
            line: mark.line(),
            column: mark.col() + 1,
        };
        self.positions.entry(path).or_insert(position);
    }

    /// The path of a value node starting here, recording sequence items.
    fn value_path(&mut self, mark: Marker) -> Option<String> {
        let (path, record) = match self.stack.last_mut() {
            None => return Some(String::new()),
            Some(Frame::Map { path, key }) => {
                let key = key.take()?;
                (join(path, &key), false)
            }
            Some(Frame::Seq { path, index }) => {
                let item = format!("{path}[{index}]");
                *index += 1;
                (item, true)
            }
        };
        if record {
            self.record(path.clone(), mark);
        }
        Some(path)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => {
                if let Some(Frame::Map { path, key }) = self.stack.last_mut()
                    && key.is_none()
                {
                    let full = join(path, &text);
                    *key = Some(text);
                    self.record(full, mark);
                    return;
                }
                let _ = self.value_path(mark);
            }
            Event::Alias(_) => {
                let _ = self.value_path(mark);
            }
            Event::MappingStart(..) => {
                let path = self.value_path(mark).unwrap_or_default();
                self.stack.push(Frame::Map { path, key: None });
            }
            Event::SequenceStart(..) => {
                let path = self.value_path(mark).unwrap_or_default();
                self.stack.push(Frame::Seq { path, index: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
name: x
team:
  agents: 3
  absence: 1.5
interventions:
  - training:
      start: 2024-01-01
  - tools: {start: 2024-02-01, licence_per_agent_month: 3}
";

    #[test]
    fn finds_nested_keys_and_items() {
        let loc = Locations::index(TEXT);
        assert_eq!(
            loc.get("team.absence"),
            Some(Position { line: 4, column: 3 })
        );
        assert_eq!(
            loc.get("interventions[0].training.start"),
            Some(Position { line: 7, column: 7 })
        );
        // A block mapping's own mark comes after its first key; only the
        // line of an item is relied on.
        assert_eq!(loc.get("interventions[1]").map(|p| p.line), Some(8));
        assert_eq!(
            loc.get("interventions[1].tools.licence_per_agent_month"),
            Some(Position {
                line: 8,
                column: 32
            })
        );
    }

    #[test]
    fn falls_back_to_the_nearest_ancestor() {
        let loc = Locations::index(TEXT);
        assert_eq!(loc.find("team.focus"), loc.get("team"));
        assert_eq!(loc.find("nothing.here"), None);
    }
}

//! A problem found in a scenario file, located and explained.

use std::fmt;
use std::path::PathBuf;

use super::locate::Position;

/// One thing wrong with a scenario: where, which field, what was expected
/// and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The file that holds (or should hold) the field.
    pub file: PathBuf,
    /// Line and column, when the field is in the file.
    pub position: Option<Position>,
    /// Field path, for example `team.absence`; empty for the whole file.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": ")?;
        if !self.field.is_empty() {
            write!(f, "`{}`: ", self.field)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// All problems found while loading scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

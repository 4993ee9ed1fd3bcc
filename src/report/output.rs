//! The run folder. Files are written into a hidden staging folder beside
//! the final one, which is renamed into place only when every file is
//! written: an interrupted or failed run leaves no partial output, and an
//! earlier run is never overwritten unless asked to.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Why the run folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder exists and holds files.
    #[error("{} already exists and is not empty", .0.display())]
    Exists(PathBuf),
    /// `--out` names something that is not a folder.
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// `--force` would replace a folder that is not an earlier run: the
    /// folder and what gives it away.
    #[error("{} is not an aspa run folder ({}), so --force will not replace it", .0.display(), .1)]
    NotARun(PathBuf, String),
    /// `--out` goes through `..` or `.` to a folder that does not exist.
    #[error("{} does not lead to a folder: a folder on the way does not exist", .0.display())]
    BadPath(PathBuf),
    /// The run folder would replace or hold a scenario file of the run.
    #[error("{} would overwrite the scenario file {}", .0.display(), .1.display())]
    HoldsInput(PathBuf, PathBuf),
    /// The folder cannot be created or written.
    #[error("cannot write to {}: {source}", path.display())]
    Unwritable {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// A run folder being written.
#[derive(Debug)]
pub struct RunFolder {
    target: PathBuf,
    staging: PathBuf,
    replace: bool,
    /// aspa chose the name (no `--out`), so it may choose another.
    named: bool,
    /// The names of a run's files (see [`RunFolder::prepare`]).
    outputs: Vec<String>,
    committed: bool,
}

/// The folder `given` names, spelled so that its last component is its
/// own name: `run/`, `run/.`, `.` and `run/../run` lead to a folder whose
/// name they do not end in, and the staging folder beside it, or the
/// folder replaced, would otherwise be the wrong one.
fn resolve(given: &Path) -> Result<PathBuf, OutputError> {
    // Drops a trailing slash and inner `.`.
    let path: PathBuf = given.components().collect();
    let plain = path.file_name().is_some()
        && !path
            .components()
            .any(|c| matches!(c, Component::ParentDir | Component::CurDir));
    if plain {
        return Ok(path);
    }
    if let Ok(real) = fs::canonicalize(&path) {
        return Ok(real);
    }
    // It does not exist yet: resolve the part above it, which must.
    let bad = || OutputError::BadPath(given.to_path_buf());
    let name = path.file_name().ok_or_else(bad)?;
    Ok(fs::canonicalize(parent_of(&path))
        .map_err(|_| bad())?
        .join(name))
}

/// `path`, or the first of `path-2`, `path-3`, … that does not exist.
fn first_free(path: &Path) -> PathBuf {
    let mut candidate = path.to_path_buf();
    let mut n = 2;
    while candidate.exists() {
        let mut name = path.as_os_str().to_os_string();
        name.push(format!("-{n}"));
        candidate = PathBuf::from(name);
        n += 1;
    }
    candidate
}

fn unwritable(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Unwritable {
        path: path.to_path_buf(),
        source,
    }
}

/// The file name of a staging folder for `name`, and its prefix.
const PARTIAL: &str = ".partial-";

/// Removes staging folders of `name` left by runs that were killed (their
/// process is gone), and puts back an earlier run one of them had set
/// aside.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}{PARTIAL}");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        // `<pid>-<sequence>`.
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if alive || pid == std::process::id() {
            continue;
        }
        // An earlier run that a killed run had set aside goes back where
        // it was, unless something has taken its place since.
        let target = parent.join(name);
        if file.ends_with(REPLACED) && fs::symlink_metadata(&target).is_err() {
            let _ = fs::rename(entry.path(), &target);
        } else {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// The suffix of an earlier run set aside while a new one moves in.
const REPLACED: &str = ".replaced";

/// Why `dir` is not an earlier run folder that `--force` may replace, or
/// `None` if it is one: it must hold a manifest.json that aspa wrote, and
/// nothing but plain files named in `outputs`.
fn not_a_run(dir: &Path, outputs: &[String]) -> Option<String> {
    let manifest = fs::read(dir.join("manifest.json")).ok();
    let ours = manifest
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|v| v.get("aspa_version").is_some());
    if !ours {
        return Some("it has no manifest.json written by aspa".into());
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return Some(format!("it cannot be read: {e}")),
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => return Some(format!("it cannot be read: {e}")),
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let plain = entry.file_type().is_ok_and(|t| t.is_file());
        if !plain || !outputs.contains(&name) {
            return Some(format!("it also holds {name}, which aspa did not write"));
        }
    }
    None
}

/// Whether the run may go to `dir`, a folder the user named: `dir` (or
/// the first existing thing above it) is a folder, holds none of
/// `inputs`, and is empty or, with `force`, an earlier run (see
/// [`not_a_run`]).
fn check_replaceable(
    dir: &Path,
    force: bool,
    inputs: &[PathBuf],
    outputs: &[String],
) -> Result<(), OutputError> {
    // A dangling link is not a folder either.
    if let Some(existing) = dir.ancestors().find(|a| fs::symlink_metadata(a).is_ok())
        && !existing.is_dir()
    {
        return Err(OutputError::NotAFolder(existing.to_path_buf()));
    }
    if let Ok(folder) = fs::canonicalize(dir) {
        for input in inputs {
            if fs::canonicalize(input).is_ok_and(|i| i.starts_with(&folder)) {
                return Err(OutputError::HoldsInput(dir.to_path_buf(), input.clone()));
            }
        }
    }
    let busy = dir.is_dir() && fs::read_dir(dir).map_err(unwritable(dir))?.next().is_some();
    if busy && !force {
        return Err(OutputError::Exists(dir.to_path_buf()));
    }
    if busy && let Some(reason) = not_a_run(dir, outputs) {
        return Err(OutputError::NotARun(dir.to_path_buf(), reason));
    }
    Ok(())
}

/// The folder `path` is in: `.` for a bare name.
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl RunFolder {
    /// Prepares `out`, or a new folder `<base>/<label>-<timestamp>` when
    /// `out` is `None`. With `force` an earlier run folder at `out` is
    /// replaced when the run completes: one with aspa's manifest that holds
    /// nothing but files named in `outputs`. Any other folder, one that
    /// holds any of `inputs`, or a file is never replaced. Fails now,
    /// before any simulation, if the place cannot be written.
    pub fn prepare(
        out: Option<&Path>,
        base: &Path,
        label: &str,
        force: bool,
        inputs: &[PathBuf],
        outputs: &[String],
    ) -> Result<RunFolder, OutputError> {
        let target = match out {
            Some(given) => resolve(given)?,
            None => {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                first_free(&base.join(format!("{label}-{stamp}")))
            }
        };
        let parent = parent_of(&target).to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        // First, so that an earlier run a killed run had set aside is back
        // before the checks look at the folder.
        remove_stale_staging(&parent, &name);
        if out.is_some() {
            check_replaceable(&target, force, inputs, outputs)?;
        }
        let fail = |source| OutputError::Unwritable {
            path: target.clone(),
            source,
        };
        fs::create_dir_all(&parent).map_err(fail)?;
        // The process and a sequence number within it: no two folders
        // being written share a staging folder.
        static SEQUENCE: AtomicU32 = AtomicU32::new(0);
        let staging = parent.join(format!(
            ".{name}{PARTIAL}{}-{}",
            std::process::id(),
            SEQUENCE.fetch_add(1, Ordering::Relaxed)
        ));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(fail)?;
        }
        fs::create_dir(&staging).map_err(fail)?;
        // Prove the folder is writable before the run starts.
        let probe = staging.join(".probe");
        let written = fs::File::create(&probe)
            .and_then(|mut f| f.write_all(b"aspa"))
            .and_then(|_| fs::remove_file(&probe));
        if let Err(source) = written {
            let _ = fs::remove_dir_all(&staging);
            return Err(fail(source));
        }
        Ok(RunFolder {
            replace: target.exists(),
            target,
            staging,
            named: out.is_none(),
            outputs: outputs.to_vec(),
            committed: false,
        })
    }

    /// Where the run will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes one file into the staging folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.staging.join(name);
        fs::write(&path, bytes).map_err(unwritable(&path))
    }

    /// Moves the finished run into place. A folder whose name aspa chose
    /// takes the next free name if another run took it meanwhile. An
    /// earlier run being replaced is first set aside, checked again (files
    /// may have been added to it during the run) and deleted only once the
    /// new run is in place; if anything fails it is put back.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let aside = if self.replace && self.target.is_dir() {
            let mut aside = self.staging.clone().into_os_string();
            aside.push(REPLACED);
            let aside = PathBuf::from(aside);
            fs::rename(&self.target, &aside).map_err(unwritable(&self.target))?;
            let empty = fs::read_dir(&aside).is_ok_and(|mut d| d.next().is_none());
            if let Some(reason) = not_a_run(&aside, &self.outputs).filter(|_| !empty) {
                let _ = fs::rename(&aside, &self.target);
                return Err(OutputError::NotARun(self.target.clone(), reason));
            }
            Some(aside)
        } else {
            None
        };
        loop {
            match fs::rename(&self.staging, &self.target) {
                Ok(()) => break,
                // Renaming onto a folder fails only if it is not empty.
                Err(_) if self.named && self.target.exists() => {
                    self.target = first_free(&self.target);
                }
                Err(e) => {
                    if let Some(aside) = &aside {
                        let _ = fs::rename(aside, &self.target);
                    }
                    return Err(unwritable(&self.target)(e));
                }
            }
        }
        self.committed = true;
        if let Some(aside) = aside {
            let _ = fs::remove_dir_all(aside);
        }
        Ok(self.target.clone())
    }
}

impl Drop for RunFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_whose_name_was_taken_meanwhile_takes_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let a = RunFolder::prepare(None, dir.path(), "desk", false, &[], &[]).unwrap();
        let b = RunFolder::prepare(None, dir.path(), "desk", false, &[], &[]).unwrap();
        // Both chose the same free name; the first to finish keeps it.
        assert_eq!(a.target(), b.target());
        a.write("table.txt", b"a").unwrap();
        b.write("table.txt", b"b").unwrap();
        let a = a.commit().unwrap();
        let b = b.commit().unwrap();
        assert_ne!(a, b);
        assert!(b.to_string_lossy().ends_with("-2"), "{}", b.display());
        assert_eq!(fs::read(a.join("table.txt")).unwrap(), b"a");
        assert_eq!(fs::read(b.join("table.txt")).unwrap(), b"b");
    }

    /// An earlier run folder at `dir/name` whose only file is its manifest.
    fn earlier_run(dir: &Path, name: &str) -> (PathBuf, Vec<String>) {
        let run = dir.join(name);
        fs::create_dir(&run).unwrap();
        fs::write(run.join("manifest.json"), br#"{"aspa_version": "0"}"#).unwrap();
        (
            run,
            vec!["manifest.json".to_string(), "table.txt".to_string()],
        )
    }

    #[test]
    fn files_added_to_the_folder_during_the_run_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (run, outputs) = earlier_run(dir.path(), "run");
        let folder = RunFolder::prepare(Some(&run), dir.path(), "x", true, &[], &outputs).unwrap();
        folder.write("table.txt", b"new").unwrap();
        fs::write(run.join("notes.txt"), b"mine").unwrap();
        assert!(matches!(folder.commit(), Err(OutputError::NotARun(..))));
        assert_eq!(fs::read(run.join("notes.txt")).unwrap(), b"mine");
        assert!(run.join("manifest.json").exists());
    }

    #[test]
    fn dots_in_the_path_replace_the_folder_they_lead_to() {
        let dir = tempfile::tempdir().unwrap();
        let (run, outputs) = earlier_run(dir.path(), "run");
        for given in [run.join("."), run.join("../run"), run.join("./")] {
            let folder =
                RunFolder::prepare(Some(&given), dir.path(), "x", true, &[], &outputs).unwrap();
            folder
                .write("manifest.json", br#"{"aspa_version": "1"}"#)
                .unwrap();
            folder.write("table.txt", b"new").unwrap();
            let path = folder.commit().unwrap();
            assert_eq!(
                fs::canonicalize(path).unwrap(),
                fs::canonicalize(&run).unwrap()
            );
            assert_eq!(
                fs::read(run.join("table.txt")).unwrap(),
                b"new",
                "{}",
                given.display()
            );
        }
        let nowhere = run.join("x/..");
        assert!(matches!(
            RunFolder::prepare(Some(&nowhere), dir.path(), "x", true, &[], &outputs),
            Err(OutputError::BadPath(_))
        ));
        // Nothing else was written beside it.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["run"]);
    }

    #[test]
    fn an_earlier_run_set_aside_by_a_killed_run_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let (run, outputs) = earlier_run(dir.path(), "run");
        // As a run killed between setting it aside and moving in leaves it;
        // no process has a pid this large.
        let aside = dir.path().join(format!(".run{PARTIAL}4294967-0{REPLACED}"));
        fs::rename(&run, &aside).unwrap();
        // Without --force it is an earlier run that must not be replaced.
        let refused = RunFolder::prepare(Some(&run), dir.path(), "x", false, &[], &outputs);
        assert!(matches!(refused, Err(OutputError::Exists(_))));
        assert!(run.join("manifest.json").exists());
        assert!(!aside.exists());
    }

    #[test]
    fn a_folder_named_by_the_user_is_never_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("mine");
        let a = RunFolder::prepare(Some(&out), dir.path(), "desk", false, &[], &[]).unwrap();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("other.txt"), b"x").unwrap();
        a.write("table.txt", b"a").unwrap();
        assert!(a.commit().is_err());
        assert!(out.join("other.txt").exists());
    }
}

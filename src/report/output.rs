//! The run folder. Files are written into a hidden staging folder beside
//! the final one, which is renamed into place only when every file is
//! written: an interrupted or failed run leaves no partial output, and an
//! earlier run is never overwritten unless asked to.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why the run folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder exists and holds files.
    #[error("{} already exists and is not empty", .0.display())]
    Exists(PathBuf),
    /// `--out` names something that is not a folder.
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// `--force` would replace a folder that is not an earlier run.
    #[error("{} holds files but no manifest.json: it is not an aspa run folder, so --force will not replace it", .0.display())]
    NotARun(PathBuf),
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
    committed: bool,
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
/// process is gone).
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}{PARTIAL}");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if !alive && pid != std::process::id() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

impl RunFolder {
    /// Prepares `out`, or a new folder `<base>/<label>-<timestamp>` when
    /// `out` is `None`. With `force` an earlier run folder at `out` is
    /// replaced when the run completes; a folder that is not a run, one
    /// that holds any of `inputs`, or a file is never replaced. Fails now,
    /// before any simulation, if the place cannot be written.
    pub fn prepare(
        out: Option<&Path>,
        base: &Path,
        label: &str,
        force: bool,
        inputs: &[PathBuf],
    ) -> Result<RunFolder, OutputError> {
        let target = match out {
            Some(dir) => {
                if dir.exists() && !dir.is_dir() {
                    return Err(OutputError::NotAFolder(dir.to_path_buf()));
                }
                let busy =
                    dir.is_dir() && fs::read_dir(dir).map_err(unwritable(dir))?.next().is_some();
                if busy && !force {
                    return Err(OutputError::Exists(dir.to_path_buf()));
                }
                if busy && !dir.join("manifest.json").is_file() {
                    return Err(OutputError::NotARun(dir.to_path_buf()));
                }
                if let Ok(folder) = fs::canonicalize(dir) {
                    for input in inputs {
                        if fs::canonicalize(input).is_ok_and(|i| i.starts_with(&folder)) {
                            return Err(OutputError::HoldsInput(dir.to_path_buf(), input.clone()));
                        }
                    }
                }
                dir.to_path_buf()
            }
            None => {
                let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
                let mut candidate = base.join(format!("{label}-{stamp}"));
                let mut n = 2;
                while candidate.exists() {
                    candidate = base.join(format!("{label}-{stamp}-{n}"));
                    n += 1;
                }
                candidate
            }
        };
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let fail = |source| OutputError::Unwritable {
            path: target.clone(),
            source,
        };
        fs::create_dir_all(&parent).map_err(fail)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        remove_stale_staging(&parent, &name);
        let staging = parent.join(format!(".{name}{PARTIAL}{}", std::process::id()));
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

    /// Moves the finished run into place.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        if self.replace && self.target.is_dir() {
            fs::remove_dir_all(&self.target).map_err(unwritable(&self.target))?;
        }
        fs::rename(&self.staging, &self.target).map_err(unwritable(&self.target))?;
        self.committed = true;
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

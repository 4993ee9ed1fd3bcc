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

impl RunFolder {
    /// Prepares `out`, or a new folder `<base>/<label>-<timestamp>` when
    /// `out` is `None`. With `force` an existing `out` is replaced when the
    /// run completes. Fails now, before any simulation, if the place cannot
    /// be written.
    pub fn prepare(
        out: Option<&Path>,
        base: &Path,
        label: &str,
        force: bool,
    ) -> Result<RunFolder, OutputError> {
        let target = match out {
            Some(dir) => {
                let busy = dir.exists()
                    && (dir.is_file()
                        || fs::read_dir(dir).map_err(unwritable(dir))?.next().is_some());
                if busy && !force {
                    return Err(OutputError::Exists(dir.to_path_buf()));
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
        fs::create_dir_all(&parent).map_err(unwritable(&parent))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "run".into());
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(unwritable(&staging))?;
        }
        fs::create_dir(&staging).map_err(unwritable(&staging))?;
        // Prove the folder is writable before the run starts.
        let probe = staging.join(".probe");
        fs::File::create(&probe)
            .and_then(|mut f| f.write_all(b"aspa"))
            .and_then(|_| fs::remove_file(&probe))
            .map_err(unwritable(&staging))?;
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
        if self.replace && self.target.exists() {
            if self.target.is_dir() {
                fs::remove_dir_all(&self.target).map_err(unwritable(&self.target))?;
            } else {
                fs::remove_file(&self.target).map_err(unwritable(&self.target))?;
            }
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

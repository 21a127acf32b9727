//! Writing files so that no reader ever sees half of one (`wt init`, `wt pull`).
//!
//! The text goes to a temporary file in the target's directory, is flushed to disk, and only
//! then gets the target's name, in one step (`link` or `rename`). A run killed at any moment
//! leaves either the old file, the complete new one, or no file, never a prefix. What it can
//! leave behind is the temporary file: its name starts with `.` and ends with `.tmp`, so
//! `wt lint` (which skips dot-files and reads only `*.toml`) never mistakes it for a template.
//!
//! The file's data is flushed (`fsync`) before it gets its name, so even a power cut cannot
//! leave a named but empty file; the directory entry is not flushed per file (that doubles
//! the cost of a pull of thousands of files), so after a power cut a file just written may be
//! missing, never partial.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Distinguishes the temporary files of one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// `.<name>.wt-<pid>-<n>.tmp` beside `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.wt-{}-{n}.tmp", std::process::id()))
}

/// Whether `name` is a temporary file of [`temp_path`] (for tests and clean-ups).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.contains(".wt-") && name.ends_with(".tmp")
}

/// Removes the temporary files of [`temp_path`] under `dir` (recursively, skipping
/// dot-directories) that were last modified more than `age` ago: what an interrupted run left.
/// A write in progress touches its file within moments, so a generous `age` never removes
/// the file of a run still going. Returns the paths removed.
pub fn remove_stale_temps(dir: &Path, age: std::time::Duration) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return removed;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() && !name.starts_with('.') {
            removed.extend(remove_stale_temps(&path, age));
        } else if ft.is_file() && is_temp_name(&name) {
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|elapsed| elapsed > age);
            if stale && std::fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}

/// Writes a new file atomically and never over an existing one: the temporary file is
/// hard-linked to its name (`link` fails if the name exists, so a file created meanwhile is
/// not clobbered) and removed. Where hard links are not supported, falls back to `rename`
/// after a last existence check. Fails with [`std::io::ErrorKind::AlreadyExists`] when
/// `path` exists. Creates missing parent directories.
pub fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = write_temp(path, text)?;
    let result = match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if std::fs::symlink_metadata(path).is_err() => std::fs::rename(&tmp, path),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Writes `path` atomically, replacing it if it exists (`rename` over it). Creates missing
/// parent directories.
pub fn write_replace(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = write_temp(path, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The text in a fresh temporary file beside `path`, flushed to disk.
fn write_temp(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = temp_path(path);
    let written = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()
    })();
    match written {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn write_new_refuses_an_existing_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("sub").join("a.toml");
        write_new(&p, "one").expect("first write");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "one");
        let err = write_new(&p, "two").expect_err("second write must fail");
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "one");
        assert_eq!(names(&dir.path().join("sub")), ["a.toml"]);
    }

    #[test]
    fn write_replace_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.toml");
        write_replace(&p, "one").expect("create");
        write_replace(&p, "two").expect("replace");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "two");
        assert_eq!(names(dir.path()), ["a.toml"]);
    }

    #[test]
    fn stale_temps_are_removed_fresh_ones_and_other_files_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).expect("mkdir");
        let old = temp_path(&sub.join("a.toml"));
        let fresh = temp_path(&dir.path().join("b.toml"));
        for p in [&old, &fresh] {
            std::fs::write(p, "x").expect("write");
        }
        std::fs::write(dir.path().join(".hidden.tmp"), "x").expect("write");
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .and_then(|f| f.set_modified(hour_ago))
            .expect("set mtime");
        let removed = remove_stale_temps(dir.path(), std::time::Duration::from_secs(60));
        assert_eq!(removed, [old]);
        assert!(fresh.exists());
        assert!(dir.path().join(".hidden.tmp").exists(), "not one of ours");
    }

    #[test]
    fn temp_names_are_dot_files_lint_does_not_read() {
        let t = temp_path(Path::new("templates/order_shipped.toml"));
        let name = t.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with(".order_shipped.toml.wt-"), "{name}");
        assert!(is_temp_name(&name), "{name}");
        assert!(!name.ends_with(".toml"));
        assert_ne!(t, temp_path(Path::new("templates/order_shipped.toml")));
    }
}

//! Writing files so that no reader ever sees half of one (`wt init`, `wt pull`).
//!
//! The text goes to a temporary file in the target's directory, is flushed to disk, and only
//! then gets the target's name, in one step (`link` or `rename`). A run killed at any moment
//! leaves either the old file, the complete new one, or no file, never a prefix. What it can
//! leave behind is the temporary file: its name starts with `.` and ends with `.tmp`, so
//! `wt lint` (which skips dot-files and reads only `*.toml`) never mistakes it for a template.

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
    result?;
    sync_dir(path);
    Ok(())
}

/// Writes `path` atomically, replacing it if it exists (`rename` over it). Creates missing
/// parent directories.
pub fn write_replace(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = write_temp(path, text)?;
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    sync_dir(path);
    Ok(())
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

/// Makes the new directory entry durable where the platform allows it (best effort: the
/// file itself is already complete; this only matters after a power cut).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
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
    fn temp_names_are_dot_files_lint_does_not_read() {
        let t = temp_path(Path::new("templates/order_shipped.toml"));
        let name = t.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with(".order_shipped.toml.wt-"), "{name}");
        assert!(is_temp_name(&name), "{name}");
        assert!(!name.ends_with(".toml"));
        assert_ne!(t, temp_path(Path::new("templates/order_shipped.toml")));
    }
}

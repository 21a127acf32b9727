//! Errors that stop a command, and the exit statuses of SPEC §4.

use std::process::ExitCode;

/// SPEC §4 exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// 0: nothing wrong.
    Success,
    /// 1: findings (lint errors, pending changes with `--exit-code`, rejected templates…).
    Findings,
    /// 2: usage or configuration error.
    Usage,
    /// 3: remote failure that retries did not overcome.
    Remote,
    /// 4: `--wait` timed out.
    Timeout,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Remote => 3,
            ExitStatus::Timeout => 4,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> Self {
        ExitCode::from(s.code())
    }
}

/// An error that ends a command. Each variant knows its exit status.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WtError {
    /// A bad flag, path or argument.
    #[error("{message}")]
    #[diagnostic(code(wt::usage))]
    Usage {
        message: String,
        #[help]
        help: Option<String>,
    },
    /// `wt.toml` could not be read or is invalid; points at the bytes.
    #[error("{message}")]
    #[diagnostic(code(wt::config))]
    Config {
        message: String,
        #[source_code]
        src: Option<miette::NamedSource<String>>,
        #[label("{label}")]
        span: Option<miette::SourceSpan>,
        label: String,
        #[help]
        help: Option<String>,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    #[diagnostic(code(wt::io))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Talking to Meta failed after retries.
    #[error("{message}")]
    #[diagnostic(code(wt::remote))]
    Remote {
        message: String,
        #[help]
        help: Option<String>,
    },
    /// `--wait` ran out of time.
    #[error("{message}")]
    #[diagnostic(code(wt::timeout))]
    Timeout { message: String },
}

impl WtError {
    pub fn usage(message: impl Into<String>) -> Self {
        WtError::Usage {
            message: message.into(),
            help: None,
        }
    }

    pub fn usage_help(message: impl Into<String>, help: impl Into<String>) -> Self {
        WtError::Usage {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            WtError::Usage { .. } | WtError::Config { .. } => ExitStatus::Usage,
            WtError::Io { .. } => ExitStatus::Usage,
            WtError::Remote { .. } => ExitStatus::Remote,
            WtError::Timeout { .. } => ExitStatus::Timeout,
        }
    }
}

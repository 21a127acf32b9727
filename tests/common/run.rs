//! One run of the `wt` binary as the end-to-end suites see it, and the template they sync.
#![allow(dead_code)]

use std::fmt;
use std::process::Output;

use serde_json::Value;

/// Exit code and output of one `wt` run (invalid UTF-8 shown as U+FFFD).
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// The run's exit code (-1 when killed by a signal) and its output.
    pub fn from_output(o: &Output) -> Self {
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// stderr with miette's line wrapping and gutters undone, for phrase checks.
    pub fn err(&self) -> String {
        self.stderr
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// stdout parsed as JSON; the whole run is shown when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: not JSON:\n{self}"))
    }
}

impl fmt::Display for Out {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The examples of `{{1}}` and `{{2}}` in [`utility_template`].
pub const UTILITY_EXAMPLES: [&str; 2] = ["Maria", "#4521"];

/// A lint-clean utility template (one en_US body with two examples) whose body says `what`.
pub fn utility_template(what: &str) -> String {
    let [first, second] = UTILITY_EXAMPLES;
    format!(
        "category = \"utility\"\n\n[languages.en_US]\nbody = \"{}\"\nexamples.body = [\"{first}\", \"{second}\"]\n",
        utility_body(what)
    )
}

/// The body text of [`utility_template`], as Meta stores it.
pub fn utility_body(what: &str) -> String {
    format!("Hello {{{{1}}}}, {what} {{{{2}}}}. Thank you for shopping with us.")
}

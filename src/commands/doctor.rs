//! `wt doctor`.

use crate::cli::DoctorArgs;
use crate::commands::Context;
use crate::error::{ExitStatus, WtError};

pub fn run(_cx: &Context, _args: &DoctorArgs) -> Result<ExitStatus, WtError> {
    Ok(ExitStatus::Success)
}

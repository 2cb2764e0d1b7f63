use std::process::ExitCode;

use clap::Parser;
use tidings::cli::{self, Cli};
use tidings::config::Settings;
use tidings::telemetry;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("tidings: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(settings.log.json);
    match cli::run(cli.command, settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("tidings: {err:#}");
            ExitCode::FAILURE
        }
    }
}

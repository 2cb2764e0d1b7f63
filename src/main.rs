use std::process::ExitCode;

use clap::Parser;
use tidings::app::App;
use tidings::cli::{Cli, Command};
use tidings::config::Settings;
use tidings::db::Db;
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
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(settings).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = ?err, "tidings stopped with an error");
            eprintln!("tidings: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    App::build(settings).await?.run_until_stopped().await
}

async fn migrate(settings: Settings) -> anyhow::Result<()> {
    Db::connect_and_migrate(&settings.database).await?;
    tracing::info!("migrations applied");
    Ok(())
}

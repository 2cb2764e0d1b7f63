use clap::{Parser, Subcommand};

/// Tidings: newsletter signup with recorded consent, double opt-in and digests.
///
/// Configuration comes from config/default.toml, then config/local.toml, then
/// TIDINGS_<SECTION>__<KEY> environment variables (e.g. TIDINGS_DATABASE__URL).
#[derive(Debug, Parser)]
#[command(name = "tidings", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server and the background workers (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
}

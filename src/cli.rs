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
    /// API tokens for scripts calling /api/v1/.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Editor logins for the editors' pages (/editor).
    Editor {
        #[command(subcommand)]
        command: EditorCommand,
    },
    /// The next digest.
    Digest {
        #[command(subcommand)]
        command: DigestCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a new token, alone on stdout. It is shown once; only its hash is kept.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Revoke the token with this name.
    Revoke { name: String },
    /// List tokens (names and dates, never the tokens).
    List,
}

#[derive(Debug, Subcommand)]
pub enum EditorCommand {
    /// Create an editor, or set a new password for one; the password is read from stdin.
    Create {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Print the next digest (subject, then the plain-text part; --html for the HTML part).
    Preview {
        #[arg(long)]
        html: bool,
    },
    /// Create the next digest now and deliver it, with a progress bar, until every reader
    /// has an outcome. Running servers share the work.
    Send,
}

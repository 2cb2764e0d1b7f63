//! The application as a value: `App::build` connects, migrates and binds; `run_until_stopped`
//! serves HTTP and runs the background workers until SIGINT/SIGTERM.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::branding::{self, SharedBranding};
use crate::config::Settings;
use crate::consent::ConsentStatements;
use crate::db::{self, Db};
use crate::i18n::Catalog;
use crate::mail::Mailer;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::state::Keys;
use crate::web;
use crate::web::rate_limit::IpRateLimiter;
use crate::{bounces, feeds, scheduler, secrets, subscribers, workers};

pub struct App {
    listener: TcpListener,
    state: AppState,
}

impl App {
    pub async fn build(settings: Settings) -> anyhow::Result<App> {
        let bind = settings.server.bind;
        let listener = TcpListener::bind(bind)
            .await
            .with_context(|| format!("binding {bind}"))?;
        Self::build_on(settings, listener).await
    }

    /// As `build`, on a listener the caller bound (tests bind first to learn the port that
    /// `server.public_url` must carry).
    pub async fn build_on(settings: Settings, listener: TcpListener) -> anyhow::Result<App> {
        let db = Db::connect_and_migrate(&settings.database).await?;
        let state = build_state(settings, db).await?;
        Ok(App { listener, state })
    }

    /// The port actually bound (the config may ask for port 0).
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes, then lets in-flight requests and sends finish.
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let shutdown = CancellationToken::new();
        let sender = tokio::spawn(workers::run(self.state.clone(), shutdown.clone()));
        let feeds = tokio::spawn(feeds::run(self.state.clone(), shutdown.clone()));
        let bounce_mailbox =
            tokio::spawn(bounces::mailbox::run(self.state.clone(), shutdown.clone()));
        let schedule = tokio::spawn(scheduler::run(self.state.clone(), shutdown.clone()));
        let one_off = tokio::spawn(scheduler::one_off::run(
            self.state.clone(),
            shutdown.clone(),
        ));
        let retention = tokio::spawn(subscribers::retention::run(
            self.state.clone(),
            shutdown.clone(),
        ));
        let branding = tokio::spawn(branding::run(self.state.clone(), shutdown.clone()));
        tracing::info!(address = %self.listener.local_addr()?, "listening");
        let router = web::router(self.state);
        let stopping = shutdown.clone();
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            stop.await;
            tracing::info!("shutting down: finishing requests and sends in flight");
            stopping.cancel();
        })
        .await?;
        shutdown.cancel();
        sender.await.context("send engine panicked")?;
        feeds.await.context("feed poller panicked")?;
        bounce_mailbox
            .await
            .context("bounce mailbox reader panicked")?;
        schedule.await.context("scheduler panicked")?;
        one_off.await.context("one-off send scheduler panicked")?;
        retention.await.context("retention task panicked")?;
        branding.await.context("branding reloader panicked")?;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Everything the handlers and workers share, from settings and a migrated database.
pub async fn build_state(settings: Settings, db: Db) -> anyhow::Result<AppState> {
    let metrics = Arc::new(Metrics::default());
    let mailer =
        Mailer::from_settings(&settings.mail, &settings.dkim, metrics.smtp_seconds.clone())?;
    let messages_dir = &settings.newsletter.messages_dir;
    let catalog =
        Catalog::load((!messages_dir.as_os_str().is_empty()).then_some(messages_dir.as_path()))
            .context("loading the messages (newsletter.messages_dir)")?;
    let consent = ConsentStatements::new(&settings.policy, &catalog);
    consent
        .register(&db, db::now())
        .await
        .context("saving the consent statement")?;
    let configured = settings.subscribers.suppression_key.expose_secret();
    let keys = Keys {
        unsubscribe: secrets::key(&db, "unsubscribe")
            .await
            .context("loading keys")?,
        return_path: secrets::key(&db, "return_path")
            .await
            .context("loading keys")?,
        suppression: if configured.is_empty() {
            secrets::key(&db, "suppression")
                .await
                .context("loading keys")?
        } else {
            configured.as_bytes().to_vec()
        },
    };
    crate::newsletters::queries::follow_config(&db.pool, &settings, db::now())
        .await
        .context("updating the default newsletter from the config")?;
    let branding = SharedBranding::load(&db, &settings)
        .await
        .context("loading the branding")?;
    let consent = Arc::new(consent);
    let signups = subscribers::batch::spawn(
        db.clone(),
        settings.database.max_connections,
        consent.clone(),
        i64::from(settings.signup.max_confirmations_per_day),
    );
    Ok(AppState {
        db,
        mailer,
        signups,
        signup_limiter: Arc::new(IpRateLimiter::per_hour(settings.signup.ip_limit_per_hour)),
        login_limiter: Arc::new(IpRateLimiter::per_minute(
            settings.editor.login_attempts_per_minute,
        )),
        keys: Arc::new(keys),
        branding,
        consent,
        catalog,
        settings: Arc::new(settings),
        outbox_wake: Arc::default(),
        delivery_wake: Arc::new(Notify::new()),
        schedule_wake: Arc::new(Notify::new()),
        newsletters: Arc::default(),
        progress: Arc::default(),
        metrics,
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

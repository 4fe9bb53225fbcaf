//! Delivering the outbox (db::outbox): the `Messenger` trait an SMS gateway
//! implements, the one local implementation — `LogMessenger`, a DEMO that
//! writes each message to the server log (and leaves it readable on
//! /admin/outbox) — and the loop that hands due messages to the gateway,
//! retrying failures with a growing wait.
//!
//! Which messenger runs (PORTAL_SMS_GATEWAY): `log`, or nothing said, in
//! simulator mode (PORTAL_PAYMENT_SIMULATOR=1) is the LogMessenger; outside
//! simulator mode `log` is refused at start (codes shown only in a log are
//! no phone check), and with no gateway the code-sending pages (sign-up by
//! phone, password reset) say they are not available. A real gateway plugs
//! in by implementing `Messenger` and one arm of [`choose`].

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use db::outbox::Message;
use db::Db;

/// Why a gateway did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// The gateway refused it (a bad number …): retrying may not help.
    Refused(String),
    /// The gateway could not be reached or failed: retried later.
    Unavailable(String),
}

impl std::fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryError::Refused(why) => write!(f, "refused: {why}"),
            DeliveryError::Unavailable(why) => write!(f, "unavailable: {why}"),
        }
    }
}

pub type Delivery<'a> = Pin<Box<dyn Future<Output = Result<(), DeliveryError>> + Send + 'a>>;

/// An SMS gateway.
pub trait Messenger: Send + Sync {
    /// The gateway's name, for the log.
    fn name(&self) -> &'static str;
    fn deliver<'a>(&'a self, message: &'a Message) -> Delivery<'a>;
}

/// DEMO ONLY: "delivers" by writing the message to the server log. The code
/// reaches nobody's phone; an administrator reads it on /admin/outbox.
pub struct LogMessenger;

impl Messenger for LogMessenger {
    fn name(&self) -> &'static str {
        "log (demo)"
    }

    fn deliver<'a>(&'a self, m: &'a Message) -> Delivery<'a> {
        Box::pin(async move {
            tracing::info!(
                target: "portal::outbox",
                id = m.id,
                to = %m.to_phone,
                purpose = %m.purpose,
                body = %m.body,
                "DEMO message (LogMessenger: not sent to any phone)"
            );
            Ok(())
        })
    }
}

/// The messenger the settings ask for: None when no gateway is configured
/// (outside simulator mode), an error for a demo gateway in production or a
/// name no gateway has.
pub fn choose(settings: &crate::Settings) -> anyhow::Result<Option<Arc<dyn Messenger>>> {
    match (
        settings.codes.gateway.as_deref(),
        settings.payment_simulator,
    ) {
        (None | Some("log"), true) => Ok(Some(Arc::new(LogMessenger))),
        (None, false) => Ok(None),
        (Some("log"), false) => anyhow::bail!(
            "PORTAL_SMS_GATEWAY=log is the demo's and writes codes to the log: \
             only with PORTAL_PAYMENT_SIMULATOR=1"
        ),
        (Some(other), _) => anyhow::bail!("PORTAL_SMS_GATEWAY {other:?}: no such gateway (log)"),
    }
}

/// Hands every due message to `messenger` once: (delivered, failed).
pub async fn deliver_due(db: &Db, messenger: &dyn Messenger) -> db::Result<(usize, usize)> {
    let (mut ok, mut failed) = (0, 0);
    for m in db::outbox::claim_due(db, 50).await? {
        match messenger.deliver(&m).await {
            Ok(()) => {
                db::outbox::delivered(db, m.id).await?;
                ok += 1;
            }
            Err(e) => {
                tracing::warn!(target: "portal::outbox", id = m.id, gateway = messenger.name(), error = %e, "message not delivered");
                db::outbox::failed(db, m.id, m.attempts, &e.to_string()).await?;
                failed += 1;
            }
        }
    }
    Ok((ok, failed))
}

/// Every instance delivers every two seconds (a message is claimed by one).
pub fn spawn(db: Db, messenger: Arc<dyn Messenger>) {
    tracing::info!(gateway = messenger.name(), "delivering the outbox");
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        loop {
            tick.tick().await;
            if let Err(e) = deliver_due(&db, messenger.as_ref()).await {
                tracing::warn!(error = %e, "outbox delivery failed");
            }
        }
    });
}

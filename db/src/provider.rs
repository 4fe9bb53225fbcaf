//! Payment providers, the way real gateways work: the portal opens an order,
//! the provider takes the money, then sends a signed notification to the
//! portal, which checks the signature before recording anything.
//!
//! One provider ships: a local **simulator**, clearly marked as such, that
//! the demo and the tests use. It keeps its own books (it never takes money
//! twice for one order) and signs its notifications with HMAC-SHA256 under a
//! key shared with the portal (`PORTAL_PAYMENT_SIMULATOR_KEY`). A real
//! provider adds another implementation of [`PaymentProvider`].

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::PaymentError;
use crate::{Db, Error, Result};

/// What a provider tells the portal about an order it was paid for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notification {
    pub order_number: String,
    /// The provider's own transaction id: the same money notified twice
    /// carries the same id.
    pub provider_txn: String,
    pub amount_fen: i64,
    pub paid_at: i64,
}

pub trait PaymentProvider: Send + Sync {
    /// The code stored on orders, e.g. `simulator`.
    fn code(&self) -> &'static str;
    /// The notification in `body`, if `signature` proves the provider sent it.
    fn verify(&self, body: &str, signature: &str) -> Result<Notification>;
}

/// The local payment simulator (模拟支付). Not a real payment channel.
pub struct Simulator {
    key: Vec<u8>,
}

pub const SIMULATOR: &str = "simulator";

impl Simulator {
    pub fn new(key: &[u8]) -> Simulator {
        Simulator { key: key.to_vec() }
    }

    fn mac(&self, body: &str) -> Result<Hmac<Sha256>> {
        // HMAC takes keys of any length; the error cannot happen.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .map_err(|_| Error::from(PaymentError::SimulatorKey))?;
        mac.update(body.as_bytes());
        Ok(mac)
    }

    pub fn sign(&self, body: &str) -> String {
        self.mac(body)
            .map(|m| hex::encode(m.finalize().into_bytes()))
            .unwrap_or_default()
    }

    /// The simulator takes the money for an order: once. Paying an order it
    /// already took money for returns the same transaction; an order the
    /// portal closed (paid another way) is refused before money is taken.
    /// Returns the signed notification to deliver: (body, signature).
    pub async fn pay(&self, db: &Db, order_number: &str, at_ms: i64) -> Result<(String, String)> {
        let order: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT amount_fen, status, provider FROM payment_orders WHERE order_number = $1",
        )
        .bind(order_number)
        .fetch_optional(&db.pool)
        .await?;
        let (amount_fen, status, provider) = order.ok_or(Error::NotFound)?;
        if provider != SIMULATOR {
            return Err(Error::NotFound);
        }
        if status == "closed" {
            return Err(Error::from(PaymentError::AlreadyPaid));
        }
        let mut txn = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut txn);
        let txn = format!("SIM{}", hex::encode(txn));
        let mut tx = db.begin_write().await?;
        sqlx::query(
            "INSERT INTO simulator_transactions (txn_id, order_number, amount_fen, paid_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (order_number) DO NOTHING",
        )
        .bind(&txn)
        .bind(order_number)
        .bind(amount_fen)
        .bind(at_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let (txn, amount_fen, paid_at): (String, i64, i64) = sqlx::query_as(
            "SELECT txn_id, amount_fen, paid_at FROM simulator_transactions WHERE order_number = $1",
        )
        .bind(order_number)
        .fetch_one(&db.pool)
        .await?;
        let body = serde_json::to_string(&Notification {
            order_number: order_number.to_string(),
            provider_txn: txn,
            amount_fen,
            paid_at,
        })
        .map_err(|_| Error::from(PaymentError::Notification))?;
        let signature = self.sign(&body);
        Ok((body, signature))
    }
}

impl PaymentProvider for Simulator {
    fn code(&self) -> &'static str {
        SIMULATOR
    }

    fn verify(&self, body: &str, signature: &str) -> Result<Notification> {
        let sig =
            hex::decode(signature.trim()).map_err(|_| Error::from(PaymentError::BadSignature))?;
        let mac = self.mac(body)?;
        // Constant-time comparison: a forger learns nothing from timing.
        mac.verify_slice(&sig)
            .map_err(|_| Error::from(PaymentError::BadSignature))?;
        serde_json::from_str(body).map_err(|_| Error::from(PaymentError::Notification))
    }
}

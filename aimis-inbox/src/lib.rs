//! `aimis inbox`: receive the AIMIS platform's status callbacks durably, exactly once,
//! in order, and hand them to the hospital's systems; the store is SQLite or
//! PostgreSQL.
//!
//! - [`Receiver`] verifies each callback from its raw bytes and stores it; only once the
//!   store has committed it is it acknowledged. `Server` puts a receiver on HTTP (the
//!   `server` feature, default; consumers leave it out and need no async runtime).
//! - [`Deliverer`] pushes them instead to the hospital's own endpoint, retrying with
//!   back-off; what is never accepted becomes a dead letter.
//! - [`Inbox`] is the consumer's side, a blocking API over the same store: [`Inbox::next`]
//!   claims the oldest pending callback for a lease, [`Inbox::ack`] marks it delivered.
//!
//! Patient data at rest stays as the platform sent it (phoneNum and idNum as its
//! ciphertext); it is decrypted only when handed out by [`Inbox::next`]. Listings,
//! stats, logs and errors carry none of it.
//!
//! ```no_run
//! # fn main() -> Result<(), aimis_inbox::InboxError> {
//! let credentials = aimis::Credentials::new("demo-app", "0123456789abcdef0123456789abcdef").unwrap();
//! let inbox = aimis_inbox::Inbox::open("sqlite:aimis-inbox.db", credentials)?;
//! while let Some(item) = inbox.next(std::time::Duration::from_secs(60))? {
//!     // ... hand item.callback to the HIS ...
//!     inbox.ack(item.id)?;
//! }
//! # Ok(()) }
//! ```

mod confirm;
mod confirmer;
#[cfg(feature = "server")]
mod connections;
mod deliver;
mod error;
#[cfg(feature = "server")]
mod http;
mod inbox;
mod log;
#[cfg(feature = "server")]
mod metrics;
mod receiver;
mod store;
mod tally;
mod time;
#[cfg(feature = "server")]
mod tls;
mod url;
mod worker;

pub use confirm::{Confirm, PlatformAnswer, PlatformConfirm};
pub use confirmer::{ConfirmOptions, Confirmer};
pub use deliver::{DeliverOptions, Deliverer};
pub use error::InboxError;
#[cfg(feature = "server")]
pub use http::{ServeOptions, Server};
pub use inbox::{Inbox, Item, Listed};
#[cfg(feature = "server")]
pub use metrics::MetricsToken;
pub use receiver::{Answer, Outcome, Receiver};
pub use store::{Confirmation, PlatformLinks, Record, State, Stats};
#[cfg(feature = "server")]
pub use tls::TlsFiles;
pub use url::{DEFAULT_STORE, StoreUrl};

/// Claims of one callback without an acknowledgement before it goes dead.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 10;

//! Signed-in requests need the user and their roles; reading them costs two queries per request.
//! This cache keeps them for [`TTL`] per session token on each node. A state-changing request
//! forgets the sender's sessions, and one to organisation or administration pages (where roles
//! change) empties the cache, so sign-out, password and role changes take effect at once on this
//! node and within [`TTL`] on others.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::access::Principal;
use crate::models::user::User;

pub const TTL: Duration = Duration::from_secs(2);
const MAX_ENTRIES: usize = 100_000;

#[derive(Default)]
pub struct SessionCache {
    map: RwLock<HashMap<String, (Instant, User, Principal)>>,
    generation: AtomicU64,
}

impl SessionCache {
    pub fn get(&self, token: &str) -> Option<(User, Principal)> {
        let map = self.map.read().ok()?;
        let (at, u, p) = map.get(token)?;
        (at.elapsed() < TTL).then(|| (u.clone(), p.clone()))
    }

    /// The generation to pass to [`Self::put`]: read it before the database lookup, so a lookup
    /// that raced with a change is not cached.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn put(&self, generation: u64, token: String, user: User, principal: Principal) {
        if let Ok(mut map) = self.map.write() {
            if self.generation.load(Ordering::Acquire) != generation {
                return;
            }
            if map.len() >= MAX_ENTRIES {
                map.retain(|_, (at, _, _)| at.elapsed() < TTL);
                if map.len() >= MAX_ENTRIES {
                    map.clear();
                }
            }
            map.insert(token, (Instant::now(), user, principal));
        }
    }

    /// Forgets one person's sessions (they signed out, changed their password or profile).
    pub fn forget_user(&self, user_id: &str) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut map) = self.map.write() {
            map.retain(|_, (_, u, _)| u.id != user_id);
        }
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut map) = self.map.write() {
            map.clear();
        }
    }
}

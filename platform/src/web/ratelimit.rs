//! Rate limits for the endpoints attackers hammer: login (per IP and per account), registration and
//! password reset (per IP), public e-visit booking (per IP). In-memory per node (`governor`); a multi-node deployment also limits at
//! its load balancer.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::AppError;
use crate::config::RateLimits;

pub struct Limits {
    pub login_ip: DefaultKeyedRateLimiter<String>,
    pub login_account: DefaultKeyedRateLimiter<String>,
    pub register_ip: DefaultKeyedRateLimiter<String>,
    pub reset_ip: DefaultKeyedRateLimiter<String>,
    pub booking_ip: DefaultKeyedRateLimiter<String>,
    checks: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).expect("max(1) is non-zero"))
}

impl Limits {
    pub fn new(c: &RateLimits) -> Limits {
        Limits {
            login_ip: RateLimiter::keyed(per_minute(c.login_per_ip)),
            login_account: RateLimiter::keyed(per_minute(c.login_per_account)),
            register_ip: RateLimiter::keyed(per_minute(c.register_per_ip)),
            reset_ip: RateLimiter::keyed(per_minute(c.password_reset_per_ip)),
            booking_ip: RateLimiter::keyed(per_minute(c.booking_per_ip)),
            checks: AtomicU64::new(0),
        }
    }

    /// Takes one unit from `limiter` for `key`, or says how long to wait.
    pub fn check(
        &self,
        limiter: &DefaultKeyedRateLimiter<String>,
        key: &str,
    ) -> Result<(), AppError> {
        // Forget idle keys now and then so the maps stay bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            for l in [
                &self.login_ip,
                &self.login_account,
                &self.register_ip,
                &self.reset_ip,
                &self.booking_ip,
            ] {
                l.retain_recent();
            }
        }
        limiter.check_key(&key.to_string()).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            AppError::TooManyRequests {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

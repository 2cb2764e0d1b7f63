//! The per-IP signup limit (form and API together), a keyed token bucket from `governor`.
//! It lives in memory per instance: it is there to blunt floods from one address, while the
//! per-address mail limit, which must hold across restarts and instances, is kept in the
//! database.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct SignupLimiter {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

/// Above this many tracked addresses, forget those whose buckets are full again.
const PRUNE_ABOVE: usize = 10_000;

impl SignupLimiter {
    /// `per_hour == 0` turns the limit off.
    pub fn new(per_hour: u32) -> SignupLimiter {
        let limiter = NonZeroU32::new(per_hour).map(|n| RateLimiter::keyed(Quota::per_hour(n)));
        SignupLimiter { limiter }
    }

    /// True when one more signup from `ip` is allowed now (and counts it).
    pub fn allow(&self, ip: Option<IpAddr>) -> bool {
        let (Some(limiter), Some(ip)) = (&self.limiter, ip) else {
            return true;
        };
        if limiter.len() > PRUNE_ABOVE {
            limiter.retain_recent();
        }
        limiter.check_key(&ip).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_budget() {
        let limiter = SignupLimiter::new(2);
        let (a, b) = (
            Some("192.0.2.1".parse().unwrap()),
            Some("192.0.2.2".parse().unwrap()),
        );
        assert!(limiter.allow(a) && limiter.allow(a));
        assert!(!limiter.allow(a));
        assert!(limiter.allow(b));
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let limiter = SignupLimiter::new(0);
        assert!((0..100).all(|_| limiter.allow(Some("192.0.2.1".parse().unwrap()))));
    }
}

//! Per-client-IP limits (signups, editor logins): a keyed token bucket from `governor`.
//! They live in memory per instance: they blunt floods from one address, while limits that
//! must hold across restarts and instances (mail per address) are kept in the database.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct IpRateLimiter {
    limiter: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

/// Above this many tracked addresses, forget those whose buckets are full again.
const PRUNE_ABOVE: usize = 10_000;

impl IpRateLimiter {
    /// `n == 0` turns the limit off.
    pub fn per_hour(n: u32) -> IpRateLimiter {
        IpRateLimiter {
            limiter: NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_hour(n))),
        }
    }

    pub fn per_minute(n: u32) -> IpRateLimiter {
        IpRateLimiter {
            limiter: NonZeroU32::new(n).map(|n| RateLimiter::keyed(Quota::per_minute(n))),
        }
    }

    /// True when one more request from `ip` is allowed now (and counts it).
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
        let limiter = IpRateLimiter::per_hour(2);
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
        let limiter = IpRateLimiter::per_hour(0);
        assert!((0..100).all(|_| limiter.allow(Some("192.0.2.1".parse().unwrap()))));
    }
}

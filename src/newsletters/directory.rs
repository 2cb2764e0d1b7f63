//! The newsletters as signups look them up: read from the database at most every couple of
//! seconds rather than once per signup (on SQLite, where one process takes thousands of
//! signups a second, that read cost more than the rest of the signup). A slug not found is
//! looked up again at once, so a newsletter just added by any instance is never refused;
//! other changes (a cadence no longer offered) reach signups within `FRESH_FOR`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::AnyPool;

use super::{Newsletter, queries};

const FRESH_FOR: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct Directory {
    cached: Mutex<Option<(Instant, Arc<Vec<Newsletter>>)>>,
}

impl Directory {
    /// Every newsletter, the default first, at most `FRESH_FOR` old.
    pub async fn all(&self, pool: &AnyPool) -> sqlx::Result<Arc<Vec<Newsletter>>> {
        if let Some((at, list)) = &*self.cached.lock().expect("not poisoned")
            && at.elapsed() < FRESH_FOR
        {
            return Ok(list.clone());
        }
        self.reload(pool).await
    }

    /// Every newsletter, read now.
    pub async fn reload(&self, pool: &AnyPool) -> sqlx::Result<Arc<Vec<Newsletter>>> {
        let list = Arc::new(queries::list(pool).await?);
        *self.cached.lock().expect("not poisoned") = Some((Instant::now(), list.clone()));
        Ok(list)
    }
}

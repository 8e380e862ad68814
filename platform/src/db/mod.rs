//! One Diesel codebase for SQLite and PostgreSQL.
//!
//! `DbConn` is a `MultiConnection`: queries written once run on both engines. Everything stored is
//! portable: ids and JSON as text, times as UTC `NaiveDateTime`. Blocking calls run off the async
//! workers through [`Db::run`].

pub mod schema;

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::config::{backend_of, Backend};

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

pub type PooledConn = PooledConnection<ConnectionManager<DbConn>>;

/// Migrations of one component, for both backends. Plugins contribute their own.
#[derive(Clone, Copy)]
pub struct MigrationSet {
    pub name: &'static str,
    pub sqlite: &'static EmbeddedMigrations,
    pub postgres: &'static EmbeddedMigrations,
}

/// Lets a `&'static EmbeddedMigrations` serve as a migration source (diesel wants it by value).
struct Source(&'static EmbeddedMigrations);

impl<DB: diesel::backend::Backend> diesel::migration::MigrationSource<DB> for Source
where
    EmbeddedMigrations: diesel::migration::MigrationSource<DB>,
{
    fn migrations(
        &self,
    ) -> diesel::migration::Result<Vec<Box<dyn diesel::migration::Migration<DB>>>> {
        self.0.migrations()
    }
}

static CORE_SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
static CORE_POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// The kernel's own schema.
pub const CORE_MIGRATIONS: MigrationSet = MigrationSet {
    name: "core",
    sqlite: &CORE_SQLITE,
    postgres: &CORE_POSTGRES,
};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open database {url}: {message}")]
    Connect { url: String, message: String },
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("database pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Shared handle to the connection pool.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<DbConn>>,
    backend: Backend,
}

#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(c) = conn {
            // WAL lets readers run beside the single writer; busy_timeout turns lock contention
            // into a short wait instead of an error.
            // busy_timeout first: switching to WAL needs a moment of exclusive access, and a
            // second connection opening at the same time must wait rather than fail.
            c.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                 PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// Turns `sqlite://path` into what SQLite opens, creating the parent directory.
fn sqlite_path(url: &str) -> Result<String, DbError> {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() {
        return Err(DbError::Connect {
            url: url.into(),
            message: "no file name".into(),
        });
    }
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| DbError::Connect {
                    url: url.into(),
                    message: format!("cannot create {}: {e}", parent.display()),
                })?;
            }
        }
    }
    Ok(path.to_string())
}

impl Db {
    /// Opens the pool, failing fast with the engine's own message when the database is unreachable.
    pub fn connect(url: &str, pool_size: Option<u32>) -> Result<Db, DbError> {
        let backend = backend_of(url)?;
        let target = match backend {
            Backend::Sqlite => sqlite_path(url)?,
            Backend::Postgres => url.to_string(),
        };
        // One direct attempt first: r2d2 would retry silently until its timeout.
        // Each engine's own connection, not the MultiConnection: its error names the real cause.
        let first = match backend {
            Backend::Sqlite => diesel::SqliteConnection::establish(&target).map(drop),
            Backend::Postgres => diesel::PgConnection::establish(&target).map(drop),
        };
        if let Err(e) = first {
            let message = e.to_string().trim().to_string();
            // Like SQLite's file, a missing PostgreSQL database is created on first start.
            let created = backend == Backend::Postgres
                && message.contains("does not exist")
                && create_pg_database(url).is_ok();
            if !created {
                return Err(DbError::Connect {
                    url: redact(url),
                    message,
                });
            }
            diesel::PgConnection::establish(&target).map_err(|e| DbError::Connect {
                url: redact(url),
                message: e.to_string().trim().to_string(),
            })?;
        }
        let size = pool_size.unwrap_or(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        });
        let pool = Pool::builder()
            .max_size(size)
            // No background replenishing: a pool thread still inside libpq/OpenSSL when the
            // process exits crashed `szpon` commands (SIGSEGV in OpenSSL's exit handlers).
            // Connections are opened on demand and kept until idle for 10 minutes.
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(5))
            // A `SELECT 1` before every checkout would double the round trips of every request;
            // a connection that broke is found by `is_broken` when it returns and is discarded.
            .test_on_check_out(false)
            .connection_customizer(Box::new(SqlitePragmas))
            .build(ConnectionManager::<DbConn>::new(target))
            .map_err(|e| DbError::Connect {
                url: redact(url),
                message: e.to_string(),
            })?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConn, DbError> {
        Ok(self.pool.get()?)
    }

    /// Runs a short read. On SQLite, with an idle connection at hand, it runs right here on the
    /// async worker: an indexed read takes microseconds, far less than handing it to the blocking
    /// pool and back (WAL readers never wait for writers). Otherwise it goes through [`Db::run`].
    /// Only for reads: a write could wait for the busy timeout and stall the worker.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        if self.backend == Backend::Sqlite {
            if let Some(mut conn) = self.pool.try_get() {
                return f(&mut conn);
            }
        }
        self.run(f).await
    }

    /// Runs blocking database work on the blocking thread pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        match actix_web::web::block(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            f(&mut conn)
        })
        .await
        {
            Ok(r) => r,
            Err(_) => Err(E::from(DbError::Migration(
                "blocking task was cancelled".into(),
            ))),
        }
    }

    /// Applies pending migrations of every set, in order. Returns the versions applied.
    pub fn migrate(&self, sets: &[MigrationSet]) -> Result<Vec<String>, DbError> {
        let mut conn = self.get()?;
        run_migrations(&mut conn, sets)
    }

    /// `SELECT 1`, for health checks.
    pub fn ping(&self) -> Result<(), DbError> {
        let mut conn = self.get()?;
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }
}

/// Creates the database a PostgreSQL URL names, connecting to the server's `postgres` database.
fn create_pg_database(url: &str) -> Result<(), DbError> {
    let (server, rest) = url.rsplit_once('/').ok_or_else(|| DbError::Connect {
        url: redact(url),
        message: "no database name".into(),
    })?;
    let (name, query) = match rest.split_once('?') {
        Some((n, q)) => (n, format!("?{q}")),
        None => (rest, String::new()),
    };
    let valid = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !valid {
        return Err(DbError::Connect {
            url: redact(url),
            message: format!("cannot create database {name:?}: unusual name"),
        });
    }
    let mut admin =
        diesel::PgConnection::establish(&format!("{server}/postgres{query}")).map_err(|e| {
            DbError::Connect {
                url: redact(url),
                message: e.to_string(),
            }
        })?;
    match diesel::sql_query(format!("CREATE DATABASE \"{name}\"")).execute(&mut admin) {
        Ok(_) => {
            tracing::info!(database = name, "created PostgreSQL database");
            Ok(())
        }
        // Another node created it at the same moment: fine.
        Err(diesel::result::Error::DatabaseError(_, info))
            if info.message().contains("already exists") =>
        {
            Ok(())
        }
        Err(e) => Err(DbError::Query(e)),
    }
}

/// Hides a password in a PostgreSQL URL before it reaches a message.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((creds, host)) = rest.split_once('@') {
            if let Some((user, _)) = creds.split_once(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
    }
    url.to_string()
}

pub fn run_migrations(conn: &mut DbConn, sets: &[MigrationSet]) -> Result<Vec<String>, DbError> {
    let mut applied = Vec::new();
    for set in sets {
        let versions = match conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(Source(set.sqlite)),
            DbConn::Postgres(c) => c.run_pending_migrations(Source(set.postgres)),
        }
        .map_err(|e| DbError::Migration(format!("{}: {e}", set.name)))?;
        applied.extend(versions.into_iter().map(|v| v.to_string()));
    }
    Ok(applied)
}

/// Reverts every applied migration of the sets, newest set first (used by the down.sql test).
pub fn revert_migrations(conn: &mut DbConn, sets: &[MigrationSet]) -> Result<(), DbError> {
    use diesel::migration::MigrationSource;
    for set in sets.iter().rev() {
        let err = |e: Box<dyn std::error::Error + Send + Sync>| {
            DbError::Migration(format!("{}: {e}", set.name))
        };
        match conn {
            DbConn::Sqlite(c) => {
                let applied = c.applied_migrations().map_err(err)?;
                let mut ms = MigrationSource::<diesel::sqlite::Sqlite>::migrations(set.sqlite)
                    .map_err(err)?;
                ms.reverse();
                for m in ms.iter().filter(|m| applied.contains(&m.name().version())) {
                    c.revert_migration(m.as_ref()).map_err(err)?;
                }
            }
            DbConn::Postgres(c) => {
                let applied = c.applied_migrations().map_err(err)?;
                let mut ms =
                    MigrationSource::<diesel::pg::Pg>::migrations(set.postgres).map_err(err)?;
                ms.reverse();
                for m in ms.iter().filter(|m| applied.contains(&m.name().version())) {
                    c.revert_migration(m.as_ref()).map_err(err)?;
                }
            }
        }
    }
    Ok(())
}

/// Runs the same Diesel expression on the concrete connection inside a [`DbConn`], for the few
/// statements `MultiConnection` cannot express (multi-row `INSERT`):
/// `with_backend!(conn, |c| diesel::insert_into(t).values(rows).execute(c))`.
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Postgres($c) => $body,
        }
    };
}

static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A transaction that will write. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write
/// lock up front: a plain (deferred) transaction that reads and then writes can fail at once
/// with "database is locked" when another writer got in between, without waiting for the busy
/// timeout. On PostgreSQL it is an ordinary transaction.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::{Connection, RunQueryDsl};
    match conn {
        DbConn::Postgres(_) => conn.transaction(f),
        DbConn::Sqlite(_) => {
            // One writer at a time in this process: waiting on a mutex wakes the next writer the
            // moment the lock is free, where SQLite's busy handler sleeps in growing steps (up to
            // 100 ms), which made the slowest submissions wait a second under load.
            let _writer = SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner());
            diesel::sql_query("BEGIN IMMEDIATE").execute(conn)?;
            match f(conn) {
                Ok(v) => {
                    if let Err(e) = diesel::sql_query("COMMIT").execute(conn) {
                        let _ = diesel::sql_query("ROLLBACK").execute(conn);
                        return Err(e.into());
                    }
                    Ok(v)
                }
                Err(e) => {
                    let _ = diesel::sql_query("ROLLBACK").execute(conn);
                    Err(e)
                }
            }
        }
    }
}

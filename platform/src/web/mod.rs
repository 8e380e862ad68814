//! The HTTP kernel shared by every part of the portal: application state, request context
//! (who, which language, CSRF token), security middleware, error pages, rendering, and the
//! account, profile and organisation pages.

pub mod accounts;
pub mod context;
pub mod error;
pub mod orgs;
pub mod pages;
pub mod ratelimit;
pub mod render;
pub mod security;
pub mod session_cache;
pub mod upload;

use std::sync::Arc;

use actix_web::web;

use crate::config::Config;
use crate::db::{Db, DbError, MigrationSet, CORE_MIGRATIONS};
use crate::i18n::{I18n, I18nError};
use crate::mail::{MailError, Mailer};
use crate::plugin::{NavItem, Plugin};
use crate::theme::{Theme, ThemeError, DEFAULT_THEME};

pub use context::{Ctx, RequestContext, SignedIn};
pub use error::AppError;

/// Everything a handler may need, shared by all workers.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub tera: Arc<tera::Tera>,
    pub i18n: Arc<I18n>,
    pub mailer: Mailer,
    pub limits: Arc<ratelimit::Limits>,
    pub plugins: Arc<Vec<Arc<dyn Plugin>>>,
    pub statics: Arc<std::collections::HashMap<String, Vec<u8>>>,
    /// Key for values the portal signs (derived from `SZPON_SECRET_KEY` or the data dir's key file).
    pub secret: Arc<[u8; 32]>,
    /// Users and roles of recent sessions (see [`session_cache`]).
    pub sessions: Arc<session_cache::SessionCache>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error(transparent)]
    I18n(#[from] I18nError),
    #[error("template error: {0}")]
    Template(String),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("data directory {path} is not usable: {message}")]
    DataDir { path: String, message: String },
}

/// Every migration set: the kernel's first, then each plugin's.
pub fn migration_sets(plugins: &[Arc<dyn Plugin>]) -> Vec<MigrationSet> {
    let mut sets = vec![CORE_MIGRATIONS];
    sets.extend(plugins.iter().filter_map(|p| p.migrations()));
    sets
}

/// Checks the data directory is writable (creating it), so a bad path fails at start, not at the
/// first upload.
pub fn prepare_data_dir(config: &Config) -> Result<(), StartError> {
    let err = |e: std::io::Error| StartError::DataDir {
        path: config.data_dir.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(&config.data_dir).map_err(err)?;
    let probe = config.data_dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(err)?;
    std::fs::remove_file(&probe).map_err(err)?;
    Ok(())
}

fn load_secret(config: &Config) -> Result<[u8; 32], StartError> {
    use sha2::Digest;
    let material = match &config.secret_key {
        Some(k) => k.clone().into_bytes(),
        None => {
            let path = config.data_dir.join("secret.key");
            match std::fs::read(&path) {
                Ok(b) if b.len() >= 32 => b,
                _ => {
                    let key = crate::models::random_token();
                    std::fs::write(&path, &key).map_err(|e| StartError::DataDir {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    })?;
                    key.into_bytes()
                }
            }
        }
    };
    Ok(sha2::Sha256::digest(&material).into())
}

impl AppState {
    /// Builds the state: data dir, database (migrated), theme, translations, templates, mail.
    pub fn build(config: Config, plugins: Vec<Arc<dyn Plugin>>) -> Result<AppState, StartError> {
        prepare_data_dir(&config)?;
        let db = Db::connect(&config.database_url, config.pool_size)?;
        db.migrate(&migration_sets(&plugins))?;
        let theme = Theme::load(config.theme_dir.as_deref(), DEFAULT_THEME)?;

        let mut sources = theme.locales.clone();
        for p in &plugins {
            sources.extend(p.translations());
        }
        let i18n = Arc::new(I18n::new(&sources)?);

        let mut templates: Vec<(String, String)> = theme.templates;
        for p in &plugins {
            templates.extend(p.templates().into_iter().map(|(n, s)| (n.into(), s.into())));
        }
        let tera = render::build_tera(&templates, i18n.clone())?;

        Ok(AppState {
            secret: Arc::new(load_secret(&config)?),
            mailer: Mailer::from_config(&config)?,
            limits: Arc::new(ratelimit::Limits::new(&config.rate_limits)),
            config: Arc::new(config),
            db,
            tera: Arc::new(tera),
            i18n,
            plugins: Arc::new(plugins),
            statics: Arc::new(theme.statics),
            sessions: Arc::default(),
        })
    }

    pub fn plugin_nav(&self, principal: Option<&crate::access::Principal>) -> Vec<NavItem> {
        self.plugins
            .iter()
            .flat_map(|p| p.nav_items(principal))
            .collect()
    }
}

/// Routes owned by the kernel: accounts, profile, organisations, language, health, static files.
pub fn routes(cfg: &mut web::ServiceConfig) {
    accounts::routes(cfg);
    orgs::routes(cfg);
    pages::routes(cfg);
}

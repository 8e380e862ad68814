//! Configuration: the only place in `platform` that reads environment variables.
//!
//! Precedence, lowest to highest: built-in defaults, `szpon.toml` (or the file named by
//! `SZPON_CONFIG`), then `SZPON_*` environment variables. Errors are plain English sentences
//! because they are printed by the command line before any UI exists.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid configuration file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid value for {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

/// How the portal sends mail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain connection (only for a relay on localhost).
    None,
    /// STARTTLS upgrade, usually on port 587.
    #[default]
    StartTls,
    /// Implicit TLS, usually on port 465.
    Tls,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub tls: SmtpTls,
}

/// Per-minute quotas for the endpoints attackers hammer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    pub login_per_ip: u32,
    pub login_per_account: u32,
    pub register_per_ip: u32,
    pub password_reset_per_ip: u32,
    /// Public e-visit booking forms (book, reschedule, cancel), per IP and minute.
    pub booking_per_ip: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        // Generous per IP (a whole office may sit behind one NAT address), strict per account.
        RateLimits {
            login_per_ip: 60,
            login_per_account: 10,
            register_per_ip: 20,
            password_reset_per_ip: 10,
            booking_per_ip: 20,
        }
    }
}

/// Facts the accessibility statement must publish (ustawa o dostępności cyfrowej, art. 10).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessibilityInfo {
    pub entity: String,
    pub published: String,
    pub updated: String,
    pub prepared: String,
    pub contact_person: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub address: String,
}

impl Default for AccessibilityInfo {
    fn default() -> Self {
        AccessibilityInfo {
            entity: "SZPoN".into(),
            published: "2026-11-23".into(),
            updated: "2026-11-23".into(),
            prepared: "2026-11-23".into(),
            contact_person: "Koordynator dostępności".into(),
            contact_email: "dostepnosc@example.gov.pl".into(),
            contact_phone: "+48 22 000 00 00".into(),
            address: "ul. Przykładowa 1, 00-001 Warszawa".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Public URL of the portal, used in emails and for the Origin check; no trailing slash.
    pub base_url: String,
    pub bind: String,
    pub smtp: Option<SmtpConfig>,
    pub mail_from: String,
    /// Secret for signed values; generated into the data dir when not given.
    pub secret_key: Option<String>,
    /// Directory of themes to use instead of the ones built into the binary.
    pub theme_dir: Option<PathBuf>,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    pub pool_size: Option<u32>,
    pub rate_limits: RateLimits,
    pub accessibility: AccessibilityInfo,
}

/// The file format: every key optional, same names as the environment without the prefix.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    base_url: Option<String>,
    bind: Option<String>,
    mail_from: Option<String>,
    secret_key: Option<String>,
    theme_dir: Option<PathBuf>,
    trust_proxy: Option<bool>,
    pool_size: Option<u32>,
    smtp: Option<FileSmtp>,
    rate_limits: Option<FileRateLimits>,
    accessibility: Option<HashMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSmtp {
    host: Option<String>,
    port: Option<u16>,
    username: Option<String>,
    password: Option<String>,
    tls: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRateLimits {
    login_per_ip: Option<u32>,
    login_per_account: Option<u32>,
    register_per_ip: Option<u32>,
    password_reset_per_ip: Option<u32>,
    booking_per_ip: Option<u32>,
}

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

impl Config {
    /// Loads from the process environment and `szpon.toml` in the working directory (if any).
    pub fn from_env() -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = std::env::vars().collect();
        Config::load(&env)
    }

    /// Loads from the given environment map; tests pass their own map instead of mutating the
    /// process environment.
    pub fn load(env: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let get = |k: &str| env.get(k).filter(|v| !v.is_empty()).cloned();
        let file = match get("SZPON_CONFIG") {
            Some(p) => Some(read_file(Path::new(&p))?),
            None if Path::new("szpon.toml").exists() => Some(read_file(Path::new("szpon.toml"))?),
            None => None,
        }
        .unwrap_or_default();

        let data_dir = get("SZPON_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = get("SZPON_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("szpon.db").display()));
        let bind = get("SZPON_BIND")
            .or(file.bind)
            .unwrap_or_else(|| DEFAULT_BIND.into());
        let base_url = get("SZPON_BASE_URL")
            .or(file.base_url)
            .unwrap_or_else(|| format!("http://{bind}"));
        let base_url = base_url.trim_end_matches('/').to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                key: "SZPON_BASE_URL",
                message: format!("{base_url:?} must start with http:// or https://"),
            });
        }

        let fs = file.smtp.unwrap_or_default();
        let smtp_host = get("SZPON_SMTP_HOST").or(fs.host);
        let smtp = match smtp_host {
            None => None,
            Some(host) => {
                let tls = match get("SZPON_SMTP_TLS").or(fs.tls).as_deref() {
                    None | Some("starttls") => SmtpTls::StartTls,
                    Some("tls") => SmtpTls::Tls,
                    Some("none") => SmtpTls::None,
                    Some(other) => {
                        return Err(ConfigError::Invalid {
                            key: "SZPON_SMTP_TLS",
                            message: format!("{other:?} is not one of starttls, tls, none"),
                        })
                    }
                };
                let port = match get("SZPON_SMTP_PORT") {
                    Some(p) => p.parse().map_err(|_| ConfigError::Invalid {
                        key: "SZPON_SMTP_PORT",
                        message: format!("{p:?} is not a port number"),
                    })?,
                    None => fs.port.unwrap_or(match tls {
                        SmtpTls::Tls => 465,
                        SmtpTls::StartTls => 587,
                        SmtpTls::None => 25,
                    }),
                };
                Some(SmtpConfig {
                    host,
                    port,
                    username: get("SZPON_SMTP_USERNAME").or(fs.username),
                    password: get("SZPON_SMTP_PASSWORD").or(fs.password),
                    tls,
                })
            }
        };

        let parse_bool = |key: &'static str, v: String| match v.as_str() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            _ => Err(ConfigError::Invalid {
                key,
                message: format!("{v:?} is not true or false"),
            }),
        };
        let trust_proxy = match get("SZPON_TRUST_PROXY") {
            Some(v) => parse_bool("SZPON_TRUST_PROXY", v)?,
            None => file.trust_proxy.unwrap_or(false),
        };
        let pool_size = match get("SZPON_POOL_SIZE") {
            Some(v) => Some(v.parse().map_err(|_| ConfigError::Invalid {
                key: "SZPON_POOL_SIZE",
                message: format!("{v:?} is not a number"),
            })?),
            None => file.pool_size,
        };

        let mut rate_limits = RateLimits::default();
        if let Some(r) = file.rate_limits {
            rate_limits.login_per_ip = r.login_per_ip.unwrap_or(rate_limits.login_per_ip);
            rate_limits.login_per_account =
                r.login_per_account.unwrap_or(rate_limits.login_per_account);
            rate_limits.register_per_ip = r.register_per_ip.unwrap_or(rate_limits.register_per_ip);
            rate_limits.password_reset_per_ip = r
                .password_reset_per_ip
                .unwrap_or(rate_limits.password_reset_per_ip);
            rate_limits.booking_per_ip = r.booking_per_ip.unwrap_or(rate_limits.booking_per_ip);
        }
        for (key, slot) in [
            ("SZPON_RATE_LOGIN_PER_IP", &mut rate_limits.login_per_ip),
            (
                "SZPON_RATE_LOGIN_PER_ACCOUNT",
                &mut rate_limits.login_per_account,
            ),
            (
                "SZPON_RATE_REGISTER_PER_IP",
                &mut rate_limits.register_per_ip,
            ),
            (
                "SZPON_RATE_PASSWORD_RESET_PER_IP",
                &mut rate_limits.password_reset_per_ip,
            ),
            ("SZPON_RATE_BOOKING_PER_IP", &mut rate_limits.booking_per_ip),
        ] {
            if let Some(v) = get(key) {
                *slot = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or(ConfigError::Invalid {
                        key: "SZPON_RATE_*",
                        message: format!("{key}={v:?} is not a positive number"),
                    })?;
            }
        }

        let mut accessibility = AccessibilityInfo::default();
        if let Some(a) = file.accessibility {
            for (k, v) in a {
                let slot = match k.as_str() {
                    "entity" => &mut accessibility.entity,
                    "published" => &mut accessibility.published,
                    "updated" => &mut accessibility.updated,
                    "prepared" => &mut accessibility.prepared,
                    "contact_person" => &mut accessibility.contact_person,
                    "contact_email" => &mut accessibility.contact_email,
                    "contact_phone" => &mut accessibility.contact_phone,
                    "address" => &mut accessibility.address,
                    _ => {
                        return Err(ConfigError::Invalid {
                            key: "accessibility",
                            message: format!("unknown key {k:?}"),
                        })
                    }
                };
                *slot = v;
            }
        }

        let config = Config {
            database_url,
            data_dir,
            base_url,
            bind,
            smtp,
            mail_from: get("SZPON_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "SZPoN <no-reply@localhost>".into()),
            secret_key: get("SZPON_SECRET_KEY").or(file.secret_key),
            theme_dir: get("SZPON_THEME_DIR").map(PathBuf::from).or(file.theme_dir),
            trust_proxy,
            pool_size,
            rate_limits,
            accessibility,
        };
        config.backend()?;
        Ok(config)
    }

    /// The backend the database URL selects.
    pub fn backend(&self) -> Result<Backend, ConfigError> {
        backend_of(&self.database_url)
    }

    /// Whether cookies must carry `Secure` (the portal is served over https).
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Directory where unsent mail lands as `.eml` files when no SMTP server is configured.
    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}

pub fn backend_of(url: &str) -> Result<Backend, ConfigError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(ConfigError::Invalid {
            key: "SZPON_DATABASE_URL",
            message: format!(
                "{url:?} is neither sqlite://PATH nor postgres://USER@HOST:PORT/DATABASE"
            ),
        })
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_put_the_database_in_the_data_dir() {
        let c = Config::load(&env(&[("SZPON_DATA_DIR", "/srv/szpon")])).unwrap();
        assert_eq!(c.database_url, "sqlite:///srv/szpon/szpon.db");
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert_eq!(c.backend().unwrap(), Backend::Sqlite);
        assert!(c.smtp.is_none());
        assert!(!c.secure_cookies());
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("szpon.toml");
        std::fs::write(
            &path,
            "base_url = \"https://file.example\"\nbind = \"0.0.0.0:1\"\n[smtp]\nhost = \"mail\"\ntls = \"tls\"\n[rate_limits]\nlogin_per_ip = 3\n",
        )
        .unwrap();
        let c = Config::load(&env(&[
            ("SZPON_CONFIG", path.to_str().unwrap()),
            ("SZPON_BASE_URL", "https://env.example/"),
        ]))
        .unwrap();
        assert_eq!(c.base_url, "https://env.example");
        assert_eq!(c.bind, "0.0.0.0:1");
        assert!(c.secure_cookies());
        let smtp = c.smtp.unwrap();
        assert_eq!((smtp.host.as_str(), smtp.port), ("mail", 465));
        assert_eq!(c.rate_limits.login_per_ip, 3);
    }

    #[test]
    fn bad_values_are_named() {
        let e = Config::load(&env(&[("SZPON_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.to_string().contains("SZPON_DATABASE_URL"), "{e}");
        let e =
            Config::load(&env(&[("SZPON_SMTP_HOST", "h"), ("SZPON_SMTP_PORT", "x")])).unwrap_err();
        assert!(e.to_string().contains("SZPON_SMTP_PORT"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(&path, "no_such_key = 1").unwrap();
        let e = Config::load(&env(&[("SZPON_CONFIG", path.to_str().unwrap())])).unwrap_err();
        assert!(e.to_string().contains("bad.toml"), "{e}");
    }
}

#[cfg(test)]
mod example_file {
    use super::*;

    /// `szpon.example.toml` with every setting uncommented is a valid configuration.
    #[test]
    fn the_example_configuration_is_valid() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../szpon.example.toml"
        ))
        .unwrap();
        let uncommented: String = text
            .lines()
            .map(|l| {
                let rest = l.strip_prefix("# ").unwrap_or(l);
                let is_setting = rest.starts_with('[')
                    || rest.split(" = ").next().is_some_and(|k| {
                        !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    });
                let line = if is_setting && l.starts_with("# ") {
                    rest
                } else {
                    l
                };
                // Drop trailing comments after a value.
                match line.find("   #") {
                    Some(i) if !line.starts_with('#') => line[..i].trim_end().to_string(),
                    _ => line.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("szpon.toml");
        std::fs::write(&path, &uncommented).unwrap();
        let mut env = HashMap::new();
        env.insert("SZPON_CONFIG".to_string(), path.display().to_string());
        let c = Config::load(&env).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert_eq!(c.backend().unwrap(), Backend::Postgres);
        assert_eq!(c.smtp.as_ref().unwrap().port, 587);
        assert_eq!(c.accessibility.entity, "Urząd Gminy Przykładowo");
        assert!(c.secure_cookies());
    }
}

//! `szpon`: the portal's command line. Exit codes: 0 success, 1 the operation failed,
//! 2 bad configuration or usage (unreachable database, unwritable data directory, bad flags).

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use platform::access::Role;
use platform::config::Config;
use platform::db::Db;
use platform::domain::{check_new_password, Email, FullName};
use platform::models::{organisation, user};
use platform::web::{migration_sets, prepare_data_dir, AppState};

/// Page rendering allocates many small strings; mimalloc serves them faster than glibc's
/// allocator under two busy worker threads (measured in bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "szpon", version, about = "SZPoN – Open edX-compatible learning platform and virtual office for public administration.", long_about = None)]
#[command(
    after_help = "Configuration comes from szpon.toml (or the file in SZPON_CONFIG) and SZPON_* environment variables:\n  SZPON_DATABASE_URL  sqlite://PATH (default sqlite://data/szpon.db) or postgres://USER@HOST:PORT/DB\n  SZPON_DATA_DIR      data directory (default data/)\n  SZPON_BASE_URL      public URL used in emails (default http://BIND)\n  SZPON_SMTP_HOST, SZPON_SMTP_PORT, SZPON_SMTP_USERNAME, SZPON_SMTP_PASSWORD, SZPON_SMTP_TLS, SZPON_MAIL_FROM\n  RUST_LOG            log filter (default info); SZPON_LOG_FORMAT=json for JSON logs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web portal (applies pending migrations first).
    Serve {
        /// Address to listen on.
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
        /// Do not import the sample course into an empty database.
        #[arg(long)]
        no_demo: bool,
    },
    /// Import an Open edX course or library export (.tar.gz, .tar, .zip or a folder).
    Import {
        path: std::path::PathBuf,
        /// Organisation that owns the course (created if it does not exist).
        #[arg(long, value_name = "SLUG")]
        org: Option<String>,
        /// Print one JSON object: course_key, blocks (per type), assets, warnings.
        #[arg(long)]
        json: bool,
        /// Who may learn it: public (also without an account), enrolled or organisation.
        /// Default: unchanged for an existing course, enrolled for a new one.
        #[arg(long, value_name = "WHO")]
        visibility: Option<String>,
    },
    /// Export the current version of a course as an Open edX .tar.gz.
    Export {
        /// e.g. course-v1:ORG+NUM+RUN
        course_key: String,
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// CAPA problems (Open edX's problem format).
    Capa {
        #[command(subcommand)]
        command: CapaCommand,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage organisations (offices).
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Mail that reaches the portal's mailbox.
    #[cfg(feature = "office")]
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
}

#[cfg(feature = "office")]
#[derive(Subcommand)]
enum MailCommand {
    /// Apply a calendar reply (an attendee's Accept, Decline or Tentative from Outlook or
    /// another client) saved as an .eml file to the event it answers.
    Ingest {
        /// The email, as saved by the mail server (RFC 5322 .eml).
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum CapaCommand {
    /// Grade JSON lines from standard input, one result line each, in the shape of Open edX's
    /// grader oracle: {"xml", "answers", "seed", "problem_id"} → {"correct_map", "score",
    /// "max_score"} or {"error"}.
    Grade,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user account. Prints a generated password unless --password-stdin is given.
    Create {
        #[arg(long)]
        email: String,
        /// Full name, as it appears on certificates.
        #[arg(long)]
        name: String,
        /// Make the user a platform administrator.
        #[arg(long)]
        admin: bool,
        /// Add the user to this organisation (created if it does not exist).
        #[arg(long, value_name = "SLUG")]
        org: Option<String>,
        /// Role in --org: administrator, author, official or learner
        /// (default: administrator with --admin, otherwise official).
        #[arg(long, requires = "org")]
        role: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation.
    Create {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// ministry, central_office, voivodeship_office, marshal_office, county_office,
        /// municipality or other.
        #[arg(long, default_value = "other")]
        kind: String,
    },
}

/// A failure with its exit code and an English message for the terminal.
struct Failure(u8, String);

fn config_failure(e: impl std::fmt::Display) -> Failure {
    Failure(2, e.to_string())
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("SZPON_LOG_FORMAT").is_ok_and(|v| v == "json");
    // One line per finished request span: method, route, status, request id and duration.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn open_db(config: &Config) -> Result<Db, Failure> {
    prepare_data_dir(config).map_err(config_failure)?;
    let db = Db::connect(&config.database_url, config.pool_size).map_err(config_failure)?;
    db.migrate(&migration_sets(&lms::plugins()))
        .map_err(|e| Failure(1, e.to_string()))?;
    Ok(db)
}

fn org_id(conn: &mut platform::db::DbConn, slug: &str) -> Result<String, Failure> {
    if !organisation::valid_slug(slug) {
        return Err(Failure(2, format!("invalid organisation slug {slug:?}")));
    }
    match organisation::find_by_slug(conn, slug).map_err(|e| Failure(1, e.to_string()))? {
        Some(o) => Ok(o.id),
        None => {
            let o = organisation::create(conn, slug, slug, "other")
                .map_err(|e| Failure(1, e.to_string()))?;
            eprintln!("created organisation {slug} (rename it on its page)");
            Ok(o.id)
        }
    }
}

fn import(
    config: Config,
    path: std::path::PathBuf,
    org: Option<String>,
    json: bool,
    visibility: Option<String>,
) -> Result<(), Failure> {
    let visibility = match visibility.as_deref() {
        None => None,
        Some(v) => Some(studio::store::Visibility::parse(v).ok_or_else(|| {
            Failure(
                2,
                format!("unknown visibility {v:?}: use public, enrolled or organisation"),
            )
        })?),
    };
    if !path.exists() {
        return Err(Failure(
            1,
            format!("{}: no such file or folder", path.display()),
        ));
    }
    let db = open_db(&config)?;
    let org_id = match &org {
        Some(slug) => Some(org_id(&mut *db.get().map_err(config_failure)?, slug)?),
        None => None,
    };
    let store = platform::storage::BlobStore::new(&config.data_dir);
    let report = studio::import::import(
        &db,
        &store,
        &config.data_dir,
        &path,
        &studio::import::ImportOptions {
            organisation_id: org_id.as_deref(),
            user_id: None,
            check: &studio::import::allow_all,
        },
    )
    .map_err(|e| {
        Failure(
            1,
            format!(
                "import of {} failed, nothing was stored: {e}",
                path.display()
            ),
        )
    })?;
    if let Some(v) = visibility {
        let mut conn = db.get().map_err(config_failure)?;
        let row = studio::store::find_by_key(&mut conn, &report.course_key)
            .map_err(|e| Failure(1, e.to_string()))?
            .ok_or_else(|| Failure(1, "the imported course is missing".into()))?;
        studio::store::set_visibility(&mut conn, &row.id, v)
            .map_err(|e| Failure(1, e.to_string()))?;
    }
    if json {
        println!("{}", report.cli_json());
    } else {
        let total: usize = report.blocks.values().sum();
        println!(
            "imported {} \"{}\" as version {}: {total} blocks, {} files, {} warnings",
            report.course_key,
            report.title,
            report.version,
            report.assets,
            report.warnings.len()
        );
        for w in &report.warnings {
            println!("  warning: {w}");
        }
        if report.scripted_problems > 0 {
            println!(
                "  {} problem(s) are graded by Python scripts: they render, grading them comes with the sandbox",
                report.scripted_problems
            );
        }
        if !report.not_yet_supported.is_empty() {
            let list: Vec<String> = report
                .not_yet_supported
                .iter()
                .map(|(t, n)| format!("{t} ×{n}"))
                .collect();
            println!("  kept but not yet supported by SZPoN: {}", list.join(", "));
        }
    }
    Ok(())
}

fn export(config: Config, key: String, out: std::path::PathBuf) -> Result<(), Failure> {
    let db = open_db(&config)?;
    let store = platform::storage::BlobStore::new(&config.data_dir);
    studio::import::export(&db, &store, &key, &out).map_err(|e| Failure(1, e.to_string()))?;
    println!("exported {key} to {}", out.display());
    Ok(())
}

fn serve(config: Config, bind: Option<String>, no_demo: bool) -> Result<(), Failure> {
    let bind = bind.unwrap_or_else(|| config.bind.clone());
    let mut config = config;
    if config.base_url == format!("http://{}", config.bind) {
        config.base_url = format!("http://{bind}");
    }
    let state = AppState::build(config, lms::plugins()).map_err(config_failure)?;
    if !no_demo {
        match studio::sample::import_if_empty(&state.db, &state.config.data_dir) {
            Ok(Some(key)) => {
                eprintln!("imported the sample course {key} (start with --no-demo to skip)")
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "the sample course could not be imported"),
        }
    }
    let base_url = state.config.base_url.clone();
    let backend = state.db.backend().name();
    let sys = actix_web::rt::System::new();
    sys.block_on(async move {
        let s = state.clone();
        let server = actix_web::HttpServer::new(move || lms::app(s.clone()))
            .shutdown_timeout(30)
            .bind(&bind)
            .map_err(|e| Failure(2, format!("cannot listen on {bind}: {e}")))?;
        for plugin in state.plugins.iter() {
            plugin.start(&state);
        }
        let db = state.db.clone();
        actix_web::rt::spawn(async move {
            let mut tick = actix_web::rt::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                let db = db.clone();
                let _ = actix_web::web::block(move || {
                    db.get()
                        .ok()
                        .map(|mut c| platform::models::session::delete_expired(&mut c))
                })
                .await;
            }
        });
        tracing::info!(%bind, %base_url, backend, "SZPoN is listening");
        eprintln!("SZPoN is listening on http://{bind} (database: {backend})");
        server
            .run()
            .await
            .map_err(|e| Failure(1, format!("server error: {e}")))?;
        tracing::info!("SZPoN stopped");
        Ok(())
    })
}

fn read_password_stdin() -> Result<String, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure(
            1,
            format!("cannot read the password from standard input: {e}"),
        )
    })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn generate_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn create_user(
    config: Config,
    email: String,
    name: String,
    admin: bool,
    org: Option<String>,
    role: Option<String>,
    password_stdin: bool,
) -> Result<(), Failure> {
    let email =
        Email::parse(&email).map_err(|_| Failure(2, format!("invalid email address {email:?}")))?;
    let name = FullName::parse(&name).map_err(|_| {
        Failure(
            2,
            format!("invalid name {name:?} (1–200 characters, no < or >)"),
        )
    })?;
    let role = match role.as_deref() {
        Some(r) => Role::parse(r).ok_or_else(|| {
            Failure(
                2,
                format!("unknown role {r:?}: use administrator, author, official or learner"),
            )
        })?,
        None if admin => Role::Administrator,
        None => Role::Official,
    };
    if let Some(slug) = &org {
        if !organisation::valid_slug(slug) {
            return Err(Failure(2, format!("invalid organisation slug {slug:?}: lowercase letters, digits and single hyphens")));
        }
    }
    let (password, generated) = if password_stdin {
        (read_password_stdin()?, false)
    } else {
        (generate_password(), true)
    };
    check_new_password(&password, Some(email.as_str())).map_err(|_| {
        Failure(
            2,
            "the password must have 8–1024 characters and differ from the email".into(),
        )
    })?;
    let db = open_db(&config)?;
    let mut conn = db.get().map_err(config_failure)?;
    let hash = platform::password::hash(&password);
    let created = user::create(
        &mut conn,
        user::NewUser {
            email: email.as_str(),
            full_name: name.as_str(),
            password_hash: &hash,
            is_platform_admin: admin,
            language: None,
            terms_accepted: false,
        },
    )
    .map_err(|e| match e {
        user::CreateUserError::EmailTaken => Failure(
            1,
            format!("a user with email {} already exists", email.as_str()),
        ),
        other => Failure(1, other.to_string()),
    })?;
    println!("created user {} ({})", created.email, created.id);
    if let Some(slug) = org {
        let o = match organisation::find_by_slug(&mut conn, &slug)
            .map_err(|e| Failure(1, e.to_string()))?
        {
            Some(o) => o,
            None => {
                let o = organisation::create(&mut conn, &slug, &slug, "other")
                    .map_err(|e| Failure(1, e.to_string()))?;
                println!("created organisation {slug} (rename it on its page)");
                o
            }
        };
        organisation::grant_role(&mut conn, &o.id, &created.id, role)
            .map_err(|e| Failure(1, e.to_string()))?;
        println!("role {} in {}", role.as_str(), o.slug);
    }
    if admin {
        println!("platform administrator: yes");
    }
    if generated {
        println!("password: {password}");
    }
    Ok(())
}

fn create_org(config: Config, slug: String, name: String, kind: String) -> Result<(), Failure> {
    if !organisation::valid_slug(&slug) {
        return Err(Failure(2, format!("invalid slug {slug:?}: lowercase letters, digits and single hyphens, 2–64 characters")));
    }
    if !organisation::KINDS.contains(&kind.as_str()) {
        return Err(Failure(
            2,
            format!(
                "unknown kind {kind:?}: use one of {}",
                organisation::KINDS.join(", ")
            ),
        ));
    }
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Failure(2, "the name must not be empty".into()));
    }
    let db = open_db(&config)?;
    let mut conn = db.get().map_err(config_failure)?;
    let o = organisation::create(&mut conn, &slug, &name, &kind).map_err(|e| match e {
        organisation::OrgError::SlugTaken => Failure(
            1,
            format!("an organisation with slug {slug} already exists"),
        ),
        other => Failure(1, other.to_string()),
    })?;
    println!("created organisation {} ({})", o.slug, o.id);
    Ok(())
}

/// `szpon capa grade`: no configuration or database, just the grader.
fn capa_grade() -> Result<(), Failure> {
    use std::io::{BufRead, Write};
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| Failure(1, format!("reading standard input: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        writeln!(out, "{}", xblock_compat::capa::grade_json_line(&line))
            .and_then(|_| out.flush())
            .map_err(|e| Failure(1, format!("writing standard output: {e}")))?;
    }
    Ok(())
}

fn run(cli: Cli) -> Result<(), Failure> {
    if let Command::Capa {
        command: CapaCommand::Grade,
    } = cli.command
    {
        return capa_grade();
    }
    let config = Config::from_env().map_err(config_failure)?;
    match cli.command {
        Command::Serve { bind, no_demo } => serve(config, bind, no_demo),
        Command::Import {
            path,
            org,
            json,
            visibility,
        } => import(config, path, org, json, visibility),
        Command::Capa { .. } => unreachable!("handled before the configuration is read"),
        Command::Export { course_key, out } => export(config, course_key, out),
        Command::Migrate => {
            prepare_data_dir(&config).map_err(config_failure)?;
            let db = Db::connect(&config.database_url, config.pool_size).map_err(config_failure)?;
            let applied = db
                .migrate(&migration_sets(&lms::plugins()))
                .map_err(|e| Failure(1, e.to_string()))?;
            if applied.is_empty() {
                println!("database is up to date ({})", db.backend().name());
            } else {
                println!(
                    "applied {} migration(s) on {}: {}",
                    applied.len(),
                    db.backend().name(),
                    applied.join(", ")
                );
            }
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    name,
                    admin,
                    org,
                    role,
                    password_stdin,
                },
        } => create_user(config, email, name, admin, org, role, password_stdin),
        Command::Org {
            command: OrgCommand::Create { slug, name, kind },
        } => create_org(config, slug, name, kind),
        #[cfg(feature = "office")]
        Command::Mail {
            command: MailCommand::Ingest { file },
        } => {
            let db = open_db(&config)?;
            let done = office_plugin::calendar::ingest::ingest_file(&db, &file)
                .map_err(|e| Failure(1, e.to_string()))?;
            println!("{done}");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(code, message)) => {
            eprintln!("error: {message}");
            ExitCode::from(code)
        }
    }
}

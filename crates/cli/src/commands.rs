//! The subcommands. Each turns flags into calls on the libraries and prints the result.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use madoguchi_core::hours::tokyo;
use madoguchi_core::{Directory, LoadConfig, Window};

use crate::cli::{Args, Command, ExportFormat};
use crate::source::Files;

pub fn run(args: Args) -> Result<ExitCode> {
    let files = match &args.data {
        Some(dir) => Files::from_dir(dir)?,
        None => Files::embedded(),
    };
    let today = jiff::Timestamp::now().to_zoned_datetime(tokyo()).date();
    // The embedded data was checked whole before it was built in; serving it skips the slow
    // phone-number check (a data directory, and `check`, get every rule).
    let embedded_serve = args.data.is_none() && matches!(args.command, Command::Serve { .. });
    let config = LoadConfig {
        check_phone_numbers: !embedded_serve,
        ..LoadConfig::full(today)
    };
    let directory = match files.load(config) {
        Ok(directory) => directory,
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                println!("{diagnostic}");
            }
            eprintln!("{} problem(s) found", diagnostics.len());
            return Ok(ExitCode::from(1));
        }
    };
    match args.command {
        Command::Serve {
            listen,
            public_url,
            request_timeout,
            max_uri_bytes,
            max_body_bytes,
            concurrency,
            api_rate,
            api_burst,
            max_connections,
            max_connections_per_address,
            header_timeout,
            shutdown_grace,
            keep_alive_limit,
            log_format,
        } => {
            let limits = madoguchi_web::Limits {
                request_timeout: std::time::Duration::from_secs(request_timeout),
                max_uri_bytes,
                max_body_bytes,
                concurrency,
                api_per_second: api_rate,
                api_burst,
                connections: madoguchi_web::listener::ConnectionLimits {
                    max_connections: within_open_file_limit(max_connections),
                    per_address: max_connections_per_address,
                    header_timeout: std::time::Duration::from_secs(header_timeout),
                    shutdown_grace: std::time::Duration::from_secs(shutdown_grace),
                    keep_alive_limit,
                },
            };
            // One line per request (method, route template, status, latency) on stderr; the
            // web crate never logs query strings. RUST_LOG=warn makes it quiet.
            let _log = crate::log::init(log_format);
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            // The store keeps the published versions and the public's corrections. Without it
            // the site still serves the built-in data (the directory is in memory), so a
            // store that cannot be opened is a warning, not a reason to stay down.
            let (store, version, directory) = match runtime
                .block_on(madoguchi_store::Store::open(&args.database))
            {
                Ok(store) => {
                    let store = std::sync::Arc::new(store);
                    match runtime.block_on(crate::store::live_version(&store, &files, directory)) {
                        Ok((version, directory)) => (Some(store), version, directory),
                        Err(error) => {
                            eprintln!("madoguchi: {error:#}; serving the built-in data");
                            (
                                Some(store),
                                0,
                                files.load(config).map_err(|_| {
                                    anyhow::anyhow!("the built-in data does not load")
                                })?,
                            )
                        }
                    }
                }
                Err(error) => {
                    eprintln!(
                        "madoguchi: {error}; serving without a store (the correction form is hidden)"
                    );
                    (None, 0, directory)
                }
            };
            let mut state = madoguchi_web::AppState::new(
                directory,
                madoguchi_web::Clock::System,
                public_url,
                limits,
            );
            state.version = version;
            if let Some(store) = &store {
                state.inbox = Some(std::sync::Arc::new(crate::store::StoreInbox(store.clone())));
                state.staff = Some(std::sync::Arc::new(crate::store::StoreDesk(store.clone())));
            }
            let live = madoguchi_web::live::Live::new(std::sync::Arc::new(state));
            if let Some(store) = store {
                runtime.spawn(crate::store::follow(store, live.clone()));
            }
            eprintln!(
                "madoguchi: serving on http://{listen} (version {})",
                live.version()
            );
            runtime
                .block_on(madoguchi_web::serve(listen, live))
                .with_context(|| format!("cannot serve on {listen}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            for warning in &directory.warnings {
                println!("{warning}");
            }
            println!(
                "ok: {} windows, {} organizations, {} categories",
                directory.windows.len(),
                directory.organizations.len(),
                directory.categories.len()
            );
            let total = madoguchi_core::translation::shown_texts(&directory).len();
            for code in directory.translations.keys() {
                let missing = madoguchi_core::translation::untranslated(&directory, code).len();
                println!(
                    "lang {code}: {} of {total} texts translated",
                    total - missing
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Untranslated { lang } => {
            if !madoguchi_core::translation::is_known_language(&lang) {
                anyhow::bail!("`{lang}` is not a language code (en, easy, vi, …)");
            }
            print!(
                "{}",
                madoguchi_core::translation::untranslated_toml(&directory, &lang)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { format, dir } => {
            use madoguchi_web::export::{Format, export, hsds_csv};
            // The live directory is the store's, when there is one (and no --data): what the
            // public site serves, and the export is written in the audit log.
            let (files, directory) = match args.data {
                Some(_) => (files, directory),
                None => crate::store::exported(&args.database, format.as_str())?
                    .unwrap_or((files, directory)),
            };
            let format = match format {
                ExportFormat::Json => Format::Json,
                ExportFormat::Hsds => Format::Hsds,
                ExportFormat::Csv => Format::Csv,
                ExportFormat::Html => Format::Html,
                ExportFormat::Toml => {
                    let Some(dir) = dir else {
                        bail!(
                            "--format toml writes the data files: give the folder, e.g. `madoguchi export --format toml data-copy/`"
                        );
                    };
                    let written = files.write_to(&dir)?;
                    eprintln!("wrote {written} data files to {}", dir.display());
                    return Ok(ExitCode::SUCCESS);
                }
                ExportFormat::HsdsCsv => {
                    let Some(dir) = dir else {
                        bail!(
                            "--format hsds-csv writes several files: give the folder, e.g. `madoguchi export --format hsds-csv hsds/`"
                        );
                    };
                    std::fs::create_dir_all(&dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    for (name, contents) in hsds_csv(&directory) {
                        let path = dir.join(name);
                        std::fs::write(&path, contents)
                            .with_context(|| format!("cannot write {}", path.display()))?;
                    }
                    return Ok(ExitCode::SUCCESS);
                }
            };
            if dir.is_some() {
                bail!(
                    "only --format hsds-csv writes into a folder; the other formats print to stdout"
                );
            }
            crate::emit(&export(&directory, format));
            Ok(ExitCode::SUCCESS)
        }
        Command::Reports {
            all,
            close,
            actor,
            reason,
        } => crate::store::reports(&args.database, all, close, actor, reason),
        Command::Staff {
            command: crate::cli::StaffCommand::Add { name, role },
        } => crate::store::add_staff(&args.database, &name, role.as_str()),
        Command::Import { dir, actor, reason } => {
            crate::store::import(&args.database, &Files::from_dir(&dir)?, &actor, &reason)
        }
        Command::Proposals { all, show } => crate::store::proposals(&args.database, all, show),
        Command::Review {
            id,
            approve,
            reject: _,
            actor,
            reason,
        } => crate::store::review(&args.database, id, approve, &actor, &reason),
        Command::Audit { since, verify } => crate::store::audit(&args.database, since, verify),
        Command::Stale { older_than, json } => {
            let today = jiff::Timestamp::now().to_zoned_datetime(tokyo()).date();
            crate::stale::run(&directory, today, older_than, json)
        }
        Command::Triage(triage_args) => crate::triage::run(&directory, &triage_args),
        Command::Eval {
            files,
            names,
            at,
            verbose,
        } => crate::triage::eval(&directory, &files, names, at, verbose),
        Command::Hours { id, at, json } => {
            let Some(window) = directory.window(&id) else {
                bail!("no window with id `{id}` (try `madoguchi export` for the list)");
            };
            let at = at.unwrap_or_else(jiff::Timestamp::now);
            let report = crate::hours::report(&directory, window, at);
            if json {
                crate::emit(&(serde_json::to_string_pretty(&report)? + "\n"));
            } else {
                print!("{}", crate::hours::text(window, &report));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id } => {
            let Some(window) = directory.window(&id) else {
                bail!("no window with id `{id}` (try `madoguchi export` for the list)");
            };
            print!("{}", card(&directory, window));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A window as a terminal card: what a person needs before they call.
pub fn card(directory: &Directory, window: &Window) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  [{}]", window.name, window.id);
    let _ = writeln!(out, "  {}", window.kind.label_ja());
    if let Some(org) = directory.organization(&window.organization) {
        let _ = writeln!(out, "  運営: {}", org.name);
    }
    let _ = writeln!(out, "  {}", window.summary);
    for channel in &window.channels {
        let label = channel.label.as_deref().unwrap_or(channel.kind.label_ja());
        let _ = writeln!(
            out,
            "  - {label}: {}  ({})",
            channel.value,
            channel.cost.label_ja()
        );
        crate::hours::write_schedule(&mut out, &channel.hours, "      ");
        for route in &channel.routes {
            let _ = writeln!(out, "      → {}", route.label);
        }
        for caveat in &channel.caveats {
            let _ = writeln!(out, "      注意: {caveat}");
        }
    }
    if !window.cannot.is_empty() {
        let _ = writeln!(out, "  できないこと:");
        for item in &window.cannot {
            let _ = writeln!(out, "    - {item}");
        }
    }
    if !window.prepare.is_empty() {
        let _ = writeln!(out, "  準備するもの: {}", window.prepare.join("、"));
    }
    let groups: Vec<&str> = window.audience.labels_ja();
    let _ = writeln!(
        out,
        "  対象: {}  地域: {}",
        groups.join("・"),
        window.area.scope.label_ja()
    );
    let as_of = window
        .as_of()
        .map_or_else(|| "日付なし".to_owned(), |d| d.to_string());
    let _ = writeln!(
        out,
        "  いちばん古い資料の日付: {as_of}（確からしさ {}）",
        window.provenance.confidence.label_ja()
    );
    for source in &window.sources {
        let published = source
            .published
            .map_or_else(|| "日付なし".to_owned(), |d| d.to_string());
        let _ = writeln!(
            out,
            "  出典: {}（{published}、確認 {}） {}",
            source.title, source.checked, source.url
        );
    }
    out
}

/// Connections, kept under the process's open-file limit (with room for the listener, data
/// files and logs), so that the cap closes a connection before `accept` runs out of
/// descriptors. The limit is read from /proc on Linux; elsewhere the flag is taken as given.
fn within_open_file_limit(wanted: usize) -> usize {
    const RESERVED: usize = 64;
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|line| line.starts_with("Max open files"))
                .and_then(|line| line.split_whitespace().nth(3))
                .and_then(|soft| soft.parse::<usize>().ok())
        });
    match soft {
        Some(soft) if wanted + RESERVED > soft => {
            let capped = soft.saturating_sub(RESERVED).max(1);
            eprintln!(
                "madoguchi: at most {capped} connections: the open-file limit is {soft} (raise it with `ulimit -n` for more)"
            );
            capped
        }
        _ => wanted,
    }
}

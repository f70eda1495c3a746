//! Command-line flags.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Find the right consultation or reporting window for trouble on the internet.
#[derive(Debug, Parser)]
#[command(name = "madoguchi", version, about)]
pub struct Args {
    /// Load the directory from this folder instead of the data embedded in the binary.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,

    /// The store: a SQLite file (created when missing) or a postgres:// URL. Used by
    /// `serve` (published versions, corrections from the public), `staff`, `reports`,
    /// `import`, `proposals`, `review`, `audit` and `export`.
    #[arg(
        long,
        global = true,
        env = "MADOGUCHI_DATABASE",
        default_value = "madoguchi.db"
    )]
    pub database: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (public pages) on the data.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "MADOGUCHI_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// The site's public address, used in the QR codes of the printed list.
        #[arg(
            long,
            env = "MADOGUCHI_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        /// Seconds before a request is answered with 408.
        #[arg(long, env = "MADOGUCHI_REQUEST_TIMEOUT", default_value_t = 10)]
        request_timeout: u64,
        /// Longest URL accepted, in bytes (414 beyond).
        #[arg(long, env = "MADOGUCHI_MAX_URI_BYTES", default_value_t = 4096)]
        max_uri_bytes: usize,
        /// Largest request body accepted, in bytes (413 beyond).
        #[arg(long, env = "MADOGUCHI_MAX_BODY_BYTES", default_value_t = 65536)]
        max_body_bytes: usize,
        /// Requests handled at once; more wait.
        #[arg(long, env = "MADOGUCHI_CONCURRENCY", default_value_t = 512)]
        concurrency: usize,
        /// Sustained /api requests per second per client address (0 turns the limit off).
        #[arg(long, env = "MADOGUCHI_API_RATE", default_value_t = 20)]
        api_rate: u64,
        /// /api requests a client may send at once before the rate applies.
        #[arg(long, env = "MADOGUCHI_API_BURST", default_value_t = 40)]
        api_burst: u32,
        /// Connections open at once (kept under the process's open-file limit).
        #[arg(long, env = "MADOGUCHI_MAX_CONNECTIONS", default_value_t = 4096)]
        max_connections: usize,
        /// Connections open at once from one client address (0 turns the cap off: behind a
        /// reverse proxy every client has the proxy's address).
        #[arg(
            long,
            env = "MADOGUCHI_MAX_CONNECTIONS_PER_ADDRESS",
            default_value_t = 256
        )]
        max_connections_per_address: usize,
        /// Seconds a connection has to send a whole request head, also when idle between
        /// keep-alive requests.
        #[arg(long, env = "MADOGUCHI_HEADER_TIMEOUT", default_value_t = 10)]
        header_timeout: u64,
        /// Seconds requests in flight get to finish after SIGTERM or Ctrl-C.
        #[arg(long, env = "MADOGUCHI_SHUTDOWN_GRACE", default_value_t = 10)]
        shutdown_grace: u64,
        /// Open connections beyond which a new connection is closed after its response
        /// instead of kept alive, so that a flood of idle connections cannot fill memory.
        #[arg(long, env = "MADOGUCHI_KEEP_ALIVE_LIMIT", default_value_t = 1024)]
        keep_alive_limit: usize,
        /// The access log on stderr, one line a request: `text` (readable) or `json` (for a
        /// log collector). Colour only when stderr is a terminal.
        #[arg(long, env = "MADOGUCHI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
        log_format: LogFormat,
    },
    /// Validate the data files and list every problem as `file:line: rule: message`.
    Check,
    /// Print, as `[[text]]` entries to fill in, every text of the data that language LANG
    /// (`en`, `easy`) does not translate yet; paste them into `data/lang/LANG/`.
    Untranslated {
        /// The language's folder name under `data/lang/`.
        lang: String,
    },
    /// List every fact due for checking again (older than `--older-than`, or undated), most
    /// harmful first: crisis lines and numbers before descriptions.
    Stale {
        /// Age beyond which a fact is due: `12m` (months) or `2y` (years).
        #[arg(long, default_value = "12m", value_parser = parse_age)]
        older_than: i64,
        /// Print JSON (for the staff tools) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print the whole directory in a stable, documented shape.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// The folder to write into, for `hsds-csv` and `toml`; the other formats print to
        /// stdout.
        dir: Option<std::path::PathBuf>,
    },
    /// The corrections the public has sent ("この情報が違う"), newest first.
    Reports {
        /// Also the closed ones.
        #[arg(long)]
        all: bool,
        /// Close this report (recorded in the audit log with --as and --reason).
        #[arg(long, value_name = "NUMBER", requires_all = ["actor", "reason"])]
        close: Option<i64>,
        /// Who closes it.
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// Why (what was checked, what was changed).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Staff accounts for the console at /staff.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Propose the data files in DIR (the `data/` layout) as one change to the store's live
    /// directory; a reviewer other than you approves it (`review`, or the console).
    Import {
        dir: PathBuf,
        /// Who proposes it (a staff account).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Why, for the reviewer and the audit log.
        #[arg(long)]
        reason: String,
    },
    /// Staff proposals waiting for review, newest first.
    Proposals {
        /// Also the approved and rejected ones.
        #[arg(long)]
        all: bool,
        /// Print this proposal with its diff.
        #[arg(long, value_name = "NUMBER")]
        show: Option<i64>,
    },
    /// Approve (and publish) or reject a proposal, as a reviewer other than its author.
    Review {
        /// The proposal's number.
        id: i64,
        /// Approve it: `check` runs on the new directory, then it is published.
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        approve: bool,
        /// Reject it (its author may reject their own: a withdrawal).
        #[arg(long)]
        reject: bool,
        /// Who reviews it (a reviewer or admin account).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// What was checked, or why not.
        #[arg(long)]
        reason: String,
    },
    /// Print the audit log, or check that nobody changed it.
    Audit {
        /// Only entries from this time on (RFC 3339).
        #[arg(long)]
        since: Option<jiff::Timestamp>,
        /// Recompute the hash chain; exit 1 and name the first changed row if it breaks.
        #[arg(long)]
        verify: bool,
    },
    /// Print one window as a readable card.
    Show {
        /// The window's id, e.g. `moj-minna-110`.
        id: String,
    },
    /// Rank the windows for a situation, with reasons, crisis first.
    Triage(TriageArgs),
    /// Evaluate triage on TSV files (query, expect_any, crisis) and on every window's names;
    /// exit 1 below the targets.
    Eval {
        /// Evaluation files, e.g. ../shared/eval/dev.tsv eval/*.tsv.
        files: Vec<std::path::PathBuf>,
        /// Also check that every name, alias, reading and number finds its own window first.
        #[arg(long)]
        names: bool,
        /// The instant used for opening hours, fixed so that runs are comparable.
        #[arg(long, default_value = "2026-12-02T14:00:00+09:00")]
        at: jiff::Timestamp,
        /// Print every query's top three.
        #[arg(long)]
        verbose: bool,
    },
    /// Print a window's week and whether it is open at an instant.
    Hours {
        /// The window's id, e.g. `consumer-hotline-188`.
        id: String,
        /// The instant (RFC 3339, e.g. 2026-11-28T11:00:00+09:00); now when absent.
        #[arg(long)]
        at: Option<jiff::Timestamp>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct TriageArgs {
    /// What happened, in your own words.
    pub text: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// The instant for opening hours (RFC 3339); now when absent.
    #[arg(long)]
    pub at: Option<jiff::Timestamp>,
    /// Who is asking: children, guardians, teachers, women, men, lgbtq, anyone.
    #[arg(long)]
    pub audience: Option<String>,
    /// Where the person lives: saga or elsewhere.
    #[arg(long)]
    pub region: Option<String>,
    /// Only windows reachable by this channel: phone, line, web, email, chat.
    #[arg(long)]
    pub channel: Option<String>,
    /// Only free windows.
    #[arg(long)]
    pub free: bool,
    /// Only windows open at `--at`.
    #[arg(long)]
    pub open_now: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// The whole directory in the model's shape (docs/data-format.md).
    Json,
    /// Open Referral HSDS 3.0 JSON with x_madoguchi_* extensions.
    Hsds,
    /// HSDS 3.0's tabular form: one CSV per table and a datapackage.json, into DIR.
    HsdsCsv,
    /// The live directory as data files (the `data/` layout), into DIR: byte for byte what
    /// it was loaded from, so a git-based workflow can take it back.
    Toml,
    /// One row per channel, UTF-8 with BOM.
    Csv,
    /// One self-contained HTML page, grouped by category.
    Html,
}

/// Parses an age such as `12m` or `2y` into months.
fn parse_age(text: &str) -> Result<i64, String> {
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let number: i64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not an age such as 12m or 2y"))?;
    match unit {
        "m" => Ok(number),
        "y" => Ok(number * 12),
        _ => Err(format!(
            "`{text}`: use m (months) or y (years), as in 12m or 2y"
        )),
    }
}

/// How `serve` writes its log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add an account; the password is read from stdin (at least 12 characters).
    Add {
        name: String,
        #[arg(long, value_enum)]
        role: StaffRole,
    },
}

/// What an account may do: editors propose changes, reviewers approve other people's,
/// admins also manage accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StaffRole {
    Editor,
    Reviewer,
    Admin,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Hsds => "hsds",
            ExportFormat::HsdsCsv => "hsds-csv",
            ExportFormat::Toml => "toml",
            ExportFormat::Csv => "csv",
            ExportFormat::Html => "html",
        }
    }
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Editor => "editor",
            StaffRole::Reviewer => "reviewer",
            StaffRole::Admin => "admin",
        }
    }
}

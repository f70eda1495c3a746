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

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the data files and list every problem as `file:line: rule: message`.
    Check,
    /// Print the whole directory in a stable, documented shape.
    Export {
        /// Output format.
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
    },
    /// Print one window as a readable card.
    Show {
        /// The window's id, e.g. `moj-minna-110`.
        id: String,
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Json,
}

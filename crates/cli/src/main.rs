//! `madoguchi`: the one binary. It reads flags, files and the clock, and hands plain values to
//! the libraries; everything worth testing lives in `madoguchi-core` (and later the web crate).

mod cli;
mod commands;
mod hours;
mod source;
mod triage;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

//! `madoguchi`: the one binary. It reads flags, files and the clock, and hands plain values to
//! the libraries; everything worth testing lives in `madoguchi-core` (and later the web crate).

mod cli;
mod commands;
mod hours;
mod log;
mod source;
mod stale;
mod store;
mod triage;

use std::process::ExitCode;

use clap::Parser;

// jemalloc instead of glibc's malloc: under load the server's threads contended for glibc's
// arena locks and spent about a fifth of their time in malloc/free (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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

/// Prints to stdout; a closed pipe (`madoguchi export | head`) ends the output quietly
/// instead of panicking.
pub fn emit(text: &str) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

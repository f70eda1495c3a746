//! The server's log on stderr: one compact line a request, as text or JSON.
//!
//! Lines go into a 64 KB buffer that is written out when it fills and at least twice a
//! second, so a busy server makes one `write` for hundreds of lines instead of one each. A
//! background channel (tracing-appender) was tried first: waking its thread for every line
//! cost more than the write it saved (docs/BENCHMARKS.md). A crash can lose the last half
//! second of lines; the log holds no data anyone needs to recover.

use std::io::{BufWriter, IsTerminal, Stderr, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tracing_subscriber::EnvFilter;

use crate::cli::LogFormat;

type Buffer = Arc<Mutex<BufWriter<Stderr>>>;

/// Hands each log line the buffer, locked for the line.
#[derive(Clone)]
struct Shared(Buffer);

struct Locked<'a>(std::sync::MutexGuard<'a, BufWriter<Stderr>>);

impl Write for Locked<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        // Lines are flushed with the buffer, not one by one.
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Shared {
    type Writer = Locked<'a>;

    fn make_writer(&'a self) -> Locked<'a> {
        Locked(self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Flushes the log when dropped; keep it until the server stops.
pub struct LogGuard(Buffer);

impl Drop for LogGuard {
    fn drop(&mut self) {
        flush(&self.0);
    }
}

fn flush(buffer: &Buffer) {
    let _ = buffer
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .flush();
}

/// Starts logging to stderr.
pub fn init(format: LogFormat) -> LogGuard {
    // Colour codes only for a person at a terminal, never into a log file.
    let ansi = std::io::stderr().is_terminal();
    let buffer: Buffer = Arc::new(Mutex::new(BufWriter::with_capacity(
        64 * 1024,
        std::io::stderr(),
    )));
    let flusher = Arc::downgrade(&buffer);
    std::thread::spawn(move || {
        // Ends with the last reference to the buffer.
        while let Some(buffer) = flusher.upgrade() {
            flush(&buffer);
            drop(buffer);
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Shared(buffer.clone()))
        .with_target(false);
    match format {
        LogFormat::Text => builder.compact().with_ansi(ansi).init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .init(),
    }
    LogGuard(buffer)
}

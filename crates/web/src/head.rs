//! A connection's request head, read before hyper sees the connection. hyper gives every
//! connection two 8 KB buffers as soon as it starts; a client that sends its head one byte a
//! second would hold them for the whole header timeout, and ten thousand such clients would
//! hold 160 MB. Here a waiting connection holds only the bytes it has sent; once the head is
//! complete, hyper gets the connection with those bytes in front ([`Prefixed`]).

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Heads longer than this are handed over as they are; hyper answers them (431).
const MAX_HEAD: usize = 16 * 1024;

/// Reads until the request head ends (an empty line) or `MAX_HEAD` bytes have come.
/// `None` when the client closed the connection before that.
pub async fn read_head(stream: &mut TcpStream) -> io::Result<Option<Vec<u8>>> {
    let mut head = Vec::new();
    loop {
        stream.readable().await?;
        // Small steps: the buffer grows with what the client sends, not ahead of it (the
        // chunk lives only between two awaits, so it is not kept while waiting).
        let mut chunk = [0u8; 512];
        let before = head.len();
        match stream.try_read(&mut chunk) {
            Ok(0) => return Ok(None),
            Ok(read) => head.extend_from_slice(&chunk[..read]),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            Err(error) => return Err(error),
        }
        // Only the new bytes and the three before them can complete the empty line.
        let tail = &head[before.saturating_sub(3)..];
        let ended =
            tail.windows(4).any(|w| w == b"\r\n\r\n") || tail.windows(2).any(|w| w == b"\n\n");
        if ended || head.len() >= MAX_HEAD {
            return Ok(Some(head));
        }
    }
}

/// A connection whose first bytes were already read: they are read again first.
pub struct Prefixed {
    prefix: Vec<u8>,
    position: usize,
    stream: TcpStream,
}

impl Prefixed {
    pub fn new(prefix: Vec<u8>, stream: TcpStream) -> Prefixed {
        Prefixed {
            prefix,
            position: 0,
            stream,
        }
    }
}

impl AsyncRead for Prefixed {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.position < this.prefix.len() {
            let rest = &this.prefix[this.position..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.position += n;
            if this.position == this.prefix.len() {
                // Free the head as soon as it has been read again.
                this.prefix = Vec::new();
                this.position = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Prefixed {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn a_head_sent_byte_by_byte_is_read_whole_and_read_again() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let client = tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            for byte in b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody" {
                stream.write_all(&[*byte]).await.unwrap();
                tokio::task::yield_now().await;
            }
            stream
        });
        let (mut stream, _) = listener.accept().await.unwrap();
        let head = read_head(&mut stream).await.unwrap().unwrap();
        assert!(head.starts_with(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        let _client = client.await.unwrap();
        let mut again = Prefixed::new(head.clone(), stream);
        let mut read = vec![0; head.len()];
        again.read_exact(&mut read).await.unwrap();
        assert_eq!(read, head);
    }

    #[tokio::test]
    async fn a_client_that_leaves_before_its_head_ends_is_none() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let client = tokio::spawn(async move {
            let mut stream = TcpStream::connect(address).await.unwrap();
            stream.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
        });
        let (mut stream, _) = listener.accept().await.unwrap();
        client.await.unwrap();
        assert!(read_head(&mut stream).await.unwrap().is_none());
    }
}

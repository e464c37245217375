//! What the emulator saw: the bounded request log and the record of reconnects.
//!
//! Both logs are capped by entries ([`LOG_MAX_ENTRIES`]) and by retained bytes
//! ([`LOG_MAX_BYTES`]), and keep at most [`RECORDED_BODY_MAX_BYTES`] of each body, so a
//! load test with many or large requests cannot exhaust the emulator's memory.

use std::collections::VecDeque;

/// The most entries each log keeps; the oldest are dropped first.
pub const LOG_MAX_ENTRIES: usize = 100_000;

/// The most bytes each log retains (bodies, headers, paths and ids together); the oldest
/// entries are dropped first. With [`RECORDED_BODY_MAX_BYTES`] this bounds the log however
/// many or large the requests of a load test are.
pub const LOG_MAX_BYTES: usize = 64 << 20;

/// The most bytes of each request body the log keeps; the rest is counted, not kept.
pub const RECORDED_BODY_MAX_BYTES: usize = 64 << 10;

/// Headers whose credential the log never keeps, whether the emulator accepted it or not:
/// a real token sent here by mistake would otherwise end up in a test's output.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-ms-authorization-auxiliary",
];

/// A header as the log keeps it: the name in lower case, and for a credential header only
/// its scheme (`Bearer <redacted>`), so a test still sees what kind of credential came.
pub(crate) fn recorded_header(name: &str, value: &[u8]) -> (String, String) {
    let name = name.to_ascii_lowercase();
    let value = String::from_utf8_lossy(value);
    if !CREDENTIAL_HEADERS.contains(&name.as_str()) {
        return (name, value.into_owned());
    }
    let redacted = match value.trim().split_once(' ') {
        // A scheme is a token (RFC 9110): anything else is not one, and is hidden too.
        Some((scheme, _))
            if scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            format!("{scheme} <redacted>")
        }
        _ => "<redacted>".to_owned(),
    };
    (name, redacted)
}

/// A file that gets one JSON object a line, appended and flushed as each request is
/// answered, so another process (a test suite in another language) can follow it.
pub(crate) struct JsonLines {
    file: std::sync::Mutex<std::io::LineWriter<std::fs::File>>,
}

impl JsonLines {
    /// Creates (or truncates) the file at `path`.
    pub(crate) fn create(path: &std::path::Path) -> std::io::Result<JsonLines> {
        let file = std::fs::File::create(path)?;
        Ok(JsonLines {
            file: std::sync::Mutex::new(std::io::LineWriter::new(file)),
        })
    }

    /// Appends `value` and a newline. A failed write (a full disk) loses that line only:
    /// the request was answered, and the in-process log still has it.
    pub(crate) fn write(&self, value: &serde_json::Value) {
        use std::io::Write;
        let mut line = value.to_string();
        line.push('\n');
        let mut file = crate::state::lock(&self.file);
        let _ = file.write_all(line.as_bytes());
    }
}

/// How many bytes an entry keeps alive, for the log's byte cap.
pub(crate) trait Retained {
    fn retained_bytes(&self) -> usize;
}

/// One request as it arrived, with the status it was answered.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"PUT"`.
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: Option<String>,
    /// Every header in arrival order; names are lower-case. Credentials are never kept:
    /// `Authorization` (and `Proxy-Authorization`, `x-ms-authorization-auxiliary`) keep
    /// only their scheme, e.g. `Bearer <redacted>`, valid token or not.
    pub headers: Vec<(String, String)>,
    /// The request body, or its first [`RECORDED_BODY_MAX_BYTES`] when `body_truncated`.
    pub body: Vec<u8>,
    /// The length of the body as sent.
    pub body_len: usize,
    /// True when `body` holds only the start of a longer body.
    pub body_truncated: bool,
    /// The status answered; `0` for a dropped connection (or while still being handled).
    pub status: u16,
    /// The `x-ms-request-id` the emulator answered with.
    pub request_id: String,
}

impl RecordedRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The entry as one JSON object, as the binary's `--request-log` writes it:
    /// `{"method","path","query","headers":[[name,value],...],"body","body_len",
    /// "body_truncated","status","request_id"}`, the body as text (invalid UTF-8 replaced).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": String::from_utf8_lossy(&self.body),
            "body_len": self.body_len,
            "body_truncated": self.body_truncated,
            "status": self.status,
            "request_id": self.request_id,
        })
    }

    /// Keeps (the start of) `body` and its length.
    pub(crate) fn set_body(&mut self, body: &[u8]) {
        let kept = body.len().min(RECORDED_BODY_MAX_BYTES);
        self.body = body[..kept].to_vec();
        self.body_len = body.len();
        self.body_truncated = kept < body.len();
    }
}

impl Retained for RecordedRequest {
    /// Approximate: the text and body kept, not allocator slack.
    fn retained_bytes(&self) -> usize {
        let headers: usize = self.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
        self.method.len()
            + self.path.len()
            + self.query.as_ref().map_or(0, String::len)
            + headers
            + self.body.len()
            + self.request_id.len()
    }
}

/// A reconnect the emulator accepted (answered 202).
#[derive(Clone, Debug, PartialEq)]
pub struct Reconnect {
    pub subscription_id: String,
    pub resource_group: String,
    pub service_name: String,
    pub backend_id: String,
    /// The `after` duration exactly as sent (ISO 8601), if any.
    pub after: Option<String>,
    /// The `x-ms-request-id` of the accepted request.
    pub request_id: String,
}

impl Retained for Reconnect {
    fn retained_bytes(&self) -> usize {
        [
            &self.subscription_id,
            &self.resource_group,
            &self.service_name,
            &self.backend_id,
            &self.request_id,
        ]
        .iter()
        .map(|s| s.len())
        .sum::<usize>()
            + self.after.as_ref().map_or(0, String::len)
    }
}

/// A FIFO bounded by entries and by retained bytes (oldest dropped first), whose entries
/// keep a sequence number, so an entry made when a request arrives can be completed when it
/// is answered, even if newer entries came in between.
#[derive(Debug)]
pub(crate) struct Bounded<T> {
    entries: VecDeque<T>,
    first_seq: u64,
    max_entries: usize,
    max_bytes: usize,
    bytes: usize,
}

impl<T: Clone + Retained> Bounded<T> {
    pub(crate) fn new(max_entries: usize, max_bytes: usize) -> Self {
        Bounded {
            entries: VecDeque::new(),
            first_seq: 0,
            max_entries,
            max_bytes,
            bytes: 0,
        }
    }

    /// Appends `entry` and returns its sequence number.
    pub(crate) fn push(&mut self, entry: T) -> u64 {
        self.bytes += entry.retained_bytes();
        self.entries.push_back(entry);
        let seq = self.first_seq + self.entries.len() as u64 - 1;
        self.drop_oldest_over_caps();
        seq
    }

    /// Changes the entry numbered `seq` with `change`, unless it has already been dropped.
    pub(crate) fn update(&mut self, seq: u64, change: impl FnOnce(&mut T)) {
        let Some(index) = seq
            .checked_sub(self.first_seq)
            .and_then(|i| usize::try_from(i).ok())
        else {
            return;
        };
        let Some(entry) = self.entries.get_mut(index) else {
            return;
        };
        self.bytes -= entry.retained_bytes();
        change(entry);
        self.bytes += entry.retained_bytes();
        self.drop_oldest_over_caps();
    }

    /// The bytes the entries keep alive, never more than the cap.
    pub(crate) fn retained_bytes(&self) -> usize {
        self.bytes
    }

    fn drop_oldest_over_caps(&mut self) {
        while self.entries.len() > self.max_entries || self.bytes > self.max_bytes {
            let Some(oldest) = self.entries.pop_front() else {
                break;
            };
            self.bytes -= oldest.retained_bytes();
            self.first_seq += 1;
        }
    }

    pub(crate) fn to_vec(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{Bounded, Retained, recorded_header};

    #[test]
    fn credential_headers_keep_only_their_scheme() {
        let kept = |name: &str, value: &[u8]| recorded_header(name, value).1;
        assert_eq!(
            kept("Authorization", b"Bearer abc.def"),
            "Bearer <redacted>"
        );
        assert_eq!(
            kept("authorization", b"  basic dXNlcg==  "),
            "basic <redacted>"
        );
        assert_eq!(kept("authorization", b"just-a-token"), "<redacted>");
        assert_eq!(kept("authorization", b"\xff\xfe secret"), "<redacted>");
        assert_eq!(kept("Proxy-Authorization", b"Basic x"), "Basic <redacted>");
        assert_eq!(
            recorded_header("X-Custom", b"v"),
            ("x-custom".into(), "v".into())
        );
    }

    /// A test entry that retains its value in bytes.
    impl Retained for usize {
        fn retained_bytes(&self) -> usize {
            *self
        }
    }

    #[test]
    fn drops_the_oldest_and_keeps_sequence_numbers_valid() {
        let mut log = Bounded::new(3, usize::MAX);
        let seqs: Vec<u64> = (0..5).map(|i| log.push(i)).collect();
        assert_eq!(seqs, [0, 1, 2, 3, 4]);
        assert_eq!(log.to_vec(), [2, 3, 4]);
        log.update(1, |_| unreachable!("dropped"));
        log.update(3, |entry| *entry = 30);
        assert_eq!(log.to_vec(), [2, 30, 4]);
        log.update(5, |_| unreachable!("not yet pushed"));
    }

    #[test]
    fn drops_the_oldest_over_the_byte_cap_also_when_an_entry_grows() {
        let mut log = Bounded::new(100, 10);
        for size in [4, 4, 2] {
            log.push(size);
        }
        assert_eq!((log.to_vec(), log.retained_bytes()), (vec![4, 4, 2], 10));
        log.push(3);
        assert_eq!((log.to_vec(), log.retained_bytes()), (vec![4, 2, 3], 9));
        log.update(3, |entry| *entry = 6);
        assert_eq!((log.to_vec(), log.retained_bytes()), (vec![2, 6], 8));
        log.push(11);
        assert_eq!((log.to_vec(), log.retained_bytes()), (vec![], 0));
    }
}

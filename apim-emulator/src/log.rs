//! What the emulator saw: the bounded request log and the record of reconnects.

use std::collections::VecDeque;

/// The most entries each log keeps; older ones are dropped so load tests cannot exhaust memory.
pub(crate) const LOG_CAPACITY: usize = 100_000;

/// One request as it arrived, with the status it was answered.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"PUT"`.
    pub method: String,
    /// The path as sent, still percent-encoded.
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: Option<String>,
    /// Every header in arrival order; names are lower-case.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
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

/// A bounded FIFO whose entries keep a sequence number, so an entry made when a request
/// arrives can be completed when it is answered, even if newer entries came in between.
#[derive(Debug)]
pub(crate) struct Bounded<T> {
    entries: VecDeque<T>,
    first_seq: u64,
    capacity: usize,
}

impl<T: Clone> Bounded<T> {
    pub(crate) fn new(capacity: usize) -> Self {
        Bounded {
            entries: VecDeque::new(),
            first_seq: 0,
            capacity,
        }
    }

    /// Appends `entry` and returns its sequence number.
    pub(crate) fn push(&mut self, entry: T) -> u64 {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.first_seq += 1;
        }
        self.entries.push_back(entry);
        self.first_seq + self.entries.len() as u64 - 1
    }

    /// The entry numbered `seq`, unless it has already been dropped.
    pub(crate) fn get_mut(&mut self, seq: u64) -> Option<&mut T> {
        let index = usize::try_from(seq.checked_sub(self.first_seq)?).ok()?;
        self.entries.get_mut(index)
    }

    pub(crate) fn to_vec(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Bounded;

    #[test]
    fn drops_the_oldest_and_keeps_sequence_numbers_valid() {
        let mut log = Bounded::new(3);
        let seqs: Vec<u64> = (0..5).map(|i| log.push(i)).collect();
        assert_eq!(seqs, [0, 1, 2, 3, 4]);
        assert_eq!(log.to_vec(), [2, 3, 4]);
        assert!(log.get_mut(1).is_none());
        *log.get_mut(3).unwrap() = 30;
        assert_eq!(log.to_vec(), [2, 30, 4]);
        assert!(log.get_mut(5).is_none());
    }
}

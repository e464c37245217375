//! `Pager<T>`: the items of a list operation, fetched page by page by following `nextLink`.
//!
//! Paging rules: a `nextLink` is followed exactly as given (its query string included), only
//! on the endpoint's own origin (the token never leaves it), and paging stops at a missing
//! or empty `nextLink`. A `nextLink` seen before ends paging with an error instead of a loop.

use std::collections::HashSet;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::__private::{Prepared, decode_with};
use crate::client::ApimClient;
use crate::error::{Error, ErrorKind, Result};

/// One page of a list: its items and the link to the next page.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The total count, when the service reports it.
    #[serde(default)]
    pub count: Option<i64>,
    /// The next page's URL; `None` on the last page.
    #[serde(default, rename = "nextLink")]
    pub next_link: Option<String>,
}

/// The items of a list operation. It is a [`Stream`] of `Result<T>`, fetching pages as
/// they are needed; [`next_page`](Pager::next_page) gives whole pages instead, and
/// [`collect_all`](Pager::collect_all) every item.
pub struct Pager<T> {
    core: Option<Core>,
    fetch: Option<Fetch<T>>,
    items: std::vec::IntoIter<T>,
}

type Fetch<T> = Pin<Box<dyn Future<Output = (Core, Option<Result<Page<T>>>)> + Send>>;

/// What the next fetch sends.
enum Next {
    First(Result<Prepared>),
    Link(String),
    Done,
}

struct Core {
    client: ApimClient,
    next: Next,
    template: Option<Prepared>,
    seen: HashSet<String>,
}

// The items are never pinned in place, so `Pager` is `Unpin` whatever `T` is.
impl<T> Unpin for Pager<T> {}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    pub(crate) fn new(client: ApimClient, first: Result<Prepared>) -> Self {
        Pager {
            core: Some(Core {
                client,
                next: Next::First(first),
                template: None,
                seen: HashSet::new(),
            }),
            fetch: None,
            items: Vec::new().into_iter(),
        }
    }

    /// The next page, or `None` after the last one. Items already taken from the current
    /// page through the stream are not repeated; the rest of it comes first.
    pub async fn next_page(&mut self) -> Option<Result<Page<T>>> {
        if self.items.len() > 0 {
            let value: Vec<T> = self.items.by_ref().collect();
            return Some(Ok(Page {
                value,
                count: None,
                next_link: None,
            }));
        }
        poll_fn(|cx| self.poll_page(cx)).await
    }

    /// Every remaining item, following `nextLink` to the end.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all: Vec<T> = self.items.by_ref().collect();
        while let Some(page) = self.next_page().await {
            all.extend(page?.value);
        }
        Ok(all)
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Page<T>>>> {
        if self.fetch.is_none() {
            let Some(core) = self.core.take() else {
                return Poll::Ready(None);
            };
            if matches!(core.next, Next::Done) {
                self.core = Some(core);
                return Poll::Ready(None);
            }
            self.fetch = Some(Box::pin(core.fetch::<T>()));
        }
        let Some(fetch) = self.fetch.as_mut() else {
            return Poll::Ready(None);
        };
        let (core, page) = ready!(fetch.as_mut().poll(cx));
        self.fetch = None;
        self.core = Some(core);
        Poll::Ready(page)
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pager<T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(this.poll_page(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(page)) => this.items = page.value.into_iter(),
            }
        }
    }
}

impl Core {
    /// Fetches one page and decides what comes after it. Any error ends paging.
    async fn fetch<T: DeserializeOwned>(mut self) -> (Self, Option<Result<Page<T>>>) {
        let request = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return (self, None),
            Next::First(Err(e)) => return (self, Some(Err(e))),
            Next::First(Ok(first)) => {
                let request = first.clone_for_link(first.url.clone());
                self.seen.insert(first.url.as_str().to_owned());
                self.template = Some(first);
                request
            }
            Next::Link(link) => match self.follow(&link) {
                Ok(request) => request,
                Err(e) => return (self, Some(Err(e))),
            },
        };
        let operation = request.operation.name;
        let page = match self.client.execute(request).await {
            Ok(response) => decode_with(
                |body| serde_json::from_slice::<Page<T>>(body),
                operation,
                &response.body,
            ),
            Err(e) => Err(e),
        };
        if let Ok(page) = &page {
            match page.next_link.as_deref().map(str::trim) {
                Some(link) if !link.is_empty() => self.next = Next::Link(link.to_owned()),
                _ => {}
            }
        }
        (self, Some(page))
    }

    /// The request for `link`: the first request's method and headers, sent to `link` as
    /// given, if it is on the endpoint's origin and was not seen before.
    fn follow(&mut self, link: &str) -> Result<Prepared> {
        let Some(template) = &self.template else {
            return Err(Error::configuration(
                "a nextLink arrived before the first page",
            ));
        };
        let operation = template.operation.name;
        let refuse =
            |reason: String| Error::new(ErrorKind::Paging(reason.into())).in_operation(operation);
        let url = reqwest::Url::parse(link)
            .map_err(|e| refuse(format!("the nextLink is not a URL: {e}")))?;
        if url.origin().ascii_serialization() != self.client.origin() {
            return Err(refuse(format!(
                "the nextLink points to {}, not to the endpoint's origin {}; the token is never sent elsewhere",
                url.origin().ascii_serialization(),
                self.client.origin()
            )));
        }
        if !self.seen.insert(link.to_owned()) {
            return Err(refuse(
                "the service repeated a nextLink; stopping instead of looping".into(),
            ));
        }
        Ok(template.clone_for_link(url))
    }
}

impl<T> fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("buffered", &self.items.len())
            .field("fetching", &self.fetch.is_some())
            .finish_non_exhaustive()
    }
}

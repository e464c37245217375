//! `Pager<T>`: the items of a list operation, fetched page by page by following `nextLink`.
//!
//! Paging rules:
//! - The first request is the declared one, body included (a `POST .../search` list).
//! - Later pages are a GET of `nextLink`, as the Azure SDKs do, with the declared headers.
//!   The link is followed as given (its query string included), resolved against the
//!   endpoint when relative, without its `#fragment`. When it has no `api-version`, the
//!   first request's is added: ARM answers 400 without one, and the SDKs add it too.
//! - Only the endpoint's own origin is followed: the token never leaves it.
//! - An item that does not decode is an error for that item alone
//!   ([`ErrorKind::ItemDecode`]: its index on the page and the raw item's `id`): the
//!   stream yields it in the item's place and goes on; [`Page::errors`] lists them.
//! - Paging stops at a missing or empty `nextLink`. A link seen before, or more pages than
//!   [`ApimClientOptions::max_pages`](crate::ApimClientOptions::max_pages), ends paging with
//!   an error instead of a loop.

use std::collections::HashSet;
use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::client::ApimClient;
use crate::decode::{ResponseBody, decode_with};
use crate::error::{Error, ErrorKind, ItemError, Result};
use crate::request::{Prepared, RequestBuilder};
use crate::transport::execute;

/// One page of a list, as every list operation of the API answers it (`BackendCollection`
/// and its kind in the REST description): its items, the total count when the service
/// reports it, and the link to the next page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items on this page. Always written, as `[]` when empty.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The total count, when the service reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// The next page's URL; `None` on the last page (the service may send `""`).
    #[serde(default, rename = "nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
    /// The items of this page that did not decode, in order (not in `value`).
    #[serde(skip)]
    pub errors: Vec<ItemError>,
}

/// A page as it arrives: its items still raw, each decoded on its own.
#[derive(Deserialize)]
struct RawPage<'a> {
    #[serde(default, borrow)]
    value: Option<Vec<&'a RawValue>>,
    #[serde(default)]
    count: Option<i64>,
    #[serde(default, rename = "nextLink")]
    next_link: Option<String>,
}

/// The `id` of an item that did not decode, if it has one as text.
#[derive(Deserialize)]
struct RawId {
    #[serde(default)]
    id: Option<serde_json::Value>,
}

/// A page's items, each decoded on its own: one that fails is an [`ItemError`] in its
/// place, the others are read.
struct Decoded<T> {
    items: Vec<std::result::Result<T, ItemError>>,
    count: Option<i64>,
    next_link: Option<String>,
}

fn decode_page<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<Decoded<T>> {
    let page: RawPage<'_> = serde_json::from_slice(body)?;
    let items = page
        .value
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            // Bytes, as every other body is read: one decoder per model.
            crate::lenient_json::from_slice::<T>(raw.get().as_bytes()).map_err(|e| ItemError {
                index,
                id: serde_json::from_str::<RawId>(raw.get())
                    .ok()
                    .and_then(|raw| match raw.id {
                        Some(serde_json::Value::String(id)) => Some(id),
                        Some(serde_json::Value::Null) | None => None,
                        Some(other) => Some(other.to_string()),
                    }),
                reason: e.to_string(),
            })
        })
        .collect();
    Ok(Decoded {
        items,
        count: page.count,
        next_link: page.next_link,
    })
}

impl<T> Decoded<T> {
    fn into_page(self) -> Page<T> {
        let mut page = Page {
            value: Vec::new(),
            count: self.count,
            next_link: self.next_link,
            errors: Vec::new(),
        };
        for item in self.items {
            match item {
                Ok(item) => page.value.push(item),
                Err(e) => page.errors.push(e),
            }
        }
        page
    }
}

/// The items of a list operation. It is a [`Stream`] of `Result<T>`, fetching pages as
/// they are needed; [`next_page`](Pager::next_page) gives whole pages instead, and
/// [`collect_all`](Pager::collect_all) every item.
pub struct Pager<T> {
    core: Option<Core>,
    fetch: Option<Fetch<T>>,
    items: std::vec::IntoIter<std::result::Result<T, ItemError>>,
}

type Fetch<T> = Pin<Box<dyn Future<Output = (Core, Option<Result<Decoded<T>>>)> + Send>>;

/// What the next fetch sends.
enum Next {
    First(Box<Result<Prepared>>),
    Link(String),
    Done,
}

struct Core {
    client: ApimClient,
    next: Next,
    /// The GET that later pages are sent as, once the first request went out.
    link_template: Option<Prepared>,
    /// The first request's api-version, for links that lack one.
    api_version: String,
    /// Links followed so far, without fragments.
    seen: HashSet<String>,
    pages: u32,
}

// The items are never pinned in place, so `Pager` is `Unpin` whatever `T` is.
impl<T> Unpin for Pager<T> {}

impl<T: DeserializeOwned + Send + 'static> Pager<T> {
    pub(crate) fn new(client: ApimClient, first: Result<Prepared>) -> Self {
        Pager {
            core: Some(Core {
                client,
                next: Next::First(Box::new(first)),
                link_template: None,
                api_version: String::new(),
                seen: HashSet::new(),
                pages: 0,
            }),
            fetch: None,
            items: Vec::new().into_iter(),
        }
    }

    /// The next page, or `None` after the last one. Items already taken from the current
    /// page through the stream are not repeated; the rest of it comes first.
    pub async fn next_page(&mut self) -> Option<Result<Page<T>>> {
        if self.items.len() > 0 {
            let rest = Decoded {
                items: self.items.by_ref().collect(),
                count: None,
                next_link: None,
            };
            return Some(Ok(rest.into_page()));
        }
        poll_fn(|cx| self.poll_page(cx))
            .await
            .map(|page| page.map(Decoded::into_page))
    }

    /// Every remaining item, following `nextLink` to the end. An item that does not
    /// decode ends it with that item's error (the stream goes on past it instead).
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(item) = poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            all.push(item?);
        }
        Ok(all)
    }

    /// The error of an item that did not decode, naming the operation.
    fn item_error(&self, error: ItemError) -> Error {
        let error = Error::new(ErrorKind::ItemDecode(error));
        match self
            .core
            .as_ref()
            .and_then(|core| core.link_template.as_ref())
        {
            Some(template) => error.in_operation(template.name.clone()),
            None => error,
        }
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Decoded<T>>>> {
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
            match this.items.next() {
                Some(Ok(item)) => return Poll::Ready(Some(Ok(item))),
                Some(Err(e)) => return Poll::Ready(Some(Err(this.item_error(e)))),
                None => {}
            }
            match ready!(this.poll_page(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                Some(Ok(page)) => this.items = page.items.into_iter(),
            }
        }
    }
}

impl Core {
    /// Fetches one page and decides what comes after it. Any error ends paging.
    async fn fetch<T: DeserializeOwned>(mut self) -> (Self, Option<Result<Decoded<T>>>) {
        let request = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return (self, None),
            Next::First(first) => {
                let first = match *first {
                    Ok(first) => first,
                    Err(e) => return (self, Some(Err(e))),
                };
                self.seen.insert(first.url.as_str().to_owned());
                self.api_version = first
                    .url
                    .query_pairs()
                    .find(|(name, _)| apim_wire::query::is_client_set(name))
                    .map(|(_, value)| value.into_owned())
                    .unwrap_or_default();
                self.link_template = Some(first.for_link(first.url.clone()));
                first
            }
            Next::Link(link) => match self.follow(&link) {
                Ok(request) => request,
                Err(e) => return (self, Some(Err(e))),
            },
        };
        self.pages += 1;
        let page = match execute(&self.client, &request).await {
            Ok(response) => decode_with(decode_page::<T>, &request.name, &response.body),
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

    /// The GET for `link`, if it is on the endpoint's origin, was not seen before and the
    /// page budget allows it.
    fn follow(&mut self, link: &str) -> Result<Prepared> {
        let Some(template) = &self.link_template else {
            return Err(Error::configuration(
                "a nextLink arrived before the first page",
            ));
        };
        let refuse = |reason: String| {
            Error::new(ErrorKind::Paging(reason.into())).in_operation(template.name.clone())
        };
        let mut url = self.client.on_origin(link, "nextLink").map_err(refuse)?;
        url.set_fragment(None);
        let has_api_version = url
            .query_pairs()
            .any(|(name, _)| apim_wire::query::is_client_set(&name));
        if !has_api_version && !self.api_version.is_empty() {
            url.query_pairs_mut()
                .append_pair(apim_wire::query::API_VERSION, &self.api_version);
        }
        if !self.seen.insert(url.as_str().to_owned()) {
            return Err(refuse(
                "the service repeated a nextLink; stopping instead of looping".into(),
            ));
        }
        let max_pages = self.client.max_pages();
        if self.pages >= max_pages {
            return Err(refuse(format!(
                "more than {max_pages} pages; raise ApimClientOptions::max_pages to read further"
            )));
        }
        Ok(template.for_link(url))
    }
}

/// A list operation: the first request now, later pages as the caller asks for them.
pub fn send_paged<T: ResponseBody + Send + 'static>(request: RequestBuilder<'_>) -> Pager<T> {
    let client = request.client().clone();
    Pager::new(client, request.finish())
}

impl<T> fmt::Debug for Pager<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pager")
            .field("buffered", &self.items.len())
            .field("fetching", &self.fetch.is_some())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::Page;
    use serde_json::json;

    #[test]
    fn an_empty_page_keeps_its_value_array() {
        let page: Page<serde_json::Value> = serde_json::from_value(json!({"value": []})).unwrap();
        assert_eq!(serde_json::to_value(&page).unwrap(), json!({"value": []}));
        let page: Page<serde_json::Value> = serde_json::from_value(json!({})).unwrap();
        assert!(page.value.is_empty());
    }
}

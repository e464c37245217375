//! Collection listing: `$top`/`$skip` paging, a small `$filter` subset, and `nextLink`.

use serde_json::{Value, json};

use crate::error::ArmError;
use crate::query::{Query, encode};
use crate::store::{Store, Stored};
use crate::views::View;

/// The page size when `$top` is absent.
const DEFAULT_TOP: usize = 100;
/// The largest page served; a larger `$top` is clamped to it.
const MAX_TOP: usize = 1000;

/// What a list request asked for.
pub(crate) struct Listing {
    top: usize,
    skip: usize,
    /// As sent, so `nextLink` can carry it on.
    filter_text: Option<String>,
    /// `None` when absent or not understood: then nothing is filtered out.
    filter: Option<Filter>,
}

impl Listing {
    pub(crate) fn from_query(query: &Query) -> Result<Listing, ArmError> {
        let top = match query.get("$top") {
            None => DEFAULT_TOP,
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) if n >= 1 => usize::try_from(n).unwrap_or(MAX_TOP).min(MAX_TOP),
                _ => {
                    return Err(ArmError::validation(
                        "$top",
                        format!("$top must be a positive integer, not '{text}'."),
                    ));
                }
            },
        };
        let skip = match query.get("$skip") {
            None => 0,
            Some(text) => text.trim().parse::<usize>().map_err(|_| {
                ArmError::validation(
                    "$skip",
                    format!("$skip must be a non-negative integer, not '{text}'."),
                )
            })?,
        };
        let filter_text = query.get("$filter").map(str::to_string);
        let filter = filter_text.as_deref().and_then(Filter::parse);
        Ok(Listing {
            top,
            skip,
            filter_text,
            filter,
        })
    }

    /// The list body: `value`, `count` (all matches) and, unless this is the last page,
    /// `nextLink` on `endpoint` + `raw_path`.
    pub(crate) fn respond(
        &self,
        store: &Store,
        collections: impl Fn(&[String]) -> bool,
        view: Option<&View>,
        endpoint: &str,
        raw_path: &str,
        api_version: &str,
    ) -> Value {
        let keep = |s: &Stored| {
            view.is_none_or(|view| view.keeps(store, s))
                && self.filter.as_ref().is_none_or(|f| f.matches(s))
        };
        let (value, count) = store.list_where(collections, keep, self.skip, self.top);
        let mut body = json!({ "value": value, "count": count });
        let next_skip = self.skip.saturating_add(self.top);
        if next_skip < count {
            let mut link = format!("{endpoint}{raw_path}?api-version={}", encode(api_version));
            if let Some(filter) = &self.filter_text {
                link.push_str(&format!("&$filter={}", encode(filter)));
            }
            link.push_str(&format!("&$top={}&$skip={next_skip}", self.top));
            body["nextLink"] = link.into();
        }
        body
    }
}

/// `field eq|ne 'text'` or `startswith|endswith|contains(field, 'text')`, compared without
/// regard to case. `field` is `name` or a top-level string property such as `url`.
#[derive(Debug, PartialEq)]
enum Filter {
    Eq(String, String),
    Ne(String, String),
    StartsWith(String, String),
    EndsWith(String, String),
    Contains(String, String),
}

impl Filter {
    fn parse(text: &str) -> Option<Filter> {
        let text = text.trim();
        if let Some((function, rest)) = text.split_once('(') {
            let args = rest.strip_suffix(')')?;
            let (field, literal) = args.split_once(',')?;
            let (field, value) = (field.trim().to_string(), parse_literal(literal.trim())?);
            return match function.trim().to_ascii_lowercase().as_str() {
                "startswith" => Some(Filter::StartsWith(field, value)),
                "endswith" => Some(Filter::EndsWith(field, value)),
                "contains" | "substringof" => Some(Filter::Contains(field, value)),
                _ => None,
            };
        }
        let (field, rest) = text.split_once(char::is_whitespace)?;
        let (operator, literal) = rest.trim_start().split_once(char::is_whitespace)?;
        let (field, value) = (field.to_string(), parse_literal(literal.trim())?);
        match operator.to_ascii_lowercase().as_str() {
            "eq" => Some(Filter::Eq(field, value)),
            "ne" => Some(Filter::Ne(field, value)),
            _ => None,
        }
    }

    fn matches(&self, stored: &Stored) -> bool {
        let (field, value) = match self {
            Filter::Eq(f, v)
            | Filter::Ne(f, v)
            | Filter::StartsWith(f, v)
            | Filter::EndsWith(f, v)
            | Filter::Contains(f, v) => (f, v.to_lowercase()),
        };
        let actual = if field.eq_ignore_ascii_case("name") {
            Some(stored.identity.name.to_lowercase())
        } else {
            stored
                .properties
                .get(field.as_str())
                .and_then(Value::as_str)
                .map(str::to_lowercase)
        };
        let Some(actual) = actual else {
            return matches!(self, Filter::Ne(..));
        };
        match self {
            Filter::Eq(..) => actual == value,
            Filter::Ne(..) => actual != value,
            Filter::StartsWith(..) => actual.starts_with(&value),
            Filter::EndsWith(..) => actual.ends_with(&value),
            Filter::Contains(..) => actual.contains(&value),
        }
    }
}

/// An OData string literal: single-quoted, with `''` for a quote.
fn parse_literal(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    let unescaped = inner.replace("''", "'");
    // A lone quote inside means the literal did not end where we thought.
    (unescaped.matches('\'').count() * 2 == inner.matches('\'').count()).then_some(unescaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_filters() {
        assert_eq!(
            Filter::parse("name eq 'b1'"),
            Some(Filter::Eq("name".into(), "b1".into()))
        );
        assert_eq!(
            Filter::parse(" name  NE 'it''s' "),
            Some(Filter::Ne("name".into(), "it's".into()))
        );
        assert_eq!(
            Filter::parse("startswith(name, 'b')"),
            Some(Filter::StartsWith("name".into(), "b".into()))
        );
        assert_eq!(
            Filter::parse("contains(url,'x')"),
            Some(Filter::Contains("url".into(), "x".into()))
        );
        for unsupported in [
            "",
            "name",
            "name eq b1",
            "name gt 'a'",
            "name eq 'a' and url eq 'b'",
            "f(name,'x')",
            "name eq 'a'b'",
        ] {
            assert_eq!(Filter::parse(unsupported), None, "{unsupported}");
        }
    }

    #[test]
    fn rejects_bad_paging_parameters() {
        for (query, target) in [
            ("$top=0", "$top"),
            ("$top=-1", "$top"),
            ("$top=x", "$top"),
            ("$skip=-1", "$skip"),
            ("$skip=1.5", "$skip"),
        ] {
            let error = Listing::from_query(&Query::parse(Some(query)))
                .err()
                .unwrap();
            assert_eq!(error.target.as_deref(), Some(target), "{query}");
        }
        let listing =
            Listing::from_query(&Query::parse(Some("$top=5000&$filter=whatever"))).unwrap();
        assert_eq!(listing.top, MAX_TOP);
        assert!(listing.filter.is_none());
    }
}

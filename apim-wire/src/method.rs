//! The HTTP methods of the management API.

/// An HTTP method an operation can be declared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: read a resource or a list.
    Get,
    /// `PUT`: create or replace.
    Put,
    /// `POST`: an action.
    Post,
    /// `PATCH`: change some properties.
    Patch,
    /// `DELETE`: delete.
    Delete,
    /// `HEAD`: read a resource's headers (its ETag).
    Head,
}

impl Method {
    /// Every method, in the order messages list them.
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    /// The method named exactly `name` (upper case, as on the wire).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The name on the wire: `GET`, `PUT`, ...
    pub const fn name(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// The Rust variant name (`Get`), for code that names `Method::Get`.
    pub const fn variant(self) -> &'static str {
        match self {
            Method::Get => "Get",
            Method::Put => "Put",
            Method::Post => "Post",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
            Method::Head => "Head",
        }
    }

    /// PUT, POST and PATCH carry a body: a declared `#[body]`, or an empty one with
    /// `Content-Length: 0`, since ARM answers 411 to a bodiless POST without it. GET, HEAD
    /// and DELETE have none, so a `#[body]` on them is a compile error.
    pub const fn carries_body(self) -> bool {
        matches!(self, Method::Put | Method::Post | Method::Patch)
    }
}

#[cfg(test)]
mod tests {
    use super::Method;

    #[test]
    fn names_round_trip() {
        for method in Method::ALL {
            assert_eq!(Method::from_name(method.name()), Some(method));
            assert_eq!(
                method.name().to_ascii_lowercase(),
                method.variant().to_ascii_lowercase()
            );
        }
        assert_eq!(Method::from_name("get"), None);
        assert_eq!(Method::from_name("OPTIONS"), None);
    }
}

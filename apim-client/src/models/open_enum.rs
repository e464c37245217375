//! String enums that stay open to values the service adds later.
//!
//! The spec marks its enums `modelAsString`: the service may start sending a new value at
//! any time, and a client that refused it would fail to read the whole resource. So each
//! enum has its known values plus `Other(String)`, which keeps any other value exactly as
//! sent and writes it back unchanged.

/// Declares an open string enum:
///
/// ```ignore
/// open_enum! {
///     /// Backend communication protocol.
///     pub enum BackendProtocol {
///         /// The backend is a RESTful service.
///         Http => "http",
///     }
/// }
/// ```
///
/// The enum gets the listed variants plus `Other(String)`, `#[non_exhaustive]`, derived
/// `Debug, Clone, PartialEq, Eq, Hash`, `as_str`, `Display`, `AsRef<str>`, `ParamValue` (so
/// operations take it as a path, query or header value), infallible
/// `From<&str>`, `From<String>` and `FromStr`, and serde impls writing the exact wire string.
/// Every conversion from a string maps a known value to its variant (the match is exact,
/// case included), so `Other` only holds a known value if built directly, which makes it
/// compare unequal to the variant.
macro_rules! open_enum {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_attr:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$variant_attr])* $variant, )+
            /// A value this version of the crate does not know, kept exactly as sent.
            Other(::std::string::String),
        }

        impl $name {
            /// The value as written on the wire.
            $vis fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Other(value) => value,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $wire => Self::$variant, )+
                    _ => Self::Other(value),
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        // Enum-typed path, query and header arguments of the generated operations.
        impl crate::request::ParamValue for $name {
            fn to_param(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl crate::models::write::ToWire for $name {
            #[inline]
            fn to_wire(&self) -> crate::models::write::Written<'_> {
                crate::models::write::open_enum(self.as_str())
            }
        }

        impl crate::models::wire::FromWire for $name {
            #[inline]
            fn from_wire(
                value: ::serde_json::Value,
            ) -> crate::models::wire::WireResult<Self> {
                crate::models::wire::open_enum(value)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                struct Visitor;

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }

                    fn visit_str<E>(self, value: &str) -> ::core::result::Result<$name, E> {
                        ::core::result::Result::Ok($name::from(value))
                    }

                    fn visit_string<E>(
                        self,
                        value: ::std::string::String,
                    ) -> ::core::result::Result<$name, E> {
                        ::core::result::Result::Ok($name::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use serde_json::json;

    open_enum! {
        /// A test enum.
        pub(super) enum Color {
            /// Red.
            Red => "red",
            /// Dark blue.
            DarkBlue => "darkBlue",
        }
    }

    #[test]
    fn known_values_map_to_variants() {
        assert_eq!(Color::from("red"), Color::Red);
        assert_eq!("darkBlue".parse::<Color>().unwrap(), Color::DarkBlue);
        let color: Color = serde_json::from_value(json!("darkBlue")).unwrap();
        assert_eq!(color, Color::DarkBlue);
        assert_eq!(
            serde_json::to_value(Color::DarkBlue).unwrap(),
            json!("darkBlue")
        );
        assert_eq!(Color::Red.to_string(), "red");
    }

    #[test]
    fn unknown_values_round_trip_unchanged() {
        for wire in ["green", "Red", "RED", "", " red"] {
            let color: Color = serde_json::from_value(json!(wire)).unwrap();
            assert_eq!(color, Color::Other(wire.to_owned()), "{wire:?}");
            assert_eq!(color.as_str(), wire);
            assert_eq!(serde_json::to_value(&color).unwrap(), json!(wire));
        }
        // A borrowed string takes the `visit_str` path.
        let color: Color = serde_json::from_str("\"green\"").unwrap();
        assert_eq!(color, Color::Other("green".into()));
    }

    #[test]
    fn non_strings_are_refused() {
        let err = serde_json::from_value::<Color>(json!(1)).unwrap_err();
        assert!(err.to_string().contains("a Color string"), "{err}");
    }
}

//! Lenient decoding, one test per rule of the generator (DESIGN.md §3, "Decoding is
//! lenient"): what real responses send must read.

use apim_client::ErrorKind;
use apim_client::models::{
    ApiContract, ApiReleaseContract, ApiType, AuthorizationProviderContract,
    GatewayListDebugCredentialsContract, OperationContract, TenantSettingsContract,
};
use apim_client::prelude::*;
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;

/// `null` values inside a map: `TenantSettings_Get`'s settings, as the official example
/// (and the service) writes them, and an authorization provider's grant parameters.
#[test]
fn null_values_inside_maps_are_left_out() {
    let settings: TenantSettingsContract = serde_json::from_value(json!({
        "name": "public",
        "properties": {"settings": {
            "CustomPortalSettings.UserRegistrationTerms": null,
            "CustomPortalSettings.DelegationEnabled": "False"
        }}
    }))
    .expect("a null setting reads");
    let settings = settings.properties.unwrap().settings.unwrap();
    assert_eq!(settings.len(), 1);
    assert_eq!(settings["CustomPortalSettings.DelegationEnabled"], "False");

    let provider: AuthorizationProviderContract = serde_json::from_value(json!({
        "properties": {"identityProvider": "oauth2", "oauth2": {"grantTypes": {
            "authorizationCode": {"clientId": "c", "clientSecret": null, "scopes": null}
        }}}
    }))
    .expect("null grant parameters read");
    let grants = provider
        .properties
        .unwrap()
        .oauth2
        .unwrap()
        .grant_types
        .unwrap();
    let code = grants.authorization_code.unwrap();
    assert_eq!(code.keys().collect::<Vec<_>>(), ["clientId"]);
}

/// `null` items inside a list, and a `null` list.
#[test]
fn null_items_inside_lists_are_left_out() {
    let api: ApiContract = serde_json::from_value(json!({
        "properties": {"path": "echo", "protocols": ["https", null]}
    }))
    .expect("a null protocol reads");
    assert_eq!(api.properties.unwrap().protocols.unwrap().len(), 1);
    let api: ApiContract =
        serde_json::from_value(json!({"properties": {"path": "echo", "protocols": null}}))
            .expect("a null list reads");
    assert_eq!(api.properties.unwrap().protocols, None);
}

/// A field the description calls required (an API's `path`) that a response omits, or
/// a required list sent as `null`, reads as its default.
#[test]
fn required_fields_a_response_omits_read_as_their_default() {
    let api: ApiContract = serde_json::from_value(json!({
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/apis/echo",
        "properties": {"displayName": "Echo"}
    }))
    .expect("an API without its path reads");
    assert_eq!(api.properties.unwrap().path, "");
    let credentials: GatewayListDebugCredentialsContract =
        serde_json::from_value(json!({"purposes": null, "gatewayId": "g"}))
            .expect("a null required list reads");
    assert!(credentials.purposes.is_empty());
}

/// Unknown members are ignored; an enum value this crate does not know is kept, and
/// written back as it came.
#[test]
fn unknown_fields_are_ignored_and_unknown_enum_values_kept() {
    let body = json!({"properties": {"path": "p", "type": "mcp", "addedIn2030": {"x": 1}}});
    let api: ApiContract = serde_json::from_value(body).expect("unknown members read");
    let properties = api.properties.unwrap();
    assert_eq!(properties.api_type, Some(ApiType::Other("mcp".into())));
    let written = serde_json::to_value(&properties).unwrap();
    assert_eq!(written["type"], "mcp");
}

/// Date-times as .NET writes them (no offset, seven fraction digits) and durations with
/// seven fraction digits.
#[test]
fn date_times_and_durations_in_the_forms_azure_writes() {
    let release: ApiReleaseContract = serde_json::from_value(json!({
        "properties": {"createdDateTime": "2018-02-08T20:38:29.1234567"}
    }))
    .expect("a date-time without offset reads");
    let at = release.properties.unwrap().created_date_time.unwrap();
    assert_eq!(
        (at.year(), at.nanosecond(), at.offset().whole_seconds()),
        (2018, 123_456_700, 0)
    );
    let credentials: GatewayListDebugCredentialsContract = serde_json::from_value(json!({
        "credentialsExpireAfter": "PT59M59.9999999S", "purposes": ["tracing"], "gatewayId": "g"
    }))
    .expect("a duration with ticks reads");
    assert_eq!(
        credentials.credentials_expire_after.unwrap().as_nanos(),
        3_599_999_999_900
    );
}

/// One item of a list page that does not decode is an error for that item (its index and
/// raw `id`); the pager yields the others, and goes on to the next page.
#[tokio::test]
async fn a_list_item_that_does_not_decode_is_an_error_for_that_item_alone() {
    let server = MockServer::start().await;
    let base = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ApiManagement/service/svc/apis";
    let next = format!("{}{base}?page=2", server.uri());
    Mock::given(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": format!("{base}/c"), "properties": {"path": "c"}}]
        })))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [
                {"id": format!("{base}/a"), "properties": {"path": "a"}},
                {"id": format!("{base}/b"), "properties": {"path": ["not", "text"]}},
                {"id": format!("{base}/d"), "properties": {"path": "d"}}
            ],
            "nextLink": next
        })))
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    let items: Vec<_> = client
        .api()
        .list_by_service("rg", "svc", None)
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    let error = items[1]
        .as_ref()
        .expect_err("the second item does not decode");
    let ErrorKind::ItemDecode(item) = error.kind() else {
        panic!("not an item error: {error}");
    };
    assert_eq!(item.index, 1);
    assert_eq!(item.id.as_deref(), Some(format!("{base}/b").as_str()));
    assert!(
        error
            .to_string()
            .starts_with("Api_ListByService: item 1 of the page (id "),
        "{error}"
    );
    let paths: Vec<_> = items
        .iter()
        .filter_map(|item| item.as_ref().ok())
        .map(|api| api.properties.as_ref().unwrap().path.clone())
        .collect();
    assert_eq!(paths, ["a", "d", "c"]);

    let mut pager = client.api().list_by_service("rg", "svc", None);
    let page = pager.next_page().await.unwrap().unwrap();
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.errors.len(), 1);
    assert_eq!(page.errors[0].index, 1);
}

/// An answer with `body`, read as `ApiOperation_Get` reads it, through the client.
async fn operation_answered(body: serde_json::Value) -> apim_client::Result<OperationContract> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let client = common::client(&server.uri());
    client
        .api_operation()
        .get("rg", "svc", "echo", "get")
        .await
        .map(apim_client::Response::into_model)
}

/// Required fields the service sends as `null` read as their default, as when it omits
/// them: a `null` required string, number or list is no reason to fail the whole call.
#[tokio::test]
async fn required_fields_sent_as_null_read_as_their_default() {
    let operation = operation_answered(json!({
        "name": "get",
        "properties": {
            "displayName": null,
            "method": "GET",
            "urlTemplate": null,
            "responses": [{"statusCode": null, "description": "OK"}]
        }
    }))
    .await
    .expect("null required fields read");
    let properties = operation.properties.unwrap();
    assert_eq!(properties.display_name, "");
    assert_eq!(properties.method, "GET");
    assert_eq!(properties.url_template, "");
    let response = &properties.responses.unwrap()[0];
    assert_eq!(response.status_code, 0);
    assert_eq!(response.description.as_deref(), Some("OK"));
}

/// Numbers the service writes as strings read as numbers; a string that is not a number
/// is still an error, and strings stay strings.
#[tokio::test]
async fn numbers_written_as_strings_read_as_numbers() {
    let operation = operation_answered(json!({
        "properties": {
            "displayName": "200",
            "method": "GET",
            "urlTemplate": "/",
            "responses": [{"statusCode": "200"}, {"statusCode": 404}, {"statusCode": " 500 "}]
        }
    }))
    .await
    .expect("numbers as strings read");
    let properties = operation.properties.unwrap();
    assert_eq!(
        properties.display_name, "200",
        "a string field keeps its text"
    );
    let codes: Vec<i64> = properties
        .responses
        .unwrap()
        .iter()
        .map(|r| r.status_code)
        .collect();
    assert_eq!(codes, [200, 404, 500]);

    let error = operation_answered(json!({
        "properties": {"displayName": "x", "method": "GET", "urlTemplate": "/",
                       "responses": [{"statusCode": "OK"}]}
    }))
    .await
    .expect_err("a word is not a number");
    assert!(matches!(error.kind(), ErrorKind::Decode), "{error}");
}

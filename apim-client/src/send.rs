//! The entry points generated methods hand their request to: send, check the status, and
//! decode the body (or ignore it). List operations go through [`crate::pager`] instead.

use std::future::Future;

use crate::decode::{Decode, decode_with};
use crate::error::Result;
use crate::request::RequestBuilder;
use crate::response::Response;
use crate::transport::execute;

/// Sends the request and ignores the body of the answer.
pub fn send_empty(request: RequestBuilder<'_>) -> impl Future<Output = Result<()>> + Send + '_ {
    let response = send_response_empty(request);
    async move { response.await.map(|_| ()) }
}

/// Sends the request and decodes the answer's JSON body as `T` with `decode`. (The future
/// borrows the client: edition 2024 captures the lifetime without a `+ '_`, which would
/// also require `T` to outlive it.)
pub fn send_json<T>(
    request: RequestBuilder<'_>,
    decode: Decode<T>,
) -> impl Future<Output = Result<T>> + Send {
    let response = send_response_json(request, decode);
    async move { response.await.map(Response::into_model) }
}

/// Sends the request and returns status and headers with an ignored body.
pub fn send_response_empty(
    request: RequestBuilder<'_>,
) -> impl Future<Output = Result<Response<()>>> + Send + '_ {
    let client = request.client();
    let prepared = request.finish();
    async move {
        let response = execute(client, &prepared?).await?;
        Ok(Response::new(response.status, response.headers, ()))
    }
}

/// Sends the request and returns status and headers with the body decoded as `T` with
/// `decode`.
pub fn send_response_json<T>(
    request: RequestBuilder<'_>,
    decode: Decode<T>,
) -> impl Future<Output = Result<Response<T>>> + Send {
    let client = request.client();
    let prepared = request.finish();
    async move {
        let prepared = prepared?;
        let response = execute(client, &prepared).await?;
        let model = decode_with(decode, &prepared.name, &response.body)?;
        Ok(Response::new(response.status, response.headers, model))
    }
}

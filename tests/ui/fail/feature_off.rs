//! A group whose cargo feature is off: the accessor says which feature to turn on (these
//! cases build against apim-client's core alone).

use apim_client::ApimClient;

fn backends(client: &ApimClient) {
    let _handle = client.backend();
}

fn apis(client: &ApimClient) {
    let _handle = client.workspace_api();
}

fn main() {}

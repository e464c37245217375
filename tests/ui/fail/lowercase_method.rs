use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(post, "/things/<id>")]
    async fn post(&self, id: &str) -> Result<()>;
}

impl Api for ApimClient {}

/// The declaration is still there: the rest of the crate type-checks.
#[allow(dead_code)]
async fn call(client: &ApimClient) -> Result<()> {
    client.post("x").await
}

fn main() {}

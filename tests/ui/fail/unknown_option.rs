use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<id>", statuses = [200])]
    async fn get(&self, id: &str) -> Result<()>;
}

impl Api for ApimClient {}

/// The declaration is still there: the rest of the crate type-checks.
#[allow(dead_code)]
async fn call(client: &ApimClient) -> Result<()> {
    client.get("x").await
}

fn main() {}

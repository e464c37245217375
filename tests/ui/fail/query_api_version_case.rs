use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[query("Api-Version")] version: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

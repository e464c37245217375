use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[query("$top")] top: u32, #[query("$top")] limit: u32) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

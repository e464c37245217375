use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[query] filter: &str, #[header("x-ms-filter")] #[query] top: u32) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

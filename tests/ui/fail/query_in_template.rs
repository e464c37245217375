use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things?api-version=2024-05-01")]
    async fn list(&self) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

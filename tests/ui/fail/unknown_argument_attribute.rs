use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[qeury] filter: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

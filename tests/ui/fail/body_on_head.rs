use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(HEAD, "/things/<id>")]
    async fn head(&self, id: &str, #[body] filter: &serde_json::Value) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(DELETE, "/things/<id>")]
    async fn delete(&self, id: &str, #[body] reason: &serde_json::Value) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

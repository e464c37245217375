use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(PUT, "/things/<id>")]
    async fn put(&self, id: &str, #[body] a: &serde_json::Value, #[body] b: &serde_json::Value) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

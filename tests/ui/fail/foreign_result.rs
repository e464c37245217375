use apim_client::{ApimClient, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    async fn get(&self, id: &str) -> std::io::Result<serde_json::Value>;
}

impl Api for ApimClient {}

fn main() {}

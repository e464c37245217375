use apim_client::{ApimClient, Pager, apim_operation};

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self) -> Pager<serde_json::Value>;
}

impl Api for ApimClient {}

fn main() {}

use apim_client::{ApimClient, apim_operation};

pub struct MyError;

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    async fn get(&self, id: &str) -> Result<serde_json::Value, MyError>;
}

impl Api for ApimClient {}

fn main() {}

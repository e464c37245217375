use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(PUT, "/things/<id>")]
    async fn put<T: serde::Serialize>(&self, id: &str, #[body] thing: &T) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

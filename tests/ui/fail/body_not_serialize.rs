use apim_client::{ApimClient, Result, apim_operation};

pub struct Thing {
    pub name: String,
}

trait Api {
    #[apim_operation(PUT, "/things/<id>")]
    async fn put(&self, id: &str, #[body] thing: &Thing) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

use apim_client::{ApimClient, Response, Result, apim_operation};

pub struct Thing {
    pub name: String,
}

trait Api {
    #[apim_operation(PUT, "/things/<id>")]
    async fn put(&self, id: &str) -> Result<Response<Thing>>;
}

impl Api for ApimClient {}

fn main() {}

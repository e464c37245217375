use apim_client::{ApimClient, Result, apim_operation};

pub struct Thing {
    pub name: String,
}

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    async fn get(&self, id: &str) -> Result<Thing>;
}

impl Api for ApimClient {}

fn main() {}

use apim_client::{ApimClient, apim_operation};

trait Api {
    #[apim_operation(DELETE, "/things/<id>")]
    async fn delete(&self, id: &str);
}

impl Api for ApimClient {}

fn main() {}

use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(post, "/things/<id>")]
    async fn post(&self, id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

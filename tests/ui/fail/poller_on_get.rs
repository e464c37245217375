use apim_client::{ApimClient, Poller, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    fn get(&self, id: &str) -> Poller<serde_json::Value>;

    #[apim_operation(HEAD, "/things/<id>")]
    fn exists(&self, id: &str) -> Poller<()>;
}

impl Api for ApimClient {}

fn main() {}

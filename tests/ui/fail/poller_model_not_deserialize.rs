use apim_client::{ApimClient, Poller, apim_operation};

pub struct Thing {
    pub name: String,
}

trait Api {
    #[apim_operation(PUT, "/things/<id>", status = [200, 201])]
    fn create(&self, id: &str) -> Poller<Thing>;
}

impl Api for ApimClient {}

fn main() {}

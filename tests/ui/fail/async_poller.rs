use apim_client::{ApimClient, Poller, apim_operation};

trait Api {
    #[apim_operation(DELETE, "/things/<id>", status = [202, 204])]
    async fn delete(&self, id: &str) -> Poller<()>;
}

impl Api for ApimClient {}

fn main() {}

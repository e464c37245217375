use apim_client::{ApimClient, Poller, apim_operation};

trait Api {
    #[apim_operation(DELETE, "/things/<id>", final_state = "azure_async_operation")]
    fn delete(&self, id: &str) -> Poller<()>;

    #[apim_operation(POST, "/things/<id>/backup", final_state = "locaton")]
    fn backup(&self, id: &str) -> Poller<()>;

    #[apim_operation(POST, "/things/<id>/restore", final_state = location)]
    fn restore(&self, id: &str) -> Poller<()>;
}

impl Api for ApimClient {}

fn main() {}

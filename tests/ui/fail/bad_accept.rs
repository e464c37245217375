use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    // A header value cannot carry a second header: the macro refuses it before it is sent.
    #[apim_operation(GET, "/things/<id>", accept = "application/json\r\nX-Injected: 1")]
    async fn get(&self, id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

use apim_client::{ApimClient, Pager, apim_operation};

pub struct Thing {
    pub name: String,
}

trait Api {
    #[apim_operation(GET, "/things")]
    fn list(&self) -> Pager<Thing>;
}

impl Api for ApimClient {}

fn main() {}

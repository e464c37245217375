use apim_client::{ApimClient, Result, apim_operation};

pub struct ThingId(pub u32);

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    async fn get(&self, id: ThingId) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

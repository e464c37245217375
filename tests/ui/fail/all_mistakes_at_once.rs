use apim_client::{ApimClient, Result, apim_operation};

// Seven mistakes, in the attribute, the template and the signature: all reported in one
// build, each once, at its own token.
trait Api {
    #[apim_operation(GET, "/things/<thing>/", status = [], api_versoin = "2024-05-01")]
    async fn get(
        &mut self,
        thing_id: &str,
        #[query("a b")] q: &str,
        #[body] body: &serde_json::Value,
    ) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}

use apim_client::OperationOptions;

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query(top)]
    pub top: Option<u32>,
    #[header]
    pub if_match: Option<String>,
    #[query("$skip")]
    #[header("X-Skip")]
    pub skip: Option<u32>,
}

fn main() {}

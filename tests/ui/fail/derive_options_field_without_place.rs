use apim_client::OperationOptions;

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("$top")]
    pub top: Option<u32>,
    pub skip: Option<u32>,
    #[querry("tags")]
    pub tags: Option<String>,
}

fn main() {}

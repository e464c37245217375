use apim_client::OperationOptions;

#[derive(OperationOptions)]
pub enum ListOptions {
    Top(u32),
}

#[derive(OperationOptions)]
pub struct Tuple(Option<u32>);

fn main() {}

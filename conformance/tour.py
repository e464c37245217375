"""`examples/tour.rs` written with the official Python SDK, against a running emulator.

    python tour.py --endpoint http://127.0.0.1:N --token T

It creates an API with two operations and a policy, puts it in a product, subscribes to
the product and reads the keys, pages through the APIs, updates the API with the ETag it
read, deletes it and sees the 404. Exits non-zero on any failure.
"""

import argparse
import time

from azure.core.credentials import AccessToken
from azure.core.exceptions import ResourceNotFoundError
from azure.mgmt.apimanagement import ApiManagementClient
from azure.mgmt.apimanagement import models as m

RG = "rg1"
SVC = "apim-tour"
SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
# The emulator is plain http on 127.0.0.1: azure-core's per-call opt-out of its https check.
CALL = {"enforce_https": False}
# Long-running calls poll without the SDK's own 30 s pause between polls.
LRO = {**CALL, "polling_interval": 0}


class StaticToken:
    def __init__(self, token):
        self._token = token

    def get_token(self, *scopes, **kwargs):
        return AccessToken(self._token, int(time.time()) + 3600)


def with_etag(_response, model, headers):
    return model, headers.get("ETag")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--token", required=True)
    args = parser.parse_args()
    client = ApiManagementClient(StaticToken(args.token), SUBSCRIPTION, base_url=args.endpoint)
    service = m.ApiManagementServiceResource(location="westeurope", sku=m.ApiManagementServiceSkuProperties(name="Developer", capacity=1), publisher_email="admin@contoso.example", publisher_name="Contoso")
    client.api_management_service.begin_create_or_update(RG, SVC, service, **LRO).result()

    # An API: name, path, service URL and protocols in one expression; long-running.
    echo = m.ApiCreateOrUpdateParameter(path="echo-tour", display_name="Echo API", service_url="https://echo.example.com", protocols=["https"])
    api = client.api.begin_create_or_update(RG, SVC, "echo", echo, **LRO).result()
    print(f"created {api.name} at /{api.path}")

    # Two operations, and the API's policy.
    item = m.ParameterContract(name="id", type="string", required=True)
    get_item = m.OperationContract(display_name="Get item", method="GET", url_template="/items/{id}", template_parameters=[item])
    client.api_operation.create_or_update(RG, SVC, "echo", "get-item", get_item, **CALL)
    list_items = m.OperationContract(display_name="List items", method="GET", url_template="/items")
    client.api_operation.create_or_update(RG, SVC, "echo", "list-items", list_items, **CALL)
    policy = m.PolicyContract(value="<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound></policies>", format="xml")
    client.api_policy.create_or_update(RG, SVC, "echo", "policy", policy, **CALL)

    # A product with the API in it, and a subscription to the product with its keys.
    product = m.ProductContract(display_name="Echo product", subscription_required=True, state="published")
    product = client.product.create_or_update(RG, SVC, "echo-product", product, **CALL)
    client.product_api_link.create_or_update(RG, SVC, "echo-product", "echo-link", m.ProductApiLinkContract(api_id=api.id), **CALL)
    subscription = m.SubscriptionCreateParameters(display_name="Echo subscription", scope=product.id)
    client.subscription.create_or_update(RG, SVC, "echo-sub", subscription, **CALL)
    keys = client.subscription.list_secrets(RG, SVC, "echo-sub", **CALL)
    print(f"primary key of {len(keys.primary_key or '')} characters")

    # Every API, one per page.
    for page in client.api.list_by_service(RG, SVC, top=1, **CALL).by_page():
        print("page:", [api.name for api in page])

    # Read, update with the ETag read, delete with the ETag of the update.
    _, etag = client.api.get(RG, SVC, "echo", cls=with_etag, **CALL)
    update = m.ApiUpdateContract(description="Echoes what it is sent.")
    _, etag = client.api.update(RG, SVC, "echo", etag, update, cls=with_etag, **CALL)
    client.api.begin_delete(RG, SVC, "echo", etag, **LRO).result()
    try:
        client.api.get(RG, SVC, "echo", **CALL)
        raise SystemExit("expected a 404")
    except ResourceNotFoundError as e:
        print(f"deleted: {e.error.code if e.error else e.status_code}")


if __name__ == "__main__":
    main()
